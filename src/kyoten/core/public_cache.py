"""Public catalogue and directory reads answered from the shared cache.

An anonymous `GET` of the equipment catalogue or the hub directory in the API (`PATHS`) is the
same for every visitor, so its answer is kept in the site's shared cache (`CACHES`, the
database's `kyoten_cache` table or Redis: every app process and server sees it) and answered
from there before any per-user work: the middleware sits before authentication, messages and
the views. The answer carries an `ETag`; a client that sends it back in `If-None-Match` gets a
304 without the body.

A cached answer is dropped on write: every save or delete of a model of the `WATCHED` apps
changes the cache's version (at once and again once the transaction commits, so no process keeps
an answer read before the commit), which changes every key. An answer also expires after
`TIMEOUT` seconds, because the next free slot of a machine moves with the clock.

A signed-in user (a session cookie or an `Authorization` header) is never served from here:
their answer holds their own fee.
"""

from __future__ import annotations

import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

PATHS = re.compile(r"^/api/v1/(equipment|hubs)(/\d+)?/?$")
WATCHED = frozenset({"equipment", "hubs"})
TIMEOUT = 60
VERSION_KEY = "public-reads:version"


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        current = str(time.time_ns())
        cache.add(VERSION_KEY, current, timeout=None)
        current = cache.get(VERSION_KEY, current)
    return current


def forget() -> None:
    """Drop every cached public answer, now and once the transaction commits."""

    def bump():
        cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)

    bump()
    transaction.on_commit(bump)


def _changed(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if (
        meta is not None
        and meta.app_label in WATCHED
        and not meta.model_name.startswith("historical")
    ):
        forget()


def connect() -> None:
    """Called once from the core app's `ready`."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"public-reads-{id(signal)}")


def _cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and PATHS.match(request.path_info) is not None
        and "Authorization" not in request.headers
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _answer(request, body: bytes, content_type: str, etag: str, state: str) -> HttpResponse:
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["X-Kyoten-Cache"] = state
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


class PublicReadCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable(request):
            return self.get_response(request)
        where = f"{version()}|{get_language()}|{request.get_full_path()}"
        key = "public-reads:" + hashlib.sha256(where.encode()).hexdigest()
        hit = cache.get(key)
        if hit is not None:
            return _answer(request, *hit, state="hit")
        response = self.get_response(request)
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        stored = (response.content, response["Content-Type"], _etag(response.content))
        cache.set(key, stored, TIMEOUT)
        return _answer(request, *stored, state="miss")
