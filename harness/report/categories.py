"""Defect categories: why a check failed, read from its status, message and trace.

Each failed or broken result lands in the first category that matches, in this order:

1. **Infrastructure problems** - the harness could not reach or run the system: refused
   or reset connections, timeouts (httpx, sockets, pytest-timeout), Kafka connection and
   request timeouts (aiokafka), DNS, PostgreSQL connection errors, the embedded stack's
   own errors (a process that would not start or become ready, a port in use).
2. **Contract violations** - the system answered, but not as its contracts say: JSON
   Schema validation errors, pact mismatches and failed provider verification, the
   Schemathesis conformance checks (undocumented status code or content type, response
   or header schema, negative data accepted, positive data rejected, ...), AsyncAPI
   record violations (``RecordViolationError``), OpenAPI drift. A result that also
   shows a product defect (below: a 500, ignored auth, ...) is counted there instead:
   a 500 nearly always comes with an undocumented status code, and the 500 is the
   defect to fix first.
3. **Product defects** - the system misbehaved: 5xx answers and Schemathesis server
   errors, ignored authentication, use after free, a created resource that cannot be
   read, and every other failed assertion on behaviour (status ``failed``).
4. **Test defects** - any other ``broken`` result: the check itself crashed (a bug in a
   suite or the harness, not in the system under test).

Patterns use the regex subset that JavaScript (Allure 3), Java (Allure 2) and Python
agree on, and have *search* semantics (Allure 3 calls ``RegExp.test``). Allure 2 calls
``Matcher.matches`` (the whole text), so ``categories.json`` wraps each pattern in
``[\\s\\S]*(?:...)[\\s\\S]*``. Trace patterns look only at pytest's error lines (``E   ...``
and the ``| ...`` lines of an exception group), never at the quoted test source.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FAILED, BROKEN = "failed", "broken"


def _any_of(words: Sequence[str]) -> str:
    return "(?:" + "|".join(words) + ")"


INFRASTRUCTURE_SIGNS = (
    r"Connection ?refused",
    r"Connection(?:Refused|Reset|Aborted)Error",
    r"Connection reset",
    r"BrokenPipeError",
    r"\bConnect(?:Error|Timeout)\b",
    r"\b(?:Read|Write|Pool)Timeout\b",
    r"RemoteProtocolError",
    r"Server disconnected",
    r"\bTimeoutError\b",
    r"timed out",
    r"Timeout >\d",  # pytest-timeout
    r"Kafka(?:Connection|Timeout)Error",
    r"NoBrokersAvailable",
    r"RequestTimedOutError",
    r"NodeNotReadyError",
    r"Unable to bootstrap",
    r"Name or service not known",
    r"Temporary failure in name resolution",
    r"Network is unreachable",
    r"No route to host",
    r"[Aa]ddress already in use",
    r"CannotConnectNowError",
    r"TooManyConnectionsError",
    r"\b(?:Stack|Stop|State|Database|PortInUse|ServiceFailed|ProcessExited)Error\b",
    r"ReadinessTimeoutError",
)

SERVER_ERROR_SIGNS = (
    r"Server error",
    r"Internal Server Error",
    r"\b50[0-4] (?:Internal|Bad Gateway|Service Unavailable|Gateway Timeout)",
)

PRODUCT_SIGNS = (
    *SERVER_ERROR_SIGNS,
    r"\bServerError\b",
    r"IgnoredAuth",
    r"Authentication declared but not enforced",
    r"UseAfterFree",
    r"Use after free",
    r"EnsureResourceAvailability",
    r"Resource is not available after creation",
    r"ResponseTimeExceeded",
    r"Response time limit exceeded",
)

CONTRACT_SIGNS = (
    # jsonschema / pydantic validation of a payload against its schema
    r"\bValidationError\b",
    # pact-python: consumer mismatches, provider verification (and this harness's wording)
    r"Mismatch",
    r"(?:Interaction|Pact)VerificationError",
    r"does not honour",
    # Schemathesis conformance checks (class names and titles)
    r"JsonSchemaError",
    r"Response violates schema",
    r"UndefinedStatusCode",
    r"Undocumented HTTP status code",
    r"UndefinedContentType",
    r"Undocumented Content-Type",
    r"MissingContentType",
    r"Missing Content-Type header",
    r"MalformedMediaType",
    r"Malformed media type",
    r"MissingHeaders",
    r"Missing required headers",
    r"Response header does not conform",
    r"AcceptedNegativeData",
    r"Accepted negative data",
    r"API accepted schema-violating request",
    r"RejectedPositiveData",
    r"Rejected positive data",
    r"API rejected schema-compliant request",
    r"MalformedJson",
    r"JSON deserialization error",
    r"Unsupported methods",
    # AsyncAPI records, contract documents, drift
    r"RecordViolationError",
    r"AsyncAPI",
    r"ContractError",
    r"drifted from",
    r"[Cc]ontract violation",
)

# pytest marks error lines with "E   "; an exception group's lines start with "| ".
_ERROR_LINE = r"(?:^|\n)[ \t]*(?:E|\|)[ \t][^\n]*"


@dataclass(frozen=True)
class Category:
    name: str
    statuses: tuple[str, ...]
    signs: str | None = None
    """What to look for in the message or on a trace's error line; None: anything."""
    unless: str | None = None
    """Nothing that matches this may appear anywhere in the message (or trace)."""
    description: str = ""

    def text_patterns(self) -> dict[str, str]:
        """``message`` and ``trace`` patterns, either one suffices; empty: any text."""
        if self.signs is None:
            return {}
        return {
            "message": self._guarded(self.signs),
            "trace": self._guarded(_ERROR_LINE + self.signs),
        }

    def _guarded(self, pattern: str) -> str:
        # A lookahead at the very start: the excluded text appears nowhere after it.
        return pattern if self.unless is None else rf"^(?![\s\S]*{self.unless})[\s\S]*?{pattern}"

    def matches(self, status: str, message: str = "", trace: str = "") -> bool:
        """Allure 3's rule: the status is listed and the message or the trace matches."""
        if status not in self.statuses:
            return False
        patterns = self.text_patterns()
        texts = {"message": message, "trace": trace}
        return not patterns or any(re.search(p, texts[k]) for k, p in patterns.items())


CATEGORIES: tuple[Category, ...] = (
    Category(
        "Infrastructure problems",
        (FAILED, BROKEN),
        _any_of(INFRASTRUCTURE_SIGNS),
        description="the harness could not reach or run the system (connections, "
        "timeouts, Kafka, DNS, the embedded stack)",
    ),
    Category(
        "Contract violations",
        (FAILED, BROKEN),
        _any_of(CONTRACT_SIGNS),
        unless=_any_of(PRODUCT_SIGNS),
        description="the system answered, but not as its OpenAPI, AsyncAPI or pacts say",
    ),
    Category(
        "Product defects",
        (FAILED, BROKEN),
        _any_of(PRODUCT_SIGNS),
        description="server errors, security and resource-lifecycle defects",
    ),
    Category(
        "Product defects",
        (FAILED,),
        description="every other failed assertion on the system's behaviour",
    ),
    Category(
        "Test defects",
        (BROKEN,),
        description="the check itself crashed: a bug in a suite or the harness",
    ),
)


def classify(
    status: str,
    message: str = "",
    trace: str = "",
    categories: Sequence[Category] = CATEGORIES,
) -> str | None:
    """The category Allure 3 puts a result in (first match wins), or None."""
    for category in categories:
        if category.matches(status, message, trace):
            return category.name
    return None


def allure3_rules(categories: Sequence[Category] = CATEGORIES) -> list[dict[str, Any]]:
    """The ``categories`` of an Allure 3 config: one rule per name, its matchers OR-ed.

    Allure 3 merges rules of one name into the first one's place, which keeps the
    first-match order only when a name's categories stand next to each other.
    """
    rules: dict[str, list[dict[str, Any]]] = {}
    for category in categories:
        statuses: dict[str, Any] = {"statuses": list(category.statuses)}
        patterns = category.text_patterns().items()
        matchers = [{**statuses, key: pattern} for key, pattern in patterns] or [statuses]
        rules.setdefault(category.name, []).extend(matchers)
    return [{"name": name, "matchers": matchers} for name, matchers in rules.items()]


ALLURE2_KEYS = {"message": "messageRegex", "trace": "traceRegex"}


def allure2_categories(categories: Sequence[Category] = CATEGORIES) -> list[dict[str, Any]]:
    """``categories.json`` as Allure 2 reads it: whole-text regexes, and message and
    trace AND-ed, so each text pattern is an entry of its own (same name)."""
    entries: list[dict[str, Any]] = []
    for category in categories:
        base = {"name": category.name, "matchedStatuses": list(category.statuses)}
        patterns = category.text_patterns().items()
        found = [{**base, ALLURE2_KEYS[key]: whole_text(pattern)} for key, pattern in patterns]
        entries.extend(found or [base])
    return entries


def whole_text(pattern: str) -> str:
    """A search pattern as a whole-text (Java ``matches``) pattern."""
    return rf"[\s\S]*(?:{pattern})[\s\S]*"


CATEGORIES_FILE = "categories.json"


def write_categories(results_dir: Path) -> Path:
    """``categories.json`` in the results folder, for Allure 2 and Allure 3's classic
    and allure2 plugins (Allure 3's default report takes the rules from its config)."""
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / CATEGORIES_FILE
    path.write_text(json.dumps(allure2_categories(), indent=2) + "\n")
    return path
