"""Training that certifies, through the pages: the operator's courses, sessions and roster; the
engineer's registration, waiting list, certificate notice and "my trainings"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kyoten.core.models import Prefecture
from kyoten.equipment import services
from kyoten.equipment.models import Attendance, Certificate, Course, TrainingSession
from kyoten.equipment.slots import TOKYO
from kyoten.hubs.models import Hub

pytestmark = pytest.mark.django_db

FMT = "%Y-%m-%dT%H:%M"


def days_ahead(days: int, hour: int) -> dt.datetime:
    day = timezone.now().astimezone(TOKYO).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def engineer(make_user, sme_org):
    return make_user(
        "equipment_user", username="higo", display_name="肥後 一郎", organisation=sme_org,
        email="higo@example.jp",
    )  # fmt: skip


@pytest.fixture
def course(xrd):
    return Course.objects.create(
        hub=xrd.hub, title="XRD 利用講習", equipment=xrd, validity_months=12
    )


def make_session(course, *, days=5, capacity=6, place="2F 講習室") -> TrainingSession:
    return TrainingSession.objects.create(
        course=course, start=days_ahead(days, 13), end=days_ahead(days, 16), capacity=capacity,
        place=place,
    )  # fmt: skip


def start_now(session) -> None:
    """The session's day has come: it started an hour ago."""
    now = timezone.now()
    TrainingSession.objects.filter(pk=session.pk).update(
        start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=2)
    )


def test_operator_adds_a_course_and_a_session_in_the_browser(client, operator, xrd):
    client.force_login(operator)
    page = client.get(f"/equipment/hub/{xrd.hub_id}/training/")
    assert page.status_code == 200
    added = client.post(f"/equipment/hub/{xrd.hub_id}/courses/new/", {
        "title": "XRD 利用講習", "equipment": str(xrd.pk), "hours": 3, "validity_months": "",
        "description": "原理と安全",
    })  # fmt: skip
    assert added.status_code == 302
    course = Course.objects.get()
    assert (course.title, course.equipment, course.category, course.hours,
            course.validity_months) == ("XRD 利用講習", xrd, "", 3, None)  # fmt: skip
    start = days_ahead(7, 13)
    created = client.post(f"/equipment/hub/{xrd.hub_id}/sessions/new/", {
        "course": str(course.pk), "start": start.strftime(FMT),
        "end": (start + dt.timedelta(hours=3)).strftime(FMT), "capacity": 4,
        "place": "2F 講習室", "instructor": str(operator.pk),
    })  # fmt: skip
    session = TrainingSession.objects.get()
    assert created.status_code == 302
    assert created["Location"] == f"/equipment/hub/{xrd.hub_id}/sessions/{session.pk}/"
    assert (session.course, session.start, session.end, session.capacity, session.place,
            session.instructor) == (course, start, start + dt.timedelta(hours=3), 4,
                                    "2F 講習室", operator)  # fmt: skip


def test_a_session_in_the_past_is_refused_naming_the_field(client, operator, course):
    client.force_login(operator)
    start = days_ahead(-1, 13)
    response = client.post(f"/equipment/hub/{course.hub_id}/sessions/new/", {
        "course": str(course.pk), "start": start.strftime(FMT),
        "end": (start + dt.timedelta(hours=3)).strftime(FMT), "capacity": 4,
    })  # fmt: skip
    assert response.status_code == 400
    assert response.context["session_form"].errors == {
        "start": ["講習会の開始は現在より後にしてください"]
    }
    assert TrainingSession.objects.count() == 0


def test_the_desk_is_unknown_to_others(client, engineer, course):
    session = make_session(course)
    client.force_login(engineer)
    assert [
        client.get(f"/equipment/hub/{course.hub_id}/training/").status_code,
        client.get(f"/equipment/hub/{course.hub_id}/sessions/{session.pk}/").status_code,
        client.post(f"/equipment/hub/{course.hub_id}/sessions/{session.pk}/attendance/",
                    {"user": engineer.pk, "attended": "1"}).status_code,
    ] == [404, 404, 404]  # fmt: skip
    assert Certificate.objects.count() == 0


def test_registering_twice_is_refused_clearly(client, engineer, course):
    session = make_session(course)
    client.force_login(engineer)
    first = client.post(f"/equipment/training/{session.pk}/register/", follow=True)
    again = client.post(f"/equipment/training/{session.pk}/register/", follow=True)
    assert messages_of(first) == ["申し込みました。"]
    assert messages_of(again) == ["この講習会には申込済みです"]
    assert list(Attendance.objects.values_list("user", "status")) == [(engineer.pk, "registered")]


def test_a_full_session_puts_people_on_its_waiting_list_and_a_freed_seat_goes_to_them(
    client, make_user, engineer, sme_org, course
):
    session = make_session(course, capacity=1)
    other = make_user("equipment_user", username="kumamoto", organisation=sme_org,
                      email="k@example.jp")  # fmt: skip
    services.session_register(session=session, user=other)
    client.force_login(engineer)
    response = client.post(f"/equipment/training/{session.pk}/register/", follow=True)
    assert messages_of(response) == [
        "満席のため、キャンセル待ちに登録しました。空きが出たらお知らせします。"
    ]
    mine = client.get("/equipment/training/mine/").content.decode()
    assert "キャンセル待ち" in mine and "XRD 利用講習" in mine
    # The registered person withdraws: the engineer gets the seat and is told.
    client.force_login(other)
    client.post(f"/equipment/training/{session.pk}/unregister/")
    assert dict(Attendance.objects.values_list("user", "status")) == {engineer.pk: "registered"}
    assert [m.to for m in mail.outbox] == [["higo@example.jp"]]
    local = session.start.astimezone(TOKYO)
    when = f"{local.year}年{local.month}月{local.day}日"
    assert "空きが出たため" in mail.outbox[0].body and when in mail.outbox[0].body
    client.force_login(engineer)
    inbox = client.get("/notices/").content.decode()
    assert "空きが出たため" in inbox and "XRD 利用講習に申込が確定しました" in inbox


def test_attendance_passes_and_the_certificate_notice_reaches_the_engineer(
    client, operator, engineer, course, xrd
):
    session = make_session(course)
    services.session_register(session=session, user=engineer)
    client.force_login(operator)
    roster = client.get(f"/equipment/hub/{course.hub_id}/sessions/{session.pk}/")
    assert "肥後 一郎" in roster.content.decode()
    assert "出欠は講習会の開始後に記録できます。" in roster.content.decode()
    early = client.post(f"/equipment/hub/{course.hub_id}/sessions/{session.pk}/attendance/",
                        {"user": engineer.pk, "attended": "1"}, follow=True)  # fmt: skip
    assert messages_of(early) == ["出欠は講習会の開始後に記録できます"]
    start_now(session)
    passed = client.post(f"/equipment/hub/{course.hub_id}/sessions/{session.pk}/attendance/",
                         {"user": engineer.pk, "attended": "1"}, follow=True)  # fmt: skip
    assert messages_of(passed) == ["肥後 一郎さんが修了し、認定を発行しました。"]
    # Recording it again issues no second certificate.
    client.post(f"/equipment/hub/{course.hub_id}/sessions/{session.pk}/attendance/",
                {"user": engineer.pk, "attended": "1"})  # fmt: skip
    today = timezone.now().astimezone(TOKYO).date()
    cert = Certificate.objects.get()
    expires = services._add_months(today, 12)
    assert (cert.user, cert.equipment, cert.session_id, cert.issued_on, cert.expires_on,
            cert.revoked) == (engineer, xrd, session.pk, today, expires, False)  # fmt: skip
    assert Attendance.objects.get().status == "attended"
    assert [m.to for m in mail.outbox] == [["higo@example.jp"]]
    until = f"{expires.year}年{expires.month}月{expires.day}日"
    body = mail.outbox[0].body
    assert "XRD 利用講習を修了しました" in body and f"{until}(" in body, body
    client.force_login(engineer)
    inbox = client.get("/notices/").content.decode()
    assert "福岡地域産学官共同研究拠点のX線回折装置を自己利用できます" in inbox
    assert services.valid_certificate(engineer, xrd, today) == cert
    # Marked absent after all: the certificate of this session is revoked.
    client.force_login(operator)
    client.post(f"/equipment/hub/{course.hub_id}/sessions/{session.pk}/attendance/",
                {"user": engineer.pk, "attended": "0"})  # fmt: skip
    assert services.valid_certificate(engineer, xrd, today) is None


def test_a_course_without_expiry_gives_a_certificate_without_one(operator, engineer, xrd):
    course = services.course_create(hub=xrd.hub, by=operator, title="X線安全講習",
                                    category="analysis", validity_months=None)  # fmt: skip
    session = services.session_create(course=course, by=operator, start=days_ahead(3, 10),
                                      end=days_ahead(3, 12), capacity=3)  # fmt: skip
    services.session_register(session=session, user=engineer)
    cert = services.attendance_record(session=session, user=engineer, attended=True, by=operator,
                                      now=session.end)  # fmt: skip
    assert (cert.category, cert.equipment, cert.expires_on) == ("analysis", None, None)
    assert services.valid_certificate(engineer, xrd, dt.date(2099, 1, 1)) == cert
    assert "を自己利用できます。" in mail.outbox[0].body and "まで" not in mail.outbox[0].body


@pytest.fixture
def tokyo_hub(db):
    hub = Hub.objects.create(name="東京 ものづくり拠点", slug="tokyo", lead_prefecture_id="13",
                             form="new")  # fmt: skip
    hub.prefectures.set(Prefecture.objects.filter(code="13"))
    return hub


def test_training_list_filters_by_machine_hub_prefecture_and_date_with_paging(
    client, engineer, course, tokyo_hub, xrd
):
    other_machine = services.equipment_create(hub=xrd.hub, by=None, name="走査電子顕微鏡",
                                              category="microscopy", fees={})  # fmt: skip
    sem = Course.objects.create(hub=xrd.hub, title="SEM 講習", equipment=other_machine)
    tokyo = Course.objects.create(hub=tokyo_hub, title="東京 CT 講習", category="imaging")
    for i in range(25):
        make_session(course, days=2 + i)
    make_session(sem, days=3)
    make_session(tokyo, days=4)
    make_session(course, days=-2)  # past: never listed
    client.force_login(engineer)

    def titles(query):
        page = client.get("/equipment/training/", query)
        rows = re.findall(r"<td class=\"course\">([^<]+)<br>", page.content.decode())
        return page, rows

    page, rows = titles({})
    assert page.context["page"].paginator.count == 27 and len(rows) == 20
    page2, rows2 = titles({"page": 2})
    assert len(rows2) == 7
    _, rows = titles({"equipment": xrd.pk, "page": 2})
    assert rows == ["XRD 利用講習"] * 5
    _, rows = titles({"hub": tokyo_hub.pk})
    assert rows == ["東京 CT 講習"]
    _, rows = titles({"prefecture": "40", "date_from": days_ahead(3, 0).date().isoformat(),
                      "date_to": days_ahead(3, 0).date().isoformat()})  # fmt: skip
    assert sorted(rows) == ["SEM 講習", "XRD 利用講習"]
    # The machine's page links straight to its sessions.
    detail = client.get(f"/equipment/{xrd.pk}/").content.decode()
    assert f'href="/equipment/training/?equipment={xrd.pk}"' in detail
    assert detail.count("XRD 利用講習 (0 / 6)") == 5  # its next five sessions


def test_training_list_queries_do_not_grow_with_the_rows(client, engineer, course):
    client.force_login(engineer)
    make_session(course, days=2)
    with CaptureQueriesContext(connection) as one:
        client.get("/equipment/training/")
    for i in range(19):
        make_session(course, days=3 + i)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/equipment/training/").context["sessions"]) == 20
    assert len(many) == len(one)


def test_my_trainings_lists_registrations_and_certificates(client, engineer, course, xrd):
    session = make_session(course)
    services.session_register(session=session, user=engineer)
    services.certificate_issue(user=engineer, course=course, by=None,
                               issued_on=dt.date(2026, 1, 10))  # fmt: skip
    client.force_login(engineer)
    body = client.get("/equipment/training/mine/").content.decode()
    assert "XRD 利用講習" in body and "2F 講習室" in body and "申込済み" in body
    assert "2026年1月10日(土)" in body and "2027年1月10日(日)" in body
    withdrawn = client.post(f"/equipment/training/{session.pk}/unregister/", follow=True)
    assert messages_of(withdrawn) == ["申込を取り消しました。"]
    assert Attendance.objects.count() == 0
