"""Contract suite (Pact): the reference system's consumers and providers agree.

Consumer tests run each consumer's real code (the gateway app, the orders service's
clients, each event consumer's handler) against Pact mock servers or pact messages and
write the pacts to the target's pact folder. Provider verification replays every pact
against the running services, with provider states set through their test-mode
endpoints, and records which pact was verified against which contract version.
"""
