"""Request guards: bad input is refused with a 400 before any view or database sees it.

`RequestGuardMiddleware` (near the top of MIDDLEWARE) refuses, for pages and the API alike:

* NUL bytes in the path, a query string, a form field or a JSON body (PostgreSQL cannot store
  them in text, SQLite would store them silently);
* integers outside the 64-bit range of the database (below -2^63 or above 2^63-1) in a query
  string or anywhere in a JSON body: they would overflow the database's integers;
* under `/api/`, a body larger than `settings.API_MAX_BODY_BYTES` (`KYOTEN_API_MAX_BODY_BYTES`,
  10 MB by default): 413;
* under `/api/`, a JSON body that is not JSON.

Under `/api/` every answer is JSON: a 404 for an unknown path, a 405 for a wrong method, the
refusals above and any other error Django answers itself come out as `{"detail", "rule",
"field"}` (SPEC §4). Pages get the site's 400 page.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024


class Refusal(Exception):
    def __init__(self, status: int, detail: str, *, field: str = "", rule: str = "") -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field = field
        self.rule = rule


def _max_body() -> int:
    return int(getattr(settings, "API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def _is_out_of_range_int(text: str) -> bool:
    stripped = text.strip()
    digits = stripped[1:] if stripped[:1] in "+-" else stripped
    if not digits.isascii() or not digits.isdigit() or len(digits) < 19:
        return False
    return not INT_MIN <= int(stripped) <= INT_MAX


def _check_text(value: str, field: str) -> None:
    if "\x00" in value:
        raise Refusal(400, _("%(field)s: NUL characters are not allowed") % {"field": field},
                      field=field, rule="input.nul")  # fmt: skip


def _check_query_value(value: str, field: str) -> None:
    _check_text(value, field)
    if _is_out_of_range_int(value):
        raise Refusal(400, _("%(field)s: the number is too large") % {"field": field},
                      field=field, rule="input.range")  # fmt: skip


def _walk_json(value: Any, path: str) -> None:
    if isinstance(value, str):
        _check_text(value, path or "body")
    elif isinstance(value, bool) or value is None or isinstance(value, float):
        return
    elif isinstance(value, int):
        if not INT_MIN <= value <= INT_MAX:
            field = path or "body"
            raise Refusal(400, _("%(field)s: the number is too large") % {"field": field},
                          field=field, rule="input.range")  # fmt: skip
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, path or "body")
            _walk_json(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk_json(item, f"{path}[{index}]")


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise Refusal(400, _("the Content-Length header is not a number")) from None


def check_request(request: HttpRequest) -> None:
    """Raise `Refusal` for a request no view should see."""
    is_api = request.path.startswith(API_PREFIX)
    _check_text(request.path, "path")
    for key, values in request.GET.lists():
        _check_text(key, key.replace("\x00", "") or "query")
        for value in values:
            _check_query_value(value, key)
    if request.method in {"GET", "HEAD", "OPTIONS"} and not _content_length(request):
        return
    length = _content_length(request)
    if is_api and length > _max_body():
        raise Refusal(413, _("the request body is larger than %(most)d bytes") % {"most": _max_body()},
                      field="body", rule="input.size")  # fmt: skip
    content_type = request.content_type or ""
    if content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        for key, values in request.POST.lists():
            _check_text(key, key.replace("\x00", "") or "body")
            for value in values:
                _check_text(value, key)
    elif content_type == "application/json" or (is_api and content_type.endswith("+json")):
        raw = request.body
        if not raw.strip():
            return
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            if not is_api:
                return  # the page's own view says what it expects
            raise Refusal(400, _("the request body is not valid JSON"), field="body") from None
        _walk_json(data, "")
    elif is_api and length:
        # Any other body (text/plain, octet-stream…) is refused outright if it holds a NUL.
        if b"\x00" in request.body:
            raise Refusal(400, _("body: NUL characters are not allowed"), field="body",
                          rule="input.nul")  # fmt: skip


def json_error(
    status: int, detail: str, *, field: str = "", rule: str = "", **headers
) -> JsonResponse:
    body: dict[str, Any] = {"detail": detail}
    if rule:
        body["rule"] = rule
    if field:
        body["field"] = field
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith(API_PREFIX)
        try:
            check_request(request)
        except Refusal as refusal:
            if is_api:
                return json_error(refusal.status, refusal.detail, field=refusal.field,
                                  rule=refusal.rule)  # fmt: skip
            return self._page_refusal(request, refusal)
        except RequestDataTooBig:
            if is_api:
                return json_error(413, _("the request body is too large"), field="body",
                                  rule="input.size")  # fmt: skip
            raise
        response = self.get_response(request)
        if is_api and response.status_code >= 400 and not _is_json(response):
            response = self._as_json(response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if request.path.startswith(API_PREFIX) and isinstance(exception, RequestDataTooBig):
            return json_error(
                413, _("the request body is too large"), field="body", rule="input.size"
            )
        return None

    @staticmethod
    def _page_refusal(request: HttpRequest, refusal: Refusal) -> HttpResponse:
        from django.core.exceptions import SuspiciousOperation
        from django.urls import get_resolver

        if not hasattr(request, "user"):
            # This runs before AuthenticationMiddleware; the error page shows who is signed in.
            from django.contrib.auth.middleware import get_user
            from django.utils.functional import SimpleLazyObject

            request.user = SimpleLazyObject(lambda: get_user(request))
        callback = get_resolver().resolve_error_handler(400)
        response = callback(request, exception=SuspiciousOperation(refusal.detail))
        response.status_code = refusal.status if refusal.status != 413 else 400
        return response

    @staticmethod
    def _as_json(response: HttpResponse) -> HttpResponse:
        status = response.status_code
        if status == 404:
            return json_error(404, _("not found"))
        if status == 405:
            allowed = response.get("Allow", "")
            return json_error(
                405,
                _("method not allowed; allowed: %(allowed)s") % {"allowed": allowed or "-"},
                **({"Allow": allowed} if allowed else {}),
            )
        if status == 413:
            return json_error(
                413, _("the request body is too large"), field="body", rule="input.size"
            )
        if status == 403:
            return json_error(403, _("your role may not do this"))
        if status >= 500:
            return json_error(status, _("server error"))
        return json_error(status, _("bad request"))
