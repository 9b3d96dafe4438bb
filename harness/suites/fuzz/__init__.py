"""Fuzz suite (Schemathesis): every operation of every contract holds under generated input.

Each service's contract and the gateway's are loaded as Schemathesis schemas and every
operation becomes a test (test_operations.py): explicit examples, boundary and invalid
values, then generated valid and invalid requests, each answer checked against the
contract (status, media type, headers, a body with no undocumented field), invalid
requests rejected, valid ones accepted, authentication and the admin role enforced.
Stateful runs follow the contracts' OpenAPI links (test_stateful.py). Calls are made as
real users of the target; a seed makes a run repeatable and a budget bounds it; every
failure carries a curl command that reproduces it. See README.md in this folder.
"""
