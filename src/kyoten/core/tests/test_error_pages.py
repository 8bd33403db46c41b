"""Error pages: the domain's errors become 404/403/400/409 on every page, in the site's layout,
in the reader's language, with a way home; the 500 page needs no database; the favicon is served."""

from __future__ import annotations

import re

import pytest
from django.urls import path
from django.utils import translation

from kyoten.core.errors import Conflict, DomainError, Forbidden, NotFound
from kyoten.urls import handler400, handler403, handler404, handler500  # noqa: F401
from kyoten.urls import urlpatterns as site_urlpatterns


def _raise(exc):
    def view(request):
        raise exc

    return view


urlpatterns = [
    *site_urlpatterns,
    path("boom/not-found/", _raise(NotFound("no such hub", field="hub"))),
    path("boom/forbidden/", _raise(Forbidden("only the chair may close the review"))),
    path("boom/refused/", _raise(DomainError("the amount is over the cap", rule="R-8"))),
    path("boom/conflict/", _raise(Conflict("the slot is taken"))),
    path("boom/crash/", _raise(RuntimeError("a bug"))),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture(autouse=True)
def _no_language_leak():
    yield
    translation.deactivate()


def _main(html: str) -> str:
    """The text of <main>, tags dropped and spaces squeezed."""
    main = re.search(r"<main id=\"main\">(.*)</main>", html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_not_found_from_a_service_is_a_404_in_the_layout_in_japanese(client):
    response = client.get("/boom/not-found/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="ja">' in html and 'class="brand"' in html  # the site's layout
    assert _main(html) == (
        "ページが見つかりません このページは存在しないか、閲覧する権限がありません。"
        "アドレスを確かめるか、別のアカウントでログインしてください。 ホームに戻る"
    )
    assert '<a class="button primary" href="/">' in html


def test_unknown_url_is_the_same_404_page_in_english(client):
    response = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert _main(html) == (
        "Page not found This page does not exist, or you may not see it. Check the address, "
        "or log in with another account. Back to the home page"
    )


def test_forbidden_is_a_403_with_the_services_reason(client):
    response = client.get("/boom/forbidden/")
    assert response.status_code == 403
    assert _main(response.content.decode()) == (
        "アクセスできません only the chair may close the review ホームに戻る"
    )


def test_a_views_permission_denied_is_the_same_403_page(client, make_user):
    client.force_login(make_user("equipment_user"))
    response = client.get("/calls/new/")
    assert response.status_code == 403
    assert _main(response.content.decode()) == (
        "アクセスできません 事業と公募を変更できるのはプログラムオフィサーだけです ホームに戻る"
    )


def test_a_refused_request_is_a_400_naming_the_rule(client):
    response = client.get("/boom/refused/")
    assert response.status_code == 400
    assert _main(response.content.decode()) == (
        "リクエストを受け付けられませんでした R-8: the amount is over the cap ホームに戻る"
    )


def test_a_conflict_is_a_409(client):
    response = client.get("/boom/conflict/")
    assert response.status_code == 409
    assert _main(response.content.decode()) == (
        "リクエストを受け付けられませんでした the slot is taken ホームに戻る"
    )


def test_server_error_page_is_simple_and_translated(client, django_assert_num_queries):
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get("/boom/crash/", HTTP_ACCEPT_LANGUAGE="ja")
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="ja">' in html
    assert _main(html) == (
        "サーバーエラー サーバー側で問題が発生しました。エラーは記録されています。"
        "しばらくしてからもう一度お試しください。 ホームに戻る"
    )
    en = client.get("/boom/crash/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Server error</h1>" in en and '<html lang="en">' in en


def test_unknown_api_path_answers_json_in_the_requests_language(client):
    response = client.get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response["Content-Type"], response.json()) == (
        404,
        "application/json",
        {"detail": "not found"},
    )
    assert client.get("/api/v1/no-such-thing").json() == {"detail": "見つかりません"}


def test_person_title_has_its_own_context():
    """The project catalogue's 役職 is a person's title only; other models' `title` fields
    (a call's, a hub's) are not translated as 役職."""
    from django.utils.translation import gettext, override, pgettext

    from kyoten.core.models import Person

    with override("ja"):
        assert str(Person._meta.get_field("title").verbose_name) == "役職"
        assert pgettext("person", "title") == "役職"
        field_name = "title"  # a variable: the catalogue test reads literal gettext calls
        assert gettext(field_name) != "役職"


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, "/static/kyoten/favicon.ico")
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
