from __future__ import annotations

import re

import pytest


def link_in(message, path: str) -> str:
    """The first link of the site in an e-mail that starts with `path`, as a relative URL."""
    found = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]*)", message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture
def officer(make_user):
    return make_user("officer", username="officer", email="officer@example.jp")


@pytest.fixture
def review_committee(officer):
    import datetime as dt

    from kyoten.review.enums import CommitteeKind
    from kyoten.review.models import Committee

    return Committee.objects.create(
        kind=CommitteeKind.REVIEW, name="審査委員会 2026", term_start=dt.date(2026, 4, 1)
    )
