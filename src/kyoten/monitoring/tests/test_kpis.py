from decimal import Decimal

import pytest

from kyoten.calls.program import DEFAULT_KPIS
from kyoten.monitoring import kpis
from kyoten.monitoring.kpis import (
    AT_RISK,
    CATALOGUE,
    NO_DATA,
    NO_TARGET,
    OFF_TRACK,
    ON_TRACK,
    KpiError,
    TargetPoint,
    interpolate,
    status,
    target_schedule,
)

SPEC_KEYS = [
    "joint_research_projects", "companies_using", "sme_users", "equipment_utilisation_pct",
    "engineers_trained", "ventures_incubated", "patents_filed", "external_funding_yen",
    "revenue_yen",
]  # fmt: skip


def test_catalogue_covers_spec_and_program_keys():
    assert set(SPEC_KEYS) <= set(CATALOGUE)
    assert set(DEFAULT_KPIS) <= set(CATALOGUE)
    assert {"ventures_graduated", "patents_licensed", "self_funding_ratio_pct"} <= set(CATALOGUE)


def test_every_kpi_has_unit_definition_and_labels():
    for key, kpi in CATALOGUE.items():
        assert kpi.key == key
        assert kpi.unit in {"count", "percent", "yen"}
        assert kpi.definition and kpi.label_ja and kpi.label_en
        assert kpi.unit == "yen" if key.endswith("_yen") else kpi.unit != "yen"
        assert kpi.unit == "percent" if key.endswith("_pct") else kpi.unit != "percent"


def test_platform_kpis():
    assert kpis.PLATFORM_KPIS == (
        "joint_research_projects", "companies_using", "sme_users", "sme_share_pct",
        "equipment_utilisation_pct", "trainees", "engineers_trained", "usage_revenue_yen",
        "ventures_incubated", "ventures_graduated", "patents_filed", "patents_licensed",
        "consultations", "consultations_converted", "external_funding_yen",
    )  # fmt: skip


U = CATALOGUE["joint_research_projects"]


def test_interpolation_at_goal_years_is_the_goal():
    points = {2013: Decimal(20), 2020: Decimal(50)}
    assert interpolate(points, 2013, kpi=U, operation_start_fy=2011) == (Decimal(20), "proposal")
    assert interpolate(points, 2020, kpi=U, operation_start_fy=2011) == (Decimal(50), "proposal")


def test_interpolation_linear_between_goal_years_rounded_half_up():
    points = {2013: Decimal(20), 2020: Decimal(50)}
    # 20 + 30 × 1/7 = 24.29 → 24; × 2/7 → 28.57 → 29; × 3.5/7 would be 35.
    got = [interpolate(points, fy, kpi=U, operation_start_fy=2011)[0] for fy in range(2014, 2020)]
    assert got == [Decimal(v) for v in (24, 29, 33, 37, 41, 46)]


def test_interpolation_before_first_goal_is_a_proportional_ramp():
    points = {2013: Decimal(30), 2020: Decimal(50)}
    assert interpolate(points, 2011, kpi=U, operation_start_fy=2011) == (
        Decimal(10),
        "interpolated",
    )
    assert interpolate(points, 2012, kpi=U, operation_start_fy=2011) == (
        Decimal(20),
        "interpolated",
    )
    assert interpolate(points, 2010, kpi=U, operation_start_fy=2011) is None


def test_interpolation_before_first_goal_flat_when_lower_is_better_or_no_start():
    down = CATALOGUE["equipment_downtime_pct"]
    assert interpolate({2013: Decimal(5)}, 2011, kpi=down, operation_start_fy=2011) == (
        Decimal("5.0"),
        "interpolated",
    )
    assert interpolate({2013: Decimal(30)}, 2011, kpi=U, operation_start_fy=None) == (
        Decimal(30),
        "interpolated",
    )


def test_interpolation_after_last_goal_is_flat_and_percent_to_one_decimal():
    pct = CATALOGUE["equipment_utilisation_pct"]
    points = {2013: Decimal(40), 2020: Decimal(75)}
    assert interpolate(points, 2022, kpi=pct, operation_start_fy=2011) == (
        Decimal("75.0"),
        "interpolated",
    )
    assert interpolate(points, 2014, kpi=pct, operation_start_fy=2011) == (
        Decimal("45.0"),
        "interpolated",
    )
    assert interpolate(points, 2011, kpi=pct, operation_start_fy=2011) == (
        Decimal("13.3"),
        "interpolated",
    )


def test_interpolation_yen_is_whole():
    yen = CATALOGUE["external_funding_yen"]
    points = {2013: Decimal(100_000_000), 2020: Decimal(300_000_000)}
    value, source = interpolate(points, 2014, kpi=yen, operation_start_fy=2011)
    assert (value, source) == (Decimal(128_571_429), "interpolated")


def test_target_schedule_covers_ten_years_and_goal_years():
    goals = [
        {"kpi": "patents_filed", "fiscal_year": 2013, "target": 3},
        {"kpi": "patents_filed", "fiscal_year": 2020, "target": 10},
        {"kpi": "not_a_kpi", "fiscal_year": 2013, "target": 3},
    ]
    got = target_schedule(goals, operation_start_fy=2011)
    assert [(p.fiscal_year, p.target, p.source) for p in got] == [
        (2011, Decimal(1), "interpolated"),
        (2012, Decimal(2), "interpolated"),
        (2013, Decimal(3), "proposal"),
        (2014, Decimal(4), "interpolated"),
        (2015, Decimal(5), "interpolated"),
        (2016, Decimal(6), "interpolated"),
        (2017, Decimal(7), "interpolated"),
        (2018, Decimal(8), "interpolated"),
        (2019, Decimal(9), "interpolated"),
        (2020, Decimal(10), "proposal"),
    ]
    assert got[0] == TargetPoint("patents_filed", 2011, Decimal(1), "interpolated")


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        (Decimal(9), Decimal(10), ON_TRACK),
        (Decimal(12), Decimal(10), ON_TRACK),
        (Decimal("8.99"), Decimal(10), AT_RISK),
        (Decimal(7), Decimal(10), AT_RISK),
        (Decimal("6.99"), Decimal(10), OFF_TRACK),
        (Decimal(0), Decimal(0), ON_TRACK),
        (None, Decimal(10), NO_DATA),
        (Decimal(5), None, NO_TARGET),
    ],
)
def test_status_higher_is_better(actual, target, expected):
    assert status(U, actual, target) == expected


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        (Decimal(5), Decimal(5), ON_TRACK),
        (Decimal(2), Decimal(5), ON_TRACK),
        (Decimal(0), Decimal(5), ON_TRACK),
        (Decimal("5.5"), Decimal(5), ON_TRACK),  # 5 / 5.5 = 90.9 %
        (Decimal(6), Decimal(5), AT_RISK),  # 83 %
        (Decimal(8), Decimal(5), OFF_TRACK),  # 62.5 %
    ],
)
def test_status_lower_is_better(actual, target, expected):
    assert status(CATALOGUE["equipment_downtime_pct"], actual, target) == expected


def test_worst_status():
    assert kpis.worst([ON_TRACK, AT_RISK, NO_DATA]) == AT_RISK
    assert kpis.worst([ON_TRACK, OFF_TRACK]) == OFF_TRACK
    assert kpis.worst([]) == NO_TARGET


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("patents_filed", -1, "patents_filed: 0以上にしてください"),
        ("patents_filed", "abc", "patents_filed: 数値で入力してください"),
        ("patents_filed", True, "patents_filed: 数値で入力してください"),
        ("revenue_yen", 1.5, "revenue_yen: 円単位の整数で入力してください"),
        ("revenue_yen", "100.5", "revenue_yen: 円単位の整数で入力してください"),
        ("equipment_utilisation_pct", 101, "equipment_utilisation_pct: 100以下で入力してください"),
    ],
)
def test_clean_value_refuses(key, value, expected):
    with pytest.raises(KpiError) as err:
        kpis.clean_value(CATALOGUE[key], value, key)
    assert str(err.value) == expected


def test_clean_value_accepts():
    assert kpis.clean_value(CATALOGUE["revenue_yen"], 1200, "x") == Decimal(1200)
    assert kpis.clean_value(CATALOGUE["sme_share_pct"], "42.5", "x") == Decimal("42.50")


def test_unknown_kpi_names_the_field():
    with pytest.raises(KpiError) as err:
        kpis.get_kpi("smiles", "targets[0].kpi")
    assert err.value.field == "targets[0].kpi"
    assert err.value.message.startswith(
        "不明な指標 'smiles' です（指標一覧：joint_research_projects,"
    )


def test_financial_kpis():
    financials = {
        "revenue_yen": {
            "usage_fees": 30_000_000,
            "prefecture": 50_000_000,
            "membership": 10_000_000,
        },
        "cost_yen": {"staff": 60_000_000, "maintenance": 40_000_000},
    }
    assert kpis.financial_kpis(financials) == {
        "revenue_yen": Decimal(90_000_000),
        "self_funding_ratio_pct": Decimal("40.0"),
    }
    assert kpis.financial_kpis({}) == {}
