"""The allocation index pages its calls: the same number of queries at ~10 and ~100 calls."""

from __future__ import annotations

import pytest

from kyoten.calls.tests.test_list_queries import _calls

pytestmark = pytest.mark.django_db


def test_the_allocation_index_queries_do_not_grow_with_the_calls(client, make_user, queries_flat):
    client.force_login(make_user("officer"))
    _calls(0, 10)
    queries_flat("/allocation/", lambda: _calls(10, 90))
    assert 'rel="next"' in client.get("/allocation/").content.decode()
