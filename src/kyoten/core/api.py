"""Core API: tokens, the signed-in user, prefectures and organisations."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kyoten.api.common import ApiError, Page, paginate, public
from kyoten.core import selectors, services, throttle

router = Router(tags=["core"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class MeOut(Schema):
    username: str
    role: str
    display_name: str
    prefecture: str | None = None
    organisation: str | None = None


class PrefectureOut(Schema):
    code: str
    name_ja: str
    name_en: str
    block: str
    borders: list[str]
    designated_cities: list[dict]


class OrganisationOut(Schema):
    id: int
    name: str
    name_en: str
    kind: str
    prefecture: str | None
    is_sme: bool


class TokenErrorOut(Schema):
    detail: str
    field: str | None = None


def _throttled(refusal) -> JsonResponse:
    response = JsonResponse(
        {
            "detail": _("too many failed logins; try again in %(seconds)d seconds")
            % {"seconds": refusal.retry_after},
            "field": "password",
        },
        status=429,
    )
    response["Retry-After"] = str(refusal.retry_after)
    return response


@router.post(
    "/auth/token",
    response={201: TokenOut, 401: TokenErrorOut, 429: TokenErrorOut},
    auth=None,
    tags=["auth"],
)
def token_create(request, payload: TokenIn):
    """Exchange a username and password for a bearer token.

    The token expires after KYOTEN_TOKEN_DAYS days (30 by default). Repeated failed attempts
    for a user name or from an address are answered 429 with `Retry-After` (seconds)."""
    refusal = throttle.refusal(request, payload.username)
    if refusal is not None:
        return _throttled(refusal)
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        throttle.failed(request, payload.username)
        raise ApiError(401, _("invalid username or password"), field="password")
    throttle.succeeded(request, payload.username)
    return Status(201, {"token": services.token_issue(user=user)})


@router.delete("/auth/token", response={204: None}, tags=["auth"])
def token_revoke(request):
    """Revoke the bearer token this request is sent with; it answers 401 from then on."""
    record = getattr(request, "api_token", None)
    if record is None:
        raise ApiError(
            400,
            _("send the token to revoke as Authorization: Bearer <token>"),
            field="Authorization",
        )
    services.token_revoke(user=record.user, token_id=record.pk)
    return Status(204, None)


@router.get("/me", response=MeOut)
def me(request):
    user = request.auth
    return {
        "username": user.username,
        "role": user.role,
        "display_name": str(user),
        "prefecture": user.prefecture_id,
        "organisation": user.organisation.name if user.organisation_id else None,
    }


def _prefecture_out(p) -> dict:
    return {
        "code": p.code,
        "name_ja": p.name_ja,
        "name_en": p.name_en,
        "block": p.block,
        "borders": sorted(b.code for b in p.borders.all()),
        "designated_cities": [
            {"name_ja": c.name_ja, "since": c.since.isoformat()} for c in p.cities.all()
        ],
    }


@router.get("/prefectures", response=Page[PrefectureOut], auth=public)
def prefecture_list(request, page: int = 1, page_size: int = 50, block: str | None = None):
    result = paginate(selectors.prefectures(block=block), page, page_size)
    result["items"] = [_prefecture_out(p) for p in result["items"]]
    return result


@router.get("/prefectures/{code}", response=PrefectureOut, auth=public)
def prefecture_detail(request, code: str):
    return _prefecture_out(get_object_or_404(selectors.prefectures(), code=code))


@router.get("/organisations", response=Page[OrganisationOut], auth=public)
def organisation_list(
    request,
    page: int = 1,
    page_size: int = 20,
    kind: str | None = None,
    prefecture: str | None = None,
    q: str | None = None,
):
    qs = selectors.organisations(kind=kind, prefecture=prefecture, q=q)
    result = paginate(qs, page, page_size)
    result["items"] = [
        {
            "id": o.id,
            "name": o.name,
            "name_en": o.name_en,
            "kind": o.kind,
            "prefecture": o.prefecture_id,
            "is_sme": o.is_sme,
        }
        for o in result["items"]
    ]
    return result
