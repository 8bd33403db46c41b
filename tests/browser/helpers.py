"""Test data and steps the browser journeys share.

The data is built with the apps' services (and the review and allocation tests' own factories),
so a journey sees what a real user would: hubs, machines, committees, reviews and scores made by
the same code the pages use.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kyoten.equipment.slots import TOKYO

# Fees of the Fukuoka XRD, yen per hour (user class, mode).
XRD_FEES = {
    ("academic", "self_use"): 1000,
    ("academic", "assisted"): 1000,
    ("sme", "self_use"): 1500,
    ("sme", "assisted"): 2000,
    ("sme", "commissioned"): 4000,
    ("large_company", "self_use"): 3000,
    ("large_company", "assisted"): 3000,
    ("in_house", "self_use"): 500,
}

# Weekdays 9:00–17:00 Asia/Tokyo.
WEEKDAY_HOURS = {"open_weekdays": "12345", "opens_minute": 9 * 60, "closes_minute": 17 * 60}


PASSWORD = "pw"  # what the make_user fixture gives everyone


def log_in(page, base_url: str, username: str) -> None:
    """Log in through the login page, as a person would; lands on the home page."""
    page.goto(base_url + "/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(base_url + "/")


def weekday_ahead(days: int = 2) -> dt.date:
    """The first Monday–Friday at least `days` days from today (Asia/Tokyo)."""
    day = timezone.now().astimezone(TOKYO).date() + dt.timedelta(days=days)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return day


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


# --- equipment -------------------------------------------------------------------------------------


def equipment_network(officer) -> dict:
    """Two hubs (Fukuoka, Tokyo), an XRD in each and an SEM in Fukuoka; two SME engineers of a
    Kumamoto company, one holding a valid certificate for the Fukuoka XRD."""
    from kyoten.core.services import organisation_create
    from kyoten.equipment import services
    from kyoten.equipment.models import Course
    from kyoten.hubs.services import hub_create

    fukuoka = hub_create(
        by=officer, name="福岡 先端材料評価拠点", lead_prefecture="40", form="equipment_only"
    )
    tokyo = hub_create(by=officer, name="東京 ものづくり拠点", lead_prefecture="13", form="new")
    xrd = services.equipment_create(
        hub=fukuoka, by=None, name="X線回折装置", name_en="X-ray diffractometer",
        category="analysis", maker="リガク", model_name="SmartLab", specs="Cu線源 9 kW",
        location="2F 分析室", fees=XRD_FEES, max_booking_minutes=8 * 60, lead_time_minutes=60,
        **WEEKDAY_HOURS,
    )  # fmt: skip
    services.equipment_create(
        hub=tokyo, by=None, name="X線回折装置（粉末）", category="analysis", maker="ブルカー",
        model_name="D8", fees={("sme", "self_use"): 1200}, **WEEKDAY_HOURS,
    )  # fmt: skip
    services.equipment_create(
        hub=fukuoka, by=None, name="走査電子顕微鏡", category="analysis", maker="日立",
        model_name="SU5000", fees={("sme", "self_use"): 1800}, **WEEKDAY_HOURS,
    )  # fmt: skip
    company = organisation_create(
        name="肥後精密工業株式会社", kind="company", prefecture="43", is_sme=True
    )
    course = Course.objects.create(hub=fukuoka, title="XRD 利用講習", equipment=xrd)
    return {"fukuoka": fukuoka, "tokyo": tokyo, "xrd": xrd, "company": company, "course": course}


def certify(user, course) -> None:
    from kyoten.equipment import services

    issued = timezone.now().astimezone(TOKYO).date() - dt.timedelta(days=30)
    services.certificate_issue(user=user, course=course, issued_on=issued, by=None)


# --- review ----------------------------------------------------------------------------------------


def review_committee(call, officer, members) -> None:
    """The call's review committee with `members`, every review phase open now."""
    from kyoten.review import services
    from kyoten.review.enums import CommitteeKind
    from kyoten.review.tests.conftest import open_every_phase

    committee = services.committee_create(
        kind=CommitteeKind.REVIEW,
        name="審査委員会",
        term_start=dt.date(2009, 4, 1),
        call=call,
        by=officer,
    )
    for user in members:
        services.committee_member_add(committee=committee, user=user, by=officer)
    open_every_phase(call, by=officer)


def submit_review(*, proposal, reviewer, officer, value: int) -> None:
    """Assign `reviewer` to `proposal` and submit the same score on every criterion."""
    from kyoten.review import services
    from kyoten.review.criteria import criteria_for_call

    a = services.assignment_add(proposal=proposal, reviewer=reviewer, by=officer)
    scores = {c.key: value for c in criteria_for_call(proposal.call)}
    services.review_save(assignment=a, by=reviewer, scores=scores)
    services.review_submit(assignment=a, by=reviewer)
