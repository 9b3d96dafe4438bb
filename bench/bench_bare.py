"""End-to-end check of the benchmark tools: the bare app measured against itself.

Starts ``bench/bare_app.py`` twice (or 1 + ``--copies`` times) on free ports, compares
"bare" (baseline) with "bare-copy" (the same code, another process) and prints how far
the ratios are from 1.0 and how much rps moved across rounds: the noise floor of any
comparison made with these tools on this machine. ``--calibrate`` first measures the
generator's ceiling against a canned-response server::

    python bench/bench_bare.py [--copies 3] [--rounds 7 --round-s 2] [--json PATH]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/bench_bare.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.http_targets import Plan, Target, compare, write_report
from bench.loadgen import run_subprocess
from bench.loadstats import LoadConfig
from bench.procs import ROOT, bare_app_argv, free_port, running_server

PATH = "/products/p-1"


def calibrate(concurrency: int, seconds: float) -> None:
    """Print what the generator reaches against a server that does almost nothing."""
    port = free_port()
    argv = [sys.executable, str(ROOT / "bench" / "canned_server.py"), "--port", str(port)]
    url = f"http://127.0.0.1:{port}{PATH}"
    with running_server(argv, ready_url=url):
        result = run_subprocess(LoadConfig(url=url, concurrency=concurrency, duration_s=seconds))
    print(
        f"generator ceiling (canned server, {concurrency} conns): {result.rps:.0f} rps, "
        f"{result.cpu_us_per_request:.1f} µs CPU/request, "
        f"{result.cpu_utilisation:.0%} of a core, errors {result.error_count}"
    )


def run(plan: Plan, copies: int = 1) -> dict[str, Any]:
    """Start the bare app 1 + ``copies`` times, compare all; return :func:`compare`'s report."""
    names = ["bare", *(f"bare-copy{i}" if copies > 1 else "bare-copy" for i in range(copies))]
    with ExitStack() as stack:
        targets = []
        for name in names:
            port = free_port()
            url = f"http://127.0.0.1:{port}{PATH}"
            proc = stack.enter_context(running_server(bare_app_argv(port), ready_url=url))
            targets.append(Target(name=name, url=url, server_pids=(proc.pid,)))
        return compare(targets, baseline="bare", plan=plan)


def verdict(report: dict[str, Any]) -> list[str]:
    """How far each copy is from the baseline: the noise floor of these tools here."""
    lines = []
    for name, figures in report["targets"].items():
        if name == report["baseline"]:
            continue
        ratio = figures["ratio"]
        lines.append(
            f"{name}/bare: rps ratio {ratio['rps']:.3f} (off by {abs(ratio['rps'] - 1):.1%}, "
            f"per-round {ratio['rps_min']:.2f}..{ratio['rps_max']:.2f}, ratio of medians "
            f"{ratio['rps_of_medians']:.3f}); cap ratio {ratio['capacity']:.3f}; "
            f"rps across rounds: ±{figures['rps_mad_pct']:.1f}% (MAD), "
            f"min-max {figures['rps_range_pct']:.0f}% of median"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="bare FastAPI app against itself")
    parser.add_argument("--rounds", type=int, default=Plan.rounds)
    parser.add_argument("--round-s", type=float, default=Plan.round_s)
    parser.add_argument("--warmup-s", type=float, default=Plan.warmup_s)
    parser.add_argument("--concurrency", type=int, default=Plan.concurrency)
    parser.add_argument("--copies", type=int, default=1, help="copies of the app besides bare")
    parser.add_argument("--calibrate", action="store_true", help="measure generator ceiling")
    parser.add_argument("--json", type=Path, help="write the figures here (reports/bench/...)")
    args = parser.parse_args(argv)
    if args.calibrate:
        calibrate(args.concurrency, args.round_s)
    plan = Plan(
        rounds=args.rounds,
        round_s=args.round_s,
        warmup_s=args.warmup_s,
        concurrency=args.concurrency,
    )
    report = run(plan, args.copies)
    print("\n".join(verdict(report)))
    if args.json:
        print(f"wrote {write_report(report, args.json)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
