"""``python -m harness.compose [--check]``: write the compose files, or check they are current."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness.compose.files import stale, write
from harness.errors import HarnessError
from harness.target import PROJECT_ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m harness.compose",
        description="Generate docker-compose.yml, the compose target files, the Toxiproxy "
        "links file, the PostgreSQL init script and .env.example from the stack registry.",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file is stale"
    )
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if args.check:
            return _check(args.root)
        for outcome in write(args.root):
            sys.stdout.write(f"{'wrote' if outcome.changed else 'unchanged':<10} {outcome.path}\n")
    except HarnessError as exc:
        sys.stderr.write(f"harness.compose: error: {exc}\n")
        return 1
    return 0


def _check(root: Path) -> int:
    paths = stale(root)
    for path in paths:
        sys.stderr.write(f"stale: {path}\n")
    if paths:
        sys.stderr.write("run `python -m harness.compose` and commit the result\n")
        return 1
    sys.stdout.write("compose files are current\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
