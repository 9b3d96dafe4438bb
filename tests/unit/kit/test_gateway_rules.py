from reference_services.gateway.ratelimit import RateLimiter
from reference_services.gateway.routes import ROUTES, safe_params


def test_upstream_path_drops_the_api_prefix_and_fills_parameters() -> None:
    route = next(r for r in ROUTES if r.operation_id == "restockProduct")
    assert route.upstream_path({"product_id": "abc-1"}) == "/inventory/abc-1/restock"


def test_path_parameters_that_could_traverse_are_refused() -> None:
    assert safe_params({"id": "6f1c2a8e-3b0d-4f7a-9c55-2d7e8a1b4c90"})
    for hostile in ("../users", "..", "a/b", "a%2Fb", "x" * 65, ""):
        assert not safe_params({"id": hostile}), hostile


def test_operation_ids_are_unique() -> None:
    ids = [r.operation_id for r in ROUTES]
    assert len(ids) == len(set(ids))


def test_token_bucket_allows_burst_then_refills_at_rate() -> None:
    limiter = RateLimiter(rate=10.0, burst=3)
    assert [limiter.acquire("a", 0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.acquire("a", 0.0)
    assert 0.09 < wait <= 0.1
    assert limiter.acquire("b", 0.0) == 0.0, "clients have separate buckets"
    assert limiter.acquire("a", 0.1) == 0.0


def test_limiter_forgets_idle_clients_beyond_its_bound() -> None:
    limiter = RateLimiter(rate=1.0, burst=1, max_clients=2)
    for client in ("a", "b", "c"):
        limiter.acquire(client, 0.0)
    assert limiter.acquire("a", 0.0) == 0.0, "a was evicted, so it starts with a full bucket"
