"""Errors of the Pact Broker client, each saying what failed, where and how to fix it::

    HarnessError (harness.errors)
     +-- BrokerError                 anything the broker client could not do
          +-- BrokerUnreachableError  no answer: wrong URL, broker down, DNS, TLS, timeout
          +-- BrokerAuthError         401/403: missing or wrong credentials
          +-- BrokerNotFoundError     404: no such pacticipant, version, pact, environment
          +-- BrokerRejectedError     400/409/422: the broker refused the request (its
          |                           notices and errors are kept for the message)
          +-- BrokerResponseError     an answer that is not the broker's HAL JSON (another
                                      server at that URL, a proxy's HTML page, a 5xx)

httpx errors are translated where they enter (``client.py``); credentials never appear
in a message.
"""

from __future__ import annotations

from harness.errors import HarnessError


class BrokerError(HarnessError):
    """The Pact Broker client could not do what was asked."""


class BrokerUnreachableError(BrokerError):
    pass


class BrokerAuthError(BrokerError):
    pass


class BrokerNotFoundError(BrokerError):
    pass


class BrokerRejectedError(BrokerError):
    def __init__(self, message: str, *, details: tuple[str, ...] = ()) -> None:
        self.details = details
        lines = "".join(f"\n  {line}" for line in details)
        super().__init__(message + lines)


class BrokerResponseError(BrokerError):
    pass
