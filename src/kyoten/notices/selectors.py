from __future__ import annotations

from django.db.models import QuerySet

from kyoten.notices.models import Notice, SentMail


def notices_of(user, *, unread: bool | None = None) -> QuerySet[Notice]:
    """The user's own notices, newest first."""
    qs = Notice.objects.filter(recipient=user)
    if unread is True:
        qs = qs.filter(read_at__isnull=True)
    elif unread is False:
        qs = qs.filter(read_at__isnull=False)
    return qs.order_by("-created_at", "-id")


def unread_count(user) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def sent_mail() -> QuerySet[SentMail]:
    return SentMail.objects.order_by("-sent_at", "-id")
