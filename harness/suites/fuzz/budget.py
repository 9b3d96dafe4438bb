"""How much the fuzz suite does, and with which seed (pure).

``harness run fuzz --seed N --max-examples N`` passes both through the environment.
Without a seed the suite draws one and prints it, so any run can be repeated exactly.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from harness.errors import ConfigError

SEED_ENV = "HARNESS_FUZZ_SEED"
MAX_EXAMPLES_ENV = "HARNESS_FUZZ_MAX_EXAMPLES"
# Small enough that every operation of the reference system, stateful runs included,
# is fuzzed in about a minute on two cores; --max-examples raises it.
DEFAULT_MAX_EXAMPLES = 10
MAX_SEED = 2**64 - 1
# A stateful scenario chains at most this many calls (create -> read -> update ...).
STATEFUL_STEPS = 6


@dataclass(frozen=True)
class Budget:
    """``max_examples`` bounds the generated examples of one operation (the fuzzing
    phase); the explicit examples and boundary (coverage) cases come on top."""

    seed: int
    max_examples: int
    seed_given: bool = False

    @property
    def stateful_scenarios(self) -> int:
        """Scenarios per service in the stateful run: as many as examples, at least 2."""
        return max(2, self.max_examples)

    @property
    def stateful_steps(self) -> int:
        return STATEFUL_STEPS

    def describe(self) -> str:
        origin = "given" if self.seed_given else f"drawn; repeat with --seed {self.seed}"
        return (
            f"fuzz seed {self.seed} ({origin}), at most {self.max_examples} generated "
            f"examples per operation (--max-examples), {self.stateful_scenarios} stateful "
            f"scenarios per service"
        )


def budget_from_env(
    env: Mapping[str, str], *, draw_seed: Callable[[], int] = lambda: secrets.randbelow(2**32)
) -> Budget:
    max_examples = _integer(env, MAX_EXAMPLES_ENV, "--max-examples")
    if max_examples is None:
        max_examples = DEFAULT_MAX_EXAMPLES
    if max_examples < 1:
        raise ConfigError(
            f"{MAX_EXAMPLES_ENV}={max_examples}: at least 1 example per operation is needed; "
            "use e.g. --max-examples 20"
        )
    seed = _integer(env, SEED_ENV, "--seed")
    if seed is None:
        return Budget(seed=draw_seed(), max_examples=max_examples)
    if not 0 <= seed <= MAX_SEED:
        raise ConfigError(f"{SEED_ENV}={seed}: a seed is an integer from 0 to {MAX_SEED}")
    return Budget(seed=seed, max_examples=max_examples, seed_given=True)


def _integer(env: Mapping[str, str], name: str, flag: str) -> int | None:
    """The variable's whole number; None when it is unset or blank."""
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        wanted = f"pass one like {flag} 42"
        raise ConfigError(f"{name}={raw!r} is not a whole number; {wanted}") from None
