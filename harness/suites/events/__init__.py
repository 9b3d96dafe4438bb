"""The event suite: AsyncAPI over Kafka, consumers' robustness and the saga as a flow.

It proves, against any target with a Kafka bootstrap and an AsyncAPI contract:

1. every record on every topic (from the beginning: the other suites' traffic too, and a
   short burst of orders of each outcome made here) conforms to its AsyncAPI message,
   payload and headers; dead letters to their ``dlq-*`` envelope (``test_topics``);
2. every consumer processes valid records generated from the contract's schemas, and
   dead-letters invalid ones (wrong types, missing fields, garbage bytes, oversized,
   missing headers) with a reason, without going down, and keeps consuming
   (``test_consumers``);
3. every order of the burst shows its saga flow, correlated by order id, within a
   deadline: happy, declined, and out of stock with its compensation (``test_saga``).

Records the suite injects carry the header ``test-injected: events``.
"""
