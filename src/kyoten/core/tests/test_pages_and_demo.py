import subprocess
import sys

import pytest
from django.core.management.base import CommandError

from kyoten.core.management.commands.demo import load_demo, port_free
from kyoten.core.models import SiteState, User

pytestmark = pytest.mark.django_db


def test_home_anonymous_offers_login(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/login/"' in response.content.decode()
    assert response.headers["Content-Language"] == "ja"


def test_login_then_home_greets_by_name(client, make_user):
    make_user("officer", username="okada", display_name="岡田 亮")
    response = client.post("/login/", {"username": "okada", "password": "pw"}, follow=True)
    page = response.content.decode()
    assert "岡田 亮" in page
    assert "ログアウト" in page or "Log out" in page


def test_language_switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert response.headers["Content-Language"] == "en"


def test_prefecture_page_lists_all(client):
    page = client.get("/prefectures/").content.decode()
    assert page.count("<tr>") == 48
    assert "相模原市 (2010年4月1日(木))" in page


def test_demo_refuses_a_database_with_other_data(make_user):
    make_user("officer")
    with pytest.raises(CommandError, match="not the demo's"):
        load_demo()
    assert not SiteState.objects.exists()


def test_demo_loads_every_login_once():
    assert load_demo() is True
    names = set(User.objects.values_list("username", flat=True))
    expected = {"officer", "chair", "committee", "operator", "sme", "observer"}
    expected |= {f"reviewer{i}" for i in range(1, 10)} | {f"pref-{i:02d}" for i in range(1, 48)}
    assert expected <= names
    assert User.objects.get(username="pref-13").prefecture_id == "13"
    assert User.objects.get(username="sme").organisation.is_sme
    assert load_demo() is False  # a second run keeps what is there


def test_port_in_use_is_detected():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        assert not port_free("127.0.0.1", sock.getsockname()[1])


@pytest.mark.parametrize(
    ("url", "fragment"),
    [("mysql://x/y", "unsupported or malformed"), ("sqlite://", "no SQLite file")],
)
def test_malformed_database_url_is_one_clear_line(url, fragment):
    result = subprocess.run(
        [sys.executable, "-m", "kyoten", "check"],
        capture_output=True,
        text=True,
        env={"KYOTEN_DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("kyoten: configuration error: KYOTEN_DATABASE_URL: ")
    assert fragment in line
