"""The names one event gets in the contract and in code, derived from ``thing.happened``."""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*(\.[a-z][a-z0-9]*(_[a-z0-9]+)*)+$")
NAME_RULE = (
    "use lowercase words joined by dots, thing.happened (e.g. order.shipped); "
    "letters, digits and _ inside a word, at most 50 characters, not ending in .dlq"
)


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be an event type (None when it can)."""
    if len(name) > 50 or not NAME.match(name) or name.endswith(".dlq"):
        return f"event name {name!r}: {NAME_RULE}"
    return None


@dataclass(frozen=True)
class EventNames:
    """``order.shipped`` -> OrderShipped, orderShipped, order_shipped."""

    event: str

    @property
    def words(self) -> list[str]:
        return re.split(r"[._]", self.event)

    @property
    def pascal(self) -> str:
        return "".join(w.capitalize() for w in self.words)

    @property
    def camel(self) -> str:
        return self.pascal[0].lower() + self.pascal[1:]

    @property
    def snake(self) -> str:
        return "_".join(self.words)

    @property
    def dlq(self) -> str:
        return f"{self.event}.dlq"

    # Contract names
    @property
    def channel(self) -> str:
        return self.camel

    @property
    def dlq_channel(self) -> str:
        return f"{self.camel}Dlq"

    @property
    def payload_schema(self) -> str:
        return f"{self.pascal}Payload"

    @property
    def headers_schema(self) -> str:
        return f"{self.pascal}Headers"

    @property
    def dlq_headers_schema(self) -> str:
        return f"{self.pascal}DeadLetterHeaders"

    @property
    def dlq_message(self) -> str:
        return f"{self.pascal}DeadLetter"

    def publish_operation(self, service: str) -> str:
        return f"{service}.publish{self.pascal}"

    def receive_operation(self, service: str) -> str:
        return f"{service}.on{self.pascal}"

    def dead_letter_operation(self, service: str) -> str:
        return f"{service}.deadLetter{self.pascal}"

    # Code names
    @property
    def builder(self) -> str:
        """The pure payload function in the producer's messages.py."""
        return self.snake

    @property
    def publisher(self) -> str:
        """The use case in the producer's service.py that writes the event to the outbox."""
        return f"publish_{self.snake}"

    @property
    def handler(self) -> str:
        """The consumer's handler in consumer.py."""
        return f"on_{self.snake}"
