"""Checked edits of Python source: each finds its place and keeps the rest as it was."""

from __future__ import annotations

import pytest

from harness.errors import ConfigError
from harness.scaffold import pyedit

MODULE = '''"""A module."""

from __future__ import annotations

from x import y

PUBLISHES = ("a.b", "c.d")


def handler() -> None:
    pass


HANDLERS = {
    "a.b": handler,
}
'''


def test_top_level_names() -> None:
    assert pyedit.top_level_names(MODULE) == {"PUBLISHES", "handler", "HANDLERS"}


def test_imports_go_after_the_future_import_once() -> None:
    text = pyedit.add_imports(MODULE, ["from x import y", "import z"])
    assert text.count("from x import y") == 1
    assert text.index("import z") > text.index("from __future__ import annotations")


def test_a_tuple_gains_an_item_and_a_one_item_tuple_keeps_its_comma() -> None:
    text = pyedit.add_to_tuple(MODULE, "PUBLISHES", '"e.f"')
    assert 'PUBLISHES = ("a.b", "c.d", "e.f")\n' in text
    assert 'P = ("a",)\n' in pyedit.add_to_tuple("P = ()\n", "P", '"a"')


def test_a_dict_gains_an_entry_and_code_goes_above_it() -> None:
    text = pyedit.add_to_dict(MODULE, "HANDLERS", '"e.f"', "on_e_f")
    assert '    "a.b": handler,\n    "e.f": on_e_f,\n}' in text
    text = pyedit.insert_before_assignment(
        text, "HANDLERS", "def on_e_f() -> None:\n    pass\n\n\n"
    )
    assert text.index("def on_e_f") < text.index("HANDLERS = {")


def test_a_keyword_joins_the_first_call() -> None:
    text = "d = ServiceDefinition(\n    settings=s,\n)\n"
    edited = pyedit.add_keyword(text, "ServiceDefinition", "produces", "PUBLISHES")
    assert "ServiceDefinition(produces=PUBLISHES, " in edited
    assert pyedit.add_keyword(edited, "ServiceDefinition", "produces", "X") == edited


def test_a_constant_goes_above_the_first_definition() -> None:
    text = pyedit.insert_before_first_def(MODULE, 'NEW = ("x",)\n')
    assert text.index("NEW = ") < text.index("def handler")


@pytest.mark.parametrize(
    ("edit", "complaint"),
    [
        (lambda: pyedit.add_to_tuple(MODULE, "MISSING", "1"), "no top-level MISSING"),
        (lambda: pyedit.add_to_tuple(MODULE, "HANDLERS", "1"), "not a tuple"),
        (lambda: pyedit.add_to_dict(MODULE, "PUBLISHES", "1", "2"), "not a dict"),
        (lambda: pyedit.add_keyword(MODULE, "Nowhere", "a", "b"), "no Nowhere(...)"),
        (lambda: pyedit.append(MODULE, "def broken(:\n"), "invalid Python"),
    ],
)
def test_edits_that_cannot_be_made_say_why(edit: object, complaint: str) -> None:
    with pytest.raises(ConfigError, match=complaint.replace("(", r"\(").replace(")", r"\)")):
        edit()  # type: ignore[operator]
