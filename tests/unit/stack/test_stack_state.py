"""The state file: a faithful round trip, mode 0600, clear errors on a bad file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from harness.errors import StateError
from harness.stack.specs import generate_secrets
from harness.stack.state import (
    DatabaseInfo,
    ProcessRecord,
    StackState,
    load_state,
    save_state,
    state_path,
)


def sample_state() -> StackState:
    state = StackState(
        port_base=9000,
        host="127.0.0.1",
        started_at="2026-01-01T00:00:00+00:00",
        secrets=generate_secrets(),
        database=DatabaseInfo(mode="postgres", server_url="postgresql://x@h/db"),
    )
    state.processes["users"] = ProcessRecord(
        name="users",
        kind="service",
        pid=123,
        pgid=123,
        start_ticks=456,
        url="http://127.0.0.1:9001",
        log="/state/logs/users.log",
        probe={"kind": "http", "url": "http://127.0.0.1:9001/health/ready"},
    )
    return state


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    state = sample_state()
    save_state(tmp_path, state)
    assert load_state(tmp_path) == state


def test_file_is_private_because_it_holds_secrets(tmp_path: Path) -> None:
    save_state(tmp_path, sample_state())
    mode = stat.S_IMODE(state_path(tmp_path).stat().st_mode)
    assert mode == 0o600
    assert list(tmp_path.iterdir()) == [state_path(tmp_path)]  # no temp file left


def test_missing_file_means_no_stack(tmp_path: Path) -> None:
    assert load_state(tmp_path) is None


def test_garbage_gives_a_state_error_naming_the_file(tmp_path: Path) -> None:
    state_path(tmp_path).write_text("{not json")
    with pytest.raises(StateError, match=r"stack\.json"):
        load_state(tmp_path)


def test_unknown_version_is_refused(tmp_path: Path) -> None:
    state_path(tmp_path).write_text('{"version": 99}')
    with pytest.raises(StateError, match="version 99"):
        load_state(tmp_path)
