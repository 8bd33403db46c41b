"""Settings for kyoten, read from KYOTEN_* environment variables (see README, Configuration)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from kyoten.config import (
    cache_from_url,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    sqlite_config,
)

BASE_DIR = Path(__file__).resolve().parent
# django-ninja's API docs page (templates and static files) without importing ninja, and so
# pydantic, into every command: found on disk, not as an installed app (kyoten.api.docs).
NINJA_DIR = Path(importlib.util.find_spec("ninja").submodule_search_locations[0])
PROJECT_DIR = Path(env_str("KYOTEN_HOME", str(Path.cwd())))
VAR_DIR = Path(env_str("KYOTEN_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("KYOTEN_DEBUG", False)
SECRET_KEY = env_str("KYOTEN_SECRET_KEY", "")
if not SECRET_KEY:
    # A development key; `kyoten check --deploy` warns about it in production.
    SECRET_KEY = "kyoten-insecure-development-key-" + "x" * 20
ALLOWED_HOSTS = env_list("KYOTEN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

# Apps follow the program's lifecycle; an app may import only from apps before it.
LIFECYCLE_APPS = [
    "core",
    "notices",
    "accounts",
    "calls",
    "proposals",
    "review",
    "allocation",
    "hubs",
    "equipment",
    "monitoring",
    "network",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    *[f"kyoten.{app}" for app in LIFECYCLE_APPS],
    "kyoten.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # NUL bytes, out-of-range integers and oversized API bodies: 400/413 before any view runs;
    # every answer under /api/ is JSON (docs/api.md).
    "kyoten.core.guards.RequestGuardMiddleware",
    # Anonymous catalogue and directory reads of the API from the shared cache, before any
    # per-user work (docs/scaling.md).
    "kyoten.core.public_cache.PublicReadCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kyoten.core.middleware.DomainErrorMiddleware",
    # Last, so that it sees every answer (SECURITY below).
    "kyoten.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "kyoten.urls"
WSGI_APPLICATION = "kyoten.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kyoten.core.context_processors.navigation",
                "kyoten.notices.context_processors.unread",
            ],
        },
    }
]

_database_url = os.environ.get("KYOTEN_DATABASE_URL", "").strip()
if not _database_url:
    # var/ is not in git: a fresh clone must still get its embedded database (and test copies).
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": database_from_url(_database_url)
    if _database_url
    else sqlite_config(VAR_DIR / "kyoten.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Shared by every app process (public counts, catalogue answers): the database by default.
CACHES = {"default": cache_from_url(os.environ.get("KYOTEN_CACHE_URL", ""))}

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Argon2 first: memory-hard and much cheaper in CPU than PBKDF2 at a comparable strength.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [NINJA_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Uploaded files (proposal attachments, photos) live outside the web root and are served
# only through views that check permissions.
MEDIA_ROOT = VAR_DIR / "private"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The largest body the API accepts, in bytes (KYOTEN_API_MAX_BODY_BYTES); larger: JSON 413.
try:
    API_MAX_BODY_BYTES = int(env_str("KYOTEN_API_MAX_BODY_BYTES", str(10 * 1024 * 1024)))
except ValueError as exc:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"KYOTEN_API_MAX_BODY_BYTES: expected a number of bytes ({exc})"
    ) from exc

TASKS = {
    "default": {
        "BACKEND": env_str(
            "KYOTEN_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Every message is recorded (the officer's outbox page) and then delivered by the backend of
# KYOTEN_EMAIL_BACKEND; the demo writes files under var/mail/.
EMAIL_BACKEND = "kyoten.notices.mail.RecordingBackend"
KYOTEN_MAIL_DELIVERY = env_str(
    "KYOTEN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = env_str("KYOTEN_MAIL_DIR", str(VAR_DIR / "mail"))
KYOTEN_SITE_URL = env_str("KYOTEN_SITE_URL", "http://127.0.0.1:8000")
# Invitation and e-mail verification links stay valid this many days.
KYOTEN_INVITATION_DAYS = 14
# API tokens stop working this many days after they are issued (SPEC §4: 30 by default).
KYOTEN_TOKEN_DAYS = env_int("KYOTEN_TOKEN_DAYS", 30, least=1)
# Failed logins (the login page and POST /api/v1/auth/token, kyoten.core.throttle): after
# KYOTEN_LOGIN_ATTEMPTS failures for one user name, or 4 times as many from one address, within
# KYOTEN_LOGIN_WINDOW seconds, further attempts are refused with 429 until the window ends.
KYOTEN_LOGIN_ATTEMPTS = env_int("KYOTEN_LOGIN_ATTEMPTS", 5, least=1)
KYOTEN_LOGIN_WINDOW = env_int("KYOTEN_LOGIN_WINDOW", 15 * 60, least=1)
DEFAULT_FROM_EMAIL = env_str("KYOTEN_FROM_EMAIL", "kyoten@localhost")

# --- SECURITY (docs/deploy.md, docs/security.md) -------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# KYOTEN_HTTPS=true: the site is reached only over HTTPS. Cookies are sent only over HTTPS,
# plain-HTTP requests are redirected, and browsers are told (HSTS) to use HTTPS for
# KYOTEN_HSTS_SECONDS (a year by default). Each part can be set on its own.
KYOTEN_HTTPS = env_bool("KYOTEN_HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("KYOTEN_SECURE_COOKIES", KYOTEN_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("KYOTEN_SSL_REDIRECT", KYOTEN_HTTPS)
SECURE_HSTS_SECONDS = env_int("KYOTEN_HSTS_SECONDS", 365 * 24 * 3600 if KYOTEN_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KYOTEN_HSTS_SUBDOMAINS", KYOTEN_HTTPS)
SECURE_HSTS_PRELOAD = env_bool("KYOTEN_HSTS_PRELOAD", False)
# The proxy's own health check reaches the app over plain HTTP on these paths.
SECURE_REDIRECT_EXEMPT = env_list("KYOTEN_SSL_REDIRECT_EXEMPT", [])
# KYOTEN_BEHIND_PROXY=true: a reverse proxy (nginx, a load balancer) terminates TLS and sets
# X-Forwarded-Proto and X-Forwarded-For; only then are those headers believed (the scheme for
# SSL redirect and secure cookies, the address for login throttling).
KYOTEN_BEHIND_PROXY = env_bool("KYOTEN_BEHIND_PROXY", False)
if KYOTEN_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Origins (scheme and host, e.g. https://kyoten.example.go.jp) from which forms may be posted
# when they differ from the host of the request (another port or host name of the proxy).
CSRF_TRUSTED_ORIGINS = env_list("KYOTEN_CSRF_TRUSTED_ORIGINS", [])

# Content-Security-Policy of every answer (kyoten.core.middleware): the site's own files only.
KYOTEN_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if SECURE_SSL_REDIRECT:
    KYOTEN_CSP["upgrade-insecure-requests"] = []

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
