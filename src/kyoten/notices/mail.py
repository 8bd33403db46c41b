"""The site's e-mail backend: records every message (the officer's outbox page lists them),
then hands it to the backend that delivers (`KYOTEN_EMAIL_BACKEND`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend


class RecordingBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.inner = get_connection(settings.KYOTEN_MAIL_DELIVERY, fail_silently=fail_silently)

    def send_messages(self, email_messages) -> int:
        from kyoten.notices.models import SentMail

        sent = self.inner.send_messages(email_messages) or 0
        SentMail.objects.bulk_create(
            SentMail(to=", ".join(m.to)[:500], subject=m.subject[:300], body=m.body)
            for m in email_messages
        )
        return sent
