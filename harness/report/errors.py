"""Errors of the report package::

HarnessError (harness.errors)
 +-- FeatureUnavailableError
 |    +-- AllureCliMissingError   Node.js or the Allure command line is not installed
 +-- ReportError                  the Allure command line ran and failed
"""

from __future__ import annotations

from harness.errors import FeatureUnavailableError, HarnessError


class AllureCliMissingError(FeatureUnavailableError):
    """The HTML report cannot be generated here; the message says how to fix that."""


class ReportError(HarnessError):
    """Generating or serving the report failed."""
