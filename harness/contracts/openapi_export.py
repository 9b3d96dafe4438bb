"""Write a service's OpenAPI contract from its code, and the gateway's from the services'.

``python -m harness.contracts.openapi_export [--check]``. Use it to bootstrap a contract
or to record an intended change; `harness gate` then judges the change, and the drift
test keeps code and contract together afterwards. ``--check`` fails when a written file
would change (CI uses it for the derived gateway contract).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from typing import Any

import yaml

from harness.contracts.gateway_contract import gateway_document
from harness.contracts.openapi_links import add_links
from harness.stack.topology import SERVICES, Topology

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts" / "openapi"
UNUSED = ("HTTPValidationError", "ValidationError")


def service_document(name: str) -> dict[str, Any]:
    """The OpenAPI a service's code serves, plus links and its default server."""
    os.environ.setdefault(f"{name.upper()}_TEST_MODE", "true")
    module = importlib.import_module(f"reference_services.{name}.main")
    document: dict[str, Any] = module.create_app().openapi()
    document = yaml.safe_load(yaml.safe_dump(document))  # a deep, plain copy
    schemas = document.get("components", {}).get("schemas", {})
    text = yaml.safe_dump(document.get("paths", {}))
    for unused in UNUSED:
        if f"#/components/schemas/{unused}" not in text:
            schemas.pop(unused, None)
    document["servers"] = [{"url": f"http://127.0.0.1:{Topology().port(name)}"}]
    return add_links(document)


def render(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text())
    return loaded


def documents(*, from_code: bool) -> dict[str, str]:
    """File name -> text. Services come from code or from their committed contracts."""
    services = {}
    for spec in SERVICES:
        if spec.name == "gateway":
            continue
        path = CONTRACTS / f"{spec.name}.yaml"
        services[spec.name] = service_document(spec.name) if from_code else load(path)
    texts = {f"{name}.yaml": render(doc) for name, doc in services.items()} if from_code else {}
    texts["gateway.yaml"] = render(gateway_document(services, version="1.0.0"))
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only check that the gateway contract is current"
    )
    args = parser.parse_args(argv)
    texts = documents(from_code=not args.check)
    stale = [
        n
        for n, t in texts.items()
        if not (CONTRACTS / n).exists() or (CONTRACTS / n).read_text() != t
    ]
    if args.check:
        for name in stale:
            sys.stderr.write(
                f"contracts/openapi/{name} is out of date: run "
                "python -m harness.contracts.openapi_export\n"
            )
        return 1 if stale else 0
    CONTRACTS.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (CONTRACTS / name).write_text(texts[name])
        sys.stdout.write(f"wrote contracts/openapi/{name}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
