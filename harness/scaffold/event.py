"""``harness new event NAME --producer S --consumer S...``: a new event, contract first.

Adds the event to contracts/asyncapi/events.yaml (channel with its Kafka binding, a
dead-letter channel, the producer's and consumers' operations, headers and payload
schemas, an example), and has the gate judge that change before anything is written.
Then the skeletons: in the producer a payload builder (messages.py) and a use case that
publishes through the outbox (service.py, registered in main.py's PUBLISHES); in each
consumer a payload model and a handler registered in HANDLERS, so the kit's consumer
loop runs it idempotently. One test per side fails, naming its one-line TODO, until the
TODO is done. A service new to the bus joins the header enums of the contract and gets
the kit's Kafka wiring (``event_code``).

Everything is computed first (``plan_event``) and written only when all of it is good.
"""

from __future__ import annotations

import difflib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from harness.contracts import build_index, example_records, spec_problems, validate_record
from harness.errors import ConfigError
from harness.scaffold.event_code import TOPOLOGY, code_files
from harness.scaffold.event_contract import EventSpec, additions, clashes, widened_enums
from harness.scaffold.event_names import EventNames, name_problem
from harness.scaffold.tidy import tidy
from harness.scaffold.yamltext import add_entries, extend_lists

CONTRACT = Path("contracts") / "asyncapi" / "events.yaml"


@dataclass(frozen=True)
class EventPlan:
    root: Path
    spec: EventSpec
    files: dict[Path, str]  # every file to write, by path, with its whole new text
    verdict: str  # the gate's one-line verdict on the contract change

    @property
    def tests(self) -> list[Path]:
        return sorted(p for p in self.files if p.name.startswith("test_"))

    @property
    def registry_changed(self) -> bool:
        """A service joined the bus: docker-compose must be generated again."""
        return self.root / TOPOLOGY in self.files


def plan_event(
    root: Path, name: str, *, producer: str, consumers: list[str], services: list[str]
) -> EventPlan:
    """Check everything and compute every file; nothing is written yet."""
    problem = name_problem(name)
    if problem:
        raise ConfigError(problem)
    consumers = list(dict.fromkeys(consumers))
    for flag, service in [("--producer", producer), *(("--consumer", c) for c in consumers)]:
        _check_known(flag, service, services)
    if producer in consumers:
        raise ConfigError(
            f"{producer} is the producer of {name} and is listed as a consumer too: a service "
            "does not consume its own event; drop it from --consumer"
        )
    spec = EventSpec(EventNames(name), producer, tuple(consumers))
    contract = root / CONTRACT
    if not contract.is_file():
        raise ConfigError(f"{contract} is missing: the events contract comes first")
    text = contract.read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    _check_new(spec, document)
    widened = extend_lists(text, widened_enums(spec, document))
    new_text = add_entries(widened, additions(spec, document))
    _check_contract(spec, yaml.safe_load(new_text), source=contract)
    files = {contract: new_text, **code_files(root, spec)}
    return EventPlan(root, spec, files, judge(root, new_text))


def _check_known(flag: str, service: str, services: list[str]) -> None:
    if service in services:
        return
    near = difflib.get_close_matches(service, services, n=1)
    hint = f" (did you mean {near[0]}?)" if near else ""
    raise ConfigError(
        f"{flag} {service!r}: unknown service{hint}; the services are {', '.join(services)}"
    )


def _check_new(spec: EventSpec, document: dict[str, Any]) -> None:
    topics = {
        (c.get("bindings") or {}).get("kafka", {}).get("topic") or c.get("address")
        for c in (document.get("channels") or {}).values()
    }
    taken = clashes(spec, document)
    if spec.event in topics or spec.names.dlq in topics or taken:
        shown = ", ".join(taken[:2]) + (f" and {len(taken) - 2} more" if len(taken) > 2 else "")
        where = f" ({shown})" if taken else ""
        raise ConfigError(
            f"event {spec.event!r} exists already in {CONTRACT}{where}; pick another name"
        )


def _check_contract(spec: EventSpec, document: dict[str, Any], *, source: Path) -> None:
    """The new document must be valid AsyncAPI 3 and its new examples valid records."""
    problems = [str(p) for p in spec_problems(document)]
    index = build_index(document, source=source, check_spec=False)
    for topic in (spec.event, spec.names.dlq):
        for record in example_records(index, topic=topic):
            found = validate_record(index, record.topic, record.key, record.value, record.headers)
            problems += [str(v) for v in found]
    if problems:
        raise ConfigError(f"the scaffold made an invalid {CONTRACT}: {'; '.join(problems)}")


def judge(root: Path, new_text: str) -> str:
    """Run the gate on the contract change, refusing a breaking one."""
    from harness.gate.ignores import load_ignores
    from harness.gate.runner import GateOptions, compare_folders

    base = root / "contracts"
    with tempfile.TemporaryDirectory(prefix="harness-new-event-") as scratch:
        head = Path(scratch) / "contracts"
        shutil.copytree(base, head)
        (head / "asyncapi" / "events.yaml").write_text(new_text, encoding="utf-8")
        options = GateOptions(ignores=tuple(load_ignores(head / "gate-ignore.yaml")))
        verdict = compare_folders(base, head, options, base_label="before", head_label="after")
    if verdict.exit_code != 0:
        failing = "; ".join(f"{f.rule}: {f.message}" for f in verdict.failing)
        raise ConfigError(f"the gate calls this contract change breaking: {failing}")
    return verdict.summary()


def write_event(plan: EventPlan) -> list[Path]:
    for path, text in plan.files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    written = sorted(plan.files)
    tidy(written)
    return written
