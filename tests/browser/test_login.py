import pytest

# Transactional: the live server reads the database from its own thread. The root conftest
# loads the reference data again where an earlier transactional test's flush removed it.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_log_in_and_see_the_home_page(page, live_server, make_user):
    make_user("officer", username="okada", display_name="岡田 亮")
    page.goto(live_server.url + "/login/")
    page.get_by_label("ユーザー名").fill("okada")
    page.get_by_label("パスワード").fill("pw")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "ようこそ、岡田 亮 さん"
    assert page.get_by_role("heading", name="次にすること").is_visible()
