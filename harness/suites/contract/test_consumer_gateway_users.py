"""gateway -> users: what the gateway's public account routes need from users.

The real gateway app forwards each public request to a Pact mock server standing in for
users; the pact records the forwarded request and the answer the gateway relies on.
"""

from __future__ import annotations

from pact import match

from harness.suites.contract import examples as ex
from harness.suites.contract.consumers import customer_token, through_gateway
from harness.suites.contract.pactbook import PactRecorder

REGISTRATION = {"email": ex.NEW_EMAIL, "password": ex.PASSWORD, "name": "Grace"}
CREDENTIALS = {"email": ex.CUSTOMER_EMAIL, "password": ex.PASSWORD}


def test_register_forwards_the_new_account_and_its_location(pacts: PactRecorder) -> None:
    pact = pacts.pact("gateway", "users", story="registerUser")
    (
        pact.upon_receiving("a registration of a new customer")
        .given(ex.EMAIL_UNUSED, {"email": ex.NEW_EMAIL})
        .with_request("POST", "/users/register")
        .with_body(REGISTRATION, content_type=ex.JSON)
        .will_respond_with(201)
        .with_header("Location", match.regex(f"/users/{ex.CUSTOMER_ID}", regex=r"^/users/\S+$"))
        .with_body(ex.user_body(email=ex.NEW_EMAIL), content_type=ex.JSON)
    )
    response = through_gateway(pacts, pact, "POST", "/api/users/register", json=REGISTRATION)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/api/users/{ex.CUSTOMER_ID}"
    assert response.json()["email"] == ex.NEW_EMAIL


def test_login_answers_the_token(pacts: PactRecorder) -> None:
    pact = pacts.pact("gateway", "users", story="loginUser")
    (
        pact.upon_receiving("a login with the right password")
        .given(ex.CUSTOMER_EXISTS, ex.CUSTOMER)
        .with_request("POST", "/users/login")
        .with_body(CREDENTIALS, content_type=ex.JSON)
        .will_respond_with(200)
        .with_body(
            {
                "access_token": match.str(ex.EXAMPLE_TOKEN),
                "token_type": "bearer",
                "expires_in": match.int(3600),
                "user_id": ex.uuid(ex.CUSTOMER_ID),
            },
            content_type=ex.JSON,
        )
    )
    response = through_gateway(pacts, pact, "POST", "/api/users/login", json=CREDENTIALS)
    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "bearer"


def test_a_wrong_password_is_refused_with_the_auth_scheme(pacts: PactRecorder) -> None:
    wrong = {**CREDENTIALS, "password": "not the password"}
    pact = pacts.pact("gateway", "users", story="loginUser")
    (
        pact.upon_receiving("a login with a wrong password")
        .given(ex.CUSTOMER_EXISTS, ex.CUSTOMER)
        .with_request("POST", "/users/login")
        .with_body(wrong, content_type=ex.JSON)
        .will_respond_with(401)
        .with_header("WWW-Authenticate", match.regex('Bearer realm="x"', regex=r"^Bearer\b.*"))
        .with_body(ex.problem_body(401), content_type=ex.PROBLEM_JSON)
    )
    response = through_gateway(pacts, pact, "POST", "/api/users/login", json=wrong)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_my_profile_is_read_with_the_callers_token(pacts: PactRecorder) -> None:
    pact = pacts.pact("gateway", "users", story="getMyProfile")
    (
        pact.upon_receiving("a request for the caller's profile")
        .given(ex.CUSTOMER_EXISTS, ex.CUSTOMER)
        .with_request("GET", "/users/me")
        .with_header("Authorization", ex.bearer("customerToken"))
        .will_respond_with(200)
        .with_body(ex.user_body(), content_type=ex.JSON)
    )
    headers = {"authorization": f"Bearer {customer_token(ex.CUSTOMER_ID)}"}
    response = through_gateway(pacts, pact, "GET", "/api/users/me", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["id"] == ex.CUSTOMER_ID
