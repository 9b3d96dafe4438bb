"""The users service answers repeated reads of a user from its read cache, without ever
showing one customer's profile to another or a profile older than its last write."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import update

from reference_services.users.config import UsersSettings
from reference_services.users.main import create_app
from reference_services.users.tables import users
from tests.integration.services.conftest import RunningService, new_id, running, token

pytestmark = pytest.mark.integration


@pytest.fixture
async def directory(tmp_path: Path) -> AsyncIterator[RunningService]:
    async with running(create_app(UsersSettings(test_mode=True, data_dir=tmp_path))) as service:
        yield service


async def _register(directory: RunningService, name: str) -> str:
    account = {"email": f"{name.lower()}@example.com", "password": "s3cret-pass", "name": name}
    created = await directory.http.post("/users/register", json=account)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def test_a_cached_profile_is_still_hidden_from_other_customers(
    directory: RunningService,
) -> None:
    ada = await _register(directory, "Ada")
    first = await directory.http.get(f"/users/{ada}", headers=token(ada))
    assert first.status_code == 200 and first.json()["name"] == "Ada"
    assert directory.runtime.read_cache.get(f"user:{ada}") is not None, "the read was cached"
    again = await directory.http.get(f"/users/{ada}", headers=token(ada))
    assert again.json() == first.json()
    other = await directory.http.get(f"/users/{ada}", headers=token(new_id()))
    assert other.status_code == 404
    admin = await directory.http.get(f"/users/{ada}", headers=token(new_id(), role="admin"))
    assert admin.status_code == 200 and admin.json() == first.json()


async def test_a_write_drops_the_cached_profile(directory: RunningService) -> None:
    grace = await _register(directory, "Grace")
    assert (await directory.http.get("/users/me", headers=token(grace))).json()["name"] == "Grace"
    async with directory.runtime.unit_of_work() as uow:
        await uow.conn.execute(update(users).where(users.c.id == grace).values(name="Hopper"))
    for path in (f"/users/{grace}", "/users/me"):
        response = await directory.http.get(path, headers=token(grace))
        assert response.json()["name"] == "Hopper", path
