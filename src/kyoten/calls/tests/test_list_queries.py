"""The call list pages its calls: the same number of queries at ~10 and ~100 calls."""

from __future__ import annotations

import datetime as dt

import pytest

from kyoten.calls.models import Call, Program

pytestmark = pytest.mark.django_db


def _calls(start: int, n: int) -> None:
    program = Program.objects.get(fiscal_year=2009)
    Call.objects.bulk_create(
        Call(program=program, code=f"call-{i}", title=f"公募 {i}", status="open",
             opens_at=dt.datetime(2009, 7, 31, tzinfo=dt.UTC) + dt.timedelta(days=i),
             deadline=dt.datetime(2009, 8, 20, 8, tzinfo=dt.UTC) + dt.timedelta(days=i),
             budget_yen=1_000_000_000, cap_yen=500_000_000, allowed_forms=["new"],
             designated_city_reference_date=dt.date(2009, 7, 31))
        for i in range(start, start + n)
    )  # fmt: skip


@pytest.mark.parametrize("role", ["officer", "public"])
def test_the_call_list_queries_do_not_grow_with_the_calls(client, make_user, queries_flat, role):
    client.force_login(make_user(role))
    _calls(0, 10)
    queries_flat("/calls/", lambda: _calls(10, 90))
    page = client.get("/calls/").content.decode()
    assert page.count("/calls/") >= 20 and 'rel="next"' in page  # 20 a page, then the pager
    assert "公募 99" in page and "公募 79" not in page  # newest first
