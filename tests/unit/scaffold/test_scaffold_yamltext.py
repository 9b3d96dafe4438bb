"""Extending a hand-written YAML document as text: comments kept, every edit checked."""

from __future__ import annotations

import pytest
import yaml

from harness.errors import ConfigError
from harness.scaffold.yamltext import add_entries, extend_lists, section_end

SMALL = """# top comment
channels:
  a:
    address: a
  # a comment inside channels
  b:
    address: b

# operations come next
operations:
  x:
    action: send
components:
  schemas:
    S:
      type: string
  messages: {}
"""


def test_a_section_ends_after_its_last_entry_not_its_trailing_comments() -> None:
    lines = SMALL.splitlines()
    assert lines[section_end(lines, ("channels",)) - 1] == "    address: b"
    assert lines[section_end(lines, ("components", "schemas")) - 1] == "      type: string"
    with pytest.raises(ConfigError, match="no block mapping nowhere"):
        section_end(lines, ("nowhere",))


def test_entries_are_appended_and_comments_kept() -> None:
    text = add_entries(SMALL, {("channels",): {"c": {"address": "c"}}, ("operations",): {}})
    assert "# a comment inside channels" in text and "# operations come next" in text
    assert list(yaml.safe_load(text)["channels"]) == ["a", "b", "c"]


def test_a_layout_it_cannot_extend_is_refused() -> None:
    with pytest.raises(ConfigError, match="add the event by hand"):
        add_entries(SMALL, {("components", "messages"): {"M": {"name": "M"}}})


def test_a_flow_list_gains_items_in_place() -> None:
    text = "a:\n  # keep me\n  enum: [x, y]  \n  other: [z]\n"
    extended = extend_lists(text, {("a", "enum"): ["w"]})
    assert extended == "a:\n  # keep me\n  enum: [x, y, w]  \n  other: [z]\n"
    assert extend_lists("a:\n  enum: []\n", {("a", "enum"): ["w"]}) == "a:\n  enum: [w]\n"


def test_a_block_list_is_not_extended_by_text() -> None:
    with pytest.raises(ConfigError, match="not a one-line"):
        extend_lists("a:\n  enum:\n    - x\n", {("a", "enum"): ["w"]})
