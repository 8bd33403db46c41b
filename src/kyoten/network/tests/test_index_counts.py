"""The network's counts come from one cached GROUP BY that every write to the index drops."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kyoten.network import selectors
from kyoten.network.search import index_object, unindex

pytestmark = pytest.mark.django_db


def test_counts_are_cached_and_follow_every_write():
    index_object("expert", 1, "材料の専門家", block="kanto", field="materials")
    assert selectors.index_counts() == [(True, "kanto", "expert", "materials", 1)]
    with CaptureQueriesContext(connection) as ctx:
        selectors.index_counts()
    assert ctx.captured_queries == []
    index_object("expert", 2, "医療の専門家", block="kanto", field="materials")
    assert selectors.index_counts() == [(True, "kanto", "expert", "materials", 2)]
    unindex("expert", 1)
    unindex("expert", 2)
    assert selectors.index_counts() == []
