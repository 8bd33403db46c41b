"""Fixtures every app's tests share."""

from __future__ import annotations

import pytest


def pytest_configure(config):
    # One process runs the tests: its own memory is the shared cache (the site's default is a
    # table of the database), emptied before each test so no test sees another's answers.
    from django.conf import settings

    from kyoten.config import cache_from_url

    settings.CACHES = {"default": cache_from_url("locmem://")}


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()


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


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """LocaleMiddleware leaves the last request's language active in the thread: a test that
    asked in English would otherwise turn the next test's messages English."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def bilingual(client):
    """bilingual(url, [(japanese, english), ...]) → (ja, en) pages of `url` for the logged-in
    client, asserting each label is in Japanese by default (its English original absent there)
    and in English with Accept-Language: en."""
    from django.utils import translation

    def pages(url: str, labels: list[tuple[str, str]]) -> tuple[str, str]:
        try:
            ja = client.get(url).content.decode()
            en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        finally:
            # LocaleMiddleware leaves the last request's language active in the thread.
            translation.deactivate()
        assert [(j in ja, e in ja) for j, e in labels] == [(True, False)] * len(labels), url
        assert [e in en for _, e in labels] == [True] * len(labels), url
        return ja, en

    return pages


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


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """The flush after a transactional test empties every table, the reference data that the
    migrations load (prefectures, borders, designated cities, the FY2009 program) included.
    Load it again for a transactional test that finds it gone. (serialized_rollback instead
    collides with the content types that the flush re-creates.)"""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        "live_server" in request.fixturenames
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps

    from kyoten.core.models import Prefecture
    from kyoten.network import fulltext
    from kyoten.network.models import SearchEntry

    if not SearchEntry.objects.exists():
        fulltext.remove_all()  # the flush knows no virtual table: its index rows outlive it
        from django.core.cache import cache

        cache.clear()  # nor the cache's table: answers cached for another test's data
    if Prefecture.objects.exists():
        return
    importlib.import_module("kyoten.core.migrations.0002_reference_data").load(apps, None)
    importlib.import_module("kyoten.calls.migrations.0002_default_program").create(apps, None)


@pytest.fixture
def queries_flat(client):
    """queries_flat(url, grow) → (queries at first, queries after `grow()`), asserting they are
    equal: a list page reads the same number of queries at ~10 and ~100 rows. `grow()` adds the
    rows; the page is fetched once before counting (first-request lookups), and must answer 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url: str) -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(ctx.captured_queries)

    def measure(url: str, grow) -> tuple[int, int]:
        few = count(url)
        grow()
        many = count(url)
        assert many == few, (url, few, many)
        return few, many

    return measure


@pytest.fixture
def clone_rows(db):
    """clone_rows(obj, n, vary) → n copies of `obj` saved with one bulk insert; `vary(i)` gives
    the fields that differ in copy i (titles, times). For the query-count tests of long lists."""

    def clone(obj, n: int, vary=lambda i: {}):
        model = type(obj)
        base = {
            f.attname: getattr(obj, f.attname)
            for f in model._meta.concrete_fields
            if not f.primary_key
        }
        return model.objects.bulk_create([model(**{**base, **vary(i)}) for i in range(n)])

    return clone
