"""A failing case becomes an assertion message and Allure attachments that reproduce it.

Hypothesis runs a test many times while it searches and shrinks. The run it reports
(the final one) attaches its failure at once; a failure that never came back in a final
run (the API's state changed, so the replay differed) is attached when the test ends,
so every failure seen is in the report exactly once, the smallest known case of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import allure
from hypothesis.control import current_build_context, currently_in_test_context
from schemathesis import Case
from schemathesis.errors import FailureGroup

from harness.suites.fuzz.curl import reproduction, token_note, without_token
from harness.suites.fuzz.identities import AUTHORIZATION, Identities, Identity

UNREPRODUCED = (
    "\nThe final replay did not reproduce this failure: the API's state changed between "
    "runs (e.g. a name taken by the first run). The case above failed when it ran.\n"
)


class FuzzFailure(FailureGroup, AssertionError):
    """Check failures as pytest and Allure should show them: a failed test, not a crash."""


@dataclass(frozen=True)
class ReportedFailure:
    error: FuzzFailure
    curl: str

    def attach(self, *, note: str = "") -> None:
        allure.attach(self.curl, name="reproduce with curl", attachment_type=_TEXT)
        allure.attach(self.error.message + note, name="failure", attachment_type=_TEXT)


_TEXT = allure.attachment_type.TEXT


@dataclass
class Reporter:
    identities: Identities
    login_url: str
    seed: int
    _latest: dict[tuple[str, ...], ReportedFailure] = field(default_factory=dict)
    _attached: set[tuple[str, ...]] = field(default_factory=set)

    def start(self) -> None:
        """A new test begins: forget the failures of the last one."""
        self._latest.clear()
        self._attached.clear()

    def failure(self, case: Case, failure: FailureGroup) -> FuzzFailure:
        """The same failures, told with a curl command that carries no live token."""
        identity = self.caller(case)
        reported = ReportedFailure(
            FuzzFailure(list(failure.exceptions), self._message(failure.message, identity)),
            reproduction(case.as_curl_command(), identity, login_url=self.login_url),
        )
        key = tuple(sorted(f"{type(e).__name__}: {e.title}" for e in failure.exceptions))
        self._latest[key] = reported
        if _is_reported_run():
            reported.attach()
            self._attached.add(key)
        return reported.error

    def unreproduced(self) -> list[ReportedFailure]:
        """Failures seen in this test that no final run reported."""
        return [f for key, f in self._latest.items() if key not in self._attached]

    def finish(self) -> None:
        for reported in self.unreproduced():
            reported.attach(note=UNREPRODUCED)
        self.start()

    def caller(self, case: Case) -> Identity | None:
        return self.identities.of_token(case.headers.get(AUTHORIZATION))

    def _message(self, message: str, identity: Identity | None) -> str:
        if identity is not None and identity.token in message:
            message = without_token(message, identity.token)
            message += "\n" + token_note(identity, login_url=self.login_url)
        return message + f"\nSeed: {self.seed} (repeat with: harness run fuzz --seed {self.seed})\n"


def _is_reported_run() -> bool:
    return not currently_in_test_context() or current_build_context().is_final
