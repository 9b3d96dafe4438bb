"""Experiment files (chaos/experiments/*.yaml): the format, checked before anything runs.

Errors name the file, the key (a JSON pointer) and how to fix it.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from harness.errors import ConfigError

TOXICS = ("latency", "bandwidth", "slow_close", "timeout", "reset_peer", "slicer", "limit_data")
NUMBER = {"type": "number", "minimum": 0}
WITHIN = {"within": NUMBER}

PROBES: dict[str, dict[str, Any]] = {
    "ready": {
        "service": {"type": "string"},
        "status": {"enum": [200, 503]},
        "degraded": {"type": "string"},
        **WITHIN,
    },
    "breaker": {
        "service": {"type": "string"},
        "dependency": {"type": "string"},
        "state": {"enum": ["open", "closed"]},
        **WITHIN,
    },
    "fail_fast": {"max_ms": NUMBER, "last": NUMBER},
    "error_rate": {
        "max": {"type": "number", "minimum": 0, "maximum": 1},
        "phase": {"enum": ["during", "after"]},
    },
    "latency": {"p95_ms": NUMBER},
    "documented": {},
    "converge": WITHIN,
    "stalled": {"grace": NUMBER, "min_orders": {"type": "integer", "minimum": 0}},
    "outbox": {
        "service": {"type": "string"},
        "max_backlog": NUMBER,
        "min_backlog": NUMBER,
        **WITHIN,
    },
    "balance": WITHIN,
    "no_duplicates": {},
}
REQUIRED = {
    "ready": ["service"],
    "breaker": ["service", "dependency", "state"],
    "outbox": ["service"],
}


def _probe_schema() -> dict[str, Any]:
    return {
        "oneOf": [
            {
                "type": "object",
                "properties": {
                    name: {
                        "type": "object",
                        "properties": props,
                        "required": REQUIRED.get(name, []),
                        "additionalProperties": False,
                    }
                },
                "required": [name],
                "additionalProperties": False,
            }
            for name, props in PROBES.items()
        ]
    }


ACTION = {
    "oneOf": [
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["toxic"],
            "properties": {
                "toxic": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["link", "type"],
                    "properties": {
                        "link": {"type": "string"},
                        "type": {"enum": list(TOXICS)},
                        "name": {"type": "string"},
                        "stream": {"enum": ["upstream", "downstream"]},
                        "toxicity": {"type": "number", "minimum": 0, "maximum": 1},
                        "attributes": {
                            "type": "object",
                            "additionalProperties": {"type": "number", "minimum": 0},
                        },
                    },
                }
            },
        },
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["remove_toxic"],
            "properties": {
                "remove_toxic": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["link", "name"],
                    "properties": {"link": {"type": "string"}, "name": {"type": "string"}},
                }
            },
        },
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["link"],
            "properties": {
                "link": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["name", "enabled"],
                    "properties": {"name": {"type": "string"}, "enabled": {"type": "boolean"}},
                }
            },
        },
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["wait"],
            "properties": {"wait": {"type": "number", "minimum": 0, "maximum": 600}},
        },
    ]
}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["title", "hypothesis", "method", "rollbacks"],
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "traffic": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "rate": {"type": "number", "exclusiveMinimum": 0, "maximum": 200},
                "decline_share": {"type": "number", "minimum": 0, "maximum": 1},
            },
        },
        "hypothesis": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                phase: {"type": "array", "items": _probe_schema()}
                for phase in ("before", "during", "after")
            },
        },
        "method": {"type": "array", "minItems": 1, "items": ACTION},
        "rollbacks": {"type": "array", "items": ACTION},
    },
}


@dataclass(frozen=True)
class Experiment:
    name: str
    path: Path
    body: dict[str, Any]

    @property
    def title(self) -> str:
        return str(self.body["title"])

    def probes(self, phase: str) -> list[dict[str, Any]]:
        return list(self.body["hypothesis"].get(phase, []))


def load_experiment(path: Path) -> Experiment:
    try:
        body = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
    errors = sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(body), key=str)
    if errors:
        raise ConfigError(f"{path}: " + "; ".join(_explain(e) for e in errors[:5]))
    return Experiment(path.stem, path, body)


def _explain(error: jsonschema.ValidationError) -> str:
    pointer = "/" + "/".join(str(p) for p in error.absolute_path)
    if error.validator == "oneOf":
        return (
            f"{pointer}: not a known step; an action is one of toxic, remove_toxic, link, "
            f"wait, a probe one of {', '.join(PROBES)} (see docs/chaos.md)"
        )
    return f"{pointer}: {error.message}"


def links_of(experiment: Experiment) -> list[str]:
    """Every link the method and the rollbacks act on, in order, once each."""
    names: list[str] = []
    for action in [*experiment.body["method"], *experiment.body["rollbacks"]]:
        [(kind, args)] = action.items()
        if kind == "wait":
            continue
        name = args["name"] if kind == "link" else args["link"]
        if name not in names:
            names.append(name)
    return names


def missing_links(experiment: Experiment, known: Collection[str]) -> str | None:
    """Why ``experiment`` cannot run on a fault proxy that has the ``known`` links, or None."""
    missing = [name for name in links_of(experiment) if name not in known]
    if not missing:
        return None
    hints = []
    for name in missing:
        close = difflib.get_close_matches(name, list(known), n=1)
        hints.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return (
        f"{experiment.path}: link {', '.join(hints)} not on the target's fault proxy; "
        f"it has {', '.join(sorted(known)) or 'no links'}"
    )


def experiments_in(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml"))
