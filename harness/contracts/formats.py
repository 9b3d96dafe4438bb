"""The JSON Schema ``format`` checks used on records.

jsonschema checks ``date-time`` only when the optional rfc3339-validator package is
installed and skips it silently otherwise; a check that depends on what happens to be
installed is no check, so date-time is implemented here and every format is explicit.
"""

from __future__ import annotations

import re
from datetime import datetime

from jsonschema import FormatChecker

# Formats jsonschema checks with the standard library alone.
_BUILT_IN = ("uuid", "date", "email", "ipv4", "ipv6", "regex")
_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:(?P<second>\d{2})(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})"
)


def is_rfc3339_date_time(value: object) -> bool:
    """RFC 3339 ``date-time``: a full date, time and offset (``Z`` or ``+hh:mm``)."""
    if not isinstance(value, str):
        return True  # formats constrain strings only; "type" reports the rest
    match = _RFC3339.fullmatch(value)
    if match is None:
        return False
    # fromisoformat checks the ranges (month 13, February 30); it knows no leap second.
    normal = value.replace("Z", "+00:00").replace("z", "+00:00")
    if match["second"] == "60":
        normal = normal[: match.start("second")] + "59" + normal[match.end("second") :]
    try:
        datetime.fromisoformat(normal)
    except ValueError:
        return False
    return True


def format_checker() -> FormatChecker:
    """A checker for uuid, date-time, date, email, ipv4, ipv6 and regex."""
    checker = FormatChecker(formats=_BUILT_IN)
    checker.checks("date-time")(is_rfc3339_date_time)
    return checker
