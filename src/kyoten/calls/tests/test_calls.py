"""Programs from a template, calls, their settings and the calls API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kyoten.calls.models import Call, Program
from kyoten.calls.program import DEFAULT_PROGRAM
from kyoten.calls.services import call_create, program_create
from kyoten.core.errors import DomainError, Forbidden

pytestmark = pytest.mark.django_db


def test_default_program_settings_match_the_engine_defaults():
    program = Program.objects.get(fiscal_year=2009)
    assert program.settings() == DEFAULT_PROGRAM.with_changes(
        designated_city_reference_date=DEFAULT_PROGRAM.designated_city_reference_date
    )
    call = Call.objects.get(code="fy2009")
    assert call.settings().designated_city_reference_date == dt.date(2009, 7, 31)
    assert call.deadline == dt.datetime(2009, 8, 20, 8, 0, tzinfo=dt.UTC)  # 17:00 in Tokyo


def test_program_from_template(make_user):
    officer = make_user("officer")
    template = Program.objects.get(fiscal_year=2009)
    program = program_create(by=officer, template=template, name="令和8年度 拠点整備事業",
                             fiscal_year=2026, budget_yen=10_000_000_000, cap_yen=1_000_000_000,
                             allowed_forms=["equipment_only"])  # fmt: skip
    assert (program.template, program.horizon_years, program.allowed_forms) == (
        template,
        10,
        ["equipment_only"],
    )
    assert program.review_criteria == template.review_criteria
    with pytest.raises(DomainError) as caught:
        program_create(by=officer, template=template, cap_yen=20_000_000_000, budget_yen=1_000)
    assert caught.value.field == "cap_yen"
    with pytest.raises(Forbidden):
        program_create(by=make_user("applicant", prefecture="13"), template=template)


def test_calls_api_create_and_read(client, make_user, api_token):
    officer = make_user("officer")
    now = timezone.now()
    body = {"code": "r8", "title": "令和8年度公募", "opens_at": now.isoformat(),
            "deadline": (now + dt.timedelta(days=20)).isoformat(), "cap_yen": 900_000_000}  # fmt: skip
    response = client.post("/api/v1/calls", body, content_type="application/json",
                           HTTP_AUTHORIZATION=api_token(officer))  # fmt: skip
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["code"], created["cap_yen"], created["budget_yen"], created["accepting"]) == (
        "r8", 900_000_000, 69_500_000_000, True,
    )  # fmt: skip
    applicant = make_user("applicant", prefecture="13")
    refused = client.post("/api/v1/calls", {**body, "code": "x"}, content_type="application/json",
                          HTTP_AUTHORIZATION=api_token(applicant))  # fmt: skip
    assert refused.status_code == 403
    detail = client.get(f"/api/v1/calls/{created['id']}")
    assert detail.json()["review_criteria"][0]["weight"] == 20


def test_program_page_from_template(client, make_user):
    officer = make_user("officer")
    client.force_login(officer)
    template = Program.objects.get(fiscal_year=2009)
    page = client.get(f"/calls/programs/new/?template={template.pk}")
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(name="新プログラム", budget_yen="26300000000", cap_yen="900000000",
                allowed_forms=["equipment_only"], require_electronic_signatures="")  # fmt: skip
    data = {k: v for k, v in data.items() if v not in (None, False, "")}
    for key in ("review_criteria", "kpi_catalogue", "required_sections"):
        data[key] = form.fields[key].prepare_value(form[key].value())
    response = client.post(f"/calls/programs/new/?template={template.pk}", data)
    assert response.status_code == 302, page.context["form"].errors
    created = Program.objects.get(name="新プログラム")
    assert (created.budget_yen, created.allowed_forms) == (26_300_000_000, ["equipment_only"])


def test_call_create_checks_deadline(make_user):
    officer = make_user("officer")
    now = timezone.now()
    with pytest.raises(DomainError) as caught:
        call_create(program=Program.objects.get(fiscal_year=2009), by=officer, code="bad", title="x",
                    opens_at=now, deadline=now - dt.timedelta(days=1))  # fmt: skip
    assert caught.value.field == "deadline"
