"""Follow-up hand-offs: reports returned and accepted, advice addressed, reminders due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kyoten.monitoring import services
from kyoten.monitoring.tests.conftest import PDCA
from kyoten.notices.models import Notice

pytestmark = pytest.mark.django_db


def texts(user) -> list[str]:
    return list(Notice.objects.filter(recipient=user).values_list("text_ja", flat=True))


def test_report_returned_then_accepted_tells_the_operators(hub, operator, officer):
    report = services.report_create(hub=hub, fiscal_year=2012, by=operator, pdca=PDCA)
    services.report_submit(report=report, by=operator)
    c = Client()
    c.force_login(officer)
    c.post(f"/monitoring/reports/{report.pk}/", {"action": "return", "reason": "PDCAの記述が不足"})
    assert texts(operator) == [
        "福岡県 先端材料評価拠点 の年度報告が修正のため差し戻されました：PDCAの記述が不足"
    ]
    services.report_submit(report=report, by=operator)
    c.post(f"/monitoring/reports/{report.pk}/", {"action": "accept"})
    assert texts(operator)[0] == "福岡県 先端材料評価拠点 の年度報告が受理されました。"


def test_advice_to_a_region_tells_its_operators_and_to_jst_the_officers(
    hub, operator, officer, committee
):
    c = Client()
    c.force_login(committee)
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    c.post(
        "/monitoring/advice/",
        {"hub": hub.pk, "addressee": "region", "title": "中小企業の利用拡大", "body": "夜間開放を",
         "due_date": due},
    )  # fmt: skip
    assert texts(operator) == ["推進委員会からあなた宛てに助言があります：「中小企業の利用拡大」"]
    c.post(
        "/monitoring/advice/",
        {"addressee": "jst", "title": "全国展開", "body": "連携を", "due_date": due},
    )
    assert texts(officer) == ["推進委員会からあなた宛てに助言があります：「全国展開」"]


def test_remind_advice_response_due_once(hub, operator, committee):
    advice = services.advice_create(
        by=committee, addressee="region", hub=hub, title="回答を", body="本文",
        due_date=timezone.localdate() + dt.timedelta(days=2),
    )  # fmt: skip
    Notice.objects.all().delete()
    call_command("remind", verbosity=0)
    call_command("remind", verbosity=0)
    kinds = sorted(Notice.objects.filter(recipient=operator).values_list("kind", flat=True))
    assert "advice_response_due" in kinds and kinds.count("advice_response_due") == 1
    assert texts(operator)[0].startswith("助言「回答を」への回答期限は ")
    del advice
