"""Loading contracts: $refs across files, and errors that say which file, where and what."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from harness.contracts import ContractError, load_asyncapi, validate_record
from harness.errors import HarnessError

ORDER_ID = "9a59fb67-a609-4030-8330-5bf88bc6bb9c"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


MINIMAL = """
    asyncapi: 3.0.0
    info:
      title: minimal
      version: 1.0.0
    channels:
      shipped:
        address: order.shipped
        messages:
          shipped:
            payload:
              $ref: '#/components/schemas/Shipped'
    operations:
      shipping.publishShipped:
        action: send
        channel:
          $ref: '#/channels/shipped'
    components:
      schemas:
        Shipped:
          type: object
          additionalProperties: false
          required: [order_id]
          properties:
            order_id:
              type: string
              format: uuid
"""


def test_a_minimal_document_indexes_topic_messages_and_parties(tmp_path: Path) -> None:
    index = load_asyncapi(write(tmp_path, "events.yaml", MINIMAL))
    channel = index.channel("order.shipped")
    assert channel is not None
    assert [message.name for message in channel.messages] == ["shipped"]
    assert channel.producers == ("shipping",)
    assert channel.consumers == ()
    value = json.dumps({"order_id": ORDER_ID}).encode()
    assert validate_record(index, "order.shipped", None, value, []) == []


def test_contract_errors_are_harness_errors(tmp_path: Path) -> None:
    with pytest.raises(HarnessError):
        load_asyncapi(tmp_path / "absent.yaml")


def test_a_yaml_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", MINIMAL.replace("    info:", "    info:\n   oops: [1, 2"))
    with pytest.raises(ContractError) as caught:
        load_asyncapi(path)
    error = caught.value
    assert error.source == path
    assert error.line is not None and 2 <= error.line <= 4
    assert str(error).startswith(f"{path}:{error.line}:")
    assert "YAML syntax error" in str(error)


def test_a_json_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.json", '{\n  "asyncapi": "3.0.0",\n  "info": }\n')
    with pytest.raises(ContractError) as caught:
        load_asyncapi(path)
    assert (caught.value.source, caught.value.line) == (path, 3)


def test_a_duplicate_key_is_an_error_not_a_silent_overwrite(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "    operations:", "      shipped:\n        address: twice\n    operations:"
    )
    with pytest.raises(ContractError) as caught:
        load_asyncapi(write(tmp_path, "dup.yaml", text))
    assert "duplicate key 'shipped'" in str(caught.value)
    lines = textwrap.dedent(text).lstrip().splitlines()
    assert caught.value.line == lines.index("  shipped:", 6) + 1


def test_a_dangling_ref_names_the_file_the_pointer_and_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "events.yaml", MINIMAL.replace("schemas/Shipped'", "schemas/Shiped'"))
    with pytest.raises(ContractError) as caught:
        load_asyncapi(path)
    error = caught.value
    assert error.source == path
    assert error.pointer == "/channels/shipped/messages/shipped/payload/$ref"
    assert "'#/components/schemas/Shiped' points to nothing" in str(error)
    assert "did you mean 'Shipped'?" in str(error)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n", "OpenAPI document"),
        ("- asyncapi\n- 3.0.0\n", "the top level is a list"),
        ("", "the file is empty"),
        ("asyncapi: 3.0\ninfo: {title: x, version: '1'}\n", "unsupported AsyncAPI version 3.0"),
        ("asyncapi: 1.2.0\ninfo: {title: x, version: '1'}\n", "unsupported AsyncAPI version"),
    ],
)
def test_a_document_that_is_not_asyncapi_is_refused(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, "not-asyncapi.yaml", text)
    with pytest.raises(ContractError) as caught:
        load_asyncapi(path)
    assert caught.value.source == path
    assert expected in str(caught.value)


def test_a_document_breaking_the_asyncapi_schema_names_the_pointer(tmp_path: Path) -> None:
    path = write(tmp_path, "events.yaml", MINIMAL.replace("action: send", "action: publish"))
    with pytest.raises(ContractError) as caught:
        load_asyncapi(path)
    assert caught.value.pointer == "/operations/shipping.publishShipped/action"
    assert "'publish' is not one of ['send', 'receive']" in str(caught.value)


def test_refs_into_a_relative_file_resolve_next_to_the_referring_file(tmp_path: Path) -> None:
    (tmp_path / "common").mkdir()
    write(
        tmp_path / "common",
        "schemas.yaml",
        """
        components:
          schemas:
            Shipped:
              type: object
              required: [order_id]
              properties:
                order_id:
                  $ref: '#/components/schemas/OrderId'
            OrderId:
              type: string
              format: uuid
        """,
    )
    path = write(
        tmp_path,
        "events.yaml",
        MINIMAL.replace(
            "'#/components/schemas/Shipped'", "'common/schemas.yaml#/components/schemas/Shipped'"
        ),
    )
    index = load_asyncapi(path)
    bad = json.dumps({"order_id": "nope"}).encode()
    violations = validate_record(index, "order.shipped", None, bad, [])
    assert [v.pointer for v in violations] == ["/value/order_id"]


def test_a_dangling_ref_inside_a_referenced_file_names_that_file(tmp_path: Path) -> None:
    (tmp_path / "common").mkdir()
    other = write(
        tmp_path / "common",
        "schemas.yaml",
        """
        components:
          schemas:
            Shipped:
              $ref: '#/components/schemas/Missing'
        """,
    )
    path = write(
        tmp_path,
        "events.yaml",
        MINIMAL.replace(
            "'#/components/schemas/Shipped'", "'common/schemas.yaml#/components/schemas/Shipped'"
        ),
    )
    with pytest.raises(ContractError) as caught:
        load_asyncapi(path)
    assert caught.value.source == other
    assert caught.value.pointer == "/components/schemas/Shipped/$ref"


def test_a_ref_to_a_missing_file_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "events.yaml",
        MINIMAL.replace("'#/components/schemas/Shipped'", "'nowhere.yaml#/X'"),
    )
    with pytest.raises(ContractError) as caught:
        load_asyncapi(path)
    assert caught.value.pointer == "/channels/shipped/messages/shipped/payload/$ref"
    assert "nowhere.yaml not found" in str(caught.value)


def test_a_remote_ref_is_refused_with_a_way_out(tmp_path: Path) -> None:
    remote = "'https://example.com/schemas.yaml#/Shipped'"
    path = write(tmp_path, "events.yaml", MINIMAL.replace("'#/components/schemas/Shipped'", remote))
    with pytest.raises(ContractError) as caught:
        load_asyncapi(path)
    assert "remote $ref" in str(caught.value)
    assert caught.value.hint is not None and "relative path" in caught.value.hint


def test_a_recursive_schema_is_reported_instead_of_looping(tmp_path: Path) -> None:
    self_ref = "          properties:\n            next: {$ref: '#/components/schemas/Shipped'}\n"
    text = MINIMAL.replace("          properties:\n", self_ref)
    with pytest.raises(ContractError) as caught:
        load_asyncapi(write(tmp_path, "events.yaml", text))
    assert caught.value.pointer == "/components/schemas/Shipped"
    assert "recursive schema" in str(caught.value)


def test_a_ref_cycle_is_reported_instead_of_looping(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "        Shipped:\n          type: object\n",
        "        Shipped:\n          $ref: '#/components/schemas/Loop'\n"
        "        Loop:\n          $ref: '#/components/schemas/Shipped'\n"
        "        Unused:\n          type: object\n",
    )
    with pytest.raises(ContractError) as caught:
        load_asyncapi(write(tmp_path, "events.yaml", text), check_spec=False)
    assert "$ref cycle" in str(caught.value)


def test_an_invalid_payload_schema_is_reported_where_it_is(tmp_path: Path) -> None:
    path = write(
        tmp_path, "events.yaml", MINIMAL.replace("required: [order_id]", "required: order_id")
    )
    with pytest.raises(ContractError) as caught:
        load_asyncapi(path, check_spec=False)
    assert caught.value.pointer == "/components/schemas/Shipped/required"
    assert "invalid schema" in str(caught.value)


def test_an_operation_on_an_unknown_channel_is_an_error(tmp_path: Path) -> None:
    text = MINIMAL.replace("$ref: '#/channels/shipped'", "$ref: '#/components/schemas/Shipped'")
    with pytest.raises(ContractError) as caught:
        load_asyncapi(write(tmp_path, "events.yaml", text), check_spec=False)
    assert caught.value.pointer == "/operations/shipping.publishShipped/channel"
    assert "is not one of the document's channels" in str(caught.value)


def test_unquoted_timestamps_in_examples_stay_strings(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "            payload:\n              $ref",
        "            headers:\n              type: object\n              properties:\n"
        "                occurred-at: {type: string, format: date-time}\n"
        "            examples:\n              - headers:\n"
        "                  occurred-at: 2025-03-14T09:26:53Z\n"
        f"                payload: {{order_id: {ORDER_ID}}}\n"
        "            payload:\n              $ref",
    )
    index = load_asyncapi(write(tmp_path, "events.yaml", text))
    (message,) = index.messages()
    assert message.examples[0].headers == {"occurred-at": "2025-03-14T09:26:53Z"}
