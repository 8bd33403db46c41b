import datetime as dt

import pytest

from kyoten.core import reference
from kyoten.core.models import DesignatedCity, Prefecture


def test_47_prefectures_in_eight_blocks():
    prefs = reference.prefectures()
    assert len(prefs) == 47
    assert list(prefs)[:3] == ["01", "02", "03"]
    assert {p.block for p in prefs.values()} == set(reference.BLOCKS)
    assert prefs["47"].block == "kyushu"
    assert [c for c, p in prefs.items() if p.block == "shikoku"] == ["36", "37", "38", "39"]


def test_iwate_borders_aomori_akita_miyagi():
    assert reference.prefectures()["03"].land_borders == {"02", "04", "05"}


def test_borders_are_symmetric():
    prefs = reference.prefectures()
    for code, p in prefs.items():
        for other in p.land_borders:
            assert code in prefs[other].land_borders, (code, other)


@pytest.mark.parametrize(
    ("city", "since"),
    [("相模原市", "2010-04-01"), ("岡山市", "2009-04-01"), ("熊本市", "2012-04-01")],
)
def test_designated_city_dates(city, since):
    [fact] = [c for c in reference.designated_cities() if c.name_ja == city]
    assert fact.since == dt.date.fromisoformat(since)


def test_designated_cities_as_of_a_call_date():
    names = lambda code, day: [c.name_ja for c in reference.designated_cities_in(code, as_of=day)]  # noqa: E731
    assert names("14", dt.date(2009, 8, 1)) == ["横浜市", "川崎市"]
    assert names("14", dt.date(2010, 4, 1)) == ["横浜市", "川崎市", "相模原市"]
    assert names("33", dt.date(2009, 3, 31)) == []
    assert names("33", dt.date(2009, 4, 1)) == ["岡山市"]
    assert names("43", dt.date(2011, 6, 1)) == []


def test_neighbours_by_border_or_block():
    assert reference.are_neighbours("03", "02")  # border
    assert reference.are_neighbours("02", "07")  # same block (tohoku), no border
    assert reference.are_neighbours("07", "15")  # border across blocks (tohoku-chubu)
    assert not reference.are_neighbours("01", "47")


@pytest.mark.django_db
def test_migration_loads_reference_tables():
    assert Prefecture.objects.count() == 47
    iwate = Prefecture.objects.get(code="03")
    assert sorted(b.code for b in iwate.borders.all()) == ["02", "04", "05"]
    assert DesignatedCity.objects.count() == 20
    assert DesignatedCity.objects.get(name_ja="相模原市").since == dt.date(2010, 4, 1)
