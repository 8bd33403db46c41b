"""Typed readers for KYOTEN_* environment variables that fail loudly on a bad value."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}: expected true or false, got {raw!r}")


def env_int(name: str, default: int, *, least: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {raw!r}") from None
    if value < least:
        raise ImproperlyConfigured(f"{name}: expected {least} or more, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


CACHE_TABLE = "kyoten_cache"


def cache_from_url(url: str) -> dict:
    """A Django CACHES entry from KYOTEN_CACHE_URL.

    Empty (the default): the database's own table `kyoten_cache` (created by a migration), which
    every app process and machine of the site shares; `redis://…` or `rediss://…`: Redis; and
    `locmem://` for a single process (a check, tests of one process)."""
    url = url.strip()
    if not url:
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url == "locmem://":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(
        f"KYOTEN_CACHE_URL: expected redis://…, rediss://…, locmem:// or nothing, got {url!r}"
    )


def database_from_url(url: str) -> dict:
    """A Django DATABASES entry from KYOTEN_DATABASE_URL (sqlite:///… or postgres://…)."""
    import dj_database_url

    scheme = url.split(":", 1)[0] if ":" in url else ""
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"KYOTEN_DATABASE_URL: unsupported or malformed URL {url!r} "
            "(expected sqlite:///path/to/file.sqlite3 or postgres://user:pass@host:port/name)"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj_database_url raises several types
        raise ImproperlyConfigured(f"KYOTEN_DATABASE_URL: malformed URL {url!r}: {exc}") from exc
    if config["ENGINE"].endswith("sqlite3"):
        if not config.get("NAME") or config["NAME"] in {":memory:", ""}:
            raise ImproperlyConfigured(f"KYOTEN_DATABASE_URL: no SQLite file in {url!r}")
        config = sqlite_config(config["NAME"])
    elif not config.get("NAME"):
        raise ImproperlyConfigured(f"KYOTEN_DATABASE_URL: no database name in {url!r}")
    return config


def sqlite_config(path) -> dict:
    """SQLite as the embedded default: WAL, IMMEDIATE transactions, a busy timeout."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
        # A file (not :memory:) so tests can race connections; one per process.
        "TEST": {"NAME": f"{path}.test-{os.getpid()}"},
        "CONN_MAX_AGE": 60,
    }
