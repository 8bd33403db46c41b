"""Writes of notices: `notify` is the one way every app tells a person of a hand-off."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone, translation

from kyoten.core.errors import DomainError, NotFound
from kyoten.notices import tasks
from kyoten.notices.enums import MANDATORY, Delivery, NoticeKind
from kyoten.notices.models import Notice, NoticePreference


def render(message, params: dict | None, language: str) -> str:
    """`message` (a lazy gettext string with %(name)s placeholders) in `language`."""
    with translation.override(language):
        values = {k: str(v) for k, v in (params or {}).items()}
        return str(message) % values if values else str(message)


@transaction.atomic
def notify(
    *,
    recipients: Iterable,
    kind: str,
    message,
    params: dict | None = None,
    url: str = "",
    key: str = "",
) -> list[Notice]:
    """Tell each recipient (once each): an in-app notice, and an e-mail unless they chose
    otherwise. With `key`, a recipient who already has a notice of that key gets none again
    (reminders run daily)."""
    if kind not in NoticeKind.values:
        raise DomainError(f"unknown notice kind {kind!r}", field="kind")
    people = {u.pk: u for u in recipients if u is not None and u.pk and u.is_active}
    if not people:
        return []
    if key:
        seen = set(
            Notice.objects.filter(recipient_id__in=people, key=key).values_list(
                "recipient_id", flat=True
            )
        )
        people = {pk: u for pk, u in people.items() if pk not in seen}
    chosen = dict(
        NoticePreference.objects.filter(user_id__in=people, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    text_ja = render(message, params, "ja")[:500]
    text_en = render(message, params, "en")[:500]
    made = []
    for pk, user in people.items():
        delivery = Delivery.EMAIL if kind in MANDATORY else chosen.get(pk, Delivery.EMAIL)
        if delivery == Delivery.OFF:
            continue
        notice = Notice.objects.create(
            recipient=user, kind=kind, text_ja=text_ja, text_en=text_en, url=url, key=key
        )
        made.append(notice)
        if delivery == Delivery.EMAIL and user.email:
            # With the worker's database backend the task row commits with this write.
            tasks.send_notice_email.enqueue(notice.pk)
    return made


def _own(user, notice_id: int) -> Notice:
    try:
        return Notice.objects.get(pk=notice_id, recipient=user)
    except Notice.DoesNotExist:
        raise NotFound("no such notice") from None


@transaction.atomic
def notice_read(*, user, notice_id: int) -> Notice:
    notice = _own(user, notice_id)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


@transaction.atomic
def notices_read_all(*, user) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_set(*, user, choices: dict[str, str]) -> None:
    """Set how `user` wants each kind; the mandatory kinds stay in the app and by e-mail."""
    for kind, delivery in choices.items():
        if kind not in NoticeKind.values:
            raise DomainError(f"unknown notice kind {kind!r}", field=kind)
        if delivery not in Delivery.values:
            raise DomainError(f"unknown delivery {delivery!r}", field=kind)
        if kind in MANDATORY and delivery != Delivery.EMAIL:
            raise DomainError("this notice is always sent by e-mail", field=kind)
    for kind, delivery in choices.items():
        if delivery == Delivery.EMAIL:
            NoticePreference.objects.filter(user=user, kind=kind).delete()
        else:
            NoticePreference.objects.update_or_create(
                user=user, kind=kind, defaults={"delivery": delivery}
            )
