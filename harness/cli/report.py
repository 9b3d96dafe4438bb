"""``harness report``: regenerate the HTML report from the Allure results; ``--open``
serves it on localhost."""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.report.finish import regenerate_report
from harness.report.html import ReportFiles
from harness.report.serve import make_server, url_of
from harness.run.runner import ReportPaths


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "report",
        help="regenerate the HTML report from the Allure results; --open serves it",
        description="Regenerate reports/allure-report from reports/allure-results with the "
        "Allure 3 command line (installed by `npm ci`), with the environment, defect "
        "categories and history of earlier runs; also merge the suites' JUnit XML into "
        "reports/junit.xml. With --open, serve the report on 127.0.0.1 until Ctrl-C "
        "(regenerated first only when it is missing or older than the results).",
        epilog="Exit code: 0 when the report was made (or served until Ctrl-C), 1 when "
        "Node.js or the Allure command line is missing or generation failed.",
    )
    parser.add_argument(
        "--reports", type=Path, default=Path("reports"), metavar="DIR", help="(default: reports)"
    )
    parser.add_argument("--open", action="store_true", help="serve the report on 127.0.0.1")
    parser.add_argument(
        "--port", type=_port, default=0, metavar="N", help="port for --open (default: a free one)"
    )
    parser.set_defaults(func=run)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0..65535; 0: a free one)")
    return int(text)


def run(args: argparse.Namespace) -> int:
    paths = ReportPaths(args.reports)
    if not args.open or _stale(paths):
        regenerate_report(paths, say=print)
    if args.open:
        serve(paths, port=args.port)
    return 0


def serve(paths: ReportPaths, *, port: int) -> None:
    server = make_server(paths.html, port=port)
    print(f"serving {paths.html} at {url_of(server)} (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped serving the report")
    finally:
        server.server_close()


def _stale(paths: ReportPaths) -> bool:
    index = ReportFiles(paths).index
    if not index.exists():
        return True
    newest = max((p.stat().st_mtime for p in paths.results.glob("*")), default=0.0)
    return newest > index.stat().st_mtime
