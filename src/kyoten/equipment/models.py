"""Shared equipment of the hubs: machines, fees, bookings, training, usage, charges, invoices."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kyoten.equipment.enums import (
    ACTIVE_STATUSES,
    Access,
    AttendanceStatus,
    BookingStatus,
    Category,
    ChargeKind,
    EquipmentStatus,
    Mode,
    UserClass,
    WaitlistStatus,
)
from kyoten.equipment.slots import BookingRules, OpeningHours, hhmm


class HubEquipmentSettings(models.Model):
    """A hub's billing and booking settings (one row per hub; defaults when missing)."""

    hub = models.OneToOneField(
        "hubs.Hub", on_delete=models.CASCADE, related_name="equipment_settings"
    )
    out_of_area_multiplier_pct = models.PositiveSmallIntegerField(
        _("out-of-area multiplier (%)"),
        default=150,
        help_text=_("Users from outside the hub's prefectures pay this percentage (150 = ×1.5)."),
    )
    neighbours_exempt = models.BooleanField(_("neighbouring prefectures exempt"), default=False)
    staff_hourly_yen = models.PositiveIntegerField(
        _("staff surcharge per person and hour (yen)"), default=2500
    )
    late_cancel_hours = models.PositiveSmallIntegerField(
        _("late cancellation within (hours before start)"), default=24
    )
    late_cancel_fee_pct = models.PositiveSmallIntegerField(
        _("late cancellation fee (% of the fee)"), default=50
    )
    no_show_fee_pct = models.PositiveSmallIntegerField(_("no-show fee (% of the fee)"), default=100)
    acknowledgement_text = models.TextField(
        _("acknowledgement users put in publications"),
        blank=True,
        default="本研究の一部は地域産学官共同研究拠点の共用設備を利用して実施した。",
    )
    grant_number = models.CharField(_("grant number"), max_length=50, blank=True)
    invoice_registration_number = models.CharField(
        _("qualified invoice issuer registration number"),
        max_length=14,
        blank=True,
        validators=[
            RegexValidator(
                r"^T[0-9]{13}$",
                _("a registration number is T followed by 13 digits (e.g. T1234567890123)"),
            )
        ],
        help_text=_("T and 13 digits, as registered with the National Tax Agency (適格請求書)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hub equipment settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(out_of_area_multiplier_pct__gte=100),
                name="equipment_settings_multiplier_at_least_100",
            )
        ]

    def __str__(self) -> str:
        return f"settings of {self.hub_id}"


class Equipment(models.Model):
    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="equipment")
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    maker = models.CharField(_("maker"), max_length=100, blank=True)
    model_name = models.CharField(_("model"), max_length=100, blank=True)
    specs = models.TextField(_("specifications"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EquipmentStatus.choices, default="available"
    )
    access = models.CharField(
        _("who may use it"), max_length=16, choices=Access.choices, default=Access.TRAINED
    )
    requires_approval = models.BooleanField(_("bookings need approval"), default=False)
    acknowledgement_required = models.BooleanField(
        _("publication acknowledgement required"), default=True
    )
    # Booking rules (times of day in minutes after local midnight, Asia/Tokyo).
    open_weekdays = models.CharField(
        _("open weekdays"), max_length=7, default="12345", help_text=_("ISO days, 1 = Monday.")
    )
    opens_minute = models.PositiveSmallIntegerField(_("opens (minute of day)"), default=540)
    closes_minute = models.PositiveSmallIntegerField(_("closes (minute of day)"), default=1020)
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    min_booking_minutes = models.PositiveSmallIntegerField(
        _("shortest booking (minutes)"), default=30
    )
    max_booking_minutes = models.PositiveIntegerField(_("longest booking (minutes)"), default=480)
    lead_time_minutes = models.PositiveIntegerField(_("lead time (minutes)"), default=60)
    acquired_fy = models.PositiveSmallIntegerField(
        _("acquired (fiscal year)"), null=True, blank=True
    )
    # Optional fee parts (fees.compute_fee; shared/data/equipment_reference.md). The defaults
    # leave them unused: such a machine is billed by the hour alone.
    per_day_yen = models.PositiveIntegerField(
        _("day rate (yen)"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: no day rate. The hourly machine fee is capped at this per started day."
        ),
    )
    day_hours = models.PositiveSmallIntegerField(
        _("hours of a billed day"), default=8, help_text=_("1 to 24 hours (usually 8).")
    )
    per_sample_yen = models.PositiveIntegerField(
        _("fee per sample (yen)"), default=0, help_text=_("0: no fee per sample.")
    )
    base_fee_yen = models.PositiveIntegerField(
        _("base fee (yen)"),
        default=0,
        help_text=_(
            "Due once a fiscal year from each user: with their first booking of this machine "
            "in that fiscal year. 0: no base fee."
        ),
    )
    private_pct = models.PositiveSmallIntegerField(
        _("non-publish price (%)"),
        default=100,
        help_text=_(
            "Users who keep their results unpublished pay this percentage of the machine and "
            "sample fees (200 = ×2). 100: the same price."
        ),
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["hub_id", "id"]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        indexes = [models.Index(fields=["category", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_minute__lt=models.F("closes_minute"))
                & Q(closes_minute__lte=1440),
                name="equipment_opening_hours_valid",
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5)
                & Q(min_booking_minutes__gte=5)
                & Q(max_booking_minutes__gte=models.F("min_booking_minutes")),
                name="equipment_booking_lengths_valid",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(day_hours__gte=1) & Q(day_hours__lte=24),
                name="equipment_day_hours_valid",
            ),
            models.CheckConstraint(
                condition=Q(private_pct__gte=100), name="equipment_private_pct_at_least_100"
            ),
            models.CheckConstraint(
                condition=Q(per_day_yen__isnull=True) | Q(per_day_yen__gte=0),
                name="equipment_per_day_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(per_sample_yen__gte=0) & Q(base_fee_yen__gte=0),
                name="equipment_fee_parts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def opening_hours(self) -> OpeningHours:
        return OpeningHours(
            weekdays=frozenset(int(d) for d in self.open_weekdays),
            opens_minute=self.opens_minute,
            closes_minute=self.closes_minute,
        )

    @property
    def booking_rules(self) -> BookingRules:
        return BookingRules(
            hours=self.opening_hours,
            slot_minutes=self.slot_minutes,
            min_minutes=self.min_booking_minutes,
            max_minutes=self.max_booking_minutes,
            lead_minutes=self.lead_time_minutes,
        )

    @property
    def opens(self) -> str:
        return hhmm(self.opens_minute)

    @property
    def closes(self) -> str:
        return hhmm(self.closes_minute)


class EquipmentFee(models.Model):
    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="fees")
    user_class = models.CharField(_("user class"), max_length=16, choices=UserClass.choices)
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices)
    hourly_yen = models.PositiveIntegerField(_("fee per hour (yen)"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["equipment_id", "user_class", "mode"]
        constraints = [
            models.UniqueConstraint(
                fields=["equipment", "user_class", "mode"], name="equipment_fee_unique"
            )
        ]
        indexes = [models.Index(fields=["user_class", "mode", "hourly_yen"])]

    def __str__(self) -> str:
        return f"{self.equipment_id} {self.user_class}/{self.mode}: {self.hourly_yen}"


class EquipmentPhoto(models.Model):
    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="equipment/photos/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    def __str__(self) -> str:
        return self.caption or self.image.name


class EquipmentTerm(models.Model):
    """Index of search terms (character bigrams, `kyoten.core.textsearch.tokens`)."""

    term = models.CharField(max_length=32, db_index=True)
    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="terms")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "equipment"], name="equipment_term_unique")
        ]

    def __str__(self) -> str:
        return self.term


class BookingSeries(models.Model):
    """A recurring booking: `count` occurrences every `interval_days`."""

    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="series")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    interval_days = models.PositiveSmallIntegerField(default=7)
    count = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"series {self.pk}"


class Booking(models.Model):
    equipment = models.ForeignKey(Equipment, on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="equipment_bookings"
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    minutes = models.PositiveIntegerField(_("booked minutes"))
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices)
    user_class = models.CharField(_("user class"), max_length=16, choices=UserClass.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    staff_count = models.PositiveSmallIntegerField(_("staff"), default=0)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    estimated_fee_yen = models.PositiveIntegerField(_("estimated fee (yen)"), default=0)
    samples = models.PositiveSmallIntegerField(_("number of samples"), default=0)
    private = models.BooleanField(
        _("results kept unpublished"),
        default=False,
        help_text=_("The machine's non-publish price applies."),
    )
    base_fee_yen = models.PositiveIntegerField(
        _("base fee carried (yen)"),
        default=0,
        help_text=_("The machine's base fee when this is the user's first booking of it in the "
                    "fiscal year (services.booking_create decides, under the machine's lock)."),
    )  # fmt: skip
    out_of_area = models.BooleanField(default=False)
    series = models.ForeignKey(
        BookingSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["equipment", "start"]),
            models.Index(fields=["equipment", "end"]),
            models.Index(fields=["user", "start"]),
            models.Index(fields=["organisation", "start"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="booking_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(samples__gte=0) & Q(base_fee_yen__gte=0),
                name="booking_fee_parts_not_negative",
            ),
            # On PostgreSQL the migration adds an exclusion constraint against overlaps too.
        ]

    def __str__(self) -> str:
        return f"{self.equipment_id} {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class StaffAssignment(models.Model):
    """A staff member's slot linked to an assisted or commissioned booking."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="staff_slots")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_slots"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["staff", "start"])]
        constraints = [
            models.UniqueConstraint(fields=["booking", "staff"], name="staff_slot_unique"),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="staff_slot_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"staff {self.staff_id} for booking {self.booking_id}"


class WaitlistEntry(models.Model):
    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="waitlist")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    created_at = models.DateTimeField(default=timezone.now)
    offered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["equipment", "status", "start"])]

    def __str__(self) -> str:
        return f"wait {self.user_id} for {self.equipment_id}"


class BookingQuota(models.Model):
    """At most `hours_per_month` booked hours per organisation on a machine (local months)."""

    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="quotas")
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Empty: the quota of every organisation without its own."),
    )
    hours_per_month = models.PositiveIntegerField(_("hours per month"))
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["equipment", "organisation"], name="quota_unique",
                nulls_distinct=False,
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.hours_per_month} h/month"


class UsageReport(models.Model):
    """What happened after use: actual time, acknowledgement; staff may adjust it."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="usage")
    actual_start = models.DateTimeField()
    actual_end = models.DateTimeField()
    minutes = models.PositiveIntegerField()
    will_acknowledge = models.BooleanField(_("will acknowledge the facility in publications"))
    publication_note = models.CharField(_("planned publication"), max_length=300, blank=True)
    note = models.TextField(blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adjusted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"usage of booking {self.booking_id}"


class Invoice(models.Model):
    """A monthly invoice of an issuing hub to one organisation."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="invoices")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    number = models.CharField(max_length=40, unique=True)
    total_yen = models.PositiveBigIntegerField(default=0)
    issued_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-month", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "organisation", "year", "month"], name="invoice_unique_month"
            )
        ]

    def __str__(self) -> str:
        return self.number


class Charge(models.Model):
    """A billable item: usage, a late cancellation or a no-show."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="charges")
    kind = models.CharField(max_length=20, choices=ChargeKind.choices)
    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="+")
    billing_hub = models.ForeignKey(
        "hubs.Hub",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The user's home hub bills its organisation (one-stop billing)."),
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    user_class = models.CharField(max_length=16, choices=UserClass.choices)
    mode = models.CharField(max_length=16, choices=Mode.choices)
    hours = models.PositiveIntegerField(default=0)
    hourly_yen = models.PositiveIntegerField(default=0)
    staff_yen = models.PositiveIntegerField(default=0)
    multiplier_pct = models.PositiveSmallIntegerField(default=100)
    amount_yen = models.PositiveIntegerField()
    occurred_on = models.DateField()
    invoice = models.ForeignKey(
        Invoice, on_delete=models.SET_NULL, null=True, blank=True, related_name="charges"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["occurred_on", "id"]
        indexes = [
            models.Index(fields=["hub", "occurred_on"]),
            models.Index(fields=["organisation", "occurred_on"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["booking", "kind"], name="charge_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_yen}"


class Course(models.Model):
    """Training for one machine, or for a category of machines at the hub."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, related_name="courses")
    title = models.CharField(_("title"), max_length=200)
    equipment = models.ForeignKey(
        Equipment, on_delete=models.CASCADE, null=True, blank=True, related_name="courses"
    )
    category = models.CharField(_("category"), max_length=24, choices=Category.choices, blank=True)
    hours = models.PositiveSmallIntegerField(_("length (hours)"), default=3)
    validity_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        default=24,
        null=True,
        blank=True,
        help_text=_("Empty: the certificate does not expire."),
    )
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["hub_id", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(equipment__isnull=False) | ~Q(category=""),
                name="course_has_machine_or_category",
            )
        ]

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    start = models.DateTimeField()
    end = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=6)
    place = models.CharField(_("place"), max_length=200, blank=True)
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="training_session_end_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="training_session_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.start:%Y-%m-%d}"


class Attendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_attendances"
    )
    status = models.CharField(max_length=12, choices=AttendanceStatus.choices, default="registered")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.session_id}"


class Certificate(models.Model):
    """Permission to use a machine (or any machine of a category at the hub) alone, until expiry."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="equipment_certificates"
    )
    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.SET_NULL, null=True, blank=True)
    session = models.ForeignKey(
        TrainingSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    equipment = models.ForeignKey(
        Equipment, on_delete=models.CASCADE, null=True, blank=True, related_name="certificates"
    )
    category = models.CharField(max_length=24, choices=Category.choices, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, help_text=_("Empty: no expiry."))
    revoked = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on"]
        indexes = [models.Index(fields=["user", "expires_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("issued_on")),
                name="certificate_expiry_after_issue",
            ),
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(session__isnull=False),
                name="certificate_once_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"certificate {self.pk} of {self.user_id}"

    def valid_on(self, day: dt.date) -> bool:
        return (
            not self.revoked
            and self.issued_on <= day
            and (self.expires_on is None or day <= self.expires_on)
        )


class CalendarFeed(models.Model):
    """The secret key of a user's iCalendar feed (calendar programs cannot log in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)

    def __str__(self) -> str:
        return f"feed of {self.user_id}"


class SettlementClose(models.Model):
    """A month of the settlement between hubs, closed by an officer: its figures are fixed."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    figures = models.JSONField(default=list)  # [{"from_hub", "to_hub", "amount_yen"}]
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="settlement_close_unique_month")
        ]

    def __str__(self) -> str:
        return f"settlement {self.year}-{self.month:02d}"


class BookingTotal(models.Model):
    """The bookings of a machine in one month (by start, Asia/Tokyo), by user class and status.

    Kept up to date on every booking write (`equipment/totals.py`), recomputed by `kyoten
    equipment_totals`; the figures that would otherwise read every booking (the ministry
    dashboard's usage by user class, a hub's usage KPIs) read these rows instead."""

    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    user_class = models.CharField(max_length=16, choices=UserClass.choices)
    status = models.CharField(max_length=16, choices=BookingStatus.choices)
    bookings = models.PositiveIntegerField(default=0)
    minutes = models.PositiveBigIntegerField(default=0)
    fee_yen = models.BigIntegerField(default=0)  # estimated fees, tax included

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["equipment", "month", "user_class", "status"],
                name="booking_total_one_row",
            )
        ]
        indexes = [models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.equipment_id} {self.month:%Y-%m} {self.user_class} {self.status}"
