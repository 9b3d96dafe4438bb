"""The budget and the seed come from the environment harness run sets, checked."""

from __future__ import annotations

import pytest

from harness.errors import ConfigError
from harness.suites.fuzz.budget import (
    DEFAULT_MAX_EXAMPLES,
    MAX_EXAMPLES_ENV,
    SEED_ENV,
    budget_from_env,
)


def test_without_settings_a_seed_is_drawn_and_the_default_budget_applies() -> None:
    budget = budget_from_env({}, draw_seed=lambda: 1234)
    assert (budget.seed, budget.max_examples, budget.seed_given) == (
        1234,
        DEFAULT_MAX_EXAMPLES,
        False,
    )
    assert "1234" in budget.describe() and "--seed 1234" in budget.describe()


def test_a_given_seed_and_budget_are_used_as_they_are() -> None:
    budget = budget_from_env({SEED_ENV: " 42 ", MAX_EXAMPLES_ENV: "50"}, draw_seed=lambda: 1)
    assert (budget.seed, budget.max_examples, budget.seed_given) == (42, 50, True)
    assert "(given)" in budget.describe()


def test_an_empty_seed_counts_as_none() -> None:
    assert budget_from_env({SEED_ENV: ""}, draw_seed=lambda: 7).seed == 7


def test_stateful_scenarios_grow_with_the_budget_but_never_below_two() -> None:
    assert budget_from_env({MAX_EXAMPLES_ENV: "1"}).stateful_scenarios == 2
    assert budget_from_env({MAX_EXAMPLES_ENV: "40"}).stateful_scenarios == 40


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({SEED_ENV: "abc"}, ["HARNESS_FUZZ_SEED='abc'", "--seed 42"]),
        ({SEED_ENV: "-1"}, ["HARNESS_FUZZ_SEED=-1", "from 0 to"]),
        ({MAX_EXAMPLES_ENV: "1.5"}, ["HARNESS_FUZZ_MAX_EXAMPLES='1.5'", "--max-examples 42"]),
        ({MAX_EXAMPLES_ENV: "0"}, ["at least 1", "--max-examples 20"]),
    ],
)
def test_bad_values_are_refused_with_the_flag_to_fix_them(
    env: dict[str, str], words: list[str]
) -> None:
    with pytest.raises(ConfigError) as refused:
        budget_from_env(env)
    for word in words:
        assert word in str(refused.value)
