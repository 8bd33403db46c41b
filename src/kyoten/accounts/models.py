"""Invitations: how the program brings a person in (a new account, or a role for an old one)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyoten.core.enums import Role


class Invitation(models.Model):
    """One person invited by e-mail for one purpose (e.g. a seat on a committee, a signature).

    The link carries a signed token naming this row and its nonce; resending draws a new nonce
    (the old link stops working), accepting or withdrawing ends it.
    """

    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=40)
    target_id = models.CharField(_("for"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    nonce = models.CharField(max_length=32)
    sent_count = models.PositiveSmallIntegerField(default=1)
    last_sent_at = models.DateTimeField(_("last sent at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["invited_by", "-created_at"], name="invitation_by")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.withdrawn_at:
            return "withdrawn"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    def get_state_display(self) -> str:
        return str(STATE_LABELS[self.state])


STATE_LABELS = {
    "pending": _("waiting for an answer"),
    "accepted": _("accepted"),
    "withdrawn": _("withdrawn"),
    "expired": _("expired"),
}
