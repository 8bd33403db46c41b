"""The fee calculator: pure functions over integer yen (no database).

Rules (see docs/equipment.md, "Fees"):
- a fee is per hour, by user class (academic, SME, large company, in-house) and mode
  (self-use, assisted, commissioned);
- a started hour is billed as a whole hour;
- assisted and commissioned use add a staff surcharge per staff member per hour (one staff member
  unless said otherwise); self-use has none;
- users from outside the hub's area pay the hub's out-of-area multiplier (a percentage, 150 =
  ×1.5) on the whole fee; in-house users never do;
- percentages are applied in integers, rounding half up to a whole yen.

Optional parts (shared/data/equipment_reference.md; all default to "not used", so a machine with
hourly rates only is billed exactly as before):
- per day: a day rate caps the hourly machine fee per started day of `day_hours` (8 h) billed;
- per sample: `per_sample_yen` × `samples` is added to the machine fee;
- base fee: `base_fee_yen` is added once (the caller decides when it is due, e.g. the first use
  in a fiscal year);
- publish / non-publish price: users who keep their data private pay `private_pct` (e.g. 200 =
  ×2) on the machine fee (hours, days and samples; not on staff or the base fee);
- the out-of-area multiplier applies to the whole fee.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kyoten.equipment.enums import Mode, UserClass

ACADEMIC_KINDS = frozenset(
    {"university", "college", "kosen", "research_institute", "prefecture", "ministry",
     "funding_agency"}
)  # fmt: skip


_CLASSES = frozenset(UserClass.values)
_MODES = frozenset(Mode.values)


class FeeError(ValueError):
    """No fee is defined for that user class and mode, or the input is not a fee."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Fee:
    hours: int
    hourly_yen: int
    equipment_yen: int
    staff_count: int
    staff_hourly_yen: int
    staff_yen: int
    multiplier_pct: int
    total_yen: int
    days: int = 0
    per_day_yen: int = 0
    day_hours: int = 8
    samples: int = 0
    per_sample_yen: int = 0
    sample_yen: int = 0
    base_fee_yen: int = 0
    private_pct: int = 100


def billable_hours(minutes: int) -> int:
    """Hours billed for a use of `minutes`: every started hour counts whole (61 min → 2 h)."""
    if minutes <= 0:
        return 0
    return -(-minutes // 60)


def percent_of(amount_yen: int, pct: int) -> int:
    """`amount_yen` × `pct`/100 in integers, rounded half up to a whole yen."""
    return (amount_yen * pct + 50) // 100


def default_staff_count(mode: str) -> int:
    return 0 if mode == Mode.SELF_USE else 1


def user_class_for(*, organisation_kind: str | None, is_sme: bool, in_house: bool) -> str:
    """The fee class of a user from their organisation (no organisation → large company)."""
    if in_house:
        return UserClass.IN_HOUSE
    if organisation_kind in ACADEMIC_KINDS:
        return UserClass.ACADEMIC
    if organisation_kind == "company" and is_sme:
        return UserClass.SME
    return UserClass.LARGE_COMPANY


def compute_fee(
    *,
    rates: Mapping[tuple[str, str], int],
    user_class: str,
    mode: str,
    minutes: int,
    staff_hourly_yen: int,
    staff_count: int | None = None,
    out_of_area: bool = False,
    out_of_area_multiplier_pct: int = 100,
    per_day_yen: int | None = None,
    day_hours: int = 8,
    samples: int = 0,
    per_sample_yen: int = 0,
    base_fee_yen: int = 0,
    private: bool = False,
    private_pct: int = 100,
) -> Fee:
    """The fee of one use. `rates` maps (user class, mode) to yen per hour."""
    if user_class not in _CLASSES:
        raise FeeError(f"unknown user class {user_class!r}", field="user_class")
    if mode not in _MODES:
        raise FeeError(f"unknown mode {mode!r}", field="mode")
    if (user_class, mode) not in rates:
        raise FeeError(
            _("this machine has no fee for %(user_class)s users in %(mode)s mode")
            % {"user_class": UserClass(user_class).label, "mode": Mode(mode).label},
            field="mode",
        )
    if minutes < 0:
        raise FeeError("a use cannot last a negative time", field="minutes")
    if out_of_area_multiplier_pct < 100:
        raise FeeError("the out-of-area multiplier is at least 100 %", field="multiplier")
    if staff_count is None:
        staff_count = default_staff_count(mode)
    if staff_count < 0:
        raise FeeError("staff count cannot be negative", field="staff_count")
    _check_parts(per_day_yen=per_day_yen, day_hours=day_hours, samples=samples,
                 per_sample_yen=per_sample_yen, base_fee_yen=base_fee_yen,
                 private_pct=private_pct)  # fmt: skip
    hours = billable_hours(minutes)
    hourly = rates[(user_class, mode)]
    equipment_yen = hourly * hours
    days = 0
    if per_day_yen is not None and hours:
        days = -(-hours // day_hours)
        equipment_yen = min(equipment_yen, per_day_yen * days)
    sample_yen = per_sample_yen * samples
    machine_pct = private_pct if private else 100
    equipment_yen = percent_of(equipment_yen, machine_pct)
    sample_yen = percent_of(sample_yen, machine_pct)
    staff_yen = staff_hourly_yen * staff_count * hours if mode != Mode.SELF_USE else 0
    pct = out_of_area_multiplier_pct if out_of_area and user_class != UserClass.IN_HOUSE else 100
    total = percent_of(equipment_yen + sample_yen + staff_yen + base_fee_yen, pct)
    return Fee(
        days=days,
        per_day_yen=per_day_yen or 0,
        day_hours=day_hours,
        samples=samples,
        per_sample_yen=per_sample_yen,
        sample_yen=sample_yen,
        base_fee_yen=base_fee_yen,
        private_pct=machine_pct,
        hours=hours,
        hourly_yen=hourly,
        equipment_yen=equipment_yen,
        staff_count=staff_count if mode != Mode.SELF_USE else 0,
        staff_hourly_yen=staff_hourly_yen if mode != Mode.SELF_USE else 0,
        staff_yen=staff_yen,
        multiplier_pct=pct,
        total_yen=total,
    )


def _check_parts(
    *, per_day_yen, day_hours, samples, per_sample_yen, base_fee_yen, private_pct
) -> None:
    """The optional parts are whole, non-negative yen and counts (field named when not)."""
    for field, value in (
        ("per_day_yen", per_day_yen), ("samples", samples), ("per_sample_yen", per_sample_yen),
        ("base_fee_yen", base_fee_yen),
    ):  # fmt: skip
        if value is None and field == "per_day_yen":
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FeeError(_("must be a whole number of at least 0"), field=field)
    if isinstance(day_hours, bool) or not isinstance(day_hours, int) or not 1 <= day_hours <= 24:
        raise FeeError(_("a day is billed as 1 to 24 hours"), field="day_hours")
    if isinstance(private_pct, bool) or not isinstance(private_pct, int) or private_pct < 100:
        raise FeeError(_("the non-publish price is at least 100 %"), field="private_pct")


CONSUMPTION_TAX_PCT = 10  # fees are published tax included (税込); the tax is shown


def tax_included(total_yen: int, rate_pct: int = CONSUMPTION_TAX_PCT) -> int:
    """The consumption tax contained in a tax-included amount (×rate/(100+rate), rounded
    down to a yen, as Japanese receipts show it): ¥4,500 → ¥409."""
    return total_yen * rate_pct // (100 + rate_pct)


def pct_factor(pct: int) -> str:
    """A percentage as the factor people read: 200 → "2.0", 150 → "1.5", 125 → "1.25"."""
    whole, rest = divmod(pct, 100)
    decimals = f"{rest:02d}".rstrip("0") or "0"
    return f"{whole}.{decimals}"


def explain(fee: Fee, *, user_class: str, mode: str) -> dict:
    """How a fee is made up, for people: the machine by the hour (or by the day, when the day
    rate is cheaper), samples, the non-publish price, staff surcharge, the base fee, the
    out-of-area surcharge, the total and the tax in it (all integer yen). A part that does not
    apply is 0 (the templates leave it out)."""
    hourly_machine = fee.hourly_yen * fee.hours
    by_day = bool(fee.days) and fee.per_day_yen * fee.days < hourly_machine
    machine_list_yen = fee.per_day_yen * fee.days if by_day else hourly_machine
    sample_list_yen = fee.per_sample_yen * fee.samples
    private_yen = fee.equipment_yen + fee.sample_yen - machine_list_yen - sample_list_yen
    subtotal = fee.equipment_yen + fee.sample_yen + fee.staff_yen + fee.base_fee_yen
    return {
        "user_class": user_class,
        "user_class_label": UserClass(user_class).label,
        "mode": mode,
        "mode_label": Mode(mode).label,
        "hours": fee.hours,
        "hourly_yen": fee.hourly_yen,
        "by_day": by_day,
        "days": fee.days if by_day else 0,
        "per_day_yen": fee.per_day_yen,
        "day_hours": fee.day_hours,
        "machine_yen": machine_list_yen,
        "samples": fee.samples,
        "per_sample_yen": fee.per_sample_yen,
        "sample_yen": sample_list_yen,
        "private_pct": fee.private_pct,
        "private_factor": pct_factor(fee.private_pct),
        "private_yen": private_yen,
        "equipment_yen": fee.equipment_yen,
        "staff_count": fee.staff_count,
        "staff_hourly_yen": fee.staff_hourly_yen,
        "staff_yen": fee.staff_yen,
        "base_fee_yen": fee.base_fee_yen,
        "subtotal_yen": subtotal,
        "multiplier_pct": fee.multiplier_pct,
        "surcharge_yen": fee.total_yen - subtotal,
        "total_yen": fee.total_yen,
        "tax_rate_pct": CONSUMPTION_TAX_PCT,
        "tax_yen": tax_included(fee.total_yen),
    }
