"""The read cache's race guard and bound, and the verified-token cache's expiry."""

from __future__ import annotations

import time

import pytest

from reference_services.kit.auth import VerifiedTokens, issue_token
from reference_services.kit.errors import Unauthorized
from reference_services.kit.read_cache import ReadCache
from tests.helpers import wait_until

SECRET = "a-test-secret-that-is-long-enough-for-hs256"


def test_a_read_that_started_before_a_write_is_not_kept() -> None:
    cache = ReadCache()
    generation = cache.generation  # a read starts ...
    cache.clear()  # ... a write finishes while it runs ...
    cache.put("p1", {"price": "old"}, generation=generation)  # ... the read ends
    assert cache.get("p1") is None
    cache.put("p1", {"price": "new"}, generation=cache.generation)
    assert cache.get("p1") == {"price": "new"}


def test_the_cache_is_bounded_and_drops_the_oldest_entry() -> None:
    cache = ReadCache(max_entries=2)
    for key in ("a", "b", "c"):
        cache.put(key, key, generation=cache.generation)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (None, "b", "c")


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    tokens = VerifiedTokens()
    token = issue_token(SECRET, user_id="u1", role="customer", ttl_seconds=1)
    assert tokens.verify(SECRET, token).user_id == "u1"
    expiry = int(time.time()) + 1
    wait_until(lambda: time.time() > expiry + 0.01, timeout=5, what="the token's expiry")
    with pytest.raises(Unauthorized, match="expired"):
        tokens.verify(SECRET, token)


def test_a_token_is_remembered_per_secret() -> None:
    tokens = VerifiedTokens()
    token = issue_token(SECRET, user_id="u1", role="admin")
    assert tokens.verify(SECRET, token).is_admin
    with pytest.raises(Unauthorized, match="not valid"):
        tokens.verify("another-secret-that-is-long-enough-for-hs256", token)
