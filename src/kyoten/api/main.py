"""The HTTP API at /api/v1/: one NinjaAPI, routers from each app's `api` module.

Errors speak the request's language: LocaleMiddleware reads Accept-Language (Japanese by
default, like the pages), and services and these handlers mark their texts for translation.
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger, _csrf_needed

from kyoten import __version__
from kyoten.api.common import auth, error_body
from kyoten.core.errors import DomainError
from kyoten.core.registry import app_modules


class Docs(Swagger):
    """Swagger UI from the files shipped with ninja (settings.NINJA_DIR), never from a CDN:
    ninja renders its own template only when it is an installed app, which would import it
    and pydantic into every command."""

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api,
                   "add_csrf": _csrf_needed(api)}  # fmt: skip
        return render(request, self.template, context)


ERROR_SCHEMA = {
    "title": "Error",
    "description": "Every error answer (SPEC §4): what went wrong, the program rule that failed "
    "(R-1 … R-15, or input.* for a refused input) and the field it concerns.",
    "type": "object",
    "properties": {
        "detail": {"title": "Detail", "type": "string"},
        "rule": {"title": "Rule", "type": "string"},
        "field": {"title": "Field", "type": "string"},
        "errors": {
            "title": "Errors",
            "description": "Every invalid field of the input, when there are several.",
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
    },
    "required": ["detail"],
}
ERROR_DESCRIPTIONS = {
    400: "Bad input: a field fails its type, range or a program rule",
    401: "Authentication required",
    403: "Your role may not do this (or a CSRF failure of a signed-in session)",
    404: "Not found, or not visible to you",
    405: "Method not allowed",
    409: "Conflict with the current state (a transition not allowed now, a double booking)",
    413: "The request body is larger than KYOTEN_API_MAX_BODY_BYTES",
    429: "Too many attempts; retry after the Retry-After header's seconds",
}
PUBLIC_SCHEMES = {"OptionalAuth"}


def _error_statuses(path: str, method: str, operation: dict, public: bool) -> list[int]:
    statuses = [400, 404]
    if not public:
        statuses += [401, 403]
    if method != "get":
        statuses += [403, 409]
    if "requestBody" in operation:
        statuses.append(413)
    if path.endswith("/auth/token"):
        statuses += [401, 429]  # a wrong password; throttled attempts
    return sorted(set(statuses))


def document_errors_and_public(doc: dict) -> dict:
    """Every operation lists its error answers with the one error schema, and public
    operations say `security: []` (they accept a token or a session but need neither)."""
    doc.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    schemes = doc["components"].get("securitySchemes", {})
    for name in PUBLIC_SCHEMES:
        schemes.pop(name, None)
    for path, ops in doc["paths"].items():
        for method, operation in ops.items():
            security = operation.get("security")
            public = not security or all(set(s) <= PUBLIC_SCHEMES for s in security)
            if public:
                operation["security"] = []
            responses = operation.setdefault("responses", {})
            for status in _error_statuses(path, method, operation, public):
                responses.setdefault(
                    status,
                    {
                        "description": ERROR_DESCRIPTIONS[status],
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return doc


class KyotenAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        doc = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors_and_public(doc)


api = KyotenAPI(
    title="kyoten API",
    version=__version__,
    description="Regional joint research hubs: calls, proposals, review, allocation, hubs, "
    "equipment, monitoring and the hub network. Errors: {detail, rule, field}.",
    auth=auth,
    urls_namespace="api",
    docs=Docs(),
)


def _field_of(loc: list) -> str:
    # ninja reports ("body", "payload", "start") or ("query", "page"); keep the user's path.
    parts = [str(p) for p in loc if p not in {"body", "query", "path", "form", "payload"}]
    out = ""
    for part in parts:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    problems = []
    for err in exc.errors:
        field = _field_of(list(err.get("loc", [])))
        problems.append({"field": field, "message": err.get("msg", "invalid")})
    first = problems[0] if problems else {"field": "", "message": _("invalid input")}
    body = {"detail": f"{first['field']}: {first['message']}", "errors": problems}
    if first["field"]:
        body["field"] = first["field"]
    return api.create_response(request, body, status=400)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return api.create_response(request, error_body(exc), status=exc.status)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(request, {"detail": _("authentication required")}, status=401)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("not found")}, status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return api.create_response(
        request, {"detail": str(exc) or _("your role may not do this")}, status=403
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


for _app, module in app_modules("api"):
    api.add_router("", module.router)
