"""Fixed vocabularies of the equipment app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """The searchable category vocabulary (broad groups used by equipment-sharing networks)."""

    ANALYSIS = "analysis", _("Structure and element analysis")
    SPECTROSCOPY = "spectroscopy", _("Spectroscopy and NMR")
    MASS_SPECTROMETRY = "mass_spectrometry", _("Mass spectrometry and separation")
    MICROSCOPY = "microscopy", _("Microscopy")
    THERMAL = "thermal", _("Thermal analysis")
    BIO = "bio", _("Genes and biology")
    PROCESSING = "processing", _("Thin films and semiconductor processing")
    FABRICATION = "fabrication", _("Fabrication")
    TESTING = "testing", _("Testing")
    IMAGING = "imaging", _("Imaging")
    COMPUTING = "computing", _("Computing")


class EquipmentStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    MAINTENANCE = "maintenance", _("In maintenance")
    RETIRED = "retired", _("Retired")


class Access(models.TextChoices):
    """Who may use a machine."""

    TRAINED = "trained", _("Trained users alone (assisted use also offered)")
    ASSISTED = "assisted", _("Only with staff assistance")
    STAFF_ONLY = "staff_only", _("Staff only (commissioned measurement)")


class UserClass(models.TextChoices):
    ACADEMIC = "academic", _("Academic and public")
    SME = "sme", _("SME")
    LARGE_COMPANY = "large_company", _("Large company")
    IN_HOUSE = "in_house", _("In-house")


class Mode(models.TextChoices):
    SELF_USE = "self_use", _("Self-use (機器利用)")
    ASSISTED = "assisted", _("Assisted use (技術補助)")
    COMMISSIONED = "commissioned", _("Commissioned measurement (技術代行)")


MODES_FOR_ACCESS: dict[str, tuple[str, ...]] = {
    Access.TRAINED: (Mode.SELF_USE, Mode.ASSISTED, Mode.COMMISSIONED),
    Access.ASSISTED: (Mode.ASSISTED, Mode.COMMISSIONED),
    Access.STAFF_ONLY: (Mode.COMMISSIONED,),
}


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    COMPLETED = "completed", _("Used")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")


# A booking in one of these states holds its slot (the exclusion constraint uses the same list).
ACTIVE_STATUSES: tuple[str, ...] = (
    BookingStatus.REQUESTED,
    BookingStatus.CONFIRMED,
    BookingStatus.COMPLETED,
    BookingStatus.NO_SHOW,
)


class ChargeKind(models.TextChoices):
    USAGE = "usage", _("Usage")
    LATE_CANCELLATION = "late_cancellation", _("Late cancellation")
    NO_SHOW = "no_show", _("No-show")


class AttendanceStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")
    WAITLISTED = "waitlisted", _("On the waiting list")


# Attendances that take a seat of the session (the waiting list does not).
SEATED_STATUSES: tuple[str, ...] = (
    AttendanceStatus.REGISTERED,
    AttendanceStatus.ATTENDED,
    AttendanceStatus.ABSENT,
)


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Slot offered")
    BOOKED = "booked", _("Booked")
    WITHDRAWN = "withdrawn", _("Withdrawn")
