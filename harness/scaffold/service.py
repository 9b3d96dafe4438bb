"""``harness new service NAME``: a working service from the kit, contract first.

Writes the service package (config, tables, domain, infrastructure, api, main, README,
its migration history with a first migration), registers it in the link registry (so
the embedded stack, chaos links and docker-compose pick it up), exports its OpenAPI
contract, and adds tests that pass at once.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from harness.errors import ConfigError
from harness.scaffold.tidy import tidy
from harness.stack.topology import KAFKA_OFFSET, SERVICES

TEMPLATES = Path(__file__).resolve().parent / "templates" / "service"
NAME = re.compile(r"^[a-z][a-z0-9]{1,30}$")
REGISTRY_MARKER = "    # `harness new service` adds new services above this line.\n"
RESERVED = {"kit", "gateway", "kafka", "harness", "tests", "migrations"}


@dataclass(frozen=True)
class ServicePlan:
    root: Path
    name: str
    offset: int

    @property
    def fields(self) -> dict[str, str]:
        return {
            "name": self.name,
            "Class": self.name.capitalize(),
            "PREFIX": f"{self.name.upper()}_",
            "port": str(8000 + self.offset),
        }

    def files(self) -> dict[Path, str]:
        package = self.root / "reference_services" / self.name
        unit = self.root / "tests" / "unit" / "services" / self.name
        layout = {
            package / "__init__.py": None,
            package / "config.py": "config.py.tmpl",
            package / "tables.py": "tables.py.tmpl",
            package / "domain.py": "domain.py.tmpl",
            package / "infrastructure.py": "infrastructure.py.tmpl",
            package / "api.py": "api.py.tmpl",
            package / "main.py": "main.py.tmpl",
            package / "README.md": "README.md.tmpl",
            package / "migrations" / "env.py": "env.py.tmpl",
            package / "migrations" / "script.py.mako": "script.py.mako",
            package / "migrations" / "versions" / ".keep": None,
            unit / "__init__.py": None,
            unit / f"test_{self.name}_domain.py": "test_domain.py.tmpl",
            self.root / "tests" / "integration" / "services" / f"test_{self.name}_app.py": (
                "test_app.py.tmpl"
            ),
        }
        return {path: self._render(template) for path, template in layout.items()}

    def _render(self, template: str | None) -> str:
        if template is None:
            return ""
        text = (TEMPLATES / template).read_text()
        return text if template.endswith(".mako") else Template(text).substitute(self.fields)


def plan_service(root: Path, name: str) -> ServicePlan:
    """Check the name and pick the next free port offset; nothing is written yet."""
    if not NAME.match(name) or keyword.iskeyword(name) or name in RESERVED:
        raise ConfigError(
            f"service name {name!r}: use 2-31 lowercase letters and digits, starting with a "
            f"letter, not one of {sorted(RESERVED)} (e.g. shipping)"
        )
    taken = {s.name for s in SERVICES}
    if name in taken or (root / "reference_services" / name).exists():
        raise ConfigError(f"service {name!r} exists already; pick another name")
    offset = max(s.offset for s in SERVICES) + 1
    if offset >= KAFKA_OFFSET:
        raise ConfigError("no free port offset left below the Kafka port")
    return ServicePlan(root, name, offset)


def write_service(plan: ServicePlan) -> list[Path]:
    written = []
    for path, text in plan.files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written.append(path)
    register(plan)
    tidy(written)
    return written


def register(plan: ServicePlan) -> None:
    """Add the service to the registry in harness/stack/topology.py."""
    topology = plan.root / "harness" / "stack" / "topology.py"
    text = topology.read_text()
    if REGISTRY_MARKER not in text:
        raise ConfigError(f"{topology}: the marker line for new services is missing")
    entry = f'    ServiceSpec("{plan.name}", {plan.offset}, uses_kafka=False),\n'
    topology.write_text(text.replace(REGISTRY_MARKER, entry + REGISTRY_MARKER))
