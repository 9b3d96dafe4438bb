"""Compare HTTP targets against a baseline in one run: interleaved rounds, medians, ratios.

Each target already has a server running. A warm-up round (discarded) and then
``rounds`` rounds run every target in turn (A, B, C, A, B, C, ...), each run being
``bench/loadgen.py`` in its own process, so slow drift and noisy neighbours hit every
target alike. Before every run an optional ``settle`` callable waits for the machine to
go quiet (work a previous target left behind must not slow the next one). Any response
that is not 2xx, or any lost request, stops the comparison with
:class:`NonSuccessResponses`: a benchmark of error pages measures nothing.

The table shows per-target medians, rps ratio to the baseline (median of per-round
ratios), and the CPU per request of the generator and, when ``server_pids`` are given,
of the processes that serve the target, so a reader sees which side was the bottleneck.

Defaults (warm-up 2 s + 7 rounds x 2 s, 16 connections) take about 75 s for 4 targets::

    report = compare(
        [
            Target("bare", f"http://127.0.0.1:{bare_port}/products/p-1", server_pids=(bare.pid,)),
            Target("products", f"{products_url}/products/{pid}", server_pids=(products.pid,)),
            Target("orders", f"{orders_url}/orders", method="POST", body=order_json,
                   headers={"Authorization": token, "Idempotency-Key": "{{uuid}}"}),
        ],
        baseline="bare",
    )
    write_report(report, "reports/bench/http.json")
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import resource
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

if __package__ in (None, ""):  # imported from a script run as `python bench/x.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.loadgen import run_subprocess
from bench.loadstats import LoadConfig, LoadResult
from bench.procs import cpu_seconds, machine_cpu
from bench.summary import Sample, bottleneck_notes, summarise, table

RUN_OVERHEAD_S = 0.3  # spawning the generator process and connecting, per run


@dataclass(frozen=True)
class Target:
    """One thing to measure: a request and, optionally, the pids of the processes that
    serve it (their CPU, children included, is read from ``/proc`` around every run).

    ``body_factory`` is ``"package.module:function"`` (or such a function) called in the
    generator as ``factory(seq) -> (extra_headers, body)``; for a unique header per
    request a ``{{uuid}}`` or ``{{seq}}`` token in a header value or the body is enough.
    """

    name: str
    url: str
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None
    body_factory: str | Callable[[int], Any] | None = None
    server_pids: tuple[int, ...] = ()


class NonSuccessResponses(RuntimeError):
    """A run got a response that is not 2xx, or lost a request (timeout, reset)."""

    def __init__(self, sample: Sample) -> None:
        kinds = ", ".join(f"{k}: {v}" for k, v in sorted(sample.error_kinds.items()))
        where = f"round {sample.round}" if sample.round else "warm-up"
        super().__init__(
            f"{sample.target} ({where}): {sample.errors} of "
            f"{sample.requests + sample.errors} requests failed ({kinds}); "
            "the figures would measure error handling, so the comparison stops here"
        )
        self.sample = sample


@dataclass(frozen=True)
class Plan:
    """How long and how hard: every run is bounded by ``round_s`` and ``max_requests``."""

    rounds: int = 7
    round_s: float = 2.0
    warmup_s: float = 2.0
    concurrency: int = 16
    max_requests: int = 1_000_000
    timeout_s: float = 10.0

    def validate(self) -> None:
        if self.rounds < 1 or self.round_s <= 0 or self.warmup_s < 0:
            raise ValueError(f"a plan needs rounds >= 1, round_s > 0, warmup_s >= 0: {self}")
        LoadConfig(url="http://127.0.0.1/", **self.load_fields()).validate()

    def load_fields(self) -> dict[str, Any]:
        """The :class:`LoadConfig` fields every run of this plan shares."""
        return {
            "concurrency": self.concurrency,
            "duration_s": self.round_s,
            "max_requests": self.max_requests,
            "timeout_s": self.timeout_s,
        }

    def estimate_s(self, targets: int) -> float:
        runs = targets * (self.rounds + (1 if self.warmup_s else 0))
        return targets * (self.rounds * self.round_s + self.warmup_s) + runs * RUN_OVERHEAD_S


def compare(
    targets: Sequence[Target],
    *,
    baseline: str | None = None,
    plan: Plan | None = None,
    out: TextIO | None = sys.stdout,
    settle: Callable[[], float] | None = None,
) -> dict[str, Any]:
    """Run the interleaved comparison, print progress and the table to ``out``, return figures.

    ``baseline`` defaults to the first target; ``settle`` runs before every run and
    returns the seconds it waited. Raises :class:`NonSuccessResponses` at the first run
    with a failed request. The returned dict is JSON-ready
    (see :func:`write_report`): ``plan``, ``baseline``, ``machine``, ``table`` and, per
    target, ``median``, ``ratio``, ``rps_mad_pct``, ``rps_range_pct``, ``errors`` and
    ``rounds`` (every round's sample).
    """
    plan = plan or Plan()
    plan.validate()
    base = baseline or (targets[0].name if targets else "")
    configs = {t.name: load_config(t, plan) for t in _checked(targets, base)}
    say = _printer(out)
    say(f"{len(targets)} targets, baseline {base}, ~{plan.estimate_s(len(targets)):.0f}s")
    if plan.warmup_s:
        for t in targets:
            _measure(t, _with_duration(configs[t.name], plan.warmup_s), 0, settle)
        say("warm-up round done (discarded)")
    samples: dict[str, list[Sample]] = {t.name: [] for t in targets}
    for round_no in range(1, plan.rounds + 1):
        for t in targets:
            sample = _measure(t, configs[t.name], round_no, settle)
            samples[t.name].append(sample)
            say(_progress(sample, plan.rounds))
    summary = summarise(samples, base)
    text = table(summary)
    say("\n" + text + "\n" + _legend(base, plan))
    for note in bottleneck_notes(summary):
        say(note)
    return _report(targets, base, plan, summary, samples, text)


def write_report(report: Mapping[str, Any], path: str | Path) -> Path:
    """Write ``report`` as JSON (e.g. under ``reports/bench/``), creating folders."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_finite(report), indent=2, default=str, allow_nan=False)
    target.write_text(text + "\n")
    return target


def _checked(targets: Sequence[Target], baseline: str) -> Sequence[Target]:
    names = [t.name for t in targets]
    if not targets or len(set(names)) != len(names):
        raise ValueError(f"targets need unique names, got {names}")
    if baseline not in names:
        raise ValueError(f"baseline {baseline!r} is not one of the targets {names}")
    return targets


def load_config(target: Target, plan: Plan) -> LoadConfig:
    """The generator's settings for one run of ``target`` under ``plan``."""
    return LoadConfig(
        url=target.url,
        method=target.method,
        headers=dict(target.headers),
        body=target.body,
        factory=_factory_path(target.body_factory),
        **plan.load_fields(),
    )


def _factory_path(factory: str | Callable[[int], Any] | None) -> str | None:
    if factory is None or isinstance(factory, str):
        return factory
    module, name = getattr(factory, "__module__", ""), getattr(factory, "__qualname__", "")
    if module == "__main__" or "<" in name:
        raise ValueError(
            f"body_factory {name!r} runs in the generator process, so it must be importable: "
            "define it at module level outside the script (e.g. bench/factories.py)"
        )
    return f"{module}:{name}"


def _with_duration(config: LoadConfig, seconds: float) -> LoadConfig:
    return replace(config, duration_s=seconds)


def _measure(
    target: Target, config: LoadConfig, round_no: int, settle: Callable[[], float] | None
) -> Sample:
    """One run; raise :class:`NonSuccessResponses` if any request failed."""
    settled = settle() if settle else 0.0
    pids = target.server_pids
    server0, ours0, machine0 = cpu_seconds(*pids), _our_cpu(), machine_cpu()
    wall0 = time.perf_counter()
    result = run_subprocess(config)
    wall = time.perf_counter() - wall0
    machine, ours = machine_cpu() - machine0, _our_cpu() - ours0
    server_cpu = cpu_seconds(*pids) - server0 if pids else math.nan
    # What neither the servers nor we (this process and the generator, start-up included)
    # used: other tenants of the machine. Without server pids it includes the servers.
    others = machine.busy_s - ours - (server_cpu if pids else 0.0)
    sample = _sample(
        target.name, round_no, result, server_cpu, others / wall, machine.steal_s / wall
    )
    sample = replace(sample, settle_s=settled)
    if sample.errors:
        raise NonSuccessResponses(sample)
    return sample


def _our_cpu() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _sample(
    name: str,
    round_no: int,
    result: LoadResult,
    server_cpu: float,
    others: float,
    steal: float,
) -> Sample:
    lat, handled = result.latency_ms, max(1, result.responses)
    return Sample(
        target=name,
        round=round_no,
        rps=result.rps,
        p50_ms=lat.p50,
        p90_ms=lat.p90,
        p99_ms=lat.p99,
        max_ms=lat.max,
        requests=result.requests,
        errors=result.error_count,
        elapsed_s=result.elapsed_s,
        gen_cpu_us=result.cpu_us_per_request,
        gen_cpu_share=result.cpu_utilisation,
        srv_cpu_us=server_cpu / handled * 1e6,
        srv_cpu_share=server_cpu / result.elapsed_s if result.elapsed_s else math.nan,
        others_cpus=max(0.0, others),
        steal_cpus=steal,
        error_kinds=dict(result.errors),
    )


def _progress(s: Sample, rounds: int) -> str:
    line = (
        f"round {s.round}/{rounds} {s.target:<16} {s.rps:8.0f} rps  p50 {_ms(s.p50_ms)}"
        f"  p99 {_ms(s.p99_ms)}  gen {_pct(s.gen_cpu_share)}  srv {_pct(s.srv_cpu_share)}"
        f"  others {s.others_cpus:4.2f} cpus  steal {s.steal_cpus:4.2f}"
    )
    return line + (f"  (waited {s.settle_s:.1f}s for quiet)" if s.settle_s >= 1 else "")


def _ms(value: float) -> str:
    return "     - ms" if math.isnan(value) else f"{value:6.2f} ms"


def _pct(value: float) -> str:
    return "   -" if math.isnan(value) else f"{value:4.0%}"


def _legend(baseline: str, plan: Plan) -> str:
    return (
        f"medians of {plan.rounds} interleaved rounds x {plan.round_s:g}s, "
        f"{plan.concurrency} connections; ±rps% = median absolute deviation / median; "
        f"rps/base = median of per-round rps ratios to {baseline}; "
        f"cap/base = the same for 1 / server CPU per request; "
        "gen/srv cpu = share of one core used by the generator/the target's server processes; "
        "others = CPUs busy with other processes on this machine during the run"
    )


def _report(
    targets: Sequence[Target],
    base: str,
    plan: Plan,
    summary: Mapping[str, Mapping[str, Any]],
    samples: Mapping[str, Sequence[Sample]],
    text: str,
) -> dict[str, Any]:
    return {
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "plan": asdict(plan),
        "baseline": base,
        "machine": {"cpus": os.cpu_count(), "loadavg": os.getloadavg()},
        "table": text,
        "targets": {
            t.name: {
                "method": t.method,
                "url": t.url,
                **summary[t.name],
                "rounds": [asdict(s) for s in samples[t.name]],
            }
            for t in targets
        },
    }


def _printer(out: TextIO | None) -> Callable[[str], None]:
    def say(line: str) -> None:
        if out is not None:
            print(line, file=out, flush=True)

    return say


def _finite(value: Any) -> Any:
    """NaN (no server pid, no successful response) becomes null so the JSON stays strict."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Mapping):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
