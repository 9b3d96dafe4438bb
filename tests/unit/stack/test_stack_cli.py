"""The ``harness`` CLI's contract: exit 2 on bad arguments, 1 with one line on failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli.main import main
from harness.cli.table import format_table
from harness.errors import HarnessError, PortInUseError


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["nope"],
        ["up", "--port-base", "abc"],
        ["up", "--port-base", "80"],
        ["up", "--timeout", "0"],
        ["up", "--database", "mysql"],
        ["status", "--bogus"],
    ],
)
def test_wrong_arguments_exit_2_with_argparse_message(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_down_with_nothing_recorded_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "down", "--state-dir", str(tmp_path))
    assert code == 0
    assert "nothing running" in out


def test_status_with_nothing_recorded_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "status", "--state-dir", str(tmp_path))
    assert (code, out.strip()) == (1, f"nothing running (state folder {tmp_path})")
    code, out, _ = run(capsys, "status", "--state-dir", str(tmp_path), "--json")
    assert code == 1
    assert json.loads(out)["running"] is False


def test_up_with_a_bad_service_command_fails_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["up", "--state-dir", str(tmp_path), "--service-command", "x {nope}"]
    code, _, err = run(capsys, *argv, "--port-base", "1100")
    assert code == 1
    assert err.startswith("harness: error:")
    assert len(err.strip().splitlines()) == 1


def test_proxy_hands_every_argument_to_chaos_proxy(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(["proxy", "--help"])  # --help reaches the proxy's parser, not harness's
    except SystemExit as exc:  # argparse's --help exits, unless the proxy's main catches it
        code = int(exc.code or 0)
    assert code == 0
    assert "Toxiproxy" in capsys.readouterr().out


def test_errors_share_one_root() -> None:
    assert issubclass(PortInUseError, HarnessError)


def test_table_aligns_columns_without_trailing_spaces() -> None:
    text = format_table(("a", "long header"), [("x", 1), ("longer", "")])
    assert text.splitlines() == [
        "a       long header",
        "------  -----------",
        "x       1",
        "longer",
    ]
