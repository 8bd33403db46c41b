"""A person makes an API token on their profile page, a program uses it, the person revokes it
(issue 17 item 4); the pages run under the Content-Security-Policy without a violation."""

import pytest
from django.test import Client

from tests.browser.helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_make_use_and_revoke_a_token(page, live_server, make_user):
    make_user("reviewer", username="suzuki", display_name="鈴木 花子")
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    log_in(page, live_server.url, "suzuki")
    page.goto(live_server.url + "/accounts/profile/#tokens")
    assert page.get_by_role("heading", name="API トークン").is_visible()
    assert page.get_by_text("API トークンはありません。").is_visible()

    page.get_by_role("button", name="新しいトークンを作る").click()
    key = page.locator("#new-token").inner_text().strip()
    assert len(key) > 30

    # A program: no session cookie, only the token (page.request would send the browser's cookie).
    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 200 and me.json()["username"] == "suzuki"

    page.goto(live_server.url + "/accounts/profile/#tokens")
    assert page.get_by_role("cell", name="使用中").is_visible()
    page.get_by_role("button", name="取り消す").click()
    page.wait_for_url(live_server.url + "/accounts/profile/#tokens")
    assert page.get_by_role("cell", name="取消").is_visible()

    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 401
    assert violations == []
