"""The code side of a new event: publisher and handler skeletons and their tests.

Each function returns whole new file texts by path; nothing is written here. A service
that has not been on the bus yet gets what the kit needs for it: a ``service.py`` or
``consumer.py`` when missing, ``produces=``/``consumes=`` in its ``ServiceDefinition``,
and Kafka in its registry entry (harness/stack/topology.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from string import Template

from harness.errors import ConfigError
from harness.scaffold import pyedit
from harness.scaffold.event_contract import ORDER_ID, EventSpec

TEMPLATES = Path(__file__).resolve().parent / "templates" / "event"
TESTS = Path("tests") / "integration" / "services"
TOPOLOGY = Path("harness") / "stack" / "topology.py"
PUBLISHER_IMPORTS = ("from reference_services.kit.runtime import UnitOfWork",)
HANDLER_IMPORTS = (
    "from pydantic import BaseModel, ConfigDict",
    "from reference_services.kit.events import IncomingEvent",
    "from reference_services.kit.runtime import UnitOfWork",
)


def render(template: str, **fields: str) -> str:
    return Template((TEMPLATES / template).read_text()).substitute(fields)


def template_fields(spec: EventSpec, service: str) -> dict[str, str]:
    n = spec.names
    return {
        "event": spec.event,
        "Pascal": n.pascal,
        "snake": n.snake,
        "builder": n.builder,
        "publisher": n.publisher,
        "handler": n.handler,
        "payload_schema": n.payload_schema,
        "producer": spec.producer,
        "consumer": service,
        "Settings": f"{service.capitalize()}Settings",
        "order_id": ORDER_ID,
    }


class Sources:
    """A service's modules as they will be: read once, edited in memory."""

    def __init__(self, root: Path, service: str) -> None:
        self.root, self.service = root, service
        self.package = root / "reference_services" / service
        for module in ("main.py", "config.py"):
            if not (self.package / module).is_file():
                raise ConfigError(
                    f"{service} has no {module}; this command extends services built on "
                    "the kit (harness new service makes one)"
                )

    def text(self, module: str, *, template: str, **fields: str) -> str:
        path = self.package / module
        return path.read_text(encoding="utf-8") if path.is_file() else render(template, **fields)

    def refuse_taken(self, module: str, text: str, *names: str) -> None:
        taken = sorted(pyedit.top_level_names(text) & set(names))
        if taken:
            raise ConfigError(
                f"reference_services/{self.service}/{module} already defines "
                f"{', '.join(taken)}; pick another event name"
            )


def producer_files(root: Path, spec: EventSpec, main: str) -> dict[Path, str]:
    """Builder, publisher and test of the producer; ``main`` is its main.py so far."""
    service, n, fields = spec.producer, spec.names, template_fields(spec, spec.producer)
    sources = Sources(root, service)
    messages = sources.text("messages.py", template="messages.py.tmpl", **fields)
    uses = sources.text("service.py", template="service.py.tmpl", **fields)
    sources.refuse_taken("messages.py", messages, n.builder)
    sources.refuse_taken("service.py", uses, n.publisher)
    messages = pyedit.append(
        pyedit.add_imports(messages, ["from typing import Any"]),
        render("builder.py.tmpl", **fields),
    )
    imports = [f"from reference_services.{service} import messages", *PUBLISHER_IMPORTS]
    uses = pyedit.append(pyedit.add_imports(uses, imports), render("publisher.py.tmpl", **fields))
    test = root / TESTS / f"test_{service}_publishes_{n.snake}.py"
    return {
        sources.package / "messages.py": messages,
        sources.package / "service.py": uses,
        sources.package / "main.py": publishes(main, spec.event),
        test: render("test_publisher.py.tmpl", **fields),
    }


def publishes(main: str, event: str) -> str:
    """main.py's PUBLISHES gains the event (created, and passed on, when missing)."""
    if "PUBLISHES" in pyedit.top_level_names(main):
        return pyedit.add_to_tuple(main, "PUBLISHES", f'"{event}"')
    if "produces=" in main:
        raise ConfigError("main.py passes produces= without a PUBLISHES tuple; add it by hand")
    main = pyedit.insert_before_first_def(main, f'PUBLISHES = ("{event}",)\n')
    return pyedit.add_keyword(main, "ServiceDefinition", "produces", "PUBLISHES")


def consumes(main: str, service: str) -> str:
    """main.py passes the consumer's HANDLERS to the kit (once)."""
    if "consumes=HANDLERS" in main:
        return main
    if "consumes=" in main:
        raise ConfigError("main.py passes consumes= but not HANDLERS; add the handler by hand")
    main = pyedit.add_imports(main, [f"from reference_services.{service}.consumer import HANDLERS"])
    return pyedit.add_keyword(main, "ServiceDefinition", "consumes", "HANDLERS")


def consumer_files(root: Path, spec: EventSpec, service: str, main: str) -> dict[Path, str]:
    """Payload model, registered handler and test of one consumer."""
    n, fields = spec.names, template_fields(spec, service)
    sources = Sources(root, service)
    text = sources.text("consumer.py", template="consumer.py.tmpl", **fields)
    sources.refuse_taken("consumer.py", text, n.pascal, n.handler)
    handler = render("handler.py.tmpl", **fields)
    text = pyedit.add_imports(text, HANDLER_IMPORTS)
    text = pyedit.insert_before_assignment(text, "HANDLERS", handler)
    test = root / TESTS / f"test_{service}_consumes_{n.snake}.py"
    files = {
        sources.package / "consumer.py": pyedit.add_to_dict(
            text, "HANDLERS", f'"{spec.event}"', n.handler
        ),
        test: render("test_consumer.py.tmpl", **fields),
    }
    wired = consumes(main, service)
    return files if wired == main else {**files, sources.package / "main.py": wired}


def code_files(root: Path, spec: EventSpec) -> dict[Path, str]:
    """Every code and test file of the event; main.py edits build on each other."""
    files: dict[Path, str] = {}

    def main_of(service: str) -> str:
        path = root / "reference_services" / service / "main.py"
        return files.get(path) or path.read_text(encoding="utf-8")

    Sources(root, spec.producer)  # checks main.py and config.py first
    files.update(producer_files(root, spec, main_of(spec.producer)))
    for service in spec.consumers:
        Sources(root, service)
        files.update(consumer_files(root, spec, service, main_of(service)))
    probe = root / TESTS / "bus_probe.py"
    if not probe.exists():
        files[probe] = render("bus_probe.py.tmpl")
    topology = kafka_on(root, [spec.producer, *spec.consumers])
    return {**files, **topology}


def kafka_on(root: Path, services: Iterable[str]) -> dict[Path, str]:
    """Registry entries that say ``uses_kafka=False`` lose it (the stack then gives the
    service a broker address, and docker-compose a Kafka dependency); the app test that
    ``harness new service`` wrote gets the test broker, as readiness now needs one."""
    path = root / TOPOLOGY
    if not path.is_file():
        return {}
    text = original = path.read_text(encoding="utf-8")
    files: dict[Path, str] = {}
    for service in services:
        entry = re.compile(rf'(ServiceSpec\("{re.escape(service)}", \d+), uses_kafka=False\)')
        text, flipped = entry.subn(r"\1)", text)
        if flipped:
            files.update(_app_test_with_broker(root, service))
    return {**files, path: text} if text != original else files


def _app_test_with_broker(root: Path, service: str) -> dict[Path, str]:
    path = root / TESTS / f"test_{service}_app.py"
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8")
    edited = text.replace(
        "_items(tmp_path: Path) -> None:", "_items(kafka_broker: str, tmp_path: Path) -> None:"
    ).replace(
        "Settings(test_mode=True, data_dir=tmp_path))",
        "Settings(test_mode=True, data_dir=tmp_path, kafka_bootstrap=kafka_broker))",
    )
    return {path: edited} if edited != text else {}
