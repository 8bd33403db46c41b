"""The profile page lists one's API tokens, makes new ones and revokes them (issue 17 item 4)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from kyoten.core.models import ApiToken

pytestmark = pytest.mark.django_db


def test_profile_makes_lists_and_revokes_tokens(make_user):
    user = make_user("reviewer")
    c = Client()
    c.force_login(user)
    page = c.get("/accounts/profile/").content.decode()
    assert "API トークン" in page and "トークンはありません" in page

    made = c.post("/accounts/profile/", {"form": "token"})
    assert made.status_code == 200
    body = made.content.decode()
    record = ApiToken.objects.get(user=user)
    key = body.split('<code id="new-token">')[1].split("</code>")[0]
    assert ApiToken.hash(key) == record.key_hash
    assert "今だけ表示" in body
    # The key is on that answer only: the list shows its first characters.
    again = c.get("/accounts/profile/").content.decode()
    assert key not in again and record.prefix in again and "使用中" in again
    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 200

    revoked = c.post(f"/accounts/tokens/{record.pk}/revoke/")
    assert revoked.status_code == 302 and revoked["Location"].endswith("/accounts/profile/#tokens")
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert "取消" in c.get("/accounts/profile/").content.decode()
    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 401


def test_expired_tokens_are_marked(make_user):
    user = make_user("reviewer")
    ApiToken.issue(user)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(days=1))
    c = Client()
    c.force_login(user)
    page = c.get("/accounts/profile/").content.decode()
    assert "期限切れ" in page and "取り消す" not in page


def test_someone_elses_token_is_404_and_untouched(make_user):
    owner = make_user("reviewer")
    ApiToken.issue(owner)
    record = ApiToken.objects.get()
    other = Client()
    other.force_login(make_user("officer"))
    assert other.post(f"/accounts/tokens/{record.pk}/revoke/").status_code == 404
    record.refresh_from_db()
    assert record.revoked_at is None
    assert record.prefix not in other.get("/accounts/profile/").content.decode()


def test_revoke_is_a_post(make_user):
    user = make_user("reviewer")
    ApiToken.issue(user)
    c = Client()
    c.force_login(user)
    assert c.get(f"/accounts/tokens/{ApiToken.objects.get().pk}/revoke/").status_code == 405
