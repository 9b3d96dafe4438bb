"""Consumer pacts from test to contract artifact.

Each consumer test builds a fresh ``Pact`` and exercises the consumer against its mock
server (or hands it the messages). A test that passes stages its pact: pact-python
merges it into ``<staging>/<consumer>-<provider>.json``. ``publish`` then copies a pair's
staged pact to the contract folder, normalised (interactions sorted, keys sorted, one
trailing newline) so that re-running writes the same bytes, and only when every test
that touched the pair ran and passed: a partial run (``-k``, a failure, a skip) never
overwrites a committed pact with a smaller one.
"""

from __future__ import annotations

import contextlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import allure
from pact import Pact
from pact.pact import PactServer

Pair = tuple[str, str]
MessageHandler = Callable[[str | bytes | None, dict[str, object]], None]


def pact_filename(consumer: str, provider: str) -> str:
    return f"{consumer}-{provider}.json"


def normalised(text: str) -> str:
    """A pact file's canonical text: the same interactions always give the same bytes."""
    data: dict[str, Any] = json.loads(text)
    data["interactions"] = sorted(data.get("interactions", []), key=_interaction_key)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _interaction_key(interaction: dict[str, Any]) -> tuple[str, str, str]:
    states = json.dumps(interaction.get("providerStates", []), sort_keys=True)
    return str(interaction.get("type", "")), str(interaction.get("description", "")), states


class PactBook:
    """The session's pacts: which modules touched each pair, what was staged."""

    def __init__(self, staging: Path, destination: Path) -> None:
        self.staging = staging
        self.destination = destination
        self.touched: dict[Pair, set[str]] = defaultdict(set)
        self.staging.mkdir(parents=True, exist_ok=True)

    def pact(self, consumer: str, provider: str, *, module: str) -> Pact:
        self.touched[(consumer, provider)].add(module)
        return Pact(consumer, provider).with_specification("V4")

    def stage(self, pact: Pact) -> None:
        pact.write_file(self.staging, overwrite=False)

    def publish(self, dirty_modules: set[str]) -> list[Path]:
        """Write every complete pair's pact; returns the files whose bytes changed."""
        changed = []
        for (consumer, provider), modules in sorted(self.touched.items()):
            staged = self.staging / pact_filename(consumer, provider)
            if modules & dirty_modules or not staged.exists():
                continue
            target = self.destination / pact_filename(consumer, provider)
            text = normalised(staged.read_text())
            if not target.exists() or target.read_text() != text:
                self.destination.mkdir(parents=True, exist_ok=True)
                target.write_text(text)
                changed.append(target)
        return changed


class PactRecorder:
    """One test's view of the book: new pacts, mock servers, message checks."""

    def __init__(self, book: PactBook, *, module: str, scratch: Path) -> None:
        self.book = book
        self.module = module
        self.scratch = scratch

    def pact(self, consumer: str, provider: str, *, story: str) -> Pact:
        """A new pact for this test, labelled in Allure by pair and operationId/channel."""
        allure.dynamic.feature(f"{consumer} -> {provider}")
        allure.dynamic.story(story)
        return self.book.pact(consumer, provider, module=self.module)

    @contextlib.contextmanager
    def serve(self, *pacts: Pact) -> Iterator[list[PactServer]]:
        """Mock servers for ``pacts``; on a clean exit (all matched) the pacts are staged."""
        with contextlib.ExitStack() as stack:
            yield [stack.enter_context(p.serve(addr="127.0.0.1")) for p in pacts]
        for pact in pacts:
            self._keep(pact)

    def verify_messages(self, pact: Pact, handler: MessageHandler) -> None:
        """Hand every message of ``pact`` to ``handler``; raises if it fails on one."""
        pact.verify(handler, "Async")
        self._keep(pact)

    def _keep(self, pact: Pact) -> None:
        pact.write_file(self.scratch, overwrite=True)
        written = self.scratch / pact_filename(pact.consumer, pact.provider)
        allure.attach(
            normalised(written.read_text()),
            name=f"pact {written.name}",
            attachment_type=allure.attachment_type.JSON,
        )
        self.book.stage(pact)
