"""Invitations through the pages: sent, followed from the mail, accepted once, never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from kyoten.accounts.models import Invitation
from kyoten.accounts.tests.conftest import link_in
from kyoten.core.models import User
from kyoten.review.models import Membership

pytestmark = pytest.mark.django_db

STRONG = "kyoten-Hub-2026!"


def invite(client, *, what: str, name="佐藤 誠", email="sato@example.ac.jp"):
    return client.post(
        "/accounts/invitations/", {"name": name, "email": email, "what": what}, follow=True
    )


def test_officer_invites_a_reviewer_who_accepts_from_the_mail(client, officer, review_committee):
    client.force_login(officer)
    page = client.get("/accounts/invitations/").content.decode()
    assert "審査委員会の委員" in page and "審査委員会 2026" in page

    response = invite(client, what=f"reviewer:{review_committee.pk}")
    assert "sato@example.ac.jp に招待を送りました。" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["sato@example.ac.jp"]
    assert message.subject == "[kyoten] 招待：審査委員会の委員（審査委員会 2026）"
    link = link_in(message, "/accounts/invite/")

    guest = Client()
    form = guest.get(link).content.decode()
    assert "審査委員会の委員" in form and "ユーザー名" in form
    done = guest.post(
        link,
        {"display_name": "佐藤 誠", "username": "sato", "password": STRONG, "password2": STRONG},
    )
    assert done.status_code == 302 and done.url == "/review/"
    sato = User.objects.get(username="sato")
    assert (sato.role, sato.email, sato.display_name) == (
        "reviewer",
        "sato@example.ac.jp",
        "佐藤 誠",
    )
    assert Membership.objects.filter(committee=review_committee, user=sato).exists()
    # signed in at once, landing on their reviews
    assert guest.get("/review/").status_code == 200

    # the officer is told, and the list says who accepted and when
    assert officer.notices.get().text_ja == "佐藤 誠 さんが招待（審査委員会の委員）を受諾しました。"
    listing = client.get("/accounts/invitations/").content.decode()
    assert "受諾済み: 佐藤 誠" in listing

    # the link is spent
    again = Client().get(link)
    assert again.status_code == 404 and "このリンクは使えません" in again.content.decode()


def test_a_link_works_once_even_when_posted_twice(client, officer, review_committee):
    client.force_login(officer)
    invite(client, what=f"reviewer:{review_committee.pk}")
    link = link_in(mail.outbox[0], "/accounts/invite/")
    data = {"display_name": "佐藤", "username": "sato", "password": STRONG, "password2": STRONG}
    assert Client().post(link, data).status_code == 302
    second = Client().post(link, {**data, "username": "sato2"})
    assert second.status_code == 404
    assert not User.objects.filter(username="sato2").exists()


def test_an_expired_link_is_refused(client, officer, review_committee):
    client.force_login(officer)
    invite(client, what=f"reviewer:{review_committee.pk}")
    link = link_in(mail.outbox[0], "/accounts/invite/")
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert Client().get(link).status_code == 404


def test_a_tampered_link_is_refused(client, officer, review_committee):
    client.force_login(officer)
    invite(client, what=f"reviewer:{review_committee.pk}")
    link = link_in(mail.outbox[0], "/accounts/invite/")
    assert Client().get(link[:-3] + "abc/").status_code == 404


def test_resend_replaces_the_link_and_withdraw_ends_it(client, officer, review_committee):
    client.force_login(officer)
    invite(client, what=f"reviewer:{review_committee.pk}")
    invitation = Invitation.objects.get()
    first = link_in(mail.outbox[0], "/accounts/invite/")
    client.post(f"/accounts/invitations/{invitation.pk}/resend/")
    second = link_in(mail.outbox[1], "/accounts/invite/")
    assert first != second
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    client.post(f"/accounts/invitations/{invitation.pk}/withdraw/")
    assert Client().get(second).status_code == 404
    assert "取消済み" in client.get("/accounts/invitations/").content.decode()


def test_a_second_invitation_of_the_same_person_is_refused(client, officer, review_committee):
    client.force_login(officer)
    invite(client, what=f"reviewer:{review_committee.pk}")
    page = invite(client, what=f"reviewer:{review_committee.pk}").content.decode()
    assert "sato@example.ac.jp はすでにこの件で招待されています" in page
    assert Invitation.objects.count() == 1


def test_an_existing_account_gets_the_role_beside_its_own(
    client, officer, review_committee, make_user
):
    head = make_user("signatory", username="univ-head", email="head@example.ac.jp")
    client.force_login(officer)
    invite(client, what=f"reviewer:{review_committee.pk}", email="head@example.ac.jp")
    link = link_in(mail.outbox[0], "/accounts/invite/")

    anonymous = Client().get(link).content.decode()
    assert "ログインしてから受諾してください" in anonymous

    c = Client()
    c.force_login(head)
    assert c.post(link).url == "/review/"
    head.refresh_from_db()
    assert head.role == "signatory"
    assert head.roles == {"signatory", "reviewer"}
    assert c.get("/review/").status_code == 200


def test_weak_passwords_are_refused_on_the_field(client, officer, review_committee):
    client.force_login(officer)
    invite(client, what=f"reviewer:{review_committee.pk}")
    link = link_in(mail.outbox[0], "/accounts/invite/")
    page = Client().post(
        link,
        {
            "display_name": "佐藤",
            "username": "sato",
            "password": "password",
            "password2": "password",
        },
    )
    assert page.status_code == 200
    assert "このパスワードは一般的すぎます。" in page.content.decode()
    assert not User.objects.filter(username="sato").exists()


def test_roles_that_do_not_invite_are_refused(make_user):
    c = Client()
    c.force_login(make_user("reviewer"))
    assert c.get("/accounts/invitations/").status_code == 403


def test_an_officer_cannot_invite_for_a_target_they_may_not_choose(
    client, officer, review_committee
):
    client.force_login(officer)
    page = invite(client, what="reviewer:99999").content.decode()
    assert Invitation.objects.count() == 0
    assert "正しく選択してください" in page


def test_with_nothing_to_invite_for_the_page_says_what_to_make_first(client, officer):
    client.force_login(officer)
    page = client.get("/accounts/invitations/").content.decode()
    assert "招待できる対象がまだありません" in page
