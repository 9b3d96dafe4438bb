"""``harness pacts``: the contract folder and the Pact Broker.

- ``publish``: the folder's pacts, then the verification records that verified those
  exact pacts, to the broker (``--broker``, ``PACT_BROKER_BASE_URL`` or the target's
  ``pact_broker``), under the git commit and branch unless told otherwise.
- ``record-deployment``: tell the broker a version is now deployed to an environment,
  so can-i-deploy checks the next change against it.

Exit codes: 0 done, 1 the broker refused or could not be reached, or bad configuration
(the message says which and how to fix it), 2 wrong arguments.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from harness.broker.config import URL_VAR
from harness.broker.deploy import record_deployment
from harness.broker.publish import Published
from harness.broker.sync import PactSync, open_sync
from harness.errors import ConfigError
from harness.target import load_target

DEFAULT_PACTS = Path("contracts") / "pacts"
SHOWN_NOTICES = ("info", "warning", "error", "danger", "success", "prompt")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "pacts",
        help="publish pacts and verification results to a Pact Broker, record deployments",
        description="The contract folder and the Pact Broker.",
    )
    commands = parser.add_subparsers(dest="pacts_command", metavar="COMMAND", required=True)
    publish = commands.add_parser(
        "publish",
        help="publish the pacts and their verification records",
        description="Publish the folder's pacts, then every verification record that "
        "verified those exact pacts (stale records are skipped and named).",
    )
    _add_broker_options(publish)
    publish.add_argument("--pacts", type=Path, metavar="DIR", help=f"default: {DEFAULT_PACTS}")
    publish.add_argument("--tag", action="append", default=[], metavar="TAG", help="repeatable")
    publish.add_argument(
        "--no-results", action="store_true", help="publish the pacts only, no verification results"
    )
    publish.set_defaults(func=run_publish)
    deployed = commands.add_parser(
        "record-deployment",
        help="record that a version of a pacticipant is deployed to an environment",
    )
    _add_broker_options(deployed)
    deployed.add_argument("--pacticipant", required=True, metavar="NAME")
    deployed.add_argument("--environment", required=True, metavar="NAME")
    deployed.add_argument("--application-instance", metavar="NAME")
    deployed.set_defaults(func=run_record_deployment)


def _add_broker_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--broker", metavar="URL", help=f"the Pact Broker (default: ${URL_VAR})")
    parser.add_argument("--target", type=Path, metavar="FILE", help="a target file (pact_broker)")
    parser.add_argument("--version", metavar="V", help="default: the git commit")
    parser.add_argument("--branch", metavar="B", help="default: the git branch")


def run_publish(args: argparse.Namespace) -> int:
    target = load_target(args.target) if args.target else None
    folder = args.pacts or (target.contracts.pacts if target else DEFAULT_PACTS)
    if not folder.is_dir():
        raise ConfigError(f"no pact folder at {folder}: pass --pacts DIR (or --target FILE)")
    with _open(args, target_url=target.pact_broker if target else None, cwd=folder) as sync:
        print(f"Pact Broker {sync.client.config.base_url}: {_build_line(sync)}")
        for published in sync.publish_folder(folder):
            _show(published, what=f"{len(published.resources)} pact(s)")
        if not args.no_results:
            done, stale = sync.publish_records(folder)
            for published in done:
                _show(published, what="verification result")
            for path in stale:
                print(f"skipped {path}: it verified other bytes than the pact in {folder}")
    return 0


def run_record_deployment(args: argparse.Namespace) -> int:
    target = load_target(args.target) if args.target else None
    with _open(args, target_url=target.pact_broker if target else None, cwd=Path.cwd()) as sync:
        href = record_deployment(
            sync.client,
            pacticipant=args.pacticipant,
            version=sync.build.version,
            environment=args.environment,
            application_instance=args.application_instance,
        )
    print(f"recorded {args.pacticipant} {sync.build.version} in {args.environment}: {href}")
    return 0


def _open(args: argparse.Namespace, *, target_url: str | None, cwd: Path) -> PactSync:
    sync = open_sync(
        target_url=target_url,
        env=os.environ,
        cwd=cwd,
        flag=args.broker,
        version=args.version,
        branch=args.branch,
        tags=tuple(getattr(args, "tag", ())),
    )
    if sync is None:
        raise ConfigError(
            f"no Pact Broker configured: pass --broker URL, set {URL_VAR}, "
            "or give a target file with pact_broker"
        )
    return sync


def _build_line(sync: PactSync) -> str:
    build = sync.build
    parts = [f"version {build.version}"]
    parts += [f"branch {build.branch}"] if build.branch else []
    parts += [f"tags {', '.join(build.tags)}"] if build.tags else []
    return ", ".join(parts) + f" ({sync.client.config.auth_kind})"


def _show(published: Published, *, what: str) -> None:
    print(f"published {what} of {published.pacticipant} {published.version}")
    for kind, text in published.notices:
        if kind in SHOWN_NOTICES:
            print(f"  {kind}: {text}")
