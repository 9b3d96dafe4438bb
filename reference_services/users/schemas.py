"""The users API's bodies (must match contracts/openapi/users.yaml)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from reference_services.kit.params import RequestBody

# No whitespace anywhere. `\s` alone differs between the contract's regex dialect
# (ECMA-262: U+FEFF is whitespace, U+0085 is not) and the service's (Unicode: the reverse),
# so both are named: the pattern then means the same to every client and to the service.
EMAIL_PATTERN = r"^[^@\s\x85\ufeff]{1,64}@[^@\s\x85\ufeff]{1,189}\.[^@\s\x85\ufeff.]{2,63}$"


class Registration(RequestBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"email": "ada@example.com", "password": "correct horse battery", "name": "Ada"}
            ]
        },
    )

    email: str = Field(max_length=254, pattern=EMAIL_PATTERN)
    password: str = Field(min_length=8, max_length=128)
    name: str = Field(min_length=1, max_length=100)


class Credentials(RequestBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"email": "ada@example.com", "password": "correct horse battery"}]
        },
    )

    email: str = Field(max_length=254)
    password: str = Field(max_length=128)


class User(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "0b7e3f52-5c1d-4e8a-8f0e-7d9c2b1a6e34",
                    "email": "ada@example.com",
                    "name": "Ada",
                    "role": "customer",
                    "created_at": "2026-11-25T10:00:00Z",
                }
            ]
        }
    )

    id: str
    email: str
    name: str
    role: Literal["customer", "admin"]
    created_at: datetime


class AccessToken(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "eyJhbGciOiJIUzI1NiJ9.e30.signature",
                    "token_type": "bearer",
                    "expires_in": 3600,
                    "user_id": "0b7e3f52-5c1d-4e8a-8f0e-7d9c2b1a6e34",
                }
            ]
        }
    )

    access_token: str
    token_type: Literal["bearer"]
    expires_in: int
    user_id: str
