"""The change history of a record (issue 17 item 8): officers see who changed what and when."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kyoten.core.history import changes_of, model_of


@pytest.fixture
def call(db):
    from kyoten.review.tests.conftest import make_call

    return make_call()


def test_changes_name_the_field_the_values_and_the_person(call, make_user, client):
    officer = make_user("officer", username="h-officer")
    call.title = "改めた公募名"
    call._change_reason = "誤記の訂正"
    call._history_user = officer
    call.save()
    changes = changes_of(model_of("calls.call"), call.pk)
    assert [c.kind for c in changes] == ["変更", "作成"]
    newest = changes[0]
    assert newest.who == officer
    assert newest.reason == "誤記の訂正"
    label = str(type(call)._meta.get_field("title").verbose_name)
    assert [f for f in newest.fields if f[0] == label][0][2] == "改めた公募名"


def test_only_officers_see_the_page_and_it_is_linked_from_the_record(call, make_user, client):
    url = reverse("history", args=["calls.call", call.pk])
    client.force_login(make_user("applicant", username="h-applicant", prefecture="13"))
    assert client.get(url).status_code == 404
    assert "history-link" not in client.get(reverse("calls:detail", args=[call.pk])).text
    client.force_login(make_user("officer", username="h-officer"))
    page = client.get(url)
    assert page.status_code == 200
    assert "変更履歴" in page.text
    assert url in client.get(reverse("calls:detail", args=[call.pk])).text


def test_unknown_models_and_records_are_not_found(call, make_user, client):
    client.force_login(make_user("officer", username="h-officer"))
    assert client.get(reverse("history", args=["calls.nothing", 1])).status_code == 404
    assert client.get(reverse("history", args=["core.prefecture", 1])).status_code == 404
    assert client.get(reverse("history", args=["calls.call", 999999])).status_code == 404
