"""Throttling of failed logins (SPEC §4, issue 17 item 4).

The login page and `POST /api/v1/auth/token` count failed attempts in the shared cache (the
database's cache table by default, so every app process sees the same counts), under two keys:
the user name tried, and the address the attempt came from. After `KYOTEN_LOGIN_ATTEMPTS`
failures for a user name (or four times as many from one address) within `KYOTEN_LOGIN_WINDOW`
seconds, every further attempt — even with the right password — is refused with 429 and a
`Retry-After` header until the window that began with the first failure ends. A successful
login clears the user name's count.

The window is fixed (it starts at the first failure and is not prolonged by later ones), so a
person who is locked out knows exactly when to try again; the page tells them the time.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

PREFIX = "login-fail"
ADDRESS_FACTOR = 4


@dataclass(frozen=True)
class Refusal:
    """Attempts are refused for `retry_after` more seconds (until `until`, a Unix time)."""

    retry_after: int
    until: float


def client_address(request) -> str:
    """The address of the client: REMOTE_ADDR, or behind a proxy (KYOTEN_BEHIND_PROXY) the last
    address of X-Forwarded-For — the one our own proxy added, which the client cannot forge."""
    if getattr(settings, "KYOTEN_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _keys(request, username: str) -> list[tuple[str, int]]:
    limit = settings.KYOTEN_LOGIN_ATTEMPTS
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return [
        (f"{PREFIX}:user:{name}", limit),
        (f"{PREFIX}:addr:{address}", limit * ADDRESS_FACTOR),
    ]


def refusal(request, username: str) -> Refusal | None:
    """A Refusal if attempts for this user name or from this address are throttled now."""
    now = time.time()
    worst: Refusal | None = None
    for key, limit in _keys(request, username):
        record = cache.get(key)
        if not record or record["count"] < limit or record["until"] <= now:
            continue
        seconds = max(1, math.ceil(record["until"] - now))
        if worst is None or seconds > worst.retry_after:
            worst = Refusal(retry_after=seconds, until=record["until"])
    return worst


def failed(request, username: str) -> None:
    """Count one failed attempt for this user name and this address."""
    now = time.time()
    window = settings.KYOTEN_LOGIN_WINDOW
    for key, _limit in _keys(request, username):
        record = cache.get(key)
        if not record or record["until"] <= now:
            record = {"count": 0, "until": now + window}
        record["count"] += 1
        cache.set(key, record, timeout=max(1, math.ceil(record["until"] - now)))


def succeeded(request, username: str) -> None:
    """A successful login clears the user name's count (not the address's)."""
    cache.delete(_keys(request, username)[0][0])
