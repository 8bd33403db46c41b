"""Fixtures of the equipment tests: a hub in Fukuoka, a machine, users of each class."""

from __future__ import annotations

import datetime as dt

import pytest

from kyoten.core.models import Organisation, Prefecture
from kyoten.equipment import services
from kyoten.equipment.models import Course
from kyoten.hubs.models import Hub

FEES = {
    ("academic", "self_use"): 1000,
    ("academic", "assisted"): 1000,
    ("sme", "self_use"): 1500,
    ("sme", "assisted"): 1500,
    ("sme", "commissioned"): 4000,
    ("large_company", "self_use"): 3000,
    ("large_company", "assisted"): 3000,
    ("in_house", "self_use"): 500,
    ("in_house", "assisted"): 500,
}


@pytest.fixture
def hub(db):
    host = Organisation.objects.create(name="九州大学", kind="university", prefecture_id="40")
    hub = Hub.objects.create(
        name="福岡地域産学官共同研究拠点",
        slug="fukuoka",
        lead_prefecture_id="40",
        form="equipment_only",
    )
    hub.prefectures.set(Prefecture.objects.filter(code="40"))
    hub.host_organisations.set([host])
    return hub


@pytest.fixture
def xrd(hub):
    return services.equipment_create(
        hub=hub, by=None, name="X線回折装置", name_en="X-ray diffractometer",
        category="analysis", maker="リガク", model_name="SmartLab", specs="Cu線源 9 kW",
        location="2F 分析室", fees=FEES, open_weekdays="1234567", opens_minute=0,
        closes_minute=1440, max_booking_minutes=8 * 60, lead_time_minutes=60,
    )  # fmt: skip


@pytest.fixture
def sme_org(db):
    return Organisation.objects.create(
        name="肥後精密工業株式会社", kind="company", prefecture_id="43", is_sme=True
    )


@pytest.fixture
def operator(make_user, hub):
    user = make_user("operator", username="op")
    hub.operators.add(user)
    return user


@pytest.fixture
def certified(make_user, sme_org, xrd):
    """An SME engineer holding a valid certificate for the XRD."""
    user = make_user("equipment_user", username="engineer", organisation=sme_org)
    course = Course.objects.create(hub=xrd.hub, title="XRD 講習", equipment=xrd)
    services.certificate_issue(user=user, course=course, issued_on=dt.date(2026, 1, 1), by=None)
    return user
