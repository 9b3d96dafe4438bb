"""Throughput benchmark tools: a cheap closed-loop load generator and an orchestrator.

Modules: ``wire`` (request bytes, response parser), ``loadgen`` (the generator, also a
CLI run as its own process), ``procs`` (server processes, ports, CPU counters),
``http_targets`` (interleaved rounds, medians, ratios), ``bare_app`` (the baseline
FastAPI app) and ``bench_bare`` (an end-to-end demo: bare app against itself).
"""
