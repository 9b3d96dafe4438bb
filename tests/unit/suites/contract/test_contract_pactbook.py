"""Pact files are published whole, deterministically, and only from complete pairs."""

from __future__ import annotations

import json
from pathlib import Path

from harness.suites.contract.pactbook import PactBook, normalised, pact_filename


def pact_text(*descriptions: str) -> str:
    interactions = [{"description": d, "type": "Synchronous/HTTP"} for d in descriptions]
    return json.dumps(
        {"consumer": {"name": "c"}, "provider": {"name": "p"}, "interactions": interactions}
    )


def test_normalised_text_does_not_depend_on_interaction_order() -> None:
    assert normalised(pact_text("b", "a")) == normalised(pact_text("a", "b"))
    assert normalised(pact_text("a")).endswith("}\n")


def staged_book(tmp_path: Path, *, module: str) -> PactBook:
    book = PactBook(tmp_path / "staging", tmp_path / "pacts")
    book.touched[("c", "p")].add(module)
    (book.staging / pact_filename("c", "p")).write_text(pact_text("b", "a"))
    return book


def test_a_complete_pair_is_published_once(tmp_path: Path) -> None:
    book = staged_book(tmp_path, module="test_consumer_c.py")
    assert book.publish(set()) == [tmp_path / "pacts" / "c-p.json"]
    assert book.publish(set()) == []  # same bytes: nothing rewritten
    published = json.loads((tmp_path / "pacts" / "c-p.json").read_text())
    assert [i["description"] for i in published["interactions"]] == ["a", "b"]


def test_a_pair_touched_by_a_dirty_module_is_not_published(tmp_path: Path) -> None:
    book = staged_book(tmp_path, module="test_consumer_c.py")
    assert book.publish({"test_consumer_c.py"}) == []
    assert not (tmp_path / "pacts").exists()
