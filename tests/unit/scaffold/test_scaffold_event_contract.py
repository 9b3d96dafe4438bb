"""A new event's AsyncAPI entries, shaped like the saga's and valid in the project's document."""

from __future__ import annotations

import yaml

from harness.contracts import build_index, example_records, spec_problems, validate_record
from harness.scaffold.event_contract import EventSpec, additions, clashes, widened_enums
from harness.scaffold.event_names import EventNames
from harness.scaffold.yamltext import add_entries, extend_lists
from harness.target import PROJECT_ROOT

CONTRACT = PROJECT_ROOT / "contracts" / "asyncapi" / "events.yaml"
SPEC = EventSpec(EventNames("order.shipped"), "orders", ("notifications", "payments"))


def test_the_new_event_in_the_project_contract_is_valid_and_has_valid_examples() -> None:
    text = CONTRACT.read_text()
    document = yaml.safe_load(add_entries(text, additions(SPEC, yaml.safe_load(text))))
    assert spec_problems(document) == []
    index = build_index(document, source=CONTRACT, check_spec=False)
    assert index.producers("order.shipped") == ("orders",)
    assert sorted(index.consumers("order.shipped")) == ["notifications", "payments"]
    records = example_records(index, topic="order.shipped")
    records += example_records(index, topic="order.shipped.dlq")
    assert len(records) == 2
    for r in records:
        assert validate_record(index, r.topic, r.key, r.value, r.headers) == []


def test_the_same_event_always_gets_the_same_text() -> None:
    document = yaml.safe_load(CONTRACT.read_text())
    assert additions(SPEC, document) == additions(SPEC, document)
    assert additions(SPEC, document)[("components", "tags")] == {}  # the four exist


def test_clashes_name_every_entry_that_exists() -> None:
    document = yaml.safe_load(CONTRACT.read_text())
    assert clashes(SPEC, document) == []
    taken = clashes(EventSpec(EventNames("order.created"), "orders", ("payments",)), document)
    assert "#/channels/orderCreated" in taken
    assert "#/components/messages/OrderCreatedDeadLetter" in taken


def test_only_a_producer_new_to_the_bus_widens_the_producer_enum() -> None:
    text = CONTRACT.read_text()
    document = yaml.safe_load(text)
    assert widened_enums(SPEC, document) == {}
    newcomer = EventSpec(EventNames("user.renamed"), "users", ("orders",))
    widened = widened_enums(newcomer, document)
    headers = yaml.safe_load(extend_lists(text, widened))["components"]["schemas"]
    assert headers["EventHeaders"]["properties"]["producer"]["enum"][-1] == "users"


def test_a_consumer_new_to_the_bus_gets_dead_letter_headers_of_its_own() -> None:
    document = yaml.safe_load(CONTRACT.read_text())
    shared = additions(SPEC, document)[("components", "schemas")]
    assert "allOf" in shared["OrderShippedDeadLetterHeaders"]
    newcomer = EventSpec(EventNames("order.shipped"), "orders", ("payments", "shipping"))
    own = additions(newcomer, document)[("components", "schemas")]
    headers = own["OrderShippedDeadLetterHeaders"]
    assert headers["properties"]["dlq-consumer"]["enum"] == ["payments", "shipping"]
    assert headers["properties"]["dlq-original-topic"]["const"] == "order.shipped"
    assert headers["required"] == document["components"]["schemas"]["DeadLetterHeaders"]["required"]
