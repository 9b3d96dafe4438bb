"""``harness migrate``: per-service schema migrations (check, revision, upgrade, downgrade)."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import tempfile
from pathlib import Path

from harness.errors import ConfigError, DatabaseError
from harness.stack.database import (
    DEFAULT_POSTGRES_URL,
)
from harness.target import PROJECT_ROOT

ACCEPTED = PROJECT_ROOT / "reference_services" / "migrations-accepted.yaml"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("migrate", help="per-service schema migrations (Alembic)")
    commands = parser.add_subparsers(dest="migrate_command", metavar="ACTION", required=True)
    check = commands.add_parser(
        "check",
        help="models match their migration head; every history upgrades and downgrades "
        "cleanly, with data, on SQLite and PostgreSQL; destructive operations flagged",
    )
    check.add_argument("services", nargs="*", metavar="SERVICE")
    check.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, metavar="URL")
    check.add_argument("--no-postgres", action="store_true", help="SQLite only")
    check.add_argument(
        "--accepted",
        type=Path,
        default=ACCEPTED,
        metavar="FILE",
        help="justified, accepted findings (rule, service, where, reason, expires)",
    )
    check.set_defaults(func=run_check)
    revision = commands.add_parser("revision", help="write a migration from the model change")
    revision.add_argument("service")
    revision.add_argument("-m", "--message", required=True)
    revision.set_defaults(func=run_revision)
    for name, helptext in (
        ("upgrade", "to a revision (default head)"),
        ("downgrade", "to a revision (default base)"),
    ):
        sub = commands.add_parser(name, help=f"migrate a database {helptext}")
        sub.add_argument("service")
        sub.add_argument(
            "--database-url",
            required=True,
            metavar="URL",
            help="sqlite+aiosqlite:///path.db or postgresql+asyncpg://...",
        )
        sub.add_argument("--revision", default="head" if name == "upgrade" else "base")
        sub.set_defaults(func=run_move, direction=name)


def run_check(args: argparse.Namespace) -> int:
    from harness.migrate.check import (
        check_database,
        check_postgres,
        script_findings,
        sqlite_url,
    )
    from harness.migrate.findings import apply_ignores, load_ignores
    from harness.migrate.revisions import check_service, migrated_services

    services = args.services or list(migrated_services())
    for service in services:
        check_service(service)
    findings = [f for s in services for f in script_findings(s)]
    with tempfile.TemporaryDirectory() as scratch:
        for service in services:
            findings += asyncio.run(
                check_database(service, sqlite_url(Path(scratch), service), "SQLite")
            )
    if args.no_postgres:
        print("PostgreSQL: skipped (--no-postgres)")
    else:
        try:
            findings += check_postgres(args.postgres_url, services)
        except DatabaseError as exc:
            print(f"PostgreSQL: skipped, {exc}")
    open_findings, accepted = apply_ignores(findings, load_ignores(args.accepted), dt.date.today())
    for finding in open_findings:
        print(finding.line())
    for finding in accepted:
        print(f"accepted {finding.line()}")
    breaking = [f for f in open_findings if f.severity == "breaking"]
    print(
        f"{len(services)} services checked: {len(breaking)} breaking, "
        f"{len(open_findings) - len(breaking)} other, {len(accepted)} accepted"
    )
    return 1 if breaking else 0


def run_revision(args: argparse.Namespace) -> int:
    from harness.migrate.revisions import write_revision

    written = write_revision(args.service, args.message)
    print(
        f"wrote {written}"
        if written
        else f"{args.service}: tables match the head; nothing to write"
    )
    return 0


def run_move(args: argparse.Namespace) -> int:
    from sqlalchemy.ext.asyncio import create_async_engine

    from harness.migrate.revisions import check_service
    from reference_services.kit.migrations import downgrade, migrations_dir, upgrade

    check_service(args.service)
    if "+" not in args.database_url.split("://", 1)[0]:
        raise ConfigError(
            "--database-url needs an async driver: sqlite+aiosqlite:// or postgresql+asyncpg://"
        )
    move = upgrade if args.direction == "upgrade" else downgrade

    async def go() -> None:
        engine = create_async_engine(args.database_url)
        try:
            async with engine.begin() as conn:
                await move(conn, migrations_dir(args.service), args.revision)
        finally:
            await engine.dispose()

    asyncio.run(go())
    print(f"{args.service}: {args.direction}d to {args.revision}")
    return 0
