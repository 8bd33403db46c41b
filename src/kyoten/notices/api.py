"""SPEC §4: `GET /api/v1/notifications` and `POST /api/v1/notifications/{id}/read`."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from kyoten.api.common import Page, paginate
from kyoten.notices import selectors, services

router = Router(tags=["notifications"])


class NoticeOut(Schema):
    id: int
    kind: str
    text: str
    text_ja: str
    text_en: str
    url: str
    created_at: datetime
    read: bool
    read_at: datetime | None


def _out(n) -> dict:
    return {
        "id": n.pk,
        "kind": n.kind,
        "text": n.text,
        "text_ja": n.text_ja,
        "text_en": n.text_en,
        "url": n.url,
        "created_at": n.created_at,
        "read": n.read_at is not None,
        "read_at": n.read_at,
    }


@router.get("/notifications", response=Page[NoticeOut])
def notification_list(
    request: HttpRequest, unread: bool | None = None, page: int = 1, page_size: int = 50
):
    """The caller's own notices, newest first; `unread=true` for the unread ones only."""
    found = paginate(selectors.notices_of(request.auth, unread=unread), page, page_size)
    return {"items": [_out(n) for n in found["items"]], "count": found["count"]}


@router.post("/notifications/{notice_id}/read", response=NoticeOut)
def notification_read(request: HttpRequest, notice_id: int):
    return _out(services.notice_read(user=request.auth, notice_id=notice_id))
