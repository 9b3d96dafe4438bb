"""``harness gate``: one compatibility verdict for a change to the contracts.

Exit codes: 0 compatible, 1 breaking changes, 2 unusable input (a contract that does not
parse or is not valid OpenAPI 3.0/3.1 or AsyncAPI 2.6/3.0, a missing git ref, a bad
ignore file...); the message names the file, the line or JSON pointer, and how to fix it.
With ``--can-i-deploy`` the Pact Broker's answer counts too: any answer but "yes" is 1,
a broker that cannot be asked (none configured, unreachable, refusing) is 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
from pathlib import Path

from harness.broker.config import URL_VAR, resolve_broker
from harness.broker.errors import BrokerError
from harness.broker.versions import current_build
from harness.contracts.errors import ContractError
from harness.errors import ConfigError, FeatureUnavailableError
from harness.gate.deploy import DeployQuery, ask, pacticipants_of
from harness.gate.errors import GateInputError
from harness.gate.ignores import load_ignores
from harness.gate.reporters import FORMATS, ReportOptions
from harness.gate.rules import RULES
from harness.gate.runner import GateOptions, compare_folders
from harness.gate.sources import (
    Side,
    default_base,
    folder_side,
    ref_side,
    repo_root,
    temporary_folder,
)
from harness.gate.verdict import POLICIES, Verdict

IGNORE_FILE = "gate-ignore.yaml"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "gate",
        help="judge a contract change: OpenAPI, AsyncAPI and consumer pacts (exit 1 if breaking)",
        description="One compatibility verdict for a change to the contracts: OpenAPI, "
        "AsyncAPI and consumer pacts. Exit 0 compatible, 1 breaking, 2 unusable input.",
    )
    parser.add_argument(
        "--base",
        metavar="REF|DIR",
        help="git ref or contracts folder to compare with (default: merge base with main)",
    )
    parser.add_argument(
        "--head", metavar="REF|DIR", help="git ref or contracts folder (default: the working tree)"
    )
    parser.add_argument(
        "--contracts",
        default="contracts",
        metavar="PATH",
        help="the contracts folder inside the repository (default: contracts)",
    )
    parser.add_argument(
        "--main-branch", metavar="NAME", help="branch for the default base (default: main/master)"
    )
    parser.add_argument(
        "--policy",
        choices=POLICIES,
        default="strict",
        help="strict: every breaking change fails; consumers: only those a pact's consumer uses",
    )
    parser.add_argument("--format", choices=sorted(FORMATS), default="text", help="stdout format")
    parser.add_argument(
        "--report",
        action="append",
        default=[],
        metavar="FORMAT:FILE",
        type=_report,
        help="also write a report (repeatable), e.g. --report markdown:gate.md",
    )
    parser.add_argument(
        "--ignore-file",
        type=Path,
        metavar="FILE",
        help=f"accepted breaking changes (default: {IGNORE_FILE} in the head contracts)",
    )
    parser.add_argument(
        "--show-info", action="store_true", help="list compatible changes too (always counted)"
    )
    parser.add_argument("--list-rules", action="store_true", help="print every rule and exit")
    _add_deploy_options(parser)
    parser.set_defaults(func=run)


def _add_deploy_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("can-i-deploy (Pact Broker)")
    group.add_argument(
        "--can-i-deploy",
        action="store_true",
        help="also ask the Pact Broker whether each pacticipant can be deployed",
    )
    group.add_argument("--broker", metavar="URL", help=f"the Pact Broker (default: ${URL_VAR})")
    group.add_argument(
        "--pacticipant",
        action="append",
        default=[],
        metavar="NAME",
        help="repeatable (default: every consumer and provider of the head pacts)",
    )
    group.add_argument("--version", metavar="V", help="the version to deploy (default: git commit)")
    group.add_argument(
        "--to-environment",
        default="production",
        metavar="ENV",
        help="the environment to deploy to (default: production)",
    )


def _report(text: str) -> tuple[str, Path]:
    kind, sep, file = text.partition(":")
    if not sep or kind not in FORMATS or not file:
        raise argparse.ArgumentTypeError(
            f"{text!r}: use FORMAT:FILE with FORMAT one of {', '.join(sorted(FORMATS))}"
        )
    return kind, Path(file)


def run(args: argparse.Namespace) -> int:
    if args.list_rules:
        print(rules_table())
        return 0
    stray = [flag for flag, given in _deploy_flags(args) if given]
    if stray and not args.can_i_deploy:
        print(f"harness gate: {', '.join(stray)} only apply with --can-i-deploy", file=sys.stderr)
        return 2
    try:
        verdict, prefix = judge(args)
        if args.can_i_deploy:
            verdict = dataclasses.replace(verdict, deployments=ask(_deploy_query(args, verdict)))
    except (ContractError, GateInputError) as exc:
        print(f"harness gate: unusable input: {exc}", file=sys.stderr)
        return 2
    except (FeatureUnavailableError, ConfigError) as exc:
        print(f"harness gate: {exc}", file=sys.stderr)
        return 2
    except BrokerError as exc:
        print(f"harness gate: can-i-deploy: {exc}", file=sys.stderr)
        return 2
    options = ReportOptions(show_info=args.show_info, repo_prefix=prefix)
    for kind, file in args.report:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(FORMATS[kind](verdict, options), encoding="utf-8")
    sys.stdout.write(FORMATS[args.format](verdict, options))
    return verdict.exit_code


def _deploy_flags(args: argparse.Namespace) -> list[tuple[str, bool]]:
    return [
        ("--broker", bool(args.broker)),
        ("--pacticipant", bool(args.pacticipant)),
        ("--version", bool(args.version)),
        ("--to-environment", args.to_environment != "production"),
    ]


def _deploy_query(args: argparse.Namespace, verdict: Verdict) -> DeployQuery:
    broker = resolve_broker(flag=args.broker, target=None, env=os.environ)
    if broker is None:
        raise ConfigError(f"--can-i-deploy needs a Pact Broker: pass --broker URL or set {URL_VAR}")
    build = current_build(version=args.version, branch=None, env=os.environ, cwd=Path.cwd())
    return DeployQuery(
        broker=broker,
        pacticipants=tuple(args.pacticipant) or pacticipants_of(verdict.pacts),
        version=build.version,
        environment=args.to_environment,
    )


def judge(args: argparse.Namespace) -> tuple[Verdict, str]:
    """The verdict, and the head contracts folder relative to the repository."""
    repo = repo_root(Path.cwd())
    with temporary_folder() as scratch:
        head = _side(args.head, repo=repo, args=args, into=Path(scratch) / "head")
        base = _side(args.base, repo=repo, args=args, into=Path(scratch) / "base", is_base=True)
        ignores = load_ignores(args.ignore_file or head.path / IGNORE_FILE)
        options = GateOptions(policy=args.policy, ignores=tuple(ignores), today=dt.date.today())
        verdict = compare_folders(
            base.path, head.path, options, base_label=base.label, head_label=head.label
        )
    from_ref = args.head is not None and not Path(args.head).is_dir()
    return verdict, args.contracts if from_ref else _prefix(head, repo)


def _side(
    spec: str | None,
    *,
    repo: Path | None,
    args: argparse.Namespace,
    into: Path,
    is_base: bool = False,
) -> Side:
    role = "--base" if is_base else "--head"
    if spec is not None and Path(spec).is_dir():
        return folder_side(Path(spec), contracts=args.contracts)
    if spec is None and not is_base:
        return folder_side(repo or Path.cwd(), contracts=args.contracts)
    if repo is None:
        raise GateInputError(
            f"{Path.cwd()} is not inside a git repository (or git is missing), so "
            + (
                f"{role} {spec} is no folder and cannot be read as a ref"
                if spec
                else "there is no merge base to compare with"
            ),
            hint="pass --base DIR with the contracts to compare with",
        )
    ref = spec or default_base(repo, main=args.main_branch)
    side = ref_side(repo, ref, contracts=args.contracts, into=into)
    if spec is None:
        shown = args.main_branch or "main"
        return Side(side.path, f"merge base with {shown} ({side.label.split('@', 1)[1]})")
    return side


def _prefix(head: Side, repo: Path | None) -> str:
    if repo is not None and head.path.resolve().is_relative_to(repo.resolve()):
        return head.path.resolve().relative_to(repo.resolve()).as_posix()
    return ""


def rules_table() -> str:
    """Every rule: id, default severity, what it detects and whom it breaks."""
    width = max(len(rule_id) for rule_id in RULES)
    lines = [f"{'rule':<{width}}  severity  what (breaks whom)"]
    for rule in RULES.values():
        lines.append(f"{rule.id:<{width}}  {rule.severity.value:<8}  {rule.title} ({rule.breaks})")
    return "\n".join(lines)
