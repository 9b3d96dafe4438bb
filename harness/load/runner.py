"""Run Locust for a plan: one local process, or a master and N workers (distributed
mode, the same way load is spread over several machines). Everything binds to loopback
unless told otherwise."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from harness.target import PROJECT_ROOT

LOCUSTFILE = PROJECT_ROOT / "loadtests" / "locustfile.py"
STOP_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class LoadPlan:
    host: str
    out: Path
    users: int = 10
    spawn_rate: float = 5.0
    duration: float = 20.0
    shape: str | None = None
    workers: int = 0
    ui: bool = False
    web_host: str = "127.0.0.1"
    web_port: int = 8089
    locustfile: Path = LOCUSTFILE
    toxiproxy: str | None = None  # the target's fault proxy: the chaos panel switches it
    faults: str = ""  # a fault schedule, NAME@START-STOP,... (loadtests/chaos.py)

    @property
    def csv_prefix(self) -> Path:
        return self.out / "stats"

    @property
    def stats_csv(self) -> Path:
        return self.out / "stats_stats.csv"

    @property
    def history_csv(self) -> Path:
        return self.out / "stats_stats_history.csv"

    @property
    def html_report(self) -> Path:
        return self.out / "locust-report.html"


def locust_env(plan: LoadPlan) -> dict[str, str]:
    env = {
        "HARNESS_LOAD_USERS": str(plan.users),
        "HARNESS_LOAD_SPAWN_RATE": str(plan.spawn_rate),
        "HARNESS_LOAD_DURATION": str(plan.duration),
    }
    if plan.shape:
        env["HARNESS_LOAD_SHAPE"] = plan.shape
    if plan.toxiproxy:
        env["HARNESS_LOAD_TOXIPROXY"] = plan.toxiproxy
        env["HARNESS_LOAD_OUT"] = str(plan.out)
        env["HARNESS_LOAD_FAULTS"] = plan.faults
    return env


def master_argv(plan: LoadPlan, *, master_port: int | None) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(plan.locustfile),
        "--host",
        plan.host,
        "--csv",
        str(plan.csv_prefix),
        "--csv-full-history",
        "--html",
        str(plan.html_report),
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "10",
    ]
    if plan.ui:
        argv += ["--web-host", plan.web_host, "--web-port", str(plan.web_port)]
    else:
        argv += ["--headless", "--only-summary", "--run-time", f"{int(plan.duration)}s"]
        if not plan.shape:
            argv += ["--users", str(plan.users), "--spawn-rate", str(plan.spawn_rate)]
    if master_port is not None:
        argv += [
            "--master",
            "--master-bind-host",
            "127.0.0.1",
            "--master-bind-port",
            str(master_port),
            "--expect-workers",
            str(plan.workers),
        ]
    return argv


def worker_argv(plan: LoadPlan, master_port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(plan.locustfile),
        "--worker",
        "--master-host",
        "127.0.0.1",
        "--master-port",
        str(master_port),
        "--loglevel",
        "WARNING",
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def run_locust(plan: LoadPlan, *, say: Callable[[str], None]) -> int:
    """Run to the end (headless) or until Ctrl-C (UI); Locust's own exit code."""
    plan.out.mkdir(parents=True, exist_ok=True)
    for stale in ("faults.json", "faults.csv"):  # a journal belongs to one run
        (plan.out / stale).unlink(missing_ok=True)
    env = {**os.environ, **locust_env(plan)}
    master_port = free_port() if plan.workers else None
    log = (plan.out / "locust.log").open("w")
    master = subprocess.Popen(
        master_argv(plan, master_port=master_port), env=env, cwd=PROJECT_ROOT, stderr=log
    )
    workers = [
        subprocess.Popen(worker_argv(plan, master_port), env=env, cwd=PROJECT_ROOT, stderr=log)
        for _ in range(plan.workers)
        if master_port is not None
    ]
    if plan.ui:
        say(
            f"Locust UI on http://{plan.web_host}:{plan.web_port} against {plan.host}; Ctrl-C stops"
        )
    try:
        return master.wait()
    except KeyboardInterrupt:
        master.send_signal(signal.SIGINT)  # lets Locust write its CSV and HTML report
        return master.wait(timeout=STOP_TIMEOUT_S)
    finally:
        for process in [master, *workers]:
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
