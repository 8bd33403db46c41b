"""The committees page: an officer creates the review and promotion committees, adds members
(R-10 refused with a message naming the rule), names the chair, removes members, sets phases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kyoten.core.enums import Role
from kyoten.review import services
from kyoten.review.enums import CommitteeKind, MemberRole, PhaseKind
from kyoten.review.models import Committee, Membership, ReviewPhase
from kyoten.review.tests.conftest import make_call, make_user

JST = dt.timezone(dt.timedelta(hours=9))


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(call) -> str:
    return f"/review/calls/{call.pk}/committees/"


def roles(committee) -> list[tuple[str, str]]:
    return list(
        Membership.objects.filter(committee=committee)
        .order_by("user__username")
        .values_list("user__username", "role")
    )


@pytest.fixture
def bare(db, officer):
    """A call without committees or phases, and people to put on them."""
    return {
        "call": make_call(code="bare-call", title="令和8年度公募"),
        "officer": officer,
        "kato": make_user("kato", organisation="東北大学"),
        "mori": make_user("mori", Role.CHAIR),
        "yoshida": make_user("yoshida", Role.COMMITTEE),
    }


def test_officer_builds_both_committees_in_the_browser(bare):
    call, c = bare["call"], login(bare["officer"])
    page = c.get(url(call))
    assert page.status_code == 200
    html = page.content.decode()
    # Japanese by default.
    assert "審査委員会を作成" in html and "推進委員会を作成" in html and "審査の段階" in html
    response = c.post(url(call), {"action": "new-review", "new-review-name": "令和8年度 審査委員会",
                                  "new-review-term_start": "2026-04-01"})  # fmt: skip
    assert response.status_code == 302
    review = Committee.objects.get(kind=CommitteeKind.REVIEW, call=call)
    assert (review.name, review.term_start, review.term_end) == (
        "令和8年度 審査委員会", dt.date(2026, 4, 1), None,
    )  # fmt: skip
    response = c.post(url(call), {"action": "new-promotion", "new-promotion-name": "推進委員会",
                                  "new-promotion-term_start": "2026-04-01",
                                  "new-promotion-term_end": "2028-03-31"})  # fmt: skip
    assert response.status_code == 302
    promotion = Committee.objects.get(kind=CommitteeKind.PROMOTION)
    assert (promotion.call, promotion.term_end) == (None, dt.date(2028, 3, 31))

    for committee, user, role, keywords in (
        (review, bare["kato"], "member", "材料、半導体, AI"),
        (review, bare["mori"], "member", ""),
        (promotion, bare["yoshida"], "chair", ""),
    ):
        prefix = f"add-{committee.pk}"
        response = c.post(url(call), {"action": prefix, f"{prefix}-user": user.pk,
                                      f"{prefix}-role": role, f"{prefix}-keywords": keywords,
                                      f"{prefix}-max_load": ""})  # fmt: skip
        assert response.status_code == 302, response.content.decode()
    assert roles(review) == [("kato", "member"), ("mori", "member")]
    assert roles(promotion) == [("yoshida", "chair")]
    assert Membership.objects.get(user=bare["kato"]).keywords == ["AI", "半導体", "材料"]
    follow = c.get(url(call)).content.decode()
    assert "kato" in follow and "yoshida" in follow and "委員長にする" in follow


def test_r10_is_refused_with_a_message_naming_the_rule(bare):
    call, officer = bare["call"], bare["officer"]
    review = services.committee_create(kind="review", name="審査委員会", call=call,
                                       term_start=dt.date(2026, 4, 1), by=officer)  # fmt: skip
    promotion = services.committee_create(kind="promotion", name="推進委員会",
                                          term_start=dt.date(2026, 4, 1), by=officer)  # fmt: skip
    services.committee_member_add(committee=promotion, user=bare["yoshida"], by=officer)
    prefix = f"add-{review.pk}"
    response = login(officer).post(url(call), {"action": prefix, f"{prefix}-user": bare["yoshida"].pk,
                                               f"{prefix}-role": "member"})  # fmt: skip
    assert response.status_code == 200
    forms = [b["form"] for b in [response.context["review"], *response.context["promotion"]]]
    assert forms[0].errors == {"user": [
        "規則 R-10：yoshida はすでに推進委員会の委員です。審査委員会と推進委員会の両方の委員になることはできません"
    ]}  # fmt: skip
    assert "規則 R-10" in response.content.decode()
    assert roles(review) == []


def test_bad_input_shows_the_fields_error(bare):
    call, c = bare["call"], login(bare["officer"])
    response = c.post(url(call), {"action": "new-review", "new-review-name": "審査委員会",
                                  "new-review-term_start": "2026-04-01",
                                  "new-review-term_end": "2026-03-01"})  # fmt: skip
    assert response.status_code == 200
    assert response.context["new_review"].errors == {
        "term_end": ["任期の終了は開始より前にできません"]
    }
    assert not Committee.objects.exists()
    response = c.post(url(call), {"action": "phase-scoring", "phase-scoring-starts_at": "2026-06-10T09:00",
                                  "phase-scoring-ends_at": "2026-06-01T17:00"})  # fmt: skip
    assert response.status_code == 200
    scoring = next(form for kind, _l, _p, form in response.context["phases"] if kind == "scoring")
    assert scoring.errors == {"ends_at": ["終了は開始より後にしてください"]}
    assert "終了は開始より後にしてください" in response.content.decode()
    assert not ReviewPhase.objects.exists()


def test_phases_by_date_in_japan_time(bare):
    call, c = bare["call"], login(bare["officer"])
    for kind, starts, ends in (
        ("conflicts", "2026-06-01T09:00", "2026-06-05T17:00"),
        ("scoring", "2026-06-05T09:00", "2026-06-30T17:00"),
    ):
        response = c.post(url(call), {"action": f"phase-{kind}", f"phase-{kind}-starts_at": starts,
                                      f"phase-{kind}-ends_at": ends})  # fmt: skip
        assert response.status_code == 302
    phases = {p.kind: (p.starts_at, p.ends_at) for p in ReviewPhase.objects.filter(call=call)}
    assert phases == {
        PhaseKind.CONFLICTS: (dt.datetime(2026, 6, 1, 9, tzinfo=JST), dt.datetime(2026, 6, 5, 17, tzinfo=JST)),
        PhaseKind.SCORING: (dt.datetime(2026, 6, 5, 9, tzinfo=JST), dt.datetime(2026, 6, 30, 17, tzinfo=JST)),
    }  # fmt: skip
    # Moving a phase keeps one row per kind; the form shows the saved dates.
    c.post(url(call), {"action": "phase-scoring", "phase-scoring-starts_at": "2026-06-05T09:00",
                       "phase-scoring-ends_at": "2026-07-10T17:00"})  # fmt: skip
    assert ReviewPhase.objects.filter(call=call).count() == 2
    assert 'value="2026-07-10T17:00"' in c.get(url(call)).content.decode()


def test_chair_is_marked_and_members_removed(world, officer):
    call, committee = world["call"], world["committee"]
    c = login(officer)
    tanaka = Membership.objects.get(committee=committee, user=world["reviewers"]["tanaka"])
    response = c.post(url(call), {"action": "chair", "membership": tanaka.pk}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "tanaka を審査委員会の委員長にしました"
    ]
    assert dict(roles(committee)) == {"chair": "member", "ito": "member", "sato": "member",
                                      "suzuki": "member", "tanaka": "chair"}  # fmt: skip
    c.post(url(call), {"action": "member", "membership": tanaka.pk}, follow=True)
    assert MemberRole.CHAIR not in dict(roles(committee)).values()

    ito = Membership.objects.get(committee=committee, user=world["reviewers"]["ito"])
    c.post(url(call), {"action": "remove", "membership": ito.pk}, follow=True)
    assert "ito" not in dict(roles(committee))
    # A member with review assignments stays, and the page says why.
    services.assignment_add(proposal=world["proposals"]["kinki"], reviewer=world["reviewers"]["suzuki"],
                            by=officer)  # fmt: skip
    suzuki = Membership.objects.get(committee=committee, user=world["reviewers"]["suzuki"])
    response = c.post(url(call), {"action": "remove", "membership": suzuki.pk}, follow=True)
    assert [(m.level_tag, str(m)) for m in response.context["messages"]] == [
        ("error", "suzuki にはまだ審査の割当があります。先に割当を外してください")
    ]
    assert "suzuki" in dict(roles(committee))
    # A membership of another call's committee is not this page's: 404.
    other = make_call(code="other-call")
    assert c.post(url(other), {"action": "remove", "membership": suzuki.pk}).status_code == 404


def test_non_officers_get_403(world):
    call = world["call"]
    tanaka = Membership.objects.get(user=world["reviewers"]["tanaka"])
    for user in (world["chair"], world["reviewers"]["sato"], make_user("pref", Role.APPLICANT)):
        c = login(user)
        assert c.get(url(call)).status_code == 403
        assert c.post(url(call), {"action": "remove", "membership": tanaka.pk}).status_code == 403
        assert c.post(url(call), {"action": "new-promotion", "new-promotion-name": "x",
                                  "new-promotion-term_start": "2026-04-01"}).status_code == 403  # fmt: skip
    assert Membership.objects.filter(pk=tanaka.pk).exists()
    assert not Committee.objects.filter(kind=CommitteeKind.PROMOTION).exists()


def test_board_links_to_the_committees_page(world, officer):
    call = world["call"]
    html = login(officer).get(f"/review/calls/{call.pk}/").content.decode()
    assert f'href="{url(call)}"' in html and f'href="/calls/{call.pk}/"' in html
    chair_html = login(world["chair"]).get(f"/review/calls/{call.pk}/").content.decode()
    assert url(call) not in chair_html


def test_set_role_service_keeps_one_chair(world, officer):
    committee = world["committee"]
    sato = Membership.objects.get(committee=committee, user=world["reviewers"]["sato"])
    services.committee_member_set_role(membership=sato, role=MemberRole.CHAIR, by=officer)
    assert list(Membership.objects.filter(committee=committee, role="chair").values_list(
        "user__username", flat=True)) == ["sato"]  # fmt: skip
    from kyoten.core.errors import DomainError, Forbidden

    with pytest.raises(Forbidden):
        services.committee_member_set_role(membership=sato, role="member", by=world["chair"])
    with pytest.raises(DomainError) as caught:
        services.committee_member_set_role(membership=sato, role="boss", by=officer)
    assert caught.value.field == "role"


def test_officer_names_the_deputy_chair_on_the_committees_page(world):
    call, committee, officer = world["call"], world["committee"], world["officer"]
    sato, chair = world["reviewers"]["sato"], world["chair"]
    c = login(officer)
    html = c.get(url(call)).content.decode()
    assert "副委員長にする" in html
    response = c.post(f"/review/committees/{committee.pk}/deputy/", {"user": sato.pk})
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.deputy_chair == sato
    html = c.get(url(call)).content.decode()
    assert "副委員長の任を解く" in html
    # The chair cannot be the deputy: refused with a message, nothing changes.
    response = c.post(f"/review/committees/{committee.pk}/deputy/", {"user": chair.pk})
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.deputy_chair == sato
    # Others may not.
    assert (
        login(sato).post(f"/review/committees/{committee.pk}/deputy/", {"user": ""}).status_code
        == 403
    )
    # None.
    c.post(f"/review/committees/{committee.pk}/deputy/", {"user": ""})
    committee.refresh_from_db()
    assert committee.deputy_chair is None


def test_deputy_chair_rules(world):
    committee, officer = world["committee"], world["officer"]
    sato, chair = world["reviewers"]["sato"], world["chair"]
    outsider = make_user("outsider")
    with pytest.raises(services.DomainError) as exc:
        services.committee_deputy_set(committee=committee, user=outsider, by=officer)
    assert exc.value.field == "user"
    with pytest.raises(services.DomainError) as exc:
        services.committee_deputy_set(committee=committee, user=chair, by=officer)
    assert (exc.value.field, exc.value.message) == ("user", "委員長は自分の代理になれません")
    with pytest.raises(services.Forbidden):
        services.committee_deputy_set(committee=committee, user=sato, by=sato)
    services.committee_deputy_set(committee=committee, user=sato, by=officer)
    # Made the chair: no longer the deputy.
    membership = Membership.objects.get(committee=committee, user=sato)
    services.committee_member_set_role(membership=membership, role=MemberRole.CHAIR, by=officer)
    committee.refresh_from_db()
    assert committee.deputy_chair is None
    # Removed from the committee: no longer the deputy.
    ito = world["reviewers"]["ito"]
    services.committee_deputy_set(committee=committee, user=ito, by=officer)
    services.committee_member_remove(
        membership=Membership.objects.get(committee=committee, user=ito), by=officer
    )
    committee.refresh_from_db()
    assert committee.deputy_chair is None
