"""Compare two contract sets and judge the result: the whole gate, without I/O but reading
the two folders (``sources.py`` makes folders out of git refs).

    contracts (base, head) -> documents paired -> rules -> findings
        -> consumers (pacts) -> ignores -> verdict -> reporters
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness.gate.asyncapi_rules import AsyncPair, diff_asyncapi
from harness.gate.consumers import Catalog, unmatched, with_consumers
from harness.gate.context import Sides
from harness.gate.ignores import Ignore, apply_ignores
from harness.gate.loading import AsyncDocument, ContractSet, Document, load_contract_set
from harness.gate.model import Finding
from harness.gate.openapi.model import operations
from harness.gate.openapi.rules import DocumentPair, diff_openapi
from harness.gate.pacts import Pact, load_pacts
from harness.gate.spec import Kind
from harness.gate.verdict import Policy, Verdict
from harness.gate.verification import load_verifications, pact_status

PACTS = "pacts"
VERIFICATION = "pacts/verification"


@dataclass(frozen=True)
class GateOptions:
    policy: Policy = "strict"
    ignores: tuple[Ignore, ...] = ()
    today: dt.date | None = None


def run_gate(base: ContractSet, head: ContractSet, options: GateOptions) -> Verdict:
    sides = Sides(base, head)
    catalog = Catalog()
    findings: list[Finding] = []
    for old, new in pair_documents(base, head, "openapi"):
        pair = DocumentPair(old, new, sides)
        findings += diff_openapi(pair)
        _catalog_openapi(catalog, pair.provider, old, new)
    for old, new in pair_documents(base, head, "asyncapi"):
        assert old is None or isinstance(old, AsyncDocument)
        assert new is None or isinstance(new, AsyncDocument)
        findings += diff_asyncapi(AsyncPair(old, new, sides))
        for document in (old, new):
            if document is not None and document.index is not None:
                catalog.topics.update(document.index.topics)
                catalog.event_topics.update(
                    (m.event_type, m.topic) for m in document.index.messages() if m.event_type
                )
    pacts = pacts_of(head) or pacts_of(base)
    findings = with_consumers(findings, pacts, catalog) + unmatched(pacts, catalog)
    findings, expired = apply_ignores(
        findings, list(options.ignores), options.today or dt.date.today()
    )
    results = load_verifications(head.root / VERIFICATION)
    return Verdict(
        base=base.label,
        head=head.label,
        policy=options.policy,
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        pacts=tuple(pact_status(pact, results, head.root) for pact in pacts),
        expired=tuple(expired),
        documents=tuple(sorted({*base.documents, *head.documents})),
    )


def pacts_of(contracts: ContractSet) -> list[Pact]:
    return load_pacts(contracts.root / PACTS, root=contracts.root)


def pair_documents(
    base: ContractSet, head: ContractSet, kind: Kind
) -> Iterator[tuple[Document | None, Document | None]]:
    """Same path first; a renamed file is found by its ``info.title``."""
    before, after = base.of_kind(kind), head.of_kind(kind)
    gained = [rel for rel in after if rel not in before]
    for rel, document in before.items():
        match = after.get(rel)
        if match is None:
            titled = [g for g in gained if after[g].title and after[g].title == document.title]
            if len(titled) == 1:
                match = after[titled[0]]
                gained.remove(titled[0])
        yield document, match
    for rel in gained:
        yield None, after[rel]


def _catalog_openapi(catalog: Catalog, provider: str, *documents: Document | None) -> None:
    for document in documents:
        if document is None:
            continue
        catalog.add_provider(provider, document.name, document.title)
        catalog.operations.setdefault(provider, set()).update(operations(document))


def load_sides(base: Path, head: Path, *, base_label: str, head_label: str) -> Sides:
    """Both sides, read and validated (ContractError on the first unusable file)."""
    return Sides(
        load_contract_set(base, label=base_label), load_contract_set(head, label=head_label)
    )


def compare_folders(
    base: Path, head: Path, options: GateOptions, *, base_label: str, head_label: str
) -> Verdict:
    """The whole gate over two contracts folders."""
    with paused_gc():
        sides = load_sides(base, head, base_label=base_label, head_label=head_label)
        return run_gate(sides.base, sides.head, options)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while contracts are read and compared.

    The gate builds hundreds of thousands of small, acyclic objects that all live to
    the end; Python's collector would traverse them again and again (more than half of
    the time on a 1,000-operation spec). Reference counting still frees everything.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
