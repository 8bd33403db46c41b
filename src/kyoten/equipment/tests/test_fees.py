import pytest

from kyoten.equipment.fees import (
    Fee,
    FeeError,
    billable_hours,
    compute_fee,
    percent_of,
    user_class_for,
)

RATES = {
    ("academic", "self_use"): 1000,
    ("sme", "self_use"): 1500,
    ("sme", "assisted"): 1500,
    ("large_company", "self_use"): 3000,
    ("in_house", "self_use"): 500,
    ("sme", "commissioned"): 4000,
}


@pytest.mark.parametrize(
    ("minutes", "hours"), [(0, 0), (1, 1), (59, 1), (60, 1), (61, 2), (120, 2), (210, 4)]
)
def test_a_started_hour_is_billed_whole(minutes, hours):
    assert billable_hours(minutes) == hours


def test_self_use_has_no_staff_surcharge():
    fee = compute_fee(
        rates=RATES, user_class="sme", mode="self_use", minutes=90, staff_hourly_yen=2500
    )
    assert fee == Fee(
        hours=2, hourly_yen=1500, equipment_yen=3000, staff_count=0, staff_hourly_yen=0,
        staff_yen=0, multiplier_pct=100, total_yen=3000,
    )  # fmt: skip


def test_assisted_use_adds_staff_per_person_and_hour():
    fee = compute_fee(
        rates=RATES, user_class="sme", mode="assisted", minutes=150, staff_hourly_yen=2500,
        staff_count=2,
    )  # fmt: skip
    assert (fee.hours, fee.equipment_yen, fee.staff_yen, fee.total_yen) == (3, 4500, 15000, 19500)


def test_out_of_area_multiplier_applies_to_the_whole_fee_rounding_half_up():
    fee = compute_fee(
        rates=RATES, user_class="sme", mode="commissioned", minutes=60, staff_hourly_yen=1701,
        out_of_area=True, out_of_area_multiplier_pct=150,
    )  # fmt: skip
    # (4000 + 1701) × 1.5 = 8551.5 → 8552
    assert (fee.multiplier_pct, fee.total_yen) == (150, 8552)


def test_in_house_users_never_pay_the_out_of_area_multiplier():
    fee = compute_fee(
        rates=RATES, user_class="in_house", mode="self_use", minutes=60, staff_hourly_yen=0,
        out_of_area=True, out_of_area_multiplier_pct=200,
    )  # fmt: skip
    assert (fee.multiplier_pct, fee.total_yen) == (100, 500)


def test_missing_rate_names_the_mode():
    with pytest.raises(FeeError) as err:
        compute_fee(
            rates=RATES, user_class="academic", mode="assisted", minutes=60, staff_hourly_yen=0
        )
    assert (err.value.field, str(err.value)) == (
        "mode",
        "この機器には大学・公的機関の技術補助の料金が設定されていません",
    )


def test_fees_are_integers():
    fee = compute_fee(
        rates=RATES, user_class="large_company", mode="self_use", minutes=61,
        staff_hourly_yen=0, out_of_area=True, out_of_area_multiplier_pct=120,
    )  # fmt: skip
    assert fee.total_yen == 7200 and isinstance(fee.total_yen, int)
    assert percent_of(1005, 50) == 503


@pytest.mark.parametrize(
    ("kind", "sme", "in_house", "expected"),
    [
        ("university", False, False, "academic"),
        ("kosen", False, False, "academic"),
        ("research_institute", False, False, "academic"),
        ("company", True, False, "sme"),
        ("company", False, False, "large_company"),
        (None, False, False, "large_company"),
        ("company", True, True, "in_house"),
    ],
)
def test_user_class(kind, sme, in_house, expected):
    assert user_class_for(organisation_kind=kind, is_sme=sme, in_house=in_house) == expected
