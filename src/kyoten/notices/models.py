"""Notices to people (in-app and by e-mail), their preferences, and a record of sent mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kyoten.notices.enums import Delivery, NoticeKind


def notice_kinds():
    """The kinds as a callable, so that a new kind needs no migration (each app adds its own)."""
    return NoticeKind.choices


class Notice(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=notice_kinds)
    text_ja = models.CharField(_("text (Japanese)"), max_length=500)
    text_en = models.CharField(_("text (English)"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # Reminders and other repeatable notices carry a key: one notice per recipient and key.
    key = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notice_key_once",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return self.text_en if (get_language() or "ja").startswith("en") else self.text_ja


class NoticePreference(models.Model):
    """How a person wants one kind of notice; no row means in the app and by e-mail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=notice_kinds)
    delivery = models.CharField(_("delivery"), max_length=8, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notice preference")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class SentMail(models.Model):
    """Every e-mail the site sent, recorded by the mail backend (see `mail.py`)."""

    to = models.CharField(_("to"), max_length=500)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("sent e-mail")

    def __str__(self) -> str:
        return self.subject
