import pytest

# serialized_rollback: every browser test restores the migrations' reference data (prefectures,
# the FY2009 program) and none re-creates content types on flush, so they may run in any order.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
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
