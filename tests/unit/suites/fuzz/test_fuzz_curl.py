"""Reproductions name the token by a shell variable and say how to get one."""

from __future__ import annotations

import shlex

from harness.suites.fuzz.curl import reproduction, token_note, without_token
from harness.suites.fuzz.identities import Identity
from harness.suites.fuzz.operations import Role

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
ADA = Identity(Role.CUSTOMER, "ada@example.com", TOKEN)
LOGIN = "http://127.0.0.1:8000/api/users/login"
CURL = (
    f"curl -X GET -H 'Authorization: Bearer {TOKEN}' -H 'Accept: */*' "
    "'http://127.0.0.1:8000/api/orders?limit=1'"
)


def test_the_token_header_becomes_a_double_quoted_variable_the_shell_expands() -> None:
    command = without_token(CURL, TOKEN)
    assert TOKEN not in command
    assert '-H "Authorization: Bearer ${HARNESS_TOKEN}"' in command
    words = shlex.split(command)  # still one valid command line
    assert words[:4] == ["curl", "-X", "GET", "-H"]
    assert words[4] == "Authorization: Bearer ${HARNESS_TOKEN}"


def test_a_token_outside_a_quoted_word_is_replaced_too() -> None:
    assert without_token(f"token={TOKEN}; again {TOKEN}", TOKEN) == (
        "token=${HARNESS_TOKEN}; again ${HARNESS_TOKEN}"
    )


def test_a_quoted_word_with_shell_specials_is_not_unquoted() -> None:
    word = f"'x=$HOME {TOKEN}'"
    assert without_token(word, TOKEN) == "'x=$HOME ${HARNESS_TOKEN}'"


def test_no_token_no_change() -> None:
    assert without_token(CURL, "") == CURL
    assert reproduction(CURL, None, login_url=LOGIN) == CURL


def test_the_reproduction_starts_with_how_to_get_the_callers_token() -> None:
    text = reproduction(CURL, ADA, login_url=LOGIN)
    comments, command = text.rsplit("\n", 1)
    assert command == without_token(CURL, TOKEN)
    assert comments == token_note(ADA, login_url=LOGIN)
    assert all(line.startswith("#") for line in comments.splitlines())
    assert "customer ada@example.com" in comments
    assert f"curl -s -X POST {LOGIN}" in comments and "access_token" in comments
    assert TOKEN not in text


def test_a_command_without_the_token_is_left_as_it_is() -> None:
    anonymous = "curl -X GET http://127.0.0.1:8000/health"
    assert reproduction(anonymous, ADA, login_url=LOGIN) == anonymous
