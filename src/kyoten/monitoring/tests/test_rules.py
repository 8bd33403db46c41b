"""Each predicate with the hub's own people, a colleague elsewhere and an outsider."""

import datetime as dt

import pytest

from kyoten.monitoring import rules
from kyoten.monitoring.models import Advice

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, hub, operator, outsider_operator, officer, committee):
    return {
        "own": operator,
        "other": outsider_operator,
        "officer": officer,
        "committee": committee,
        "observer": make_user("observer"),
        "pref": make_user("applicant", prefecture="40"),
        "other_pref": make_user("applicant", prefecture="13"),
        "public": make_user("public"),
    }


def _who(predicate, people, obj):
    return sorted(name for name, user in people.items() if predicate.test(user, obj))


def test_view_monitoring(people, hub):
    assert _who(rules.can_view_monitoring, people, hub) == [
        "committee", "observer", "officer", "own", "pref",
    ]  # fmt: skip


def test_write_and_decide_reports(people, hub):
    assert _who(rules.can_write_report, people, hub) == ["officer", "own"]
    assert _who(rules.can_decide_report, people, hub) == ["officer"]
    assert _who(rules.can_edit_targets, people, hub) == ["officer"]


def test_advice_is_written_by_the_committee_and_answered_by_its_addressee(people, hub, committee):
    assert _who(rules.can_write_advice, people, None) == ["committee"]
    due = dt.date(2030, 1, 1)
    region = Advice(
        hub=hub, addressee="region", title="t", body="b", due_date=due, author=committee
    )
    jst = Advice(addressee="jst", title="t", body="b", due_date=due, author=committee)
    state = Advice(addressee="state", title="t", body="b", due_date=due, author=committee)
    assert _who(rules.can_respond_advice, people, region) == ["own", "pref"]
    assert _who(rules.can_respond_advice, people, jst) == ["officer"]
    assert _who(rules.can_respond_advice, people, state) == ["observer", "officer"]
    assert _who(rules.can_close_advice, people, region) == ["committee", "officer"]
    assert _who(rules.can_record_visit, people, hub) == ["committee", "officer"]
