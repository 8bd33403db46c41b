"""Reference data (prefectures, designated cities), organisations, people and users."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kyoten.core.enums import SECTOR_OF_KIND, OrganisationKind, Role
from kyoten.core.reference import BLOCKS


class Prefecture(models.Model):
    """One of the 47 prefectures; loaded from core/data/japan_reference.json by a migration."""

    code = models.CharField(_("JIS X 0401 code"), max_length=2, primary_key=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=8)
    name_en = models.CharField(_("name (English)"), max_length=16)
    block = models.CharField(
        _("regional block"), max_length=10, choices=[(k, v[1]) for k, v in BLOCKS.items()]
    )
    borders = models.ManyToManyField("self", blank=True, verbose_name=_("land borders"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("prefecture")
        verbose_name_plural = _("prefectures")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ja").startswith("en") else self.name_ja

    @property
    def block_name(self) -> str:
        ja, en = BLOCKS[self.block]
        return en if (get_language() or "ja").startswith("en") else ja


class DesignatedCity(models.Model):
    """政令指定都市 with the date it became one."""

    name_ja = models.CharField(_("name"), max_length=16, unique=True)
    prefecture = models.ForeignKey(Prefecture, on_delete=models.PROTECT, related_name="cities")
    since = models.DateField(_("designated since"))

    class Meta:
        ordering = ["prefecture", "since", "name_ja"]
        verbose_name = _("designated city")
        verbose_name_plural = _("designated cities")

    def __str__(self) -> str:
        return self.name_ja


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    prefecture = models.ForeignKey(
        Prefecture, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    is_sme = models.BooleanField(_("small or medium-sized enterprise"), default=False)
    website = models.URLField(_("website"), blank=True)
    billing_contact = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="billed_organisations",
        verbose_name=_("billing contact"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="organisation_name_kind_unique"),
            models.CheckConstraint(
                condition=models.Q(is_sme=False) | models.Q(kind=OrganisationKind.COMPANY),
                name="organisation_sme_is_company",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sector(self) -> str:
        return SECTOR_OF_KIND[OrganisationKind(self.kind)]


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PUBLIC)
    display_name = models.CharField(_("name"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    prefecture = models.ForeignKey(
        Prefecture,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("For applicants: the prefecture they act for. Otherwise where they work."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=[("ja", "日本語"), ("en", "English")], default="ja"
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def roles(self) -> frozenset[str]:
        """The primary role and every role granted since (a university head who also reviews).
        Read once per user object: permission predicates ask it many times a request."""
        cached = self.__dict__.get("_roles")
        if cached is None:
            granted = self.role_grants.values_list("role", flat=True) if self.pk else []
            cached = self.__dict__["_roles"] = frozenset([self.role, *granted])
        return cached

    def forget_roles(self) -> None:
        self.__dict__.pop("_roles", None)


class RoleGrant(models.Model):
    """A role a user holds beside their primary one; several per user, each once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("role grant")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_grant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.role}"


class Person(models.Model):
    """Someone the program knows of (signatory, committee member, expert), with or without login."""

    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("name (kana)"), max_length=100, blank=True)
    title = models.CharField(pgettext_lazy("person", "title"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Tokens that still open the API: neither revoked nor expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A bearer token for programs; only its SHA-256 is stored.

    It expires `settings.KYOTEN_TOKEN_DAYS` days after it is issued and can be revoked (by the
    program that holds it, `DELETE /api/v1/auth/token`, or by its user on the profile page);
    a revoked token is kept, with its history, never deleted."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    # The first characters of the key, so that a person can tell their tokens apart.
    prefix = models.CharField(_("starts with"), max_length=8, blank=True, default="")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("API token")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"token {self.prefix}… of {self.user_id} from {self.created_at:%Y-%m-%d}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User) -> str:
        from datetime import timedelta

        from django.conf import settings

        key = secrets.token_urlsafe(32)
        now = timezone.now()
        cls.objects.create(
            user=user,
            key_hash=cls.hash(key),
            prefix=key[:6],
            created_at=now,
            expires_at=now + timedelta(days=settings.KYOTEN_TOKEN_DAYS),
        )
        return key

    @classmethod
    def find(cls, key: str) -> ApiToken | None:
        """The usable token with this key (its user active), or None."""
        record = (
            cls.objects.usable()
            .select_related("user")
            .filter(key_hash=cls.hash(key), user__is_active=True)
            .first()
        )
        return record

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is not None and self.expires_at > timezone.now()
        )


class SiteState(models.Model):
    """One row: facts about this installation (whether it holds the demo data set)."""

    demo_loaded_at = models.DateTimeField(null=True, blank=True)
    demo_seed = models.IntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"demo loaded at {self.demo_loaded_at}" if self.demo_loaded_at else "no demo"
