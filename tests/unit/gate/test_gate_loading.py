"""Unusable contracts are refused before anything is compared, with file, line or JSON
pointer, what is wrong and how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.contracts.errors import ContractError
from harness.gate.loading import load_contract_set

MINIMAL = "openapi: 3.1.0\ninfo: {title: api, version: '1'}\npaths: {}\n"


def _load(tmp_path: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    load_contract_set(tmp_path, label="head")


def _error(tmp_path: Path, files: dict[str, str]) -> str:
    with pytest.raises(ContractError) as caught:
        _load(tmp_path, files)
    return str(caught.value)


def test_yaml_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    message = _error(tmp_path, {"openapi/api.yaml": MINIMAL + "paths:\n  /a: [unclosed\n"})
    assert message.startswith("head/openapi/api.yaml:")
    assert "YAML syntax error" in message
    line = int(message.split(":")[1])
    assert line >= 4


def test_dangling_ref_names_pointer_line_and_suggests_a_name(tmp_path: Path) -> None:
    text = (
        "openapi: 3.1.0\ninfo: {title: api, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema: {$ref: '#/components/schemas/Ordr'}\n"
        "components:\n  schemas:\n    Order: {type: object}\n"
    )
    message = _error(tmp_path, {"openapi/api.yaml": text})
    assert message.startswith("head/openapi/api.yaml:11:")
    assert "#/components/schemas/Ordr" in message and "did you mean 'Order'" in message


def test_a_dangling_ref_to_another_file_names_the_file(tmp_path: Path) -> None:
    text = MINIMAL.replace("paths: {}", "paths:\n  /a: {$ref: 'shared/paths.yaml#/a'}")
    message = _error(tmp_path, {"openapi/api.yaml": text})
    assert "shared/paths.yaml" in message and "not found" in message


def test_a_non_openapi_file_in_openapi_says_what_it_is(tmp_path: Path) -> None:
    message = _error(
        tmp_path / "a", {"openapi/events.yaml": "asyncapi: 3.0.0\ninfo: {title: e, version: '1'}\n"}
    )
    assert "not an OpenAPI document" in message and "move it to asyncapi/" in message
    message = _error(tmp_path / "b", {"openapi/events.yaml": "swagger: '2.0'\n"})
    assert "convert Swagger 2.0" in message
    message = _error(tmp_path / "c", {"openapi/events.yaml": "- just\n- a list\n"})
    assert "not an OpenAPI document" in message


def test_an_invalid_openapi_document_names_the_pointer_and_line(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "paths: {}",
        "paths:\n  /a:\n    get:\n      parameters: [{name: x, in: body}]\n"
        "      responses: {'200': {description: ok}}",
    )
    message = _error(tmp_path, {"openapi/api.yaml": text})
    assert message.startswith("head/openapi/api.yaml:6:")
    assert "#/paths/~1a/get/parameters/0/in" in message and '"body"' in message
    assert "not a valid OpenAPI 3.1 document" in message


def test_an_invalid_schema_in_openapi_31_is_found(tmp_path: Path) -> None:
    text = MINIMAL.replace("paths: {}", "paths: {}\ncomponents:\n  schemas:\n    A: {type: strin}")
    message = _error(tmp_path, {"openapi/api.yaml": text})
    assert "#/components/schemas/A/type" in message and "invalid schema" in message


def test_openapi_30_documents_are_checked_against_the_30_schema(tmp_path: Path) -> None:
    text = "openapi: 3.0.3\ninfo: {title: api, version: '1'}\npaths:\n  /a: {get: {}}\n"
    message = _error(tmp_path, {"openapi/api.yaml": text})
    assert "not a valid OpenAPI 3.0 document" in message


def test_unsupported_versions_are_refused_with_a_way_forward(tmp_path: Path) -> None:
    message = _error(tmp_path / "a", {"openapi/api.yaml": MINIMAL.replace("3.1.0", "4.0.0")})
    assert "unsupported OpenAPI version '4.0.0'" in message
    message = _error(
        tmp_path / "b",
        {"asyncapi/e.yaml": "asyncapi: 2.4.0\ninfo: {title: e, version: '1'}\nchannels: {}\n"},
    )
    assert "unsupported AsyncAPI version" in message and "asyncapi convert" in message


def test_an_invalid_asyncapi_document_names_the_pointer(tmp_path: Path) -> None:
    text = "asyncapi: 3.0.0\ninfo: {title: e, version: '1'}\noperations:\n  x: {action: shout}\n"
    message = _error(tmp_path, {"asyncapi/e.yaml": text})
    assert "not a valid AsyncAPI 3.0 document" in message and "head/asyncapi/e.yaml:" in message


def test_unquoted_status_codes_and_shared_fragments_load(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "paths: {}",
        "paths:\n  /a:\n    get:\n      responses:\n"
        "        200: {$ref: 'shared/responses.yaml#/ok'}",
    )
    _load(
        tmp_path,
        {"openapi/api.yaml": text, "openapi/shared/responses.yaml": "ok: {description: ok}\n"},
    )
