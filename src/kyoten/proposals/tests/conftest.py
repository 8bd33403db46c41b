from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone

FIXTURES = Path(__file__).with_name("fixtures")


def valid_document(**changes) -> dict:
    doc = json.loads((FIXTURES / "valid.json").read_text(encoding="utf-8"))
    doc.update(changes)
    return doc


@pytest.fixture
def officer(make_user):
    return make_user("officer", username="officer")


@pytest.fixture
def open_call(officer):
    from kyoten.calls.models import Program
    from kyoten.calls.services import call_create

    now = timezone.now()
    return call_create(
        program=Program.objects.get(fiscal_year=2009),
        by=officer,
        code="test-open",
        title="テスト公募",
        opens_at=now - dt.timedelta(days=1),
        deadline=now + dt.timedelta(days=10),
        designated_city_reference_date=dt.date(2009, 8, 1),
    )


@pytest.fixture
def kanagawa(make_user):
    return make_user("applicant", username="pref-14", prefecture="14")


@pytest.fixture
def tokyo(make_user):
    return make_user("applicant", username="pref-13", prefecture="13")


@pytest.fixture(autouse=True)
def _typed_names_suffice(request):
    """The program default is that signatories confirm with their own login (R-3). The tests of
    other rules and flows submit without those logins; a test marked `signatures_by_login`
    keeps the default."""
    if request.node.get_closest_marker("signatures_by_login"):
        return
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    from kyoten.calls.models import Program

    Program.objects.filter(fiscal_year=2009).update(require_electronic_signatures=False)
