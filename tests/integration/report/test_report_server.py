"""`harness report --open`: the report served on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from harness.report.errors import ReportError
from harness.report.serve import serving
from tests.helpers import free_port, wait_until

pytestmark = pytest.mark.integration


def fake_report(root: Path) -> Path:
    """A results folder and a newer report, so --open serves without regenerating."""
    results = root / "allure-results"
    results.mkdir(parents=True)
    (results / "a-result.json").write_text("{}")
    html = root / "allure-report"
    html.mkdir()
    (html / "index.html").write_text("<title>report</title>")
    newer = (results / "a-result.json").stat().st_mtime + 10
    os.utime(html / "index.html", (newer, newer))
    return html


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode())


def test_serving_a_folder_on_a_free_port(tmp_path: Path) -> None:
    html = fake_report(tmp_path)
    with serving(html) as url:
        assert url.startswith("http://127.0.0.1:")
        assert get(url) == "<title>report</title>"


def test_a_taken_port_or_a_missing_report_is_a_clear_error(tmp_path: Path) -> None:
    missing = pytest.raises(ReportError, match="does not exist; run `harness report`")
    with missing, serving(tmp_path):
        pass
    html = fake_report(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ReportError, match=f"port {port} is in use"), serving(html, port=port):
            pass


def test_harness_report_open_prints_the_url_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    fake_report(tmp_path)
    port = free_port()
    command = [sys.executable, "-m", "harness.cli.main", "report", "--open"]
    process = subprocess.Popen(
        [*command, "--reports", str(tmp_path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert f"at http://127.0.0.1:{port}/ (Ctrl-C stops)" in first
        assert "<title>report</title>" in wait_until(
            lambda: get(f"http://127.0.0.1:{port}/"), timeout=10, what="the report server"
        )
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert "stopped serving the report" in process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
