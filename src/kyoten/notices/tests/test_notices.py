"""The inbox, the API, preferences, the outbox page and `kyoten remind`.

Notices are made here by the actions that cause them (a signature request through its page),
never by calling the notice service directly.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kyoten.notices.models import Notice, NoticePreference, SentMail

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(make_user):
    """A governor asked to sign a Kanagawa proposal through the editor page."""
    from kyoten.calls.models import Program
    from kyoten.calls.services import call_create
    from kyoten.proposals.services import proposal_create
    from kyoten.proposals.tests.conftest import valid_document

    officer = make_user("officer")
    now = timezone.now()
    call = call_create(
        program=Program.objects.get(fiscal_year=2009), by=officer, code="n", title="公募",
        opens_at=now - dt.timedelta(days=1), deadline=now + dt.timedelta(days=10),
        designated_city_reference_date=dt.date(2009, 8, 1),
    )  # fmt: skip
    applicant = make_user("applicant", username="pref-14", prefecture="14")
    governor = make_user("signatory", username="gov-14", email="gov@example.jp")
    proposal = proposal_create(call=call, by=applicant, content=valid_document())

    def ask(role="governor"):
        c = Client()
        c.force_login(applicant)
        c.post(
            f"/proposals/{proposal.pk}/signatures/request/", {"username": "gov-14", "role": role}
        )

    return {"governor": governor, "proposal": proposal, "ask": ask, "applicant": applicant}


def test_inbox_unread_count_open_and_mark_read(asked):
    asked["ask"]()
    c = Client()
    c.force_login(asked["governor"])
    home = c.get("/").content.decode()
    assert 'aria-label="未読 1 件">1</span>' in home
    inbox = c.get("/notices/").content.decode()
    assert "署名するよう依頼がありました" in inbox and "未読" in inbox
    notice = Notice.objects.get()
    opened = c.post(f"/notices/{notice.pk}/read/", {"open": "1"})
    assert opened.url == f"/proposals/{asked['proposal'].pk}/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert 'class="count"' not in c.get("/").content.decode()


def test_nobody_reads_or_marks_another_persons_notice(asked, make_user):
    asked["ask"]()
    notice = Notice.objects.get()
    c = Client()
    c.force_login(make_user("signatory"))
    assert c.post(f"/notices/{notice.pk}/read/").status_code == 404
    assert "依頼がありました" not in c.get("/notices/").content.decode()
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_read_and_paging(asked):
    for role in ["governor", "university_head", "industry"] * 12:
        asked["ask"](role)
    c = Client()
    c.force_login(asked["governor"])
    first = c.get("/notices/").content.decode()
    assert "2 ページ中 1 ページ" in first
    c.post("/notices/read-all/")
    assert Notice.objects.filter(read_at__isnull=True).count() == 0


def test_inbox_queries_do_not_grow_with_notices(asked, django_assert_num_queries):
    asked["ask"]()
    c = Client()
    c.force_login(asked["governor"])
    c.get("/notices/")
    # session, user, roles, the signatory's menu, unread count, page count, the page
    with django_assert_num_queries(7):
        c.get("/notices/")
    for role in ["university_head", "industry"] * 5:
        asked["ask"](role)
    with django_assert_num_queries(7):
        c.get("/notices/")


def test_api_lists_own_notices_and_marks_them_read(asked, api_token, make_user):
    asked["ask"]()
    asked["ask"]("industry")
    auth = api_token(asked["governor"])
    c = Client()
    body = c.get("/api/v1/notifications", HTTP_AUTHORIZATION=auth).json()
    assert body["count"] == 2
    first = body["items"][0]
    assert first["kind"] == "signature_requested" and first["read"] is False
    assert "産業界代表者として署名" in first["text"]
    marked = c.post(f"/api/v1/notifications/{first['id']}/read", HTTP_AUTHORIZATION=auth)
    assert marked.status_code == 200 and marked.json()["read"] is True
    unread = c.get("/api/v1/notifications?unread=true", HTTP_AUTHORIZATION=auth).json()
    assert [n["id"] for n in unread["items"]] == [body["items"][1]["id"]]
    other = api_token(make_user("signatory", username="someone"))
    refused = c.post(f"/api/v1/notifications/{first['id']}/read", HTTP_AUTHORIZATION=other)
    assert refused.status_code == 404
    assert c.get("/api/v1/notifications").status_code == 401


def test_in_app_only_sends_no_mail_and_off_sends_nothing(asked):
    governor = asked["governor"]
    NoticePreference.objects.create(user=governor, kind="signature_requested", delivery="inapp")
    asked["ask"]()
    assert Notice.objects.filter(recipient=governor).count() == 1
    assert mail.outbox == []
    NoticePreference.objects.filter(user=governor).update(delivery="off")
    asked["ask"]("industry")
    assert Notice.objects.filter(recipient=governor).count() == 1


def test_mail_goes_in_the_recipients_language(asked):
    governor = asked["governor"]
    governor.language = "en"
    governor.save()
    asked["ask"]()
    [message] = mail.outbox
    assert message.subject.startswith("[kyoten] pref-14 asks you to sign the proposal")
    assert "Open it here:\nhttp://127.0.0.1:8000/proposals/" in message.body


def test_outbox_lists_sent_mail_for_officers_only(asked, settings, make_user):
    settings.EMAIL_BACKEND = "kyoten.notices.mail.RecordingBackend"
    settings.KYOTEN_MAIL_DELIVERY = "django.core.mail.backends.locmem.EmailBackend"
    asked["ask"]()
    [sent] = SentMail.objects.all()
    assert sent.to == "gov@example.jp" and "署名するよう依頼" in sent.subject
    officer = Client()
    officer.force_login(make_user("officer", username="o2"))
    assert sent.subject in officer.get("/notices/outbox/").content.decode()
    other = Client()
    other.force_login(asked["governor"])
    assert other.get("/notices/outbox/").status_code == 403


def test_remind_sends_each_reminder_once(make_user):
    """A review phase closing in two days: every member hears that it opened and that it
    closes, once, however often the command runs."""
    from kyoten.allocation.tests.conftest import make_call
    from kyoten.review.enums import CommitteeKind
    from kyoten.review.models import Committee, Membership, ReviewPhase

    call = make_call()
    committee = Committee.objects.create(
        kind=CommitteeKind.REVIEW, name="審査委員会", call=call, term_start=dt.date(2026, 4, 1)
    )
    reviewer = make_user("reviewer", email="r@example.jp")
    Membership.objects.create(committee=committee, user=reviewer, kind=CommitteeKind.REVIEW)
    now = timezone.now()
    ReviewPhase.objects.create(
        call=call,
        kind="scoring",
        starts_at=now - dt.timedelta(days=5),
        ends_at=now + dt.timedelta(days=2),
    )
    call_command("remind", verbosity=0)
    call_command("remind", verbosity=0)
    assert sorted(Notice.objects.filter(recipient=reviewer).values_list("kind", flat=True)) == [
        "review_phase_closing",
        "review_phase_opened",
    ]
    assert len(mail.outbox) == 2
