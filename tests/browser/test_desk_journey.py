"""Issue 19, the judged journey: a coordinator logs in from the home page, opens the hub's
coordinator desk and logs a technical consultation that led to a booking and to a joint research
project; the annual report the operator opens next counts both (consultations 1, converted 1,
joint research 1) without anyone typing a number."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kyoten.core.fiscal import fiscal_year
from kyoten.core.models import Organisation
from kyoten.equipment import services as equipment_services
from kyoten.equipment.models import Course
from kyoten.hubs.services import hub_create
from kyoten.monitoring import services
from kyoten.monitoring.models import AnnualReport, Consultation

from .helpers import PASSWORD, at, weekday_ahead

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "desk.png"


def test_coordinator_logs_a_consultation_and_the_report_counts_it(page, live_server, make_user):
    officer = make_user("officer")
    today = timezone.localdate()
    fy = fiscal_year(today)
    hub = hub_create(by=officer, name="福岡県 先端材料評価拠点", lead_prefecture="40",
                     form="equipment_only", operation_start_fy=fy - 2, stage="operating")  # fmt: skip
    coordinator = make_user("operator", username="kyushu-coord", display_name="博多 花子")
    hub.operators.add(coordinator)
    services.coordinator_appoint(hub=hub, user=coordinator, by=officer)
    # The booking the consultation led to, made through the equipment services.
    company = Organisation.objects.create(
        name="博多精密株式会社", kind="company", prefecture_id="40", is_sme=True
    )
    machine = equipment_services.equipment_create(
        hub=hub, by=coordinator, name="X線回折装置", category="analysis",
        fees={("sme", "self_use"): 1500}, open_weekdays="12345", opens_minute=540,
        closes_minute=1020,
    )  # fmt: skip
    course = Course.objects.create(hub=hub, title="XRD 講習", equipment=machine)
    engineer = make_user("equipment_user", display_name="松本 翔", organisation=company)
    equipment_services.certificate_issue(
        user=engineer, course=course, issued_on=today - dt.timedelta(days=30), by=coordinator
    )
    day = weekday_ahead(3)
    equipment_services.booking_create(
        equipment=machine, user=engineer, start=at(day, 10), end=at(day, 12)
    )

    # Log in from the home page.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="ログイン").first.click()
    page.get_by_label("ユーザー名").fill("kyushu-coord")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(live_server.url + "/")

    # The joint research project the consultation led to, recorded from the hub page.
    page.goto(f"{live_server.url}/hubs/{hub.pk}/")
    page.get_by_role("link", name="共同研究の記録").click()
    page.get_by_role("link", name="新しい共同研究を記録する").click()
    page.get_by_label("研究課題").fill("めっき膜の密着性改善")
    page.get_by_label("契約形態").select_option("joint")
    page.locator("input[name=contract_start]").fill(f"{fy}-04-01")
    page.locator("input[name=contract_end]").fill(f"{fy + 1}-03-31")
    page.get_by_label("共同研究先 1", exact=True).fill("博多精密株式会社")
    page.get_by_label("種別 1", exact=True).select_option("company")
    page.get_by_label("企業規模 1", exact=True).select_option("sme")
    page.get_by_label("都道府県 1", exact=True).select_option("40")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="めっき膜の密着性改善")).to_be_visible()

    # The coordinator desk, from the hub page.
    page.goto(f"{live_server.url}/hubs/{hub.pk}/")
    page.get_by_role("link", name="コーディネータ窓口").click()
    page.get_by_role("link", name="相談を記録する").click()
    page.get_by_label("受領日").fill(today.isoformat())
    page.get_by_label("企業", exact=True).fill("博多精密株式会社")
    page.get_by_label("企業規模").select_option("sme")
    page.get_by_label("都道府県").select_option("40")
    page.get_by_label("件名").fill("めっき膜の密着不良の原因を知りたい")
    page.get_by_label("回答", exact=True).fill("XRD で結晶性を評価し、前処理の条件を見直す。")
    page.get_by_label("回答日").fill(today.isoformat())
    page.get_by_label("機器の予約").select_option(index=1)
    page.locator("select[name=project]").select_option(label="めっき膜の密着性改善")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="めっき膜の密着不良の原因を知りたい")).to_be_visible()
    consultation = Consultation.objects.get(hub=hub)
    assert consultation.booking_id is not None and consultation.project_id is not None
    page.get_by_role("link", name="コーディネータ窓口").first.click()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # The operator opens this year's annual report: both are counted, nothing typed.
    page.goto(f"{live_server.url}/monitoring/hubs/{hub.pk}/")
    page.locator("input[name=fiscal_year]").fill(str(fy))
    page.locator("form:has(input[name=fiscal_year]) button[type=submit]").click()
    for key, value in (("consultations", "1"), ("consultations_converted", "1"),
                       ("joint_research_projects", "1")):  # fmt: skip
        row = page.locator("tr", has=page.locator(f"label[for=a-{key}]"))
        expect(row.locator(f"input[name=actual_{key}]")).to_have_attribute("placeholder", value)
    report = AnnualReport.objects.get(hub=hub, fiscal_year=fy)
    got = {a.kpi: (int(a.value), a.source) for a in report.actuals.filter(
        kpi__in=["consultations", "consultations_converted", "joint_research_projects"])}  # fmt: skip
    assert got == {
        "consultations": (1, "platform"),
        "consultations_converted": (1, "platform"),
        "joint_research_projects": (1, "platform"),
    }
