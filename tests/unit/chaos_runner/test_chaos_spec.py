"""Experiment files are checked before anything runs; errors say file, key and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.chaos.probes import percentile
from harness.chaos.report import timeline
from harness.chaos.spec import experiments_in, load_experiment
from harness.chaos.world import Sample
from harness.errors import ConfigError

SHIPPED = Path(__file__).resolve().parents[3] / "chaos" / "experiments"


@pytest.mark.parametrize("path", experiments_in(SHIPPED), ids=lambda p: p.stem)
def test_every_shipped_experiment_is_valid(path: Path) -> None:
    experiment = load_experiment(path)
    assert experiment.title and experiment.body["rollbacks"]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("title: t\nhypothesis: {}\nmethod: [{wait: 1}]\n", "'rollbacks' is a required property"),
        (
            "title: t\nhypothesis: {}\nmethod: [{explode: 1}]\nrollbacks: []\n",
            "/method/0: not a known step",
        ),
        (
            "title: t\nhypothesis: {}\nmethod: [{toxic: {link: k, type: fire}}]\nrollbacks: []\n",
            "/method/0: not a known step",
        ),
        (
            "title: t\nhypothesis: {during: [{breaker: {service: o}}]}\nmethod: [{wait: 1}]\n"
            "rollbacks: []\n",
            "/hypothesis/during/0",
        ),
        ("title: [unclosed\n", "not valid YAML"),
    ],
)
def test_a_bad_experiment_names_the_file_and_the_key(
    tmp_path: Path, text: str, complaint: str
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as error:
        load_experiment(path)
    assert str(error.value).startswith(str(path)) and complaint in str(error.value)


def test_percentile_and_timeline() -> None:
    assert percentile([5, 1, 3, 2, 4], 50) == 3 and percentile([], 95) == 0.0
    samples = [Sample(t / 2, 10.0 + t, 201 if t % 3 else 503, "", None, None) for t in range(20)]
    svg = timeline(samples, (2.0, 6.0))
    assert svg.count("<svg") == 2 and "<rect" in svg
