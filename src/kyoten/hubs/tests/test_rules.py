import pytest

from kyoten.core.errors import Forbidden, NotFound
from kyoten.hubs.models import Hub
from kyoten.hubs.rules import can_edit_hub, is_hub_operator
from kyoten.hubs.selectors import get_hub_for, hubs_visible_to


@pytest.fixture
def two_hubs(db):
    a = Hub.objects.create(name="A", slug="a", lead_prefecture_id="40", form="new")
    b = Hub.objects.create(name="B", slug="b", lead_prefecture_id="13", form="equipment_only")
    return a, b


@pytest.mark.django_db
def test_operator_predicates(make_user, two_hubs):
    a, b = two_hubs
    own = make_user("operator")
    other = make_user("operator")
    officer = make_user("officer")
    observer = make_user("observer")
    outsider = make_user("public")
    a.operators.add(own)
    b.operators.add(other)
    assert [is_hub_operator(u, a) for u in (own, other, officer, observer, outsider)] == [
        True,
        False,
        False,
        False,
        False,
    ]
    assert [can_edit_hub(u, a) for u in (own, other, officer, observer, outsider)] == [
        True,
        False,
        True,
        False,
        False,
    ]
    assert [own.has_perm("hubs.change_hub", h) for h in (a, b)] == [True, False]


@pytest.mark.django_db
def test_checked_fetch(make_user, two_hubs):
    a, b = two_hubs
    own = make_user("operator")
    a.operators.add(own)
    observer = make_user("observer")
    assert list(hubs_visible_to(observer)) == [a, b]
    assert get_hub_for(observer, a.pk) == a
    assert get_hub_for(own, a.pk, write=True) == a
    with pytest.raises(Forbidden):
        get_hub_for(observer, a.pk, write=True)
    with pytest.raises(Forbidden):
        get_hub_for(own, b.pk, write=True)
    with pytest.raises(NotFound):
        get_hub_for(own, 999_999)
