"""What every API router shares: auth, the error shape and pagination of SPEC §4."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.security import APIKeyCookie, HttpBearer

from kyoten.core.errors import DomainError
from kyoten.core.models import ApiToken

T = TypeVar("T")

MAX_PAGE_SIZE = 200


class ApiError(DomainError):
    """Raise from an endpoint to answer `status` with `{"detail", "rule", "field"}`.

    Services raise `kyoten.core.errors.DomainError` and its kinds; both come out the same way.
    """

    def __init__(
        self, status: int, detail: str, *, rule: str | None = None, field: str | None = None
    ):
        super().__init__(detail, field=field, rule=rule)
        self.status = status


def error_body(exc: DomainError) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": exc.message}
    if exc.rule:
        body["rule"] = exc.rule
    if exc.field:
        body["field"] = exc.field
    return body


class Page(Schema, Generic[T]):
    """The shape of every list: `{"items": [...], "count": n}`."""

    items: list[T]
    count: int


class BearerAuth(HttpBearer):
    def authenticate(self, request, token: str):
        # Revoked and expired tokens, and tokens of inactive users, open nothing (SPEC §4).
        record = ApiToken.find(token)
        if record is None:
            return None
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
        request.user = record.user
        request.api_token = record  # DELETE /api/v1/auth/token revokes this one
        return record.user


class SessionAuth(APIKeyCookie):
    """The browser's session (with Django's CSRF check on unsafe methods)."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request):
        # No signed-in session: nothing to protect from cross-site forgery, so an anonymous
        # write is answered 401 ("authentication required"), not a CSRF 403.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


class OptionalAuth(HttpBearer):
    """For public endpoints: never refuses; request.auth is the user or AnonymousUser."""

    def __call__(self, request):
        user = BearerAuth()(request) if request.headers.get("Authorization") else None
        if user is None:
            session_user = getattr(request, "user", None)
            user = session_user if session_user and session_user.is_authenticated else None
        return user or AnonymousUser()

    def authenticate(self, request, token):  # pragma: no cover - __call__ handles it
        return None


auth = [BearerAuth(), SessionAuth()]
public = OptionalAuth()


def paginate(items: QuerySet | list, page: int = 1, page_size: int = 20) -> dict[str, Any]:
    """`{"items": [...], "count": n}` for one page (1-based); bad values are a 400 naming the field."""
    if page < 1:
        raise ApiError(400, _("page must be 1 or more"), field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ApiError(
            400,
            _("page_size must be between 1 and %(most)d") % {"most": MAX_PAGE_SIZE},
            field="page_size",
        )
    count = items.count() if isinstance(items, QuerySet) else len(items)
    start = (page - 1) * page_size
    if start >= count:
        # Past the end (page=10**18 included): an empty page, never an OFFSET the database
        # cannot hold.
        return {"items": [], "count": count}
    return {"items": list(items[start : start + page_size]), "count": count}
