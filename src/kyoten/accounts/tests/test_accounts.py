"""Registration with a verified e-mail, password reset and change, profile, billing contact."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from kyoten.accounts.tests.conftest import link_in
from kyoten.core.models import Organisation, User

pytestmark = pytest.mark.django_db

STRONG = "kyoten-Hub-2026!"


def register(client, **changes):
    data = {
        "display_name": "松本 翔",
        "email": "matsumoto@higo-seimitsu.example.jp",
        "organisation": "肥後精密工業株式会社",
        "kind": "company",
        "prefecture": "43",
        "is_sme": "1",
        "username": "matsumoto",
        "password": STRONG,
        "password2": STRONG,
        **changes,
    }
    return client.post("/accounts/register/", data)


def test_an_engineer_registers_verifies_and_lands_on_the_equipment_search(client):
    page = register(client).content.decode()
    assert "matsumoto@higo-seimitsu.example.jp にリンクを送りました" in page
    user = User.objects.get(username="matsumoto")
    assert (user.role, user.is_active) == ("equipment_user", False)
    org = user.organisation
    assert (org.name, org.kind, org.prefecture_id, org.is_sme) == (
        "肥後精密工業株式会社", "company", "43", True,
    )  # fmt: skip
    assert org.billing_contact == user  # the first registrant receives the invoices

    # not yet: the login is refused until the address is verified
    assert not Client().login(username="matsumoto", password=STRONG)

    [message] = mail.outbox
    assert message.subject == "[kyoten] メールアドレスの確認"
    link = link_in(message, "/accounts/verify/")
    c = Client()
    landed = c.get(link, follow=True)
    assert landed.redirect_chain[-1][0] == "/equipment/"
    assert "メールアドレスを確認しました" in landed.content.decode()
    user.refresh_from_db()
    assert user.is_active
    # a second use says it is done
    again = Client().get(link, follow=True)
    assert "このアドレスは確認済みです" in again.content.decode()


def test_registration_refuses_a_taken_address_and_a_weak_password(client, make_user):
    make_user("equipment_user", email="taken@example.jp")
    page = register(client, email="taken@example.jp").content.decode()
    assert "このメールアドレスのアカウントがすでにあります" in page
    page = register(client, password="12345678", password2="12345678").content.decode()
    assert "このパスワードは数字しか使われていません。" in page
    assert User.objects.filter(username="matsumoto").count() == 0
    assert Organisation.objects.filter(name="肥後精密工業株式会社").count() == 0


def test_registration_joins_an_existing_organisation(client):
    register(client)
    register(Client(), email="b@example.jp", username="second", display_name="二人目")
    assert Organisation.objects.filter(name="肥後精密工業株式会社").count() == 1
    org = Organisation.objects.get(name="肥後精密工業株式会社")
    assert org.billing_contact.username == "matsumoto"


def test_password_reset_end_to_end(make_user):
    user = make_user("applicant", username="pref-43", prefecture="43", email="pref43@example.jp")
    c = Client()
    form = c.get("/accounts/password/reset/").content.decode()
    assert "パスワードを忘れた場合" in form
    c.post("/accounts/password/reset/", {"email": "pref43@example.jp"})
    [message] = mail.outbox
    assert message.subject == "[kyoten] パスワードの再設定"
    assert "ユーザー名：pref-43" in message.body
    link = link_in(message, "/accounts/password/reset/")
    page = c.get(link, follow=True)
    assert "新しいパスワードを決める" in page.content.decode()
    set_url = page.redirect_chain[-1][0]
    done = c.post(set_url, {"new_password1": STRONG, "new_password2": STRONG}, follow=True)
    assert "新しいパスワードを設定しました。" in done.content.decode()
    assert Client().login(username="pref-43", password=STRONG)
    assert not Client().login(username="pref-43", password="pw")
    # the link is spent
    assert "このリンクは無効か" in Client().get(link, follow=True).content.decode()
    del user


def test_password_change_uses_the_validators(make_user):
    user = make_user("officer")
    c = Client()
    c.force_login(user)
    page = c.post(
        "/accounts/password/change/",
        {"old_password": "pw", "new_password1": "abc", "new_password2": "abc"},
    ).content.decode()
    assert "このパスワードは短すぎます。最低 8 文字以上必要です。" in page
    done = c.post(
        "/accounts/password/change/",
        {"old_password": "pw", "new_password1": STRONG, "new_password2": STRONG},
        follow=True,
    )
    assert "パスワードを変更しました。" in done.content.decode()


def test_profile_and_notice_preferences(make_user):
    user = make_user("reviewer", email="r@example.jp", display_name="審査 太郎")
    c = Client()
    c.force_login(user)
    page = c.get("/accounts/profile/").content.decode()
    assert "審査委員" in page and "審査する提案が割り当てられた" in page
    c.post(
        "/accounts/profile/",
        {
            "form": "profile",
            "display_name": "審査 次郎",
            "email": "r2@example.jp",
            "language": "en",
        },
    )
    user.refresh_from_db()
    assert (user.display_name, user.email, user.language) == ("審査 次郎", "r2@example.jp", "en")

    c.post(
        "/accounts/profile/",
        {"form": "notices", "reviewer_assigned": "inapp", "call_published": "off",
         "decision_published": "off"},
    )  # fmt: skip
    chosen = dict(user.notice_preferences.values_list("kind", "delivery"))
    # the decision cannot be turned off: the disabled field keeps its fixed value
    assert chosen == {"reviewer_assigned": "inapp", "call_published": "off"}


def test_billing_contact_is_named_by_a_member(client, make_user):
    register(client)
    register(Client(), email="b@example.jp", username="second", display_name="経理 花子")
    second = User.objects.get(username="second")
    second.is_active = True
    second.save()
    c = Client()
    c.force_login(second)
    page = c.get("/accounts/organisation/").content.decode()
    assert "請求先担当者" in page and "松本 翔" in page
    # a member who merely registered with the company's name cannot take the invoices
    c.post("/accounts/organisation/", {"contact": second.pk})
    org = Organisation.objects.get(name="肥後精密工業株式会社")
    assert org.billing_contact.username == "matsumoto"
    # the billing contact hands it over
    first = User.objects.get(username="matsumoto")
    first.is_active = True
    first.save()
    c.force_login(first)
    c.post("/accounts/organisation/", {"contact": second.pk})
    assert Organisation.objects.get(name="肥後精密工業株式会社").billing_contact == second
    outsider = make_user("equipment_user")
    c.force_login(outsider)
    assert c.get("/accounts/organisation/").status_code == 404
