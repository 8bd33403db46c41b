"""Per-day, per-sample, base-fee and publish/non-publish prices of the fee calculator, with
figures from shared/data/equipment_reference.md."""

from __future__ import annotations

import pytest

from kyoten.equipment.fees import FeeError, compute_fee

RATES = {("academic", "self_use"): 1_500, ("sme", "commissioned"): 3_000,
         ("academic", "assisted"): 1_000}  # fmt: skip


def fee(**kw):
    base = {"rates": RATES, "user_class": "academic", "mode": "self_use", "minutes": 60,
            "staff_hourly_yen": 2_000}  # fmt: skip
    return compute_fee(**{**base, **kw})


def test_without_the_new_parts_the_fee_is_unchanged():
    f = fee(minutes=90)
    assert (f.total_yen, f.days, f.sample_yen, f.base_fee_yen, f.private_pct) == (
        3000,
        0,
        0,
        0,
        100,
    )


def test_day_rate_caps_the_hours_per_started_day_of_eight_hours():
    # SQUID magnetometer: ¥10,000 a day; 8 h at ¥1,500 would be ¥12,000.
    assert fee(minutes=8 * 60, per_day_yen=10_000).total_yen == 10_000
    assert fee(minutes=8 * 60, per_day_yen=10_000).days == 1
    # 3 h: the hours are cheaper than the day.
    assert fee(minutes=3 * 60, per_day_yen=10_000).total_yen == 4_500
    # 10 h = 2 started days; 10 × ¥1,500 = ¥15,000 < 2 × ¥10,000.
    assert fee(minutes=10 * 60, per_day_yen=10_000).total_yen == 15_000
    assert fee(minutes=16 * 60, per_day_yen=10_000).total_yen == 20_000


def test_per_sample_and_base_fee_are_added():
    # Per-sample XRD analysis at a prefectural institute: ¥8,800 a sample; a ¥20,000 base fee.
    f = fee(minutes=60, samples=3, per_sample_yen=8_800, base_fee_yen=20_000)
    assert (f.sample_yen, f.base_fee_yen, f.total_yen) == (26_400, 20_000, 1_500 + 26_400 + 20_000)


def test_non_publish_price_applies_to_the_machine_and_samples_only():
    f = fee(mode="assisted", minutes=60, samples=1, per_sample_yen=1_000, base_fee_yen=500,
            private=True, private_pct=200)  # fmt: skip
    # machine 1,000 ×2 + sample 1,000 ×2 + staff 2,000 + base 500
    assert (f.equipment_yen, f.sample_yen, f.staff_yen, f.total_yen) == (2000, 2000, 2000, 6500)
    # Publishing users pay the published price.
    assert fee(mode="assisted", minutes=60, private=False, private_pct=200).total_yen == 3000


def test_out_of_area_multiplier_covers_the_whole_fee():
    f = fee(minutes=60, samples=1, per_sample_yen=1_000, base_fee_yen=1_000, out_of_area=True,
            out_of_area_multiplier_pct=150)  # fmt: skip
    assert f.total_yen == (1_500 + 1_000 + 1_000) * 3 // 2


@pytest.mark.parametrize(
    ("kw", "field"),
    [({"samples": -1}, "samples"), ({"per_sample_yen": 1.5}, "per_sample_yen"),
     ({"base_fee_yen": -10}, "base_fee_yen"), ({"per_day_yen": -1}, "per_day_yen"),
     ({"day_hours": 0}, "day_hours"), ({"private_pct": 50}, "private_pct")],
)  # fmt: skip
def test_bad_parts_name_the_field(kw, field):
    with pytest.raises(FeeError) as caught:
        fee(**kw)
    assert caught.value.field == field
