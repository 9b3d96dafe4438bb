"""Liveness and group shutdown by pid, on real processes (zombies count as gone)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from harness.stack.procs import (
    GroupRef,
    group_members,
    is_alive,
    read_stat,
    start_ticks,
    stop_groups,
)
from tests.helpers import wait_until

pytestmark = pytest.mark.integration

IGNORE_TERM = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); " + (
    "print('ready', flush=True); time.sleep(600)"
)


def new_group(*argv: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, start_new_session=True, stdout=subprocess.PIPE)


def test_own_process_is_alive_and_recorded_start_time_matches() -> None:
    me = os.getpid()
    assert is_alive(me)
    assert is_alive(me, start_ticks(me))
    assert not is_alive(me, (start_ticks(me) or 0) + 1)


def test_an_unreaped_child_counts_as_dead() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        wait_until(
            lambda: (s := read_stat(child.pid)) and s.state == "Z", timeout=10, what="zombie"
        )
        assert not is_alive(child.pid)
    finally:
        child.wait()


def test_stop_groups_terminates_the_leader_and_its_children() -> None:
    leader = new_group("sh", "-c", "sleep 600 & sleep 600 & wait")
    try:
        wait_until(lambda: len(group_members(leader.pid)) == 3, timeout=10, what="3 members")
        ref = GroupRef(pid=leader.pid, pgid=leader.pid, start_ticks=start_ticks(leader.pid))
        assert stop_groups([ref], timeout=10) == []
        assert group_members(leader.pid) == []
    finally:
        leader.wait(timeout=10)


def test_stop_groups_escalates_to_sigkill() -> None:
    stubborn = new_group(sys.executable, "-c", IGNORE_TERM)
    try:
        assert stubborn.stdout is not None
        assert stubborn.stdout.readline() == b"ready\n"  # the SIGTERM handler is in place
        ref = GroupRef(pid=stubborn.pid, pgid=stubborn.pid)
        assert stop_groups([ref], timeout=0.5) == []
        assert stubborn.wait(timeout=10) == -9
    finally:
        stubborn.kill()
        stubborn.wait()


def test_a_recycled_pid_is_not_ours() -> None:
    me = os.getpid()
    foreign = GroupRef(pid=me, pgid=os.getpgid(me), start_ticks=(start_ticks(me) or 0) + 1)
    assert not foreign.belongs_to_us()
    assert foreign.members() == []
