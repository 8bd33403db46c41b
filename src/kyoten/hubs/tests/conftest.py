import pytest

from kyoten.core.services import organisation_create
from kyoten.hubs.services import hub_create


@pytest.fixture
def officer(make_user):
    return make_user("officer")


@pytest.fixture
def orgs(db):
    return {
        "pref": organisation_create(name="福岡県", kind="prefecture", prefecture="40"),
        "univ": organisation_create(name="九州大学", kind="university", prefecture="40"),
        "company": organisation_create(name="株式会社博多精密", kind="company", prefecture="40"),
    }


@pytest.fixture
def hub(officer):
    return hub_create(
        by=officer,
        name="福岡県 先端材料評価拠点",
        lead_prefecture="40",
        form="new",
        award_yen=800_000_000,
        representative_name="福岡 太郎",
    )


@pytest.fixture
def people(make_user, hub, officer):
    """The hub's own operator, an operator of another hub, an outsider, an observer."""
    own = make_user("operator")
    hub.operators.add(own)
    other_hub = hub_create(by=officer, name="Other hub", lead_prefecture="13", form="new")
    other = make_user("operator")
    other_hub.operators.add(other)
    return {
        "officer": officer,
        "own": own,
        "other": other,
        "outsider": make_user("public"),
        "observer": make_user("observer"),
        "other_hub": other_hub,
    }
