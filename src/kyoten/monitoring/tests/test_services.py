import datetime as dt
from decimal import Decimal

import pytest

from kyoten.core.errors import Conflict, DomainError, Forbidden, NotFound
from kyoten.core.models import Organisation
from kyoten.equipment import services as equipment_services
from kyoten.equipment.models import Course
from kyoten.equipment.selectors import hub_usage_stats
from kyoten.equipment.slots import TOKYO
from kyoten.monitoring import selectors, services
from kyoten.monitoring.models import AnnualReport, KpiActual, KpiTarget
from kyoten.monitoring.tests.conftest import PDCA

pytestmark = pytest.mark.django_db


def test_effective_targets_match_the_proposal_goals_year_by_year(hub):
    targets = selectors.effective_targets(hub)
    jrp = {
        fy: (t.target, t.source)
        for (k, fy), t in targets.items()
        if k == "joint_research_projects" and fy <= 2021
    }
    assert jrp == {
        2011: (Decimal(7), "interpolated"),
        2012: (Decimal(13), "interpolated"),
        2013: (Decimal(20), "proposal"),
        2014: (Decimal(24), "interpolated"),
        2015: (Decimal(29), "interpolated"),
        2016: (Decimal(33), "interpolated"),
        2017: (Decimal(37), "interpolated"),
        2018: (Decimal(41), "interpolated"),
        2019: (Decimal(46), "interpolated"),
        2020: (Decimal(50), "proposal"),
        2021: (Decimal(50), "interpolated"),  # flat after the last goal year
    }
    assert targets[("external_funding_yen", 2013)].target == Decimal(100_000_000)


def test_take_over_then_edit_keeps_history_and_the_edit(hub, officer):
    assert services.targets_take_over(hub=hub, by=officer) == 30
    assert services.targets_take_over(hub=hub, by=officer) == 0
    row = services.target_set(
        hub=hub, kpi="joint_research_projects", fiscal_year=2014, target=30,
        note="新規共同研究の増加", by=officer,
    )  # fmt: skip
    assert (row.target, row.source, row.note) == (Decimal(30), "edited", "新規共同研究の増加")
    assert services.targets_take_over(hub=hub, by=officer) == 0
    stored = KpiTarget.objects.get(hub=hub, kpi="joint_research_projects", fiscal_year=2014)
    assert [(h.target, h.source) for h in stored.history.order_by("history_date")] == [
        (Decimal(24), "interpolated"),
        (Decimal(30), "edited"),
    ]
    assert selectors.effective_targets(hub)[("joint_research_projects", 2014)].target == 30


def test_target_for_unknown_kpi_names_the_field_and_saves_nothing(hub, officer):
    with pytest.raises(DomainError) as err:
        services.targets_set(
            hub=hub,
            by=officer,
            targets=[
                {"kpi": "patents_filed", "fiscal_year": 2014, "target": 3, "note": "x"},
                {"kpi": "smiles", "fiscal_year": 2014, "target": 3, "note": "x"},
            ],
        )
    assert err.value.field == "targets[1].kpi"
    assert err.value.message.startswith(
        "不明な指標 'smiles' です（指標一覧：joint_research_projects,"
    )
    assert KpiTarget.objects.count() == 0


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (
            {"kpi": "patents_filed", "fiscal_year": 2010, "target": 3, "note": "x"},
            "targets[0].fiscal_year",
        ),
        (
            {"kpi": "patents_filed", "fiscal_year": 2014, "target": -3, "note": "x"},
            "targets[0].target",
        ),
        ({"kpi": "patents_filed", "fiscal_year": 2014, "target": 3, "note": ""}, "targets[0].note"),
    ],
)
def test_target_bad_input(hub, officer, item, field):
    with pytest.raises(DomainError) as err:
        services.targets_set(hub=hub, by=officer, targets=[item])
    assert err.value.field == field
    assert KpiTarget.objects.count() == 0


def test_only_officers_set_targets(hub, operator):
    with pytest.raises(Forbidden):
        services.target_set(
            hub=hub, kpi="patents_filed", fiscal_year=2014, target=1, note="x", by=operator
        )


def test_report_before_operation_start_is_refused(hub, operator):
    with pytest.raises(DomainError) as err:
        services.report_create(hub=hub, fiscal_year=2010, by=operator)
    assert (err.value.field, err.value.rule) == ("fiscal_year", "R-6")
    assert (
        err.value.message
        == "2010年度 (平成22年度)は拠点の運営開始（2011年度 (平成23年度)）より前です"
    )
    assert AnnualReport.objects.count() == 0


def test_negative_count_names_the_field_and_saves_nothing(hub, operator):
    with pytest.raises(DomainError) as err:
        services.report_create(
            hub=hub, fiscal_year=2012, by=operator,
            actuals={"joint_research_projects": 12, "patents_filed": -1},
        )  # fmt: skip
    assert (err.value.field, err.value.message) == ("actuals.patents_filed", "0以上にしてください")
    assert (AnnualReport.objects.count(), KpiActual.objects.count()) == (0, 0)


def test_bad_financials_name_the_line(hub, operator):
    with pytest.raises(DomainError) as err:
        services.report_create(
            hub=hub, fiscal_year=2012, by=operator,
            financials={"revenue_yen": {"usage_fees": 1.5}},
        )  # fmt: skip
    assert err.value.field == "financials.revenue_yen.usage_fees"
    assert AnnualReport.objects.count() == 0


def test_second_report_for_a_year_conflicts(hub, operator):
    services.report_create(hub=hub, fiscal_year=2012, by=operator)
    with pytest.raises(Conflict) as err:
        services.report_create(hub=hub, fiscal_year=2012, by=operator)
    assert err.value.field == "fiscal_year"


def test_other_hubs_operator_cannot_see_or_write(hub, outsider_operator):
    with pytest.raises(NotFound):
        services.report_create(hub=hub, fiscal_year=2012, by=outsider_operator)


@pytest.fixture
def usage(hub, operator, make_user):
    """FY2012 at the hub: two SME engineers certified, 3 h + 5 h booked and used, charged."""
    sme = Organisation.objects.create(
        name="博多精密株式会社", kind="company", prefecture_id="40", is_sme=True
    )
    machine = equipment_services.equipment_create(
        hub=hub, by=operator, name="X線回折装置", category="analysis",
        fees={("sme", "self_use"): 1500, ("sme", "assisted"): 1500},
        open_weekdays="12345", opens_minute=540, closes_minute=1020,
    )  # fmt: skip
    course = Course.objects.create(hub=hub, title="XRD 講習", equipment=machine)
    users = []
    for _i in range(2):
        user = make_user("equipment_user", organisation=sme)
        equipment_services.certificate_issue(
            user=user, course=course, issued_on=dt.date(2012, 5, 1), by=operator
        )
        users.append(user)
    for user, day, hours in ((users[0], 4, 3), (users[1], 5, 5)):
        start = dt.datetime(2012, 6, day, 9, tzinfo=TOKYO)
        end = start + dt.timedelta(hours=hours)
        booking = equipment_services.booking_create(
            equipment=machine, user=user, start=start, end=end,
            now=dt.datetime(2012, 6, 1, 9, tzinfo=TOKYO),
        )  # fmt: skip
        equipment_services.booking_report_usage(
            booking=booking, by=user, actual_start=start, actual_end=end,
            will_acknowledge=True, now=end + dt.timedelta(hours=1),
        )  # fmt: skip
    return machine


def _weekday_hours(fy: int) -> int:
    day, hours = dt.date(fy, 4, 1), 0
    while day <= dt.date(fy + 1, 3, 31):
        hours += 8 if day.isoweekday() <= 5 else 0
        day += dt.timedelta(days=1)
    return hours


def test_platform_figures_come_from_the_bookings(hub, operator, usage):
    report = services.report_create(hub=hub, fiscal_year=2012, by=operator)
    got = {a.kpi: (a.value, a.source) for a in report.actuals.all()}
    booked, opening = 8, _weekday_hours(2012)
    assert opening == 2080  # 260 weekdays × 8 h
    assert got["equipment_utilisation_pct"] == (
        Decimal(str(round(100 * booked / opening, 1))),
        "platform",
    )
    assert got["trainees"] == (Decimal(2), "platform")
    assert got["engineers_trained"] == (Decimal(2), "platform")
    assert got["sme_users"] == (Decimal(2), "platform")
    assert got["companies_using"] == (Decimal(1), "platform")
    assert got["usage_revenue_yen"] == (Decimal(8 * 1500), "platform")
    assert got["sme_share_pct"] == (Decimal("100.0"), "platform")
    stats = hub_usage_stats(hub, 2012)
    assert got["usage_revenue_yen"][0] == stats["usage_revenue_yen"]
    # The usage fees line of the financials is filled in from the same charges.
    assert report.financials["revenue_yen"]["usage_fees"] == 12_000
    assert got["revenue_yen"] == (Decimal(12_000), "financial")


def test_reported_figure_overrides_platform_and_keeps_it(hub, operator, usage):
    report = services.report_create(
        hub=hub, fiscal_year=2012, by=operator, actuals={"companies_using": 5}
    )
    row = report.actuals.get(kpi="companies_using")
    assert (row.value, row.source, row.platform_value) == (Decimal(5), "reported", Decimal(1))
    services.report_update(report=report, by=operator, actuals={"companies_using": None})
    row = report.actuals.get(kpi="companies_using")
    assert (row.value, row.source, row.platform_value) == (Decimal(1), "platform", Decimal(1))


def test_report_workflow(hub, operator, officer):
    report = services.report_create(
        hub=hub, fiscal_year=2013, by=operator, actuals={"joint_research_projects": 15},
        notes={"joint_research_projects": "共同研究の記録は移行中"},
        financials={"revenue_yen": {"usage_fees": 10_000_000, "prefecture": 30_000_000},
                    "cost_yen": {"staff": 50_000_000}},
    )  # fmt: skip
    with pytest.raises(DomainError) as err:
        services.report_submit(report=report, by=operator)
    assert err.value.field == "pdca.check"
    services.report_update(report=report, by=operator, pdca=PDCA)
    services.report_submit(report=report, by=operator)
    with pytest.raises(Forbidden):
        services.report_accept(report=report, by=operator)
    with pytest.raises(DomainError) as err:
        services.report_return(report=report, by=officer, reason="")
    assert err.value.field == "reason"
    services.report_return(report=report, by=officer, reason="外部資金の内訳を追記してください")
    report.refresh_from_db()
    assert (report.status, report.return_reason) == ("returned", "外部資金の内訳を追記してください")
    services.report_update(
        report=report,
        by=operator,
        actuals={"external_funding_yen": 90_000_000},
        notes={"external_funding_yen": "共同研究の記録は移行中"},
    )
    services.report_submit(report=report, by=operator)
    services.report_accept(report=report, by=officer)
    report.refresh_from_db()
    assert report.status == "accepted"
    with pytest.raises(Conflict):
        services.report_update(report=report, by=operator, summary="late change")
    assert [h.status for h in report.history.order_by("history_date")] == [
        "draft", "draft", "submitted", "returned", "returned", "submitted", "accepted",
    ]  # fmt: skip
    rows = {r.kpi.key: (r.target, r.actual, r.status) for r in selectors.hub_status(hub)}
    assert rows == {
        "joint_research_projects": (Decimal(20), Decimal(15), "at_risk"),
        "equipment_utilisation_pct": (Decimal(40), Decimal("0.00"), "off_track"),
        "external_funding_yen": (Decimal(100_000_000), Decimal(90_000_000), "on_track"),
    }
    assert selectors.overall(selectors.hub_status(hub)) == "off_track"
    comparison = selectors.financial_comparison(report)
    assert [row["part"] for row in comparison][0] == "revenue_yen"
    for part in ("revenue_yen", "cost_yen"):
        lines = [row["line"] for row in comparison if row["part"] == part]
        assert lines == sorted(lines)
    [usage_fees] = [row for row in comparison if row["line"] == "usage_fees"]
    assert usage_fees == {
        "part": "revenue_yen", "line": "usage_fees", "plan_yen": None,
        "actual_yen": 10_000_000, "difference_yen": 10_000_000,
    }  # fmt: skip
    actual = report.actuals.get(kpi="self_funding_ratio_pct")
    assert (actual.value, actual.source) == (Decimal("20.00"), "financial")


def test_alerts_for_missing_and_off_track(hub, operator, officer, committee):
    report = services.report_create(
        hub=hub, fiscal_year=2013, by=operator, actuals={"joint_research_projects": 5},
        notes={"joint_research_projects": "共同研究の記録は移行中"},
        pdca=PDCA, today=dt.date(2014, 5, 1),
    )  # fmt: skip
    services.report_submit(report=report, by=operator)
    got = selectors.alerts(committee, today=dt.date(2014, 7, 1))
    assert [(a.kind, a.fiscal_year) for a in got] == [
        ("report_missing", 2011),
        ("report_missing", 2012),
        ("off_track", 2013),
    ]
    assert got[2].message == (
        "福岡県 先端材料評価拠点：2013年度 (平成25年度)に遅れている指標があります"
        "（共同研究件数、設備稼働率（%）、外部資金獲得額（円））"
    )
    # Before 30 June 2013 the FY2012 report is not yet due.
    got = selectors.alerts(officer, today=dt.date(2013, 6, 1))
    assert [(a.kind, a.fiscal_year) for a in got] == [("report_missing", 2011), ("off_track", 2013)]


def test_dashboard_by_block(hub, operator, officer):
    report = services.report_create(
        hub=hub, fiscal_year=2013, by=operator, pdca=PDCA,
        actuals={"joint_research_projects": 25, "external_funding_yen": 100_000_000},
        notes={"joint_research_projects": "共同研究の記録は移行中", "external_funding_yen": "共同研究の記録は移行中"},
    )  # fmt: skip
    services.report_submit(report=report, by=operator)
    board = selectors.dashboard(officer, 2013)
    assert [r.hub for r in board.rows] == [hub]
    row = board.rows[0]
    assert {k: c.status for k, c in row.cells.items()} == {
        "joint_research_projects": "on_track",
        "companies_using": "no_target",
        "sme_users": "no_target",
        "equipment_utilisation_pct": "off_track",
        "engineers_trained": "no_target",
        "patents_filed": "no_target",
        "revenue_yen": "no_target",
        "self_funding_ratio_pct": "no_target",
    }
    assert (row.overall, row.report_status) == ("off_track", "submitted")
    kyushu = next(b for b in board.by_block if b["block"] == "kyushu")
    assert (kyushu["hubs"], kyushu["off_track"], kyushu["on_track"]) == (1, 1, 0)
