"""chaos.proxy next to a direct connection, measured in one run, interleaved.

Starts the peers (``bench/proxy_peers.py``: echo and sink servers, blocking threads,
their own process) and ``python -m chaos.proxy`` (its own process, uvloop, as the
embedded stack runs it) with one proxy per peer and no toxics. Then, in rounds that
alternate which goes first, direct and through the proxy:

- ``rtt``   1 KiB request/response round trips on one persistent connection (p50, p99)
- ``bulk``  one-way transfer on one connection, 64 KiB writes (MB/s)
- ``conc``  32 connections transferring at once (total MB/s)

and the latency toxic's accuracy: the p50 round trip through a proxy whose
downstream has a latency toxic, against the configured latency. Ratios are medians
of per-round ratios (each pair ran back to back, which cancels slow drift on a shared
machine). CPU per GB is shown too, steadier than MB/s when other processes take CPU
time: the proxy's own, and the capacity ratio, everyone's CPU per GB (client, peers,
proxy) direct over proxied: the bulk ratio the two would reach on the same cores with
CPU as the only limit. Prints the table; figures go to JSON::

    .venv/bin/python bench/proxy_bench.py [--rounds 15] [--block BYTES] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/proxy_bench.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from bench import proxy_peers as peers
from bench.procs import ROOT, cpu_seconds
from chaos.proxy import ProxyProcess

Address = tuple[str, int]
TARGETS = {"rtt_added_p50_us": 120.0, "bulk_ratio": 0.60, "latency_error": 0.05}
"""Goals: added p50 round trip at most 120 us, bulk at least 60% of direct, the
latency toxic within 5% of its configured value at p50."""
LATENCIES_MS = (20, 50, 100)
DEFAULT_JSON = ROOT / "reports" / "bench" / "proxy_bench.json"


@contextmanager
def peer_process() -> Iterator[tuple[dict[str, int], int]]:
    argv = [sys.executable, str(ROOT / "bench" / "proxy_peers.py")]
    process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdout is not None and process.stdin is not None
    try:
        yield json.loads(process.stdout.readline()), process.pid
    finally:
        process.stdin.close()
        process.wait(10)


def add_proxy(api: httpx.Client, name: str, port: int) -> Address:
    body = {"name": name, "listen": "127.0.0.1:0", "upstream": f"127.0.0.1:{port}"}
    response = api.post("/proxies", json=body)
    response.raise_for_status()
    host, bound = response.json()["listen"].rsplit(":", 1)
    return host, int(bound)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Run:
    """One benchmark run: addresses, settings, and the samples per round."""

    def __init__(self, args: argparse.Namespace, *, proxy_pid: int, peers_pid: int) -> None:
        self.args = args
        self.proxy_pid = proxy_pid
        self.peers_pid = peers_pid
        self.rows: dict[str, list[dict[str, float]]] = {"rtt": [], "bulk": [], "conc": []}

    def round(self, number: int, direct: dict[str, Address], proxied: dict[str, Address]) -> None:
        order = [("direct", direct), ("proxy", proxied)]
        if number % 2:
            order.reverse()
        sample: dict[str, dict[str, float]] = {"rtt": {}, "bulk": {}, "conc": {}}
        for label, where in order:
            sample["rtt"].update(self._rtt(label, where["echo"]))
            sample["bulk"].update(self._bulk(label, where["sink"]))
            sample["conc"].update(self._conc(label, where["sink"]))
        for name, values in sample.items():
            self.rows[name].append(values)

    def _rtt(self, label: str, address: Address) -> dict[str, float]:
        times = peers.round_trips(address, count=self.args.round_trips)
        return {
            f"{label}_p50_us": percentile(times, 0.50) * 1e6,
            f"{label}_p99_us": percentile(times, 0.99) * 1e6,
        }

    def _bulk(self, label: str, address: Address) -> dict[str, float]:
        nbytes, block = self.args.bulk_mb << 20, self.args.block
        rate, proxy_cpu, all_cpu = self._measure(
            lambda: peers.bulk(address, nbytes=nbytes, block=block)
        )
        gigabytes = self.args.bulk_mb / 1024
        return {
            f"{label}_MBps": rate / 1e6,
            f"{label}_proxy_cpu_s_per_GB": proxy_cpu / gigabytes,
            f"{label}_all_cpu_s_per_GB": all_cpu / gigabytes,
        }

    def _conc(self, label: str, address: Address) -> dict[str, float]:
        nbytes, block = self.args.conc_mb << 20, self.args.block
        rate = peers.parallel_bulk(address, connections=32, nbytes=nbytes, block=block)
        return {f"{label}_MBps": rate / 1e6}

    def _measure(self, work: Callable[[], float]) -> tuple[float, float, float]:
        """``work()``, the proxy's CPU seconds, and everyone's (client, peers, proxy)."""
        proxy, others = cpu_seconds(self.proxy_pid), cpu_seconds(self.peers_pid) + own_cpu()
        result = work()
        proxy = cpu_seconds(self.proxy_pid) - proxy
        others = cpu_seconds(self.peers_pid) + own_cpu() - others
        return result, proxy, proxy + others

    def summary(self) -> dict[str, Any]:
        rtt, bulk, conc = self.rows["rtt"], self.rows["bulk"], self.rows["conc"]
        return {
            "rtt_direct_p50_us": med(rtt, "direct_p50_us"),
            "rtt_proxy_p50_us": med(rtt, "proxy_p50_us"),
            "rtt_direct_p99_us": med(rtt, "direct_p99_us"),
            "rtt_proxy_p99_us": med(rtt, "proxy_p99_us"),
            "rtt_added_p50_us": statistics.median(
                r["proxy_p50_us"] - r["direct_p50_us"] for r in rtt
            ),
            "bulk_direct_MBps": med(bulk, "direct_MBps"),
            "bulk_proxy_MBps": med(bulk, "proxy_MBps"),
            "bulk_ratio": statistics.median(r["proxy_MBps"] / r["direct_MBps"] for r in bulk),
            "bulk_proxy_cpu_s_per_GB": med(bulk, "proxy_proxy_cpu_s_per_GB"),
            "bulk_capacity_ratio": statistics.median(
                r["direct_all_cpu_s_per_GB"] / r["proxy_all_cpu_s_per_GB"] for r in bulk
            ),
            "conc_direct_MBps": med(conc, "direct_MBps"),
            "conc_proxy_MBps": med(conc, "proxy_MBps"),
            "conc_ratio": statistics.median(r["proxy_MBps"] / r["direct_MBps"] for r in conc),
        }


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process
    return usage.ru_utime + usage.ru_stime


def med(rows: list[dict[str, float]], key: str) -> float:
    return statistics.median(row[key] for row in rows)


def latency_accuracy(api: httpx.Client, port: int, count: int) -> dict[str, float]:
    """p50 round trip through a latency toxic of each configured value, in ms."""
    results: dict[str, float] = {}
    for latency in LATENCIES_MS:
        name = f"latency{latency}"
        address = add_proxy(api, name, port)
        body = {"type": "latency", "attributes": {"latency": latency}}
        api.post(f"/proxies/{name}/toxics", json=body).raise_for_status()
        times = peers.round_trips(address, count=count)
        results[f"{latency}ms_p50_ms"] = statistics.median(times) * 1000
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--round-trips", type=int, default=3000)
    parser.add_argument("--bulk-mb", type=int, default=256)
    parser.add_argument("--conc-mb", type=int, default=8, help="MiB per connection")
    parser.add_argument("--block", type=int, default=64 * 1024, help="bytes per write")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    with peer_process() as (ports, peers_pid), ProxyProcess(port=0) as proxy:
        api = httpx.Client(base_url=proxy.url, trust_env=False)
        direct = {name: ("127.0.0.1", port) for name, port in ports.items()}
        proxied = {name: add_proxy(api, name, port) for name, port in ports.items()}
        run = Run(args, proxy_pid=proxy.pid, peers_pid=peers_pid)
        began = time.monotonic()
        for number in range(args.rounds):
            run.round(number, direct, proxied)
            print(f"round {number + 1}/{args.rounds} done", file=sys.stderr)
        figures = run.summary()
        figures["latency"] = latency_accuracy(api, ports["echo"], count=40)
        figures["seconds"] = time.monotonic() - began
    report(figures, args)
    return 0 if meets_targets(figures) else 1


def latency_errors(figures: dict[str, Any]) -> dict[int, float]:
    return {ms: abs(figures["latency"][f"{ms}ms_p50_ms"] - ms) / ms for ms in LATENCIES_MS}


def meets_targets(figures: dict[str, Any]) -> bool:
    return (
        figures["rtt_added_p50_us"] <= TARGETS["rtt_added_p50_us"]
        and figures["bulk_ratio"] >= TARGETS["bulk_ratio"]
        and max(latency_errors(figures).values()) <= TARGETS["latency_error"]
    )


def report(figures: dict[str, Any], args: argparse.Namespace) -> None:
    f = figures
    ok = {True: "ok", False: "MISSED"}
    lines = [
        f"chaos.proxy vs direct, {args.rounds} interleaved rounds, "
        f"{args.block // 1024} KiB writes ({f['seconds']:.0f} s)",
        "",
        f"{'measure':<26}{'direct':>12}{'proxy':>12}{'ratio/added':>14}  target",
        f"{'rtt p50 (us)':<26}{f['rtt_direct_p50_us']:>12.1f}{f['rtt_proxy_p50_us']:>12.1f}"
        f"{f['rtt_added_p50_us']:>+14.1f}  <= +120 us "
        f"{ok[f['rtt_added_p50_us'] <= TARGETS['rtt_added_p50_us']]}",
        f"{'rtt p99 (us)':<26}{f['rtt_direct_p99_us']:>12.1f}{f['rtt_proxy_p99_us']:>12.1f}",
        f"{'bulk, 1 conn (MB/s)':<26}{f['bulk_direct_MBps']:>12.0f}{f['bulk_proxy_MBps']:>12.0f}"
        f"{f['bulk_ratio']:>14.2f}  >= 0.60 {ok[f['bulk_ratio'] >= TARGETS['bulk_ratio']]}",
        f"{'32 conns total (MB/s)':<26}{f['conc_direct_MBps']:>12.0f}"
        f"{f['conc_proxy_MBps']:>12.0f}{f['conc_ratio']:>14.2f}",
        f"{'proxy CPU s per GB':<26}{'':>12}{f['bulk_proxy_cpu_s_per_GB']:>12.2f}",
        f"{'bulk, CPU-bound capacity':<26}{'':>24}{f['bulk_capacity_ratio']:>14.2f}"
        "  (all CPU per GB, direct / proxied)",
        "",
    ]
    for ms, error in latency_errors(f).items():
        measured = f["latency"][f"{ms}ms_p50_ms"]
        lines.append(
            f"latency toxic {ms:>3} ms: p50 round trip {measured:7.2f} ms, "
            f"error {error:6.1%}  (<= 5% {ok[error <= TARGETS['latency_error']]})"
        )
    print("\n".join(lines))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"settings": vars(args) | {"json": str(args.json)}, **f}, indent=2)
    )


if __name__ == "__main__":
    sys.exit(main())
