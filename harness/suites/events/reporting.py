"""Allure labels and attachments the event suite's tests share."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import allure

from harness.suites.events.records import BusRecord
from harness.suites.events.samples import Draft

SAMPLES_SHOWN = 5


def label(feature: str, story: str, title: str) -> None:
    """Allure feature (the channel, or the saga scenario), story (the check) and title."""
    allure.dynamic.feature(feature)
    allure.dynamic.story(story)
    allure.dynamic.title(title)


def attach_json(name: str, data: Any) -> None:
    text = json.dumps(data, indent=2, default=str, ensure_ascii=False)
    allure.attach(text, name=name, attachment_type=allure.attachment_type.JSON)


def attach_text(name: str, text: str) -> None:
    allure.attach(text, name=name, attachment_type=allure.attachment_type.TEXT)


def attach_records(name: str, records: Iterable[BusRecord], limit: int = SAMPLES_SHOWN) -> None:
    shown = [record.sample() for record in list(records)[:limit]]
    if shown:
        attach_json(name, shown)


def draft_sample(draft: Draft) -> dict[str, Any]:
    """A draft as a report shows it (its value shortened like a record's)."""
    record = BusRecord(draft.topic, -1, -1, draft.key, draft.value, draft.headers)
    return {"label": draft.label, **record.sample()}


class EventCheckFailed(AssertionError):
    """A check of the event suite failed: a title and the evidence, one line each."""

    def __init__(self, title: str, problems: Iterable[str]) -> None:
        self.title, self.problems = title, list(problems)
        listed = "\n".join("  - " + p.replace("\n", "\n    ") for p in self.problems)
        super().__init__(f"{title}: {len(self.problems)} problem(s)\n{listed}")


def check(title: str, problems: Iterable[str]) -> None:
    """Raise ``EventCheckFailed`` when there is any problem."""
    listed = list(problems)
    if listed:
        raise EventCheckFailed(title, listed)
