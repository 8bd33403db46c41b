"""Every write of the equipment app: keyword-only, typed, one transaction each.

Overlapping bookings are impossible by construction: `booking_create` locks the machine's row
(`SELECT … FOR UPDATE`; on SQLite the IMMEDIATE transaction already serialises writers) and
checks overlaps under that lock; on PostgreSQL an exclusion constraint backs it up, and its
IntegrityError becomes the same 409.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kyoten.core.errors import Conflict, DomainError, Forbidden, NotFound
from kyoten.core.fiscal import fiscal_year, fiscal_year_start
from kyoten.core.models import Organisation, User
from kyoten.core.money import format_yen
from kyoten.core.textsearch import normalise, tokens
from kyoten.equipment import photos, totals
from kyoten.equipment.dates import LocalDay, LocalSpan, format_span, format_when
from kyoten.equipment.enums import (
    ACTIVE_STATUSES,
    MODES_FOR_ACCESS,
    SEATED_STATUSES,
    AttendanceStatus,
    BookingStatus,
    Category,
    ChargeKind,
    EquipmentStatus,
    Mode,
    UserClass,
    WaitlistStatus,
)
from kyoten.equipment.fees import Fee, FeeError, compute_fee, percent_of, user_class_for
from kyoten.equipment.models import (
    Attendance,
    Booking,
    BookingQuota,
    BookingSeries,
    Certificate,
    Charge,
    Course,
    Equipment,
    EquipmentFee,
    EquipmentPhoto,
    EquipmentTerm,
    HubEquipmentSettings,
    Invoice,
    StaffAssignment,
    TrainingSession,
    UsageReport,
    WaitlistEntry,
)
from kyoten.equipment.rules import can_book
from kyoten.equipment.slots import TOKYO, SlotError, check_times, parse_instant
from kyoten.hubs.models import Hub
from kyoten.hubs.rules import is_hub_operator
from kyoten.notices.enums import NoticeKind
from kyoten.notices.services import notify

MAX_SERIES = 52
MAX_SAMPLES = 999  # samples of one booking
MAX_PART_YEN = 10_000_000  # a day rate, a sample or a base fee (the fee columns hold 2^31 yen)
# Bookings start and end within two years from now: a year-9999 booking is a clear 400 on the
# API and a form error on the page, not an overflow in date arithmetic or the database.
BOOKING_HORIZON = dt.timedelta(days=2 * 366)


# --- helpers shared by services and selectors ---------------------------------------------


def hub_settings(hub: Hub) -> HubEquipmentSettings:
    """The hub's settings, or the defaults (unsaved) when the hub has none yet."""
    try:
        return hub.equipment_settings
    except HubEquipmentSettings.DoesNotExist:
        return HubEquipmentSettings(hub=hub)


def _hub_facts(hub: Hub) -> tuple[set[str], set[int], set[int]]:
    """(prefecture codes, host organisation ids, operator ids), cached on the instance."""
    cached = getattr(hub, "_equipment_facts", None)
    if cached is None:
        cached = (
            {p.code for p in hub.prefectures.all()} | {hub.lead_prefecture_id},
            {o.pk for o in hub.host_organisations.all()},
            {u.pk for u in hub.operators.all()},
        )
        hub._equipment_facts = cached
    return cached


def user_class_of(user, hub: Hub) -> str:
    """The fee class of `user` at `hub`: in-house for its operators and host organisations."""
    prefectures, hosts, operators = _hub_facts(hub)
    org = getattr(user, "organisation", None) if user and user.is_authenticated else None
    in_house = bool(user and user.is_authenticated) and (
        user.pk in operators or (org is not None and org.pk in hosts)
    )
    return user_class_for(
        organisation_kind=org.kind if org else None,
        is_sme=bool(org and org.is_sme),
        in_house=in_house,
    )


def user_prefecture(user) -> str | None:
    org = getattr(user, "organisation", None)
    if org is not None and org.prefecture_id:
        return org.prefecture_id
    return getattr(user, "prefecture_id", None)


def is_out_of_area(user, hub: Hub) -> bool:
    """Whether `user` comes from outside the hub's prefectures (neighbours may be exempt)."""
    prefectures, _hosts, _ops = _hub_facts(hub)
    code = user_prefecture(user)
    if code is None or code in prefectures:
        return False
    if hub_settings(hub).neighbours_exempt:
        from kyoten.core.reference import prefectures as facts

        borders = facts()[code].land_borders
        if borders & prefectures:
            return False
    return True


def home_hub_of(organisation: Organisation | None) -> Hub | None:
    """The hub that bills an organisation: one it hosts, else the first in its prefecture."""
    if organisation is None:
        return None
    hub = Hub.objects.filter(host_organisations=organisation).order_by("id").first()
    if hub is None and organisation.prefecture_id:
        hub = (
            Hub.objects.filter(
                Q(prefectures=organisation.prefecture_id)
                | Q(lead_prefecture=organisation.prefecture_id)
            )
            .order_by("id")
            .first()
        )
    return hub


def rates_of(equipment: Equipment) -> dict[tuple[str, str], int]:
    cached = getattr(equipment, "_rates", None)
    if cached is None:
        cached = {(f.user_class, f.mode): f.hourly_yen for f in equipment.fees.all()}
        equipment._rates = cached
    return cached


def fee_parts(equipment: Equipment) -> dict:
    """The machine's optional fee parts, as `fees.compute_fee` takes them."""
    return {
        "per_day_yen": equipment.per_day_yen,
        "day_hours": equipment.day_hours,
        "per_sample_yen": equipment.per_sample_yen,
        "private_pct": equipment.private_pct,
    }


def estimate_fee(
    *,
    equipment: Equipment,
    user_class: str,
    mode: str,
    minutes: int,
    staff_count: int | None,
    out_of_area: bool,
    samples: int = 0,
    private: bool = False,
    base_fee_yen: int = 0,
) -> Fee:
    """The one place a booking's fee is computed from the machine's stored rates and parts and
    the hub's rules (booking, usage charge, the booking page). Raises FeeError."""
    settings_ = hub_settings(equipment.hub)
    return compute_fee(
        rates=rates_of(equipment),
        user_class=user_class,
        mode=mode,
        minutes=minutes,
        staff_hourly_yen=settings_.staff_hourly_yen,
        staff_count=staff_count,
        out_of_area=out_of_area,
        out_of_area_multiplier_pct=settings_.out_of_area_multiplier_pct,
        samples=samples,
        private=private,
        base_fee_yen=base_fee_yen,
        **fee_parts(equipment),
    )


def booking_estimate(booking: Booking, *, minutes: int | None = None,
                     base_fee_yen: int | None = None) -> Fee:  # fmt: skip
    """A booking's fee as booked (or for `minutes` actually used, or with another base fee)."""
    return estimate_fee(
        equipment=booking.equipment,
        user_class=booking.user_class,
        mode=booking.mode,
        minutes=booking.minutes if minutes is None else minutes,
        staff_count=booking.staff_count,
        out_of_area=booking.out_of_area,
        samples=booking.samples,
        private=booking.private,
        base_fee_yen=booking.base_fee_yen if base_fee_yen is None else base_fee_yen,
    )


def _fiscal_year_span(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The fiscal year (April–March, Asia/Tokyo) that `moment` falls in, as instants."""
    fy = fiscal_year(moment.astimezone(TOKYO).date())
    first = dt.datetime.combine(fiscal_year_start(fy), dt.time(), tzinfo=TOKYO)
    return first, dt.datetime.combine(fiscal_year_start(fy + 1), dt.time(), tzinfo=TOKYO)


def base_fee_due(*, equipment: Equipment, user, start: dt.datetime) -> bool:
    """The machine's base fee is due from `user` for a booking starting at `start` when none
    of their active bookings of this machine in that fiscal year carries it yet."""
    if not equipment.base_fee_yen or user is None or not user.is_authenticated:
        return False
    first, last = _fiscal_year_span(start)
    return not Booking.objects.filter(
        equipment=equipment, user=user, status__in=ACTIVE_STATUSES, base_fee_yen__gt=0,
        start__gte=first, start__lt=last,
    ).exists()  # fmt: skip


def valid_certificate(user, equipment: Equipment, day: dt.date) -> Certificate | None:
    """A certificate that lets `user` use `equipment` alone on `day`, if any."""
    if not user or not user.is_authenticated:
        return None
    return (
        Certificate.objects.filter(
            Q(equipment=equipment) | Q(equipment__isnull=True, category=equipment.category),
            user=user,
            hub_id=equipment.hub_id,
            revoked=False,
            issued_on__lte=day,
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        .order_by(F("expires_on").desc(nulls_first=True))
        .first()
    )


def default_mode(user, equipment: Equipment, day: dt.date) -> str:
    """Self-use when allowed and certified, else the first staff mode the machine offers."""
    modes = MODES_FOR_ACCESS[equipment.access]
    if Mode.SELF_USE in modes and valid_certificate(user, equipment, day):
        return Mode.SELF_USE
    return next((m for m in modes if m != Mode.SELF_USE), modes[0])


def can_manage_equipment(user, hub: Hub) -> bool:
    from kyoten.core.rules import is_officer

    return bool(is_officer(user) or is_hub_operator(user, hub))


# --- equipment -------------------------------------------------------------------------------


def _index_text(equipment: Equipment) -> str:
    # Not the location ("電子顕微鏡室" would make every machine in that room a microscope) and
    # not the category's label (its English words, e.g. "semiconductor", would match "sem").
    return " ".join(
        [
            equipment.name,
            equipment.name_en,
            equipment.maker,
            equipment.model_name,
            equipment.category,
            equipment.specs,
        ]
    )


def equipment_search_text(equipment: Equipment) -> str:
    return normalise(_index_text(equipment))


def equipment_index(*, equipment: Iterable[Equipment], text_saved: bool = False) -> None:
    """(Re)build the search text and term rows of these machines.

    `text_saved`: the caller already stored `search_text` (e.g. set before a bulk insert).
    Term rows go in with one `executemany` (tens of thousands of rows in the demo).
    """
    items = list(equipment)
    if not text_saved:
        for item in items:
            item.search_text = equipment_search_text(item)
        Equipment.objects.bulk_update(items, ["search_text"], batch_size=500)
    EquipmentTerm.objects.filter(equipment__in=[i.pk for i in items]).delete()
    rows = [(term, item.pk) for item in items for term in sorted(tokens(_index_text(item)))]
    table = EquipmentTerm._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (term, equipment_id) VALUES (%s, %s)",  # noqa: S608
            rows,
        )


@transaction.atomic
def equipment_create(
    *,
    hub: Hub,
    by: User | None,
    name: str,
    category: str,
    fees: dict[tuple[str, str], int],
    **fields,
) -> Equipment:
    if by is not None and not can_manage_equipment(by, hub):
        raise Forbidden(_("only the hub's operators may add equipment"))
    if not name.strip():
        raise DomainError(_("a name is required"), field="name")
    equipment = Equipment(hub=hub, name=name.strip(), category=category, **fields)
    _full_clean(equipment)
    _check_fees(fees)
    equipment.save()
    EquipmentFee.objects.bulk_create(
        EquipmentFee(equipment=equipment, user_class=c, mode=m, hourly_yen=y)
        for (c, m), y in fees.items()
    )
    equipment_index(equipment=[equipment])
    return equipment


# Fields of a machine its hub's operators may change (the page and the API).
EDITABLE_FIELDS = frozenset({
    "name", "name_en", "category", "maker", "model_name", "specs", "location", "access",
    "requires_approval", "acknowledgement_required", "open_weekdays", "opens_minute",
    "closes_minute", "slot_minutes", "min_booking_minutes", "max_booking_minutes",
    "lead_time_minutes", "acquired_fy", "per_day_yen", "day_hours", "per_sample_yen",
    "base_fee_yen", "private_pct",
})  # fmt: skip
NULLABLE_FIELDS = frozenset({"per_day_yen", "acquired_fy"})


def _check_fees(fees: dict[tuple[str, str], int]) -> None:
    for (user_class, mode), yen in fees.items():
        if user_class not in UserClass.values or mode not in Mode.values:
            raise DomainError(
                _("unknown fee class %(value)s") % {"value": f"{user_class}/{mode}"}, field="fees"
            )
        if not isinstance(yen, int) or isinstance(yen, bool) or yen < 0:
            raise DomainError(_("fees are whole numbers of yen"), field="fees")


def _whole(value, *, least: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


def _check_fee_parts(equipment: Equipment) -> None:
    """The optional fee parts, each refused with a message naming its field."""
    day = equipment.per_day_yen
    if day is not None and (not _whole(day, least=0) or day > MAX_PART_YEN):
        raise DomainError(
            _("the day rate is a whole number of yen from 0 to %(max)s (empty: none)")
            % {"max": format_yen(MAX_PART_YEN)},
            field="per_day_yen",
        )
    if not _whole(equipment.day_hours, least=1) or equipment.day_hours > 24:
        raise DomainError(_("a day is billed as 1 to 24 hours"), field="day_hours")
    for name in ("per_sample_yen", "base_fee_yen"):
        value = getattr(equipment, name)
        if not _whole(value, least=0) or value > MAX_PART_YEN:
            raise DomainError(
                _("a whole number of yen from 0 to %(max)s") % {"max": format_yen(MAX_PART_YEN)},
                field=name,
            )
    if not _whole(equipment.private_pct, least=100) or equipment.private_pct > 1000:
        raise DomainError(
            _("the non-publish price is 100 % to 1000 % of the published price"),
            field="private_pct",
        )


def _full_clean(equipment: Equipment) -> None:
    """The model's checks, with a message naming the field for the booking rules."""
    from django.core.exceptions import ValidationError

    days = equipment.open_weekdays or ""
    if not days or not set(days) <= set("1234567") or len(set(days)) != len(days):
        raise DomainError(_("choose the days it is open (1 = Monday … 7 = Sunday)"),
                          field="open_weekdays")  # fmt: skip
    if not 0 <= equipment.opens_minute < equipment.closes_minute <= 24 * 60:
        raise DomainError(_("it must close after it opens (at the latest 24:00)"),
                          field="closes_minute")  # fmt: skip
    if equipment.slot_minutes < 5 or equipment.min_booking_minutes < 5:
        raise DomainError(_("at least 5 minutes"), field="min_booking_minutes")
    if equipment.max_booking_minutes < equipment.min_booking_minutes:
        raise DomainError(_("the longest booking cannot be shorter than the shortest"),
                          field="max_booking_minutes")  # fmt: skip
    _check_fee_parts(equipment)
    try:
        equipment.full_clean(exclude=["hub", "search_text"])
    except ValidationError as exc:
        field, messages = next(iter(getattr(exc, "message_dict", {"name": exc.messages}).items()))
        raise DomainError(f"{messages[0]}", field=field) from None


@transaction.atomic
def equipment_update(
    *,
    equipment: Equipment,
    by: User,
    fees: dict[tuple[str, str], int] | None = None,
    clear: Iterable[str] = (),
    **changes,
) -> Equipment:
    """Change a machine's description, rules and (with `fees`) its whole fee table; changes
    of None are left alone, the fields named in `clear` are emptied (`per_day_yen`: no day
    rate; `acquired_fy`). Bookings already made keep their estimated fee."""
    if not can_manage_equipment(by, equipment.hub):
        raise Forbidden(_("only the hub's operators may change this machine"))
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(_("unknown field %(value)s") % {"value": sorted(unknown)[0]},
                          field=sorted(unknown)[0])  # fmt: skip
    fields = []
    for name in clear:
        if name not in NULLABLE_FIELDS:
            raise DomainError(_("this field cannot be emptied"), field=name)
        setattr(equipment, name, None)
        fields.append(name)
    for name, value in changes.items():
        if value is not None:
            setattr(equipment, name, value.strip() if isinstance(value, str) else value)
            fields.append(name)
    if "name" in fields and not equipment.name:
        raise DomainError(_("a name is required"), field="name")
    _full_clean(equipment)
    if fees is not None:
        _check_fees(fees)
    if fields:
        equipment.save(update_fields=fields)
        equipment_index(equipment=[equipment])
    if fees is not None:
        EquipmentFee.objects.filter(equipment=equipment).delete()
        EquipmentFee.objects.bulk_create(
            EquipmentFee(equipment=equipment, user_class=c, mode=m, hourly_yen=y)
            for (c, m), y in fees.items()
        )
        equipment.__dict__.pop("_rates", None)
        if hasattr(equipment, "_prefetched_objects_cache"):
            equipment._prefetched_objects_cache.pop("fees", None)
    return equipment


@transaction.atomic
def equipment_set_status(
    *, equipment: Equipment, status: str, by: User, now: dt.datetime | None = None
) -> Equipment:
    """In service, in maintenance (no new bookings) or retired (only without coming bookings:
    cancel them first)."""
    if not can_manage_equipment(by, equipment.hub):
        raise Forbidden(_("only the hub's operators may change this machine"))
    if status not in EquipmentStatus.values:
        raise DomainError(_("unknown status %(value)r") % {"value": status}, field="status")
    list(Equipment.objects.select_for_update().filter(pk=equipment.pk).values("pk"))
    if status == EquipmentStatus.RETIRED:
        coming = Booking.objects.filter(
            equipment=equipment, status__in=(BookingStatus.REQUESTED, BookingStatus.CONFIRMED),
            end__gt=now or timezone.now(),
        ).count()  # fmt: skip
        if coming:
            raise Conflict(
                ngettext(
                    "%(n)d coming booking holds this machine; cancel it before retiring it",
                    "%(n)d coming bookings hold this machine; cancel them before retiring it",
                    coming,
                )
                % {"n": coming},
                field="status",
            )
    Equipment.objects.filter(pk=equipment.pk).update(status=status)
    equipment.status = status
    return equipment


@transaction.atomic
def hub_settings_update(*, hub: Hub, by: User, **changes) -> HubEquipmentSettings:
    """The hub's billing rules: out-of-area multiplier (and neighbours' exemption), staff
    surcharge, late-cancellation window and fee, no-show fee, acknowledgement, grant number."""
    from django.core.exceptions import ValidationError

    if not can_manage_equipment(by, hub):
        raise Forbidden(_("only the hub's operators may change its settings"))
    allowed = {f.name for f in HubEquipmentSettings._meta.concrete_fields} - {"id", "hub"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(_("unknown field %(value)s") % {"value": sorted(unknown)[0]},
                          field=sorted(unknown)[0])  # fmt: skip
    settings_, _created = HubEquipmentSettings.objects.select_for_update().get_or_create(hub=hub)
    for name, value in changes.items():
        setattr(settings_, name, value)
    if settings_.out_of_area_multiplier_pct < 100:
        raise DomainError(_("the out-of-area multiplier is at least 100 %"),
                          field="out_of_area_multiplier_pct")  # fmt: skip
    for name in ("late_cancel_fee_pct", "no_show_fee_pct"):
        if getattr(settings_, name) > 100:
            raise DomainError(_("at most 100 %"), field=name)
    try:
        settings_.full_clean(exclude=["hub"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=field) from None
    settings_.save()
    hub.__dict__.pop("_equipment_facts", None)
    try:
        del hub.equipment_settings
    except AttributeError:
        pass
    return settings_


# --- photos ----------------------------------------------------------------------------------


def equipment_photo_add(
    *, equipment: Equipment, by: User, upload: UploadedFile | None, caption: str
) -> EquipmentPhoto:
    """Add a photo (JPEG, PNG or WebP, told by its first bytes; at most 5 MB) with its alt text.

    The file is written under MEDIA_ROOT (outside the web root) with a random name and the
    extension of its real type; if the row cannot be saved the file is removed again.
    """
    if not can_manage_equipment(by, equipment.hub):
        raise Forbidden(_("only the hub's operators may change this machine"), field="image")
    caption = (caption or "").strip()
    if not caption:
        raise DomainError(
            _("describe the photo in a few words (shown to people who cannot see it)"),
            field="caption",
        )
    if len(caption) > photos.CAPTION_MAX:
        raise DomainError(
            _("at most %(n)d characters") % {"n": photos.CAPTION_MAX}, field="caption"
        )
    if upload is None or not upload.size:
        raise DomainError(_("choose a photo to upload"), field="image")
    if upload.size > photos.MAX_PHOTO_BYTES:
        raise DomainError(
            _("the photo is larger than %(max)d MB")
            % {"max": photos.MAX_PHOTO_BYTES // (1024 * 1024)},
            field="image",
        )
    media_type = photos.sniff(photos.read_head(upload))
    if media_type is None or not (upload.name or "").lower().endswith(photos.ALLOWED_SUFFIXES):
        raise DomainError(_("only JPEG, PNG or WebP images are accepted"), field="image")
    stored = None
    try:
        with transaction.atomic():
            # Lock the machine's row so that two uploads cannot both pass the count.
            list(Equipment.objects.select_for_update().filter(pk=equipment.pk).values("pk"))
            if EquipmentPhoto.objects.filter(equipment=equipment).count() >= photos.MAX_PHOTOS:
                raise DomainError(
                    _("a machine has at most %(n)d photos; remove one first")
                    % {"n": photos.MAX_PHOTOS},
                    field="image",
                )
            photo = EquipmentPhoto(equipment=equipment, caption=caption)
            photo.image.save(f"{uuid.uuid4().hex}.{photos.EXTENSIONS[media_type]}", upload,
                             save=False)  # fmt: skip
            stored = photo.image.name
            photo.save()
    except BaseException:
        if stored:
            photo.image.storage.delete(stored)
        raise
    return photo


@transaction.atomic
def equipment_photo_remove(*, photo: EquipmentPhoto, by: User) -> None:
    """Remove a photo; its file goes once the deletion is committed."""
    if not can_manage_equipment(by, photo.equipment.hub):
        raise Forbidden(_("only the hub's operators may change this machine"), field="photo")
    storage, name = photo.image.storage, photo.image.name
    deleted, _rows = EquipmentPhoto.objects.filter(pk=photo.pk).delete()
    if not deleted:
        raise NotFound(_("no such photo"), field="photo")
    transaction.on_commit(lambda: storage.delete(name))


# --- bookings --------------------------------------------------------------------------------


def _fetch_equipment(equipment) -> Equipment:
    if isinstance(equipment, Equipment):
        return equipment
    if equipment is None or equipment == "":
        raise DomainError(_("required: the id of a machine"), field="equipment")
    if isinstance(equipment, bool) or not str(equipment).isdigit():
        raise DomainError(_("must be the integer id of a machine"), field="equipment")
    try:
        return Equipment.objects.select_related("hub").get(pk=int(equipment))
    except Equipment.DoesNotExist:
        raise DomainError(_("no such machine"), field="equipment") from None


def _prepare(
    *,
    equipment: Equipment,
    user: User,
    start: dt.datetime,
    end: dt.datetime,
    mode: str | None,
    staff_count: int | None,
    now: dt.datetime,
    samples: int = 0,
    private: bool = False,
) -> dict:
    """Check one booking against the machine's rules (400/403); return the row's values (the
    estimate without the base fee, which `_create_locked` adds under the machine's lock)."""
    if not can_book(user):
        raise Forbidden(
            _("ministry observers read the network's data and book nothing"), rule="R-15"
        )
    refuse_beyond_horizon(start=start, end=end, now=now)
    if equipment.status == EquipmentStatus.MAINTENANCE:
        raise DomainError(
            _("this machine is in maintenance and cannot be booked"), field="equipment"
        )
    if equipment.status == EquipmentStatus.RETIRED:
        raise DomainError(_("this machine is retired"), field="equipment")
    try:
        check_times(equipment.booking_rules, start, end, now=now)
    except SlotError as exc:
        raise DomainError(exc.message, field=exc.field) from None
    day = end.astimezone(TOKYO).date()
    if mode in (None, ""):
        mode = default_mode(user, equipment, day)
    if mode not in Mode.values:
        raise DomainError(
            _("unknown mode %(mode)r (one of %(modes)s)")
            % {"mode": mode, "modes": ", ".join(Mode.values)},
            field="mode",
        )
    if mode not in MODES_FOR_ACCESS[equipment.access]:
        raise DomainError(
            _("this machine does not offer %(mode)s use (it offers %(modes)s)")
            % {"mode": mode, "modes": ", ".join(MODES_FOR_ACCESS[equipment.access])},
            field="mode",
        )
    if mode == Mode.SELF_USE and valid_certificate(user, equipment, day) is None:
        raise Forbidden(
            _(
                "self-use needs a valid training certificate for this machine; "
                "attend its training or book assisted use"
            ),
            field="mode",
        )
    if staff_count is not None and (staff_count < 0 or staff_count > 5):
        raise DomainError(_("staff must be between 0 and 5"), field="staff_count")
    if samples is None:
        samples = 0
    if not _whole(samples, least=0) or samples > MAX_SAMPLES:
        raise DomainError(
            _("the number of samples is a whole number from 0 to %(max)d") % {"max": MAX_SAMPLES},
            field="samples",
        )
    if not isinstance(private, bool):
        raise DomainError(_("must be true or false"), field="private")
    user_class = user_class_of(user, equipment.hub)
    out_of_area = is_out_of_area(user, equipment.hub)
    minutes = int((end - start).total_seconds() // 60)
    try:
        fee = estimate_fee(
            equipment=equipment, user_class=user_class, mode=mode, minutes=minutes,
            staff_count=staff_count, out_of_area=out_of_area, samples=samples, private=private,
        )  # fmt: skip
    except FeeError as exc:
        raise DomainError(str(exc), field=exc.field) from None
    return {
        "equipment": equipment,
        "user": user,
        "organisation_id": user.organisation_id,
        "start": start,
        "end": end,
        "minutes": minutes,
        "mode": mode,
        "user_class": user_class,
        "staff_count": fee.staff_count,
        "estimated_fee_yen": fee.total_yen,
        "samples": samples,
        "private": private,
        "base_fee_yen": 0,
        "out_of_area": out_of_area,
        "status": BookingStatus.REQUESTED
        if equipment.requires_approval
        else BookingStatus.CONFIRMED,
    }


def refuse_beyond_horizon(*, start: dt.datetime, end: dt.datetime, now: dt.datetime) -> None:
    """400 naming the field when `start` or `end` lies more than two years ahead."""
    latest = now + BOOKING_HORIZON
    for name, when in (("start", start), ("end", end)):
        try:
            too_far = when > latest
        except (OverflowError, TypeError):
            too_far = True
        if too_far:
            raise DomainError(
                _("bookings can be made at most two years ahead (until %(latest)s)")
                % {"latest": format_when(latest)},
                field=name,
                rule="input.range",
            )


def _overlapping(equipment_id: int, start: dt.datetime, end: dt.datetime):
    return Booking.objects.filter(
        equipment_id=equipment_id, status__in=ACTIVE_STATUSES, start__lt=end, end__gt=start
    )


def _check_quota(rows: list[dict]) -> None:
    if not rows or rows[0]["organisation_id"] is None:
        return
    first = rows[0]
    quotas = {
        q.organisation_id: q.hours_per_month
        for q in BookingQuota.objects.filter(
            Q(organisation_id=first["organisation_id"]) | Q(organisation__isnull=True),
            equipment=first["equipment"],
        )
    }
    limit = quotas.get(first["organisation_id"], quotas.get(None))
    if limit is None:
        return
    by_month: dict[tuple[int, int], int] = {}
    for row in rows:
        local = row["start"].astimezone(TOKYO)
        by_month[(local.year, local.month)] = (
            by_month.get((local.year, local.month), 0) + row["minutes"]
        )
    for (year, month), minutes in by_month.items():
        first_day = dt.datetime(year, month, 1, tzinfo=TOKYO)
        next_month = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=TOKYO)
        used = (
            Booking.objects.filter(
                equipment=first["equipment"],
                organisation_id=first["organisation_id"],
                status__in=ACTIVE_STATUSES,
                start__gte=first_day,
                start__lt=next_month,
            ).aggregate(m=Sum("minutes"))["m"]
            or 0
        )
        if used + minutes > limit * 60:
            raise Conflict(
                f"your organisation's quota on this machine is {limit} hours a month; "
                f"{used / 60:g} hours are booked in {year}-{month:02d}",
                field="end",
            )


def _refuse_if_taken(equipment_id: int, row: dict) -> None:
    clash = _overlapping(equipment_id, row["start"], row["end"]).values_list("start", "end").first()
    if clash is not None:
        raise Conflict(
            _("the machine is already booked from %(start)s to %(end)s")
            % {"start": format_when(clash[0]), "end": format_when(clash[1])},
            field="start",
        )


def _add_base_fee(rows: list[dict]) -> None:
    """The machine's base fee goes with the user's first booking of it in each fiscal year
    (checked under the machine's lock, so two bookings made at once cannot both skip it)."""
    machine = rows[0]["equipment"]
    if not machine.base_fee_yen:
        return
    covered: set[dt.datetime] = set()
    for row in sorted(rows, key=lambda r: r["start"]):
        year = _fiscal_year_span(row["start"])[0]
        if year in covered:
            continue
        covered.add(year)
        if base_fee_due(equipment=machine, user=row["user"], start=row["start"]):
            row["base_fee_yen"] = machine.base_fee_yen
            row["estimated_fee_yen"] = estimate_fee(
                equipment=machine, user_class=row["user_class"], mode=row["mode"],
                minutes=row["minutes"], staff_count=row["staff_count"],
                out_of_area=row["out_of_area"], samples=row["samples"], private=row["private"],
                base_fee_yen=row["base_fee_yen"],
            ).total_yen  # fmt: skip


def _create_locked(rows: list[dict], series: BookingSeries | None = None) -> list[Booking]:
    """Lock the machine, check overlaps and quota, insert. Raises Conflict (409)."""
    equipment_id = rows[0]["equipment"].pk
    # Fast refusal without the lock: a committed overlapping booking already exists.
    for row in rows:
        _refuse_if_taken(equipment_id, row)
    try:
        with transaction.atomic():
            # The lock: concurrent bookings of this machine wait here, one at a time.
            list(Equipment.objects.select_for_update().filter(pk=equipment_id).values("pk"))
            # The check that counts: under the lock, nobody can insert between it and ours.
            for row in rows:
                _refuse_if_taken(equipment_id, row)
            _check_quota(rows)
            for a in rows:
                for b in rows:
                    if a is not b and a["start"] < b["end"] and b["start"] < a["end"]:
                        raise DomainError(_("the occurrences overlap each other"), field="end")
            _add_base_fee(rows)
            created = [Booking(series=series, **row) for row in rows]
            if len(created) == 1:
                created[0].save()
            else:
                created = Booking.objects.bulk_create(created)
                totals.refresh_bookings(created)  # a bulk insert sends no signals
            return created
    except IntegrityError as exc:
        # PostgreSQL's exclusion constraint caught an overlap the lock did not (belt and braces).
        raise Conflict(_("the machine is already booked at that time"), field="start") from exc


def booking_create(
    *,
    equipment: Equipment | int | str | None,
    user: User,
    start: dt.datetime | str | None,
    end: dt.datetime | str | None,
    mode: str | None = None,
    staff_count: int | None = None,
    purpose: str = "",
    samples: int = 0,
    private: bool = False,
    now: dt.datetime | None = None,
) -> Booking:
    """Book a machine: 400 (DomainError) for bad input, 403 without a certificate, 409 if taken.
    `samples` (per-sample fee) and `private` (results kept unpublished: the machine's
    non-publish price) are stored with the booking; the base fee is added when due."""
    machine = _fetch_equipment(equipment)
    start_at = _instant(start, "start")
    end_at = _instant(end, "end")
    row = _prepare(
        equipment=machine,
        user=user,
        start=start_at,
        end=end_at,
        mode=mode,
        staff_count=staff_count,
        now=now or timezone.now(),
        samples=samples,
        private=private,
    )
    row["purpose"] = (purpose or "")[:300]
    booking = _create_locked([row])[0]
    _notify_operators(booking)
    return booking


def booking_create_series(
    *,
    equipment: Equipment | int | str,
    user: User,
    start: dt.datetime | str,
    end: dt.datetime | str,
    count: int,
    interval_days: int = 7,
    mode: str | None = None,
    staff_count: int | None = None,
    purpose: str = "",
    samples: int = 0,
    private: bool = False,
    now: dt.datetime | None = None,
) -> list[Booking]:
    """A recurring booking: all `count` occurrences or none (409 names the clash)."""
    machine = _fetch_equipment(equipment)
    if not isinstance(count, int) or not 1 <= count <= MAX_SERIES:
        raise DomainError(
            _("count must be between 1 and %(max)d") % {"max": MAX_SERIES}, field="count"
        )
    if not isinstance(interval_days, int) or not 1 <= interval_days <= 28:
        raise DomainError(_("interval_days must be between 1 and 28"), field="interval_days")
    start_at, end_at = _instant(start, "start"), _instant(end, "end")
    # The last occurrence, too, lies within the horizon (and its date arithmetic cannot overflow).
    refuse_beyond_horizon(start=start_at, end=end_at, now=now or timezone.now())
    last_shift = dt.timedelta(days=interval_days * (count - 1))
    refuse_beyond_horizon(
        start=start_at + last_shift, end=end_at + last_shift, now=now or timezone.now()
    )
    rows = []
    for i in range(count):
        # Keep the local wall-clock time (Tokyo has no daylight saving, but be exact anyway).
        shift = dt.timedelta(days=interval_days * i)
        s = start_at.astimezone(TOKYO) + shift
        e = end_at.astimezone(TOKYO) + shift
        row = _prepare(
            equipment=machine, user=user, start=s, end=e, mode=mode,
            staff_count=staff_count, now=now or timezone.now(), samples=samples, private=private,
        )  # fmt: skip
        row["purpose"] = purpose[:300]
        rows.append(row)
    with transaction.atomic():
        series = BookingSeries.objects.create(
            equipment=machine, user=user, interval_days=interval_days, count=count
        )
        return _create_locked(rows, series)


def _instant(value, field: str) -> dt.datetime:
    try:
        return parse_instant(value, field=field)
    except SlotError as exc:
        raise DomainError(exc.message, field=exc.field) from None


def _notify_operators(booking: Booking) -> None:
    if booking.status != BookingStatus.REQUESTED:
        return
    emails = [e for e in booking.equipment.hub.operators.values_list("email", flat=True) if e]
    if emails:
        send_mail(
            subject=f"[kyoten] booking request: {booking.equipment.name}",
            message=f"{booking.user} asks for {booking.equipment.name}: "
            f"{format_span(booking.start, booking.end)}.",
            from_email=None,
            recipient_list=emails,
            fail_silently=True,
        )


def _lock_booking(booking_id: int) -> Booking:
    try:
        return (
            Booking.objects.select_for_update(of=("self",))
            .select_related("equipment", "equipment__hub", "user", "organisation")
            .get(pk=booking_id)
        )
    except Booking.DoesNotExist:
        raise NotFound(_("no such booking"), field="id") from None


@transaction.atomic
def booking_decide(*, booking: Booking, by: User, approve: bool, reason: str = "") -> Booking:
    """Approve or reject a requested booking (the hub's operators)."""
    booking = _lock_booking(booking.pk)
    if not can_manage_equipment(by, booking.equipment.hub):
        raise Forbidden(_("only the hub's operators decide on bookings"))
    if booking.status != BookingStatus.REQUESTED:
        raise Conflict(_("this booking is not awaiting a decision"), field="status")
    booking.status = BookingStatus.CONFIRMED if approve else BookingStatus.REJECTED
    booking.decided_by = by
    booking.cancel_reason = "" if approve else reason[:300]
    booking.save(update_fields=["status", "decided_by", "cancel_reason"])
    if approve:
        _tell_user(booking, kind=NoticeKind.BOOKING_CONFIRMED,
                   message=gettext_lazy("Your booking of %(machine)s on %(when)s is confirmed."))  # fmt: skip
    else:
        _pass_on_base_fee(booking)
        _tell_user(booking, kind=NoticeKind.BOOKING_CANCELLED,
                   message=gettext_lazy("Your booking request of %(machine)s on %(when)s is "
                                        "declined by the hub."))  # fmt: skip
        _offer_to_waitlist(booking)
    return booking


def _charge(booking: Booking, *, kind: str, amount: int, hours: int = 0, hourly: int = 0,
            staff_yen: int = 0, multiplier: int = 100, on: dt.date) -> Charge:  # fmt: skip
    billing = home_hub_of(booking.organisation) or booking.equipment.hub
    charge, _created = Charge.objects.update_or_create(
        booking=booking,
        kind=kind,
        defaults={
            "hub": booking.equipment.hub,
            "billing_hub": billing,
            "organisation": booking.organisation,
            "user": booking.user,
            "user_class": booking.user_class,
            "mode": booking.mode,
            "hours": hours,
            "hourly_yen": hourly,
            "staff_yen": staff_yen,
            "multiplier_pct": multiplier,
            "amount_yen": amount,
            "occurred_on": on,
        },
    )
    return charge


def cancellation_deadline(booking: Booking) -> dt.datetime:
    """From this moment on, the user's cancellation costs the hub's late-cancellation fee."""
    hours = hub_settings(booking.equipment.hub).late_cancel_hours
    return booking.start - dt.timedelta(hours=hours)


def fee_without_base(booking: Booking) -> int:
    """The booking's estimated fee without the base fee it carries (the base fee is due with
    a use; a cancellation or a no-show passes it on, so their fees leave it out)."""
    if not booking.base_fee_yen:
        return booking.estimated_fee_yen
    try:
        return booking_estimate(booking, base_fee_yen=0).total_yen
    except FeeError:  # the machine no longer offers that class and mode
        return max(0, booking.estimated_fee_yen - booking.base_fee_yen)


def _pass_on_base_fee(booking: Booking) -> None:
    """A booking that will not be used (cancelled, declined, no-show) gives the base fee it
    carries to the user's next coming booking of the machine in the same fiscal year (its
    estimate grows); without one, the next booking they make carries it."""
    if not booking.base_fee_yen:
        return
    amount = booking.base_fee_yen
    booking.estimated_fee_yen = fee_without_base(booking)
    booking.base_fee_yen = 0
    booking.save(update_fields=["estimated_fee_yen", "base_fee_yen"])
    first, last = _fiscal_year_span(booking.start)
    heir = (
        Booking.objects.select_for_update()
        .filter(equipment_id=booking.equipment_id, user_id=booking.user_id,
                status__in=(BookingStatus.REQUESTED, BookingStatus.CONFIRMED),
                start__gte=first, start__lt=last, base_fee_yen=0)
        .exclude(pk=booking.pk)
        .order_by("start", "id")
        .first()
    )  # fmt: skip
    if heir is None:
        return
    heir.equipment = booking.equipment
    try:
        heir.estimated_fee_yen = booking_estimate(heir, base_fee_yen=amount).total_yen
    except FeeError:
        return
    heir.base_fee_yen = amount
    heir.save(update_fields=["estimated_fee_yen", "base_fee_yen"])


def late_cancellation_fee(booking: Booking, *, now: dt.datetime) -> int:
    """What the user pays if they cancel at `now` (0 before the hub's window opens): the hub's
    percentage of the fee without the base fee."""
    pct = hub_settings(booking.equipment.hub).late_cancel_fee_pct
    if now < cancellation_deadline(booking) or not pct:
        return 0
    return percent_of(fee_without_base(booking), pct)


@transaction.atomic
def booking_cancel(
    *, booking: Booking, by: User, reason: str = "", now: dt.datetime | None = None
) -> Booking:
    """Cancel; within the hub's late-cancellation window the user pays its fee."""
    now = now or timezone.now()
    booking = _lock_booking(booking.pk)
    is_staff = can_manage_equipment(by, booking.equipment.hub)
    if booking.user_id != by.pk and not is_staff:
        raise NotFound(_("no such booking"), field="id")
    if booking.status not in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED):
        raise Conflict(_("only a requested or confirmed booking can be cancelled"), field="status")
    if booking.start <= now and not is_staff:
        raise Conflict(_("the booking has started; ask the hub"), field="status")
    amount = late_cancellation_fee(booking, now=now) if booking.user_id == by.pk else 0
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.cancel_reason = reason[:300]
    booking.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    _pass_on_base_fee(booking)
    if booking.user_id == by.pk:
        if amount:
            _charge(booking, kind=ChargeKind.LATE_CANCELLATION, amount=amount,
                    on=now.astimezone(TOKYO).date())  # fmt: skip
    if booking.user_id != by.pk:
        _tell_user(booking, kind=NoticeKind.BOOKING_CANCELLED,
                   message=gettext_lazy("The hub cancelled your booking of %(machine)s on "
                                        "%(when)s."))  # fmt: skip
    _offer_to_waitlist(booking)
    return booking


@transaction.atomic
def booking_mark_no_show(*, booking: Booking, by: User, now: dt.datetime | None = None) -> Booking:
    now = now or timezone.now()
    booking = _lock_booking(booking.pk)
    if not can_manage_equipment(by, booking.equipment.hub):
        raise Forbidden(_("only the hub's operators record no-shows"))
    if booking.status != BookingStatus.CONFIRMED or booking.start > now:
        raise Conflict(
            _("only a confirmed booking that has started can be a no-show"), field="status"
        )
    booking.status = BookingStatus.NO_SHOW
    booking.save(update_fields=["status"])
    _pass_on_base_fee(booking)
    pct = hub_settings(booking.equipment.hub).no_show_fee_pct
    amount = percent_of(booking.estimated_fee_yen, pct)
    if amount:
        _charge(booking, kind=ChargeKind.NO_SHOW, amount=amount,
                on=booking.start.astimezone(TOKYO).date())  # fmt: skip
    return booking


def _usage_charge(booking: Booking, minutes: int) -> Charge:
    """The charge for the time actually used, with the booking's samples, non-publish choice
    and the base fee it carries."""
    fee = booking_estimate(booking, minutes=minutes)
    return _charge(
        booking,
        kind=ChargeKind.USAGE,
        amount=fee.total_yen,
        hours=fee.hours,
        hourly=fee.hourly_yen,
        staff_yen=fee.staff_yen,
        multiplier=fee.multiplier_pct,
        on=booking.start.astimezone(TOKYO).date(),
    )


@transaction.atomic
def booking_report_usage(
    *,
    booking: Booking,
    by: User,
    actual_start: dt.datetime | str,
    actual_end: dt.datetime | str,
    will_acknowledge: bool,
    publication_note: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> UsageReport:
    """The user (or staff) reports actual hours after use; the usage fee is charged from them."""
    now = now or timezone.now()
    booking = _lock_booking(booking.pk)
    is_staff = can_manage_equipment(by, booking.equipment.hub)
    if booking.user_id != by.pk and not is_staff:
        raise NotFound(_("no such booking"), field="id")
    if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED):
        raise Conflict(_("only a confirmed booking can be reported"), field="status")
    if hasattr(booking, "usage"):
        raise Conflict(_("usage is already reported; the hub can adjust it"), field="id")
    start, end = _instant(actual_start, "actual_start"), _instant(actual_end, "actual_end")
    if end <= start:
        raise DomainError(_("end must be after start"), field="actual_end")
    if start > now:
        raise DomainError(_("usage can be reported only after it started"), field="actual_start")
    if booking.equipment.acknowledgement_required and not will_acknowledge:
        raise DomainError(
            _("this hub requires the facility to be acknowledged in publications"),
            field="will_acknowledge",
        )
    minutes = int((end - start).total_seconds() // 60)
    usage = UsageReport.objects.create(
        booking=booking, actual_start=start, actual_end=end, minutes=minutes,
        will_acknowledge=will_acknowledge, publication_note=publication_note[:300], note=note,
        reported_by=by, reported_at=now,
    )  # fmt: skip
    booking.status = BookingStatus.COMPLETED
    booking.save(update_fields=["status"])
    _usage_charge(booking, minutes)
    return usage


@transaction.atomic
def usage_adjust(
    *, usage: UsageReport, by: User, actual_start: dt.datetime | str,
    actual_end: dt.datetime | str, note: str = "",
) -> UsageReport:  # fmt: skip
    """Staff correct the recorded time; the usage charge follows unless already invoiced."""
    usage = UsageReport.objects.select_for_update(of=("self",)).select_related(
        "booking__equipment__hub", "booking__organisation").get(pk=usage.pk)  # fmt: skip
    booking = usage.booking
    if not can_manage_equipment(by, booking.equipment.hub):
        raise Forbidden(_("only the hub's operators adjust usage"))
    if Charge.objects.filter(
        booking=booking, kind=ChargeKind.USAGE, invoice__isnull=False
    ).exists():
        raise Conflict(_("this usage is already invoiced"), field="id")
    start, end = _instant(actual_start, "actual_start"), _instant(actual_end, "actual_end")
    if end <= start:
        raise DomainError(_("end must be after start"), field="actual_end")
    usage.actual_start, usage.actual_end = start, end
    usage.minutes = int((end - start).total_seconds() // 60)
    usage.adjusted_by, usage.adjusted_at = by, timezone.now()
    usage.note = note or usage.note
    usage.save()
    _usage_charge(booking, usage.minutes)
    return usage


@transaction.atomic
def booking_assign_staff(*, booking: Booking, staff: User, by: User) -> StaffAssignment:
    """Give an assisted/commissioned booking a staff slot; staff are never double-booked."""
    booking = _lock_booking(booking.pk)
    hub = booking.equipment.hub
    if not can_manage_equipment(by, hub):
        raise Forbidden(_("only the hub's operators assign staff"))
    if booking.mode == Mode.SELF_USE:
        raise DomainError(_("self-use bookings have no staff"), field="mode")
    if not is_hub_operator(staff, hub):
        raise DomainError(_("staff must be operators of this hub"), field="staff")
    # Lock the staff member's row so two assignments of the same person serialise.
    list(User.objects.select_for_update().filter(pk=staff.pk).values("pk"))
    clash = StaffAssignment.objects.filter(
        staff=staff, start__lt=booking.end, end__gt=booking.start,
        booking__status__in=ACTIVE_STATUSES,
    ).exclude(booking=booking)  # fmt: skip
    if clash.exists():
        raise Conflict(_("this staff member is already assigned at that time"), field="staff")
    slot, _created = StaffAssignment.objects.get_or_create(
        booking=booking, staff=staff, defaults={"start": booking.start, "end": booking.end}
    )
    return slot


def waitlist_join(*, equipment: Equipment, user: User, start, end) -> WaitlistEntry:
    start_at, end_at = _instant(start, "start"), _instant(end, "end")
    if end_at <= start_at:
        raise DomainError(_("end must be after start"), field="end")
    entry, _created = WaitlistEntry.objects.get_or_create(
        equipment=equipment, user=user, start=start_at, end=end_at,
        status=WaitlistStatus.WAITING,
    )  # fmt: skip
    return entry


def _offer_to_waitlist(booking: Booking) -> None:
    """A slot came free: tell the first people waiting for an overlapping time."""
    entries = list(
        WaitlistEntry.objects.filter(
            equipment_id=booking.equipment_id, status=WaitlistStatus.WAITING,
            start__lt=booking.end, end__gt=booking.start,
        ).select_related("user")[:5]
    )  # fmt: skip
    now = timezone.now()
    for entry in entries:
        entry.status = WaitlistStatus.OFFERED
        entry.offered_at = now
        entry.save(update_fields=["status", "offered_at"])
    if entries:
        from django.urls import reverse

        notify(
            recipients=[e.user for e in entries],
            kind=NoticeKind.WAITLIST_OFFERED,
            message=gettext_lazy(
                "%(machine)s is free again on %(when)s: book it before someone else does."
            ),
            params={"machine": booking.equipment.name,
                    "when": LocalSpan(booking.start, booking.end)},
            url=reverse("equipment:detail", args=[booking.equipment_id]),
        )  # fmt: skip


def _tell_user(booking: Booking, *, kind: str, message) -> None:
    from django.urls import reverse

    notify(
        recipients=[booking.user], kind=kind, message=message,
        params={"machine": booking.equipment.name,
                "when": LocalSpan(booking.start, booking.end)},
        url=reverse("equipment:booking", args=[booking.pk]),
    )  # fmt: skip


@transaction.atomic
def quota_set(
    *, equipment: Equipment, organisation: Organisation | None, hours_per_month: int, by: User
) -> BookingQuota:
    if not can_manage_equipment(by, equipment.hub):
        raise Forbidden(_("only the hub's operators set quotas"))
    if not isinstance(hours_per_month, int) or hours_per_month < 0:
        raise DomainError(_("hours must be a whole number, 0 or more"), field="hours_per_month")
    quota, _created = BookingQuota.objects.update_or_create(
        equipment=equipment, organisation=organisation,
        defaults={"hours_per_month": hours_per_month},
    )  # fmt: skip
    return quota


# --- training --------------------------------------------------------------------------------

MAX_SESSION_CAPACITY = 200


def _certificate_url() -> str:
    from django.urls import reverse

    return reverse("equipment:my_training")


@transaction.atomic
def course_create(
    *,
    hub: Hub,
    by: User,
    title: str,
    equipment: Equipment | None = None,
    category: str = "",
    hours: int = 3,
    validity_months: int | None = 24,
    description: str = "",
) -> Course:
    """A training course of the hub: for one of its machines, or for a category of them.
    `validity_months` None: the certificate does not expire."""
    if not can_manage_equipment(by, hub):
        raise Forbidden(_("only the hub's operators may add courses"))
    title = (title or "").strip()
    if not title:
        raise DomainError(_("a title is required"), field="title")
    if equipment is not None and equipment.hub_id != hub.pk:
        raise DomainError(_("the machine belongs to another hub"), field="equipment")
    if equipment is None and category not in Category.values:
        raise DomainError(_("choose a machine or a category"), field="equipment")
    if not 1 <= hours <= 100:
        raise DomainError(_("between 1 and 100 hours"), field="hours")
    if validity_months is not None and not 1 <= validity_months <= 120:
        raise DomainError(
            _("between 1 and 120 months, or empty for no expiry"), field="validity_months"
        )
    return Course.objects.create(
        hub=hub, title=title[:200], equipment=equipment,
        category="" if equipment is not None else category, hours=hours,
        validity_months=validity_months, description=description,
    )  # fmt: skip


@transaction.atomic
def session_create(
    *,
    course: Course,
    by: User,
    start: dt.datetime | str,
    end: dt.datetime | str,
    capacity: int,
    place: str = "",
    instructor: User | None = None,
    now: dt.datetime | None = None,
) -> TrainingSession:
    """A session of a course: when, where, how many seats, who teaches (an operator)."""
    if not can_manage_equipment(by, course.hub):
        raise Forbidden(_("only the hub's operators may add training sessions"))
    start_at, end_at = _instant(start, "start"), _instant(end, "end")
    if end_at <= start_at:
        raise DomainError(_("end must be after start"), field="end")
    if start_at <= (now or timezone.now()):
        raise DomainError(_("a session must start in the future"), field="start")
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_SESSION_CAPACITY:
        raise DomainError(
            _("capacity is between 1 and %(max)d people") % {"max": MAX_SESSION_CAPACITY},
            field="capacity",
        )
    if instructor is not None and not is_hub_operator(instructor, course.hub):
        raise DomainError(_("the instructor must be one of the hub's operators"),
                          field="instructor")  # fmt: skip
    return TrainingSession.objects.create(
        course=course, start=start_at, end=end_at, capacity=capacity, place=place.strip()[:200],
        instructor=instructor,
    )  # fmt: skip


def _seats_taken(session: TrainingSession) -> int:
    return Attendance.objects.filter(session=session, status__in=SEATED_STATUSES).count()


@transaction.atomic
def session_register(
    *, session: TrainingSession, user: User, now: dt.datetime | None = None
) -> Attendance:
    """Register for a session (the session row is locked while seats are counted); when it is
    full the person goes on its waiting list. Registering twice is refused (409)."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.start <= (now or timezone.now()):
        raise DomainError(_("this session has already started"), field="session")
    existing = Attendance.objects.filter(session=session, user=user).first()
    if existing is not None:
        if existing.status == AttendanceStatus.WAITLISTED:
            raise Conflict(_("you are already on the waiting list of this session"),
                           field="session")  # fmt: skip
        raise Conflict(_("you are already registered for this session"), field="session")
    full = _seats_taken(session) >= session.capacity
    return Attendance.objects.create(
        session=session, user=user,
        status=AttendanceStatus.WAITLISTED if full else AttendanceStatus.REGISTERED,
    )  # fmt: skip


@transaction.atomic
def session_unregister(
    *, session: TrainingSession, user: User, now: dt.datetime | None = None
) -> None:
    """Withdraw a registration (or leave the waiting list) before the session starts; a freed
    seat goes to the first person waiting, who is told."""
    session = (
        TrainingSession.objects.select_for_update(of=("self",))
        .select_related("course", "course__hub")
        .get(pk=session.pk)
    )
    if session.start <= (now or timezone.now()):
        raise DomainError(_("this session has already started"), field="session")
    deleted, _rows = Attendance.objects.filter(
        session=session, user=user,
        status__in=(AttendanceStatus.REGISTERED, AttendanceStatus.WAITLISTED),
    ).delete()  # fmt: skip
    if not deleted:
        raise NotFound(_("you are not registered for this session"), field="session")
    if _seats_taken(session) >= session.capacity:
        return
    first = (
        Attendance.objects.filter(session=session, status=AttendanceStatus.WAITLISTED)
        .select_related("user")
        .order_by("created_at", "id")
        .first()
    )
    if first is None:
        return
    first.status = AttendanceStatus.REGISTERED
    first.save(update_fields=["status"])
    from django.urls import reverse

    notify(
        recipients=[first.user],
        kind=NoticeKind.WAITLIST_OFFERED,
        message=gettext_lazy(
            "A seat came free: you are now registered for %(course)s on %(when)s."
        ),
        params={"course": session.course.title, "when": LocalSpan(session.start, session.end)},
        url=reverse("equipment:my_training"),
    )


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def attendance_record(
    *,
    session: TrainingSession,
    user: User,
    attended: bool,
    by: User,
    now: dt.datetime | None = None,
) -> Certificate | None:
    """Record whether a registered person attended (once the session has started). Attending
    passes: the course's certificate is issued once per session and the person is told;
    marking them absent afterwards revokes that certificate."""
    session = (
        TrainingSession.objects.select_for_update(of=("self",))
        .select_related("course", "course__hub", "course__equipment")
        .get(pk=session.pk)
    )
    course = session.course
    if not can_manage_equipment(by, course.hub):
        raise Forbidden(_("only the hub's operators record attendance"))
    if session.start > (now or timezone.now()):
        raise DomainError(_("attendance is recorded once the session has started"),
                          field="session")  # fmt: skip
    updated = Attendance.objects.filter(
        session=session, user=user, status__in=SEATED_STATUSES
    ).update(status=AttendanceStatus.ATTENDED if attended else AttendanceStatus.ABSENT)
    if not updated:
        raise NotFound(_("this person is not registered for the session"), field="user")
    existing = Certificate.objects.filter(session=session, user=user).first()
    if not attended:
        if existing is not None and not existing.revoked:
            Certificate.objects.filter(pk=existing.pk).update(revoked=True)
        return None
    if existing is not None:
        if existing.revoked:
            Certificate.objects.filter(pk=existing.pk).update(revoked=False)
            existing.revoked = False
        return existing
    return certificate_issue(
        user=user, course=course, issued_on=session.start.astimezone(TOKYO).date(), by=by,
        session=session,
    )  # fmt: skip


@transaction.atomic
def certificate_issue(
    *,
    user: User,
    course: Course,
    issued_on: dt.date,
    by: User | None,
    session: TrainingSession | None = None,
) -> Certificate:
    """Issue the course's certificate (expiring after its months, if it says so) and tell the
    person."""
    if by is not None and not can_manage_equipment(by, course.hub):
        raise Forbidden(_("only the hub's operators issue certificates"))
    expires = _add_months(issued_on, course.validity_months) if course.validity_months else None
    certificate = Certificate.objects.create(
        user=user, hub=course.hub, course=course, session=session, equipment=course.equipment,
        category="" if course.equipment_id else course.category,
        organisation=user.organisation, issued_on=issued_on, expires_on=expires,
    )  # fmt: skip
    what = course.equipment.name if course.equipment_id else Category(course.category).label
    if expires is None:
        message = gettext_lazy(
            "You passed %(course)s: you may now use %(machine)s of %(hub)s alone."
        )
        params = {"course": course.title, "machine": what, "hub": course.hub.name}
    else:
        message = gettext_lazy(
            "You passed %(course)s: you may now use %(machine)s of %(hub)s alone until %(until)s."
        )
        params = {"course": course.title, "machine": what, "hub": course.hub.name,
                  "until": LocalDay(expires)}  # fmt: skip
    notify(
        recipients=[user], kind=NoticeKind.CERTIFICATE_ISSUED, message=message, params=params,
        url=_certificate_url(),
    )  # fmt: skip
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: User) -> Certificate:
    if not can_manage_equipment(by, certificate.hub):
        raise Forbidden(_("only the hub's operators revoke certificates"))
    Certificate.objects.filter(pk=certificate.pk).update(revoked=True)
    certificate.revoked = True
    return certificate


# --- invoices ----------------------------------------------------------------------------------


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    if not 1 <= month <= 12:
        raise DomainError(_("month must be 1 to 12"), field="month")
    first = dt.date(year, month, 1)
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


@transaction.atomic
def invoices_issue(*, hub: Hub, year: int, month: int, by: User | None) -> list[Invoice]:
    """One invoice per organisation for the month's uninvoiced charges the hub bills."""
    if by is not None and not can_manage_equipment(by, hub):
        raise Forbidden(_("only the hub's operators issue invoices"))
    first, last = _month_bounds(year, month)
    charges = Charge.objects.select_for_update(of=("self",)).select_related("user", "organisation__billing_contact").filter(
        billing_hub=hub, invoice__isnull=True, organisation__isnull=False,
        occurred_on__gte=first, occurred_on__lte=last,
    )  # fmt: skip
    by_org: dict[int, list[Charge]] = {}
    for charge in charges:
        by_org.setdefault(charge.organisation_id, []).append(charge)
    issued = []
    for org_id, items in sorted(by_org.items()):
        invoice, _created = Invoice.objects.get_or_create(
            hub=hub, organisation_id=org_id, year=year, month=month,
            defaults={"number": f"{hub.slug.upper()[:12]}-{year}{month:02d}-{org_id:05d}"},
        )  # fmt: skip
        Charge.objects.filter(pk__in=[c.pk for c in items]).update(invoice=invoice)
        invoice.total_yen = invoice.charges.aggregate(t=Sum("amount_yen"))["t"] or 0
        invoice.save(update_fields=["total_yen"])
        issued.append(invoice)
        _tell_invoice(invoice, items)
    return issued


@transaction.atomic
def settlement_close(*, year: int, month: int, by: User, now: dt.datetime | None = None):
    """The officer closes a month of the settlement between hubs: its figures are stored and
    fixed from then on (charges recorded later count in no closed month), and the operators of
    each hub that pays or receives are told. A month is closed once, and only once it is over."""
    from django.urls import reverse

    from kyoten.core.rules import is_officer
    from kyoten.equipment import selectors
    from kyoten.equipment.models import SettlementClose

    if not is_officer(by):
        raise Forbidden(_("only the program officer closes a month of the settlement"))
    year, month = selectors._month_or_400(year, month)
    today = (now or timezone.now()).astimezone(TOKYO).date()
    if (year, month) >= (today.year, today.month):
        raise DomainError(_("a month is closed only once it is over"), field="month")
    # Lock: two officers closing the same month at once give one close and one 409.
    if SettlementClose.objects.select_for_update().filter(year=year, month=month).exists():
        raise Conflict(
            _("the settlement of %(year)s/%(month)s is already closed")
            % {"year": year, "month": month},
            field="month",
        )
    figures = selectors.settlement(year=year, month=month)
    try:
        with transaction.atomic():
            closed = SettlementClose.objects.create(
                year=year, month=month, figures=figures, closed_by=by
            )
    except IntegrityError:
        raise Conflict(
            _("the settlement of %(year)s/%(month)s is already closed")
            % {"year": year, "month": month},
            field="month",
        ) from None
    url = reverse("equipment:settlement") + f"?year={year}&month={month}"
    hub_ids = {r["from_hub"] for r in figures} | {r["to_hub"] for r in figures}
    for hub in Hub.objects.filter(pk__in=hub_ids).prefetch_related("operators"):
        pays = sum(r["amount_yen"] for r in figures if r["from_hub"] == hub.pk)
        gets = sum(r["amount_yen"] for r in figures if r["to_hub"] == hub.pk)
        notify(
            recipients=list(hub.operators.all()), kind=NoticeKind.SETTLEMENT_CLOSED,
            message=gettext_lazy(
                "The settlement between hubs for %(year)s/%(month)s is closed: %(hub)s pays "
                "%(pays)s and receives %(gets)s."
            ),
            params={"year": year, "month": month, "hub": hub.name,
                    "pays": format_yen(pays), "gets": format_yen(gets)},
            url=url, key=f"settlement-{year}-{month}-{hub.pk}",
        )  # fmt: skip
    return closed


def _tell_invoice(invoice: Invoice, items: list[Charge]) -> None:
    """The organisation's billing contact and each user whose charges it bills."""
    from django.urls import reverse

    people = {c.user_id: c.user for c in items}
    contact = invoice.organisation.billing_contact
    if contact is not None:
        people[contact.pk] = contact
    notify(
        recipients=people.values(), kind=NoticeKind.INVOICE_ISSUED,
        message=gettext_lazy("%(hub)s issued invoice %(number)s for %(year)s/%(month)s."),
        params={"hub": invoice.hub.name, "number": invoice.number, "year": invoice.year,
                "month": invoice.month},
        url=reverse("equipment:invoices"),
    )  # fmt: skip
