"""The inbox and the outbox page their rows: the same number of queries at ~10 and ~100."""

from __future__ import annotations

import pytest

from kyoten.notices.enums import NoticeKind
from kyoten.notices.services import notify

pytestmark = pytest.mark.django_db


def _tell(user, n: int) -> None:
    for i in range(n):
        notify(recipients=[user], kind=NoticeKind.values[0], message=f"お知らせ {i}",
               url="/notices/")  # fmt: skip


def test_the_inbox_queries_do_not_grow_with_the_notices(client, make_user, queries_flat):
    person = make_user("reviewer", email="a@example.jp")
    client.force_login(person)
    _tell(person, 8)
    queries_flat("/notices/", lambda: _tell(person, 92))
    page = client.get("/notices/").content.decode()
    assert page.count('name="open"') <= 30  # a page of 30, the rest behind the pager


def test_the_outbox_queries_do_not_grow_with_the_mail(client, make_user, queries_flat):
    person = make_user("reviewer", email="a@example.jp")
    client.force_login(make_user("officer"))
    _tell(person, 8)
    queries_flat("/notices/outbox/", lambda: _tell(person, 92))
