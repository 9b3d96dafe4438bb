"""Resolve ``--target``: the embedded stack (started here when it is not up), the
compose stack's target file, or any target file.

``python -m harness.run.targets STATE_DIR`` prints the target JSON of a running
embedded stack (handy for running one suite by hand with pytest).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from harness.errors import ConfigError
from harness.stack.embedded import EmbeddedStack
from harness.stack.options import StackOptions
from harness.stack.process import SERVICE
from harness.stack.state import StackState, load_state
from harness.stack.status import stack_status
from harness.stack.topology import Topology
from harness.target import PROJECT_ROOT, Auth, Target, default_contracts, load_target

COMPOSE_TARGET = PROJECT_ROOT / "targets" / "compose.yaml"


def target_from_state(state: StackState) -> Target:
    urls = {name: r.url for name, r in state.processes.items() if r.kind == SERVICE}
    topology = Topology(port_base=state.port_base)
    kafka = state.processes.get("kafka")
    return Target(
        name="embedded",
        gateway=urls.pop("gateway"),
        services=urls,
        contracts=default_contracts(),
        kafka=kafka.url if kafka else None,
        toxiproxy=f"http://127.0.0.1:{topology.proxy_api_port}" if state.routed else None,
        auth=Auth(
            admin_email=state.secrets.admin_email, admin_password=state.secrets.admin_password
        ),
        test_mode=state.test_mode,
    )


@contextlib.contextmanager
def resolve_target(
    spec: str, *, state_dir: Path, port_base: int, say: Callable[[str], None]
) -> Iterator[Target]:
    """Yield the target; an embedded stack started here is stopped on the way out."""
    if spec == "compose":
        yield load_target(COMPOSE_TARGET)
        return
    if spec != "embedded":
        path = Path(spec)
        if not path.exists():
            raise ConfigError(
                f"--target {spec}: no such file; use 'embedded', 'compose' or a target file"
            )
        yield load_target(path)
        return
    status = stack_status(state_dir)
    state = load_state(state_dir)
    if state is not None and status.running and status.all_ready:
        if not state.test_mode:
            say("note: the running stack is not in test mode; provider states are unavailable")
        say(f"using the embedded stack already up in {state_dir}")
        yield target_from_state(state)
        return
    stack = EmbeddedStack(
        Topology(port_base=port_base), state_dir, options=StackOptions(test_mode=True, routed=True)
    )
    say(f"starting the embedded stack (port base {port_base})")
    try:
        seconds = stack.start()
        say(f"all ready in {seconds:.2f} s")
        yield target_from_state(stack.state)
    finally:
        stack.stop()
        say("stopped the embedded stack")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    state = load_state(Path(args[0] if args else ".harness"))
    if state is None:
        sys.stderr.write("no embedded stack recorded there; start one with harness up\n")
        return 1
    sys.stdout.write(target_from_state(state).to_json() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
