"""Where the broker is and how to sign in: order of sources, credentials kept secret."""

from __future__ import annotations

import pytest

from harness.broker.config import resolve_broker
from harness.errors import ConfigError

URL = "PACT_BROKER_BASE_URL"


def test_no_broker_anywhere_means_none() -> None:
    assert resolve_broker(flag=None, target=None, env={}) is None


def test_the_flag_beats_the_environment_which_beats_the_target() -> None:
    env = {URL: "http://env:9292/"}
    assert resolve_broker(flag=None, target="http://target:1", env={}).base_url == "http://target:1"
    from_env = resolve_broker(flag=None, target="http://target:1", env=env)
    assert (from_env.base_url, from_env.source) == ("http://env:9292", URL)
    assert (
        resolve_broker(flag="https://flag", target="http://t", env=env).base_url == "https://flag"
    )


def test_credentials_come_from_the_environment_and_never_show() -> None:
    env = {URL: "http://b", "PACT_BROKER_USERNAME": "pact", "PACT_BROKER_PASSWORD": "s3cret"}
    config = resolve_broker(flag=None, target=None, env=env)
    assert config.basic_auth() == ("pact", "s3cret") and config.headers() == {}
    assert "s3cret" not in repr(config) and config.auth_kind == "basic auth"


def test_a_token_is_sent_as_bearer_and_wins_over_basic_auth() -> None:
    env = {URL: "http://b", "PACT_BROKER_TOKEN": "tok", "PACT_BROKER_USERNAME": "u"}
    config = resolve_broker(flag=None, target=None, env=env)
    assert config.headers() == {"Authorization": "Bearer tok"}
    assert config.basic_auth() is None and "tok" not in repr(config)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({URL: "ftp://broker"}, r"must be an http\(s\) URL"),
        ({URL: "http://u:p@broker"}, "carries credentials"),
        ({URL: "http://b", "PACT_BROKER_USERNAME": "u"}, "PACT_BROKER_PASSWORD is not set"),
    ],
)
def test_bad_settings_say_what_and_how_to_fix(env: dict[str, str], expected: str) -> None:
    with pytest.raises(ConfigError, match=expected) as caught:
        resolve_broker(flag=None, target=None, env=env)
    assert ":p@" not in str(caught.value)
