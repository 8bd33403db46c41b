"""Calls in the browser: an officer creates, edits, publishes and closes a call; the call page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kyoten.calls.models import Call, CallStatus, Program
from kyoten.calls.services import call_create, call_set_status, call_update
from kyoten.core.errors import DomainError

pytestmark = pytest.mark.django_db

JST = dt.timezone(dt.timedelta(hours=9))


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def program() -> Program:
    return Program.objects.get(fiscal_year=2009)


def new_call_data(**changes) -> dict:
    data = {
        "program": program().pk,
        "code": "r8-kyoten",
        "title": "令和8年度 地域産学官共同研究拠点整備事業 公募",
        "title_en": "",
        "opens_at": "2026-04-01T00:00",
        "deadline": "2026-05-20T17:00",
        "designated_city_reference_date": "",
        "budget_yen": "",
        "cap_yen": "",
        "categories": "構想支援地域 / Planning support\n基盤形成支援地域",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def draft_call(officer, **changes) -> Call:
    values = {
        "code": "draft-call",
        "title": "下書きの公募",
        "opens_at": dt.datetime(2026, 4, 1, tzinfo=JST),
        "deadline": dt.datetime(2026, 5, 20, 17, tzinfo=JST),
        "status": CallStatus.DRAFT,
    }
    values.update(changes)
    return call_create(program=program(), by=officer, **values)


def test_officer_creates_a_call_as_a_draft_in_japan_time(make_user):
    officer = make_user("officer")
    c = login(officer)
    page = c.get(f"/calls/new/?program={program().pk}")
    assert page.status_code == 200
    html = page.content.decode()
    # Japanese is the default language: the labels of the form are Japanese.
    assert "公募の名称" in html and "締切（日本時間）" in html and "新しい公募" in html
    response = c.post("/calls/new/", new_call_data())
    call = Call.objects.get(code="r8-kyoten")
    assert response.status_code == 302
    assert response["Location"] == f"/calls/{call.pk}/"
    assert (call.status, call.budget_yen, call.cap_yen, call.allowed_forms) == (
        CallStatus.DRAFT, 69_500_000_000, 3_000_000_000, program().allowed_forms,
    )  # fmt: skip
    assert (call.opens_at, call.deadline) == (
        dt.datetime(2026, 4, 1, tzinfo=JST),
        dt.datetime(2026, 5, 20, 17, tzinfo=JST),
    )
    # Opening at 00:00 in Japan is 31 March in UTC: designated cities count as of 1 April.
    assert call.designated_city_reference_date == dt.date(2026, 4, 1)
    assert call.categories == [
        {"key": "c1", "label_ja": "構想支援地域", "label_en": "Planning support"},
        {"key": "c2", "label_ja": "基盤形成支援地域", "label_en": "基盤形成支援地域"},
    ]
    assert call.review_criteria == program().review_criteria


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"deadline": "2026-03-01T17:00"}, "deadline", "締切は受付開始より後"),
        ({"budget_yen": "1000000", "cap_yen": "2000000"}, "cap_yen", "R-8"),
        ({"code": "fy2009"}, "code", "fy2009"),
        ({"deadline": "明日"}, "deadline", "日時を正しく入力してください"),
        ({"title": ""}, "title", "このフィールドは必須です"),
    ],
)
def test_bad_input_shows_the_fields_error(make_user, changes, field, fragment):
    c = login(make_user("officer"))
    response = c.post("/calls/new/", new_call_data(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert fragment in " ".join(errors[field])
    assert fragment in response.content.decode()
    assert not Call.objects.filter(code="r8-kyoten").exists()


def test_every_error_of_the_call_form_shows_at_once_in_japanese(make_user):
    c = login(make_user("officer"))
    bad = new_call_data(
        code="fy2009", deadline="2026-03-01T17:00", budget_yen="1000000", cap_yen="2000000",
        allowed_forms=["nonsense"],
    )  # fmt: skip
    response = c.post("/calls/new/", bad)
    errors = response.context["form"].errors
    assert sorted(errors) == ["allowed_forms", "cap_yen", "code", "deadline"]
    html = response.content.decode()
    for fragment in ("fy2009", "締切は受付開始より後", "R-8", "正しく選択してください"):
        assert fragment in html
    assert not Call.objects.filter(code="fy2009", title__startswith="令和8年度").exists()


def test_status_buttons_publish_and_close(make_user):
    officer = make_user("officer")
    call = draft_call(officer)
    c = login(officer)
    page = c.get(f"/calls/{call.pk}/").content.decode()
    assert "公募を公開する" in page  # the only button of a draft
    assert "受付を締め切る" not in page
    # A draft cannot be closed: the button does not exist and the service refuses it.
    response = c.post(f"/calls/{call.pk}/status/", {"status": "closed"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "公募を「未公開」から「締切」に変えることはできません"
    ]
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT
    steps = []
    for status in ("open", "closed", "review", "decided"):
        response = c.post(f"/calls/{call.pk}/status/", {"status": status})
        assert response.status_code == 302
        call.refresh_from_db()
        steps.append(call.status)
    assert steps == ["open", "closed", "review", "decided"]
    assert call.history.count() == 5  # created + four status changes, each in the history


def test_edit_a_draft_then_only_the_title_once_published(make_user):
    officer = make_user("officer")
    call = draft_call(officer)
    c = login(officer)
    form = c.get(f"/calls/{call.pk}/edit/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["review_criteria"] = form.fields["review_criteria"].prepare_value(data["review_criteria"])
    data["categories"] = form.fields["categories"].prepare_value(data["categories"])
    data["opens_at"] = "2026-04-01T00:00"
    data["deadline"] = "2026-05-20T17:00"
    data.update(budget_yen="26300000000", cap_yen="900000000", allowed_forms=["equipment_only"])
    data = {k: v for k, v in data.items() if v is not None}
    response = c.post(f"/calls/{call.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    call.refresh_from_db()
    assert (call.budget_yen, call.cap_yen, call.allowed_forms) == (
        26_300_000_000, 900_000_000, ["equipment_only"],
    )  # fmt: skip
    # A criterion without a weight is the field's error.
    bad = dict(data, review_criteria='[{"key": "x", "label_ja": "x"}]')
    response = c.post(f"/calls/{call.pk}/edit/", bad)
    assert response.status_code == 200
    assert response.context["form"].errors["review_criteria"] == [
        "review_criteria[0].weight: 正の整数で指定してください"
    ]

    call_set_status(call=call, by=officer, status=CallStatus.OPEN)
    form = c.get(f"/calls/{call.pk}/edit/").context["form"]
    assert list(form.fields) == ["title", "title_en"]
    response = c.post(f"/calls/{call.pk}/edit/", {"title": "新しい名称", "budget_yen": "1"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.title, call.budget_yen) == ("新しい名称", 26_300_000_000)
    with pytest.raises(DomainError) as caught:
        call_update(call=call, by=officer, budget_yen=1)
    assert caught.value.field == "budget_yen"


def test_call_page_shows_the_settings_and_next_steps(make_user):
    officer = make_user("officer")
    fy2009 = Call.objects.get(code="fy2009")
    html = login(officer).get(f"/calls/{fy2009.pk}/").content.decode()
    for text in (
        "¥69,500,000,000 (695億円)",  # budget
        "¥3,000,000,000 (30億円)",  # cap
        "2009年8月20日(木) 17:00",  # the deadline in Japan time (08:00 UTC)
        "2009年7月31日(金)",  # designated cities as of
        "目的・目標の明確さ",  # a criterion, with its weight
        '<td class="num">20</td>',
        '<td class="num">100</td>',  # total of the weights
        '<th scope="row">⑩</th><td>施設・設備の整備計画</td>',  # a required section
        f'href="/proposals/calls/{fy2009.pk}/"',
        f'href="/review/calls/{fy2009.pk}/"',
        f'href="/review/calls/{fy2009.pk}/committees/"',
        f'href="/allocation/calls/{fy2009.pk}/"',
    ):
        assert text in html, text
    applicant = login(make_user("applicant", prefecture="13")).get(f"/calls/{fy2009.pk}/")
    public_html = applicant.content.decode()
    assert "¥69,500,000,000" in public_html
    assert "/review/calls/" not in public_html and "/allocation/" not in public_html
    assert 'action="/calls/' not in public_html  # no status buttons


def test_list_links_to_the_call_page_and_drafts_stay_with_officers(make_user):
    officer = make_user("officer")
    call = draft_call(officer)
    fy2009 = Call.objects.get(code="fy2009")
    html = login(officer).get("/calls/").content.decode()
    assert f'href="/calls/{call.pk}/"' in html and f'href="/calls/{fy2009.pk}/"' in html
    assert f'href="/calls/new/?program={program().pk}"' in html
    applicant = login(make_user("applicant", prefecture="13"))
    assert f'href="/calls/{call.pk}/"' not in applicant.get("/calls/").content.decode()
    assert applicant.get(f"/calls/{call.pk}/").status_code == 404


def test_non_officers_get_403(make_user):
    officer = make_user("officer")
    call = draft_call(officer)
    call_set_status(call=call, by=officer, status=CallStatus.OPEN)
    for role in ("applicant", "reviewer", "observer"):
        c = login(make_user(role, prefecture="13" if role == "applicant" else None))
        assert c.get("/calls/new/").status_code == 403
        assert c.post("/calls/new/", new_call_data(code=f"x-{role}")).status_code == 403
        assert c.get(f"/calls/{call.pk}/edit/").status_code == 403
        assert c.post(f"/calls/{call.pk}/status/", {"status": "closed"}).status_code == 403
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN
    assert not Call.objects.filter(code__startswith="x-").exists()
    anonymous = Client().get("/calls/new/")
    assert (anonymous.status_code, anonymous["Location"]) == (302, "/login/?next=/calls/new/")


def test_status_api_follows_the_same_transitions(client, make_user, api_token):
    officer = make_user("officer")
    call = draft_call(officer)
    auth = {"HTTP_AUTHORIZATION": api_token(officer)}
    refused = client.patch(f"/api/v1/calls/{call.pk}", {"status": "decided"},
                           content_type="application/json", **auth)  # fmt: skip
    assert (refused.status_code, refused.json()["field"]) == (400, "status")
    published = client.patch(f"/api/v1/calls/{call.pk}", {"status": "open"},
                             content_type="application/json", **auth)  # fmt: skip
    assert (published.status_code, published.json()["status"]) == (200, "open")


def test_two_officers_editing_a_call_never_overwrite_each_other_silently(make_user):
    """Issue 17 item 9: the second save of the same setting is told of the first."""
    import re

    first, second = make_user("officer"), make_user("officer")
    call = draft_call(first)
    call_set_status(call=call, by=first, status=CallStatus.OPEN)
    url = f"/calls/{call.pk}/edit/"
    a, b = login(first), login(second)

    def seen(page) -> str:
        return re.search(r'name="seen" value="(\d+)"', page.text).group(1)

    mine = seen(a.get(url))
    assert (
        b.post(
            url, {"seen": seen(b.get(url)), "title": "二人目の名称", "title_en": call.title_en}
        ).status_code
        == 302
    )
    page = a.post(url, {"seen": mine, "title": "一人目の名称", "title_en": call.title_en})
    assert page.status_code == 200
    assert "二人目の名称" in page.text and "一人目の名称" in page.text
    call.refresh_from_db()
    assert call.title == "二人目の名称"
    again = a.post(url, {"seen": seen(page), "title": "一人目の名称", "title_en": call.title_en})
    assert again.status_code == 302
    call.refresh_from_db()
    assert call.title == "一人目の名称"
    # The English title alone, from a form drawn before: no clash with the Japanese one.
    other = a.post(url, {"seen": mine, "title": "一人目の名称", "title_en": "First"})
    assert other.status_code == 302
    call.refresh_from_db()
    assert (call.title, call.title_en) == ("一人目の名称", "First")
