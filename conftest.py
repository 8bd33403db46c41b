"""Fixtures every app's tests share."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashers cost ~0.2 s a login on this machine; tests need none of that strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db):
    """make_user("officer") → a saved user of that role with password "pw"."""
    from kyoten.core.services import user_create

    counter = iter(range(1, 10_000))

    def make(role: str = "public", *, username: str | None = None, **kwargs):
        return user_create(
            username=username or f"{role}{next(counter)}",
            password="pw",
            role=role,
            **kwargs,
        )

    return make


@pytest.fixture
def api_token(client):
    """api_token(user) → "Bearer …" for that user, through the real token endpoint."""

    def token(user) -> str:
        response = client.post(
            "/api/v1/auth/token",
            {"username": user.username, "password": "pw"},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        return "Bearer " + response.json()["token"]

    return token
