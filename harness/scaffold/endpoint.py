"""``harness new endpoint SERVICE METHOD PATH``: a new operation, contract first.

Adds a route skeleton to the service's api.py (a response model to fill in and a handler
whose one TODO line raises), exports the service's contract so the operation is in
contracts/openapi/SERVICE.yaml (`harness gate` judges that change), and writes a test
that fails, naming what to implement, until the TODO line returns the response.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from harness.errors import ConfigError
from harness.scaffold.tidy import tidy

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
SEGMENT = re.compile(r"^([a-z][a-z0-9-]*|\{[a-z][a-z0-9_]*\})$")
IMPORTS = (
    "from typing import Any",
    "from fastapi import Request",
    "from pydantic import BaseModel, ConfigDict",
)


@dataclass(frozen=True)
class EndpointPlan:
    root: Path
    service: str
    method: str
    path: str

    @property
    def segments(self) -> list[str]:
        return [s for s in self.path.split("/") if s]

    @property
    def params(self) -> list[str]:
        return [s[1:-1] for s in self.segments if s.startswith("{")]

    @property
    def words(self) -> list[str]:
        plain = [s for s in self.segments if not s.startswith("{")]
        return [w for s in plain for w in s.split("-")]

    @property
    def operation_id(self) -> str:
        suffix = "".join("By" + "".join(p.title() for p in q.split("_")) for q in self.params)
        return self.method.lower() + "".join(w.title() for w in self.words) + suffix

    @property
    def function(self) -> str:
        return re.sub(r"(?<!^)(?=[A-Z])", "_", self.operation_id).lower()

    @property
    def model(self) -> str:
        return self.operation_id[0].upper() + self.operation_id[1:] + "Response"

    @property
    def example_path(self) -> str:
        return "/".join("example-id" if s.startswith("{") else s for s in self.path.split("/"))

    def route_code(self) -> str:
        subpath = self.path.removeprefix(f"/{self.service}") or "/"
        params = "".join(f", {p}: str" for p in self.params)
        return f'''

class {self.model}(BaseModel):
    model_config = ConfigDict(json_schema_extra={{"examples": [{{"message": "TODO"}}]}})

    message: str


@router.{self.method.lower()}(
    "{subpath}",
    operation_id="{self.operation_id}",
    response_model={self.model},
    summary="TODO: say what {self.method} {self.path} does",
    responses=problems(422),
)
async def {self.function}(request: Request{params}) -> dict[str, Any]:
    raise NotImplementedError("TODO(harness new endpoint): return {{'message': ...}}")
'''

    def test_code(self) -> str:
        settings = f"{self.service.capitalize()}Settings"
        return f'''"""{self.method} {self.path}: answers as its contract says."""

from __future__ import annotations

from pathlib import Path

import pytest

from reference_services.{self.service}.config import {settings}
from reference_services.{self.service}.main import create_app
from tests.integration.services.conftest import running

pytestmark = pytest.mark.integration


async def test_{self.function}_answers_as_its_contract_says(tmp_path: Path) -> None:
    app = create_app({settings}(test_mode=True, data_dir=tmp_path))
    async with running(app) as service:
        response = await service.http.request("{self.method}", "{self.example_path}")
        assert response.status_code == 200, (
            "implement {self.function} in reference_services/{self.service}/api.py: "
            "replace its TODO line with the response"
        )
        assert set(response.json()) == {{"message"}}
'''


def plan_endpoint(root: Path, service: str, method: str, path: str) -> EndpointPlan:
    method = method.upper()
    api = root / "reference_services" / service / "api.py"
    if not api.exists():
        raise ConfigError(f"service {service!r} has no api.py; create it with harness new service")
    if method not in METHODS:
        raise ConfigError(f"method {method!r}: use one of {', '.join(METHODS)}")
    plan = EndpointPlan(root, service, method, path)
    if not path.startswith(f"/{service}/") or not all(SEGMENT.match(s) for s in plan.segments):
        raise ConfigError(
            f"path {path!r}: start with /{service}/ and use lowercase words or "
            "{param} segments, e.g. /shipping/quotes/{quote_id}"
        )
    contract = root / "contracts" / "openapi" / f"{service}.yaml"
    document = yaml.safe_load(contract.read_text()) if contract.exists() else {}
    if method.lower() in document.get("paths", {}).get(path, {}):
        raise ConfigError(f"{method} {path} is already in {contract.name}; choose another path")
    ids = {
        op.get("operationId")
        for item in document.get("paths", {}).values()
        for op in item.values()
        if isinstance(op, dict)
    }
    if plan.operation_id in ids:
        raise ConfigError(f"operationId {plan.operation_id} exists in {contract.name}")
    return plan


def write_endpoint(plan: EndpointPlan) -> list[Path]:
    api = plan.root / "reference_services" / plan.service / "api.py"
    text = api.read_text()
    missing = [line for line in IMPORTS if line not in text]
    head, _, rest = text.partition("from __future__ import annotations\n")
    text = head + "from __future__ import annotations\n" + "".join(f"\n{m}" for m in missing) + rest
    api.write_text(text.rstrip("\n") + "\n" + plan.route_code())
    test = (
        plan.root / "tests" / "integration" / "services" / f"test_{plan.service}_{plan.function}.py"
    )
    test.write_text(plan.test_code())
    tidy([api, test])
    return [api, test]
