import datetime as dt

import pytest
from django.utils import translation

from kyoten.core.errors import Conflict, DomainError, Forbidden
from kyoten.hubs.models import Asset, AssetEvent, CommitteeMember, DevelopmentStage, Hub, Tenant
from kyoten.hubs.selectors import asset_totals, committee_warnings, hub_warnings
from kyoten.hubs.services import (
    asset_dispose,
    asset_register,
    asset_transfer,
    committee_member_add,
    hub_committee_set,
    hub_create,
    hub_stage_set,
    hub_update,
    incubation_room_add,
    tenant_add,
    tenant_graduate,
)


def _err(excinfo) -> tuple[str | None, str | None]:
    return excinfo.value.field, excinfo.value.rule


@pytest.mark.django_db
def test_hub_create_generates_slug_and_sets_prefectures(officer):
    hub = hub_create(by=officer, name="北海道 食品拠点", lead_prefecture="01", form="new")
    again = hub_create(by=officer, name="北海道 食品拠点2", lead_prefecture="01", form="new")
    assert (hub.slug, again.slug) == ("hokkaido-hub", "hokkaido-hub-2")
    assert [p.code for p in hub.prefectures.all()] == ["01"]


@pytest.mark.django_db
def test_hub_create_refuses_lead_outside_prefectures(officer):
    with pytest.raises(DomainError) as excinfo:
        hub_create(
            by=officer, name="x", lead_prefecture="01", prefectures=["02"], form="equipment_only"
        )
    assert _err(excinfo) == ("lead_prefecture", "R-2")
    assert Hub.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"award_yen": 1.5}, "award_yen"),
        ({"award_yen": "100"}, "award_yen"),
        ({"award_yen": -1}, "award_yen"),
        ({"award_yen": True}, "award_yen"),
        ({"form": "castle"}, "form"),
        ({"lead_prefecture": "48"}, "lead_prefecture"),
        ({"latitude": 91}, "latitude"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_hub_create_bad_input_names_the_field(officer, fields, field):
    base = {"name": "x", "lead_prefecture": "13", "form": "new"}
    with pytest.raises(DomainError) as excinfo:
        hub_create(by=officer, **(base | fields))
    assert excinfo.value.field == field
    assert Hub.objects.count() == 0


@pytest.mark.django_db
def test_only_officers_create(make_user):
    with pytest.raises(Forbidden):
        hub_create(by=make_user("operator"), name="x", lead_prefecture="13", form="new")


@pytest.mark.django_db
def test_operator_edits_only_what_is_theirs(hub, people):
    own = people["own"]
    hub_update(hub=hub, by=own, summary="材料評価の共用拠点", land_area_m2=3000)
    hub.refresh_from_db()
    assert (hub.summary, hub.land_area_m2) == ("材料評価の共用拠点", 3000)
    with pytest.raises(Forbidden) as excinfo:
        hub_update(hub=hub, by=own, summary="changed", award_yen=1)
    assert excinfo.value.field == "award_yen"
    hub.refresh_from_db()
    assert (hub.summary, hub.award_yen) == ("材料評価の共用拠点", 800_000_000)
    for who in ("other", "outsider", "observer"):
        with pytest.raises(Forbidden):
            hub_update(hub=hub, by=people[who], summary="x")


@pytest.mark.django_db
def test_stage_dates_out_of_order_save_nothing(hub, officer):
    with pytest.raises(DomainError) as excinfo:
        hub_stage_set(
            hub=hub,
            stage="design",
            by=officer,
            planned_start="2010-04-01",
            planned_end="2010-03-01",
        )
    assert excinfo.value.field == "planned_end"
    # The day as people write it, not ISO.
    assert excinfo.value.message == "2010年4月1日(木)より前にはできません（日付の順序が逆です）"
    with pytest.raises(DomainError) as excinfo:
        hub_stage_set(
            hub=hub,
            stage="design",
            by=officer,
            actual_start="2010-04-01",
            actual_end="2010-03-31",
        )
    assert excinfo.value.field == "actual_end"
    assert DevelopmentStage.objects.count() == 0


@pytest.mark.django_db
def test_stage_after_an_earlier_stage_and_delay(hub, officer):
    hub_stage_set(
        hub=hub,
        stage="design",
        by=officer,
        planned_start="2010-04-01",
        planned_end="2010-09-30",
        actual_start="2010-04-01",
        actual_end="2010-10-20",
        budget_yen=50_000_000,
        spent_yen=55_000_000,
    )
    with pytest.raises(DomainError) as excinfo:
        hub_stage_set(hub=hub, stage="tender", by=officer, planned_start="2010-01-01")
    assert excinfo.value.field == "planned_start"
    design = DevelopmentStage.objects.get()
    assert (design.delay_days(), design.overspent_yen) == (20, 5_000_000)
    codes = [w.code for w in hub_warnings(hub, today=dt.date(2011, 1, 1))]
    assert codes == [
        "stage_delayed",
        "stage_overspent",
        "committee_missing",
        "land_missing",
    ]


@pytest.mark.django_db
def test_asset_above_award_is_an_error(hub, officer):
    with pytest.raises(DomainError) as excinfo:
        asset_register(
            hub=hub,
            kind="building",
            name="研究棟",
            acquisition_cost_yen=800_000_001,
            acquired_on="2011-03-01",
            useful_life_years=47,
            by=officer,
        )
    assert _err(excinfo) == ("acquisition_cost_yen", "R-8")
    assert Asset.objects.count() == 0


@pytest.mark.django_db
def test_award_below_an_asset_is_refused(hub, officer):
    asset_register(
        hub=hub,
        kind="equipment",
        name="透過電子顕微鏡",
        acquisition_cost_yen=300_000_000,
        acquired_on="2011-03-01",
        useful_life_years=7,
        by=officer,
    )
    with pytest.raises(DomainError) as excinfo:
        hub_update(hub=hub, by=officer, award_yen=200_000_000, name="renamed")
    assert excinfo.value.field == "award_yen"
    hub.refresh_from_db()
    assert (hub.award_yen, hub.name) == (800_000_000, "福岡県 先端材料評価拠点")


@pytest.mark.django_db
def test_book_value_straight_line_and_totals(hub, officer):
    asset = asset_register(
        hub=hub,
        kind="equipment",
        name="X線回折装置",
        acquisition_cost_yen=100_000_000,
        acquired_on="2011-03-01",  # FY2010
        useful_life_years=3,
        by=officer,
    )
    assert [asset.book_value(fy) for fy in range(2009, 2015)] == [
        0,
        66_666_667,
        33_333_334,
        0,
        0,
        0,
    ]
    totals = asset_totals(hub, fy=2010)
    assert (totals.program_cost_yen, totals.book_value_yen, totals.count) == (
        100_000_000,
        66_666_667,
        1,
    )
    warnings = [w.as_dict() for w in hub_warnings(hub) if w.code == "assets_award_mismatch"]
    assert warnings == [
        {
            "code": "assets_award_mismatch",
            "message": "本事業で取得した資産の合計は¥100,000,000ですが、配分額は¥800,000,000です",
            "rule": None,
            "field": "assets",
        }
    ]


@pytest.mark.django_db
def test_transfer_and_disposal_keep_history(hub, people):
    officer, own = people["officer"], people["own"]
    asset = asset_register(
        hub=hub,
        kind="equipment",
        name="SEM",
        acquisition_cost_yen=50_000_000,
        acquired_on="2011-03-01",
        useful_life_years=5,
        location="1F 101",
        by=officer,
    )
    asset_transfer(asset=asset, to_location="2F 201", on="2012-05-01", by=own)
    with pytest.raises(Forbidden):
        asset_transfer(asset=asset, to_location="x", on="2012-06-01", by=people["other"])
    with pytest.raises(Forbidden):
        asset_transfer(
            asset=asset, to_location="x", on="2012-06-01", to_hub=people["other_hub"], by=own
        )
    with pytest.raises(DomainError) as excinfo:
        asset_transfer(asset=asset, to_location="3F", on="2012-04-01", by=own)
    assert excinfo.value.field == "on"
    asset_transfer(
        asset=asset, to_location="B1", on="2013-01-10", to_hub=people["other_hub"], by=officer
    )
    with pytest.raises(Forbidden):
        asset_dispose(asset=asset, on="2016-03-31", reason="故障", by=own)
    asset_dispose(asset=asset, on="2016-03-31", reason="故障", by=officer)
    with pytest.raises(Conflict):
        asset_dispose(asset=asset, on="2016-04-01", reason="again", by=officer)
    asset.refresh_from_db()
    assert (asset.hub_id, asset.location, asset.disposed_on) == (
        people["other_hub"].pk,
        "B1",
        dt.date(2016, 3, 31),
    )
    assert asset.book_value(2015) == 0
    events = list(
        AssetEvent.objects.order_by("id").values_list(
            "kind", "from_location", "to_location", "from_hub_id", "to_hub_id"
        )
    )
    assert events == [
        ("transfer", "1F 101", "2F 201", hub.pk, hub.pk),
        ("transfer", "2F 201", "B1", hub.pk, people["other_hub"].pk),
        ("disposal", "B1", "", people["other_hub"].pk, None),
    ]
    assert asset.history.count() == 4


@pytest.mark.django_db
def test_committee_member_needs_an_organisation(hub, officer, orgs):
    with pytest.raises(DomainError) as excinfo:
        committee_member_add(hub=hub, by=officer, name="山田 一郎", organisation=None)
    assert excinfo.value.field == "organisation"
    assert CommitteeMember.objects.count() == 0


@pytest.mark.django_db
def test_committee_set_is_all_or_nothing(hub, people, orgs):
    own = people["own"]
    hub_committee_set(
        hub=hub,
        by=own,
        members=[{"name": "福岡 太郎", "organisation": orgs["pref"].pk, "is_chair": True}],
    )
    bad = [
        {"name": "福岡 太郎", "organisation": orgs["pref"].pk, "is_chair": True},
        {"name": "九大 花子", "organisation": orgs["univ"].name},
        {"name": "無所属 次郎", "organisation": None},
    ]
    with pytest.raises(DomainError) as excinfo:
        hub_committee_set(hub=hub, by=own, members=bad)
    assert excinfo.value.field == "committee[2].organisation"
    assert list(hub.committee.values_list("name", flat=True)) == ["福岡 太郎"]
    with pytest.raises(DomainError) as excinfo:
        hub_committee_set(
            hub=hub,
            by=own,
            members=[
                {
                    "name": "a",
                    "organisation": orgs["univ"].pk,
                    "term_start": "2012-04-01",
                    "term_end": "2011-03-31",
                }
            ],
        )
    assert excinfo.value.field == "committee[0].term_end"
    with pytest.raises(Forbidden):
        hub_committee_set(hub=hub, by=people["other"], members=[])
    assert hub.committee.count() == 1


@pytest.mark.django_db
def test_committee_warnings_name_missing_sectors(hub, officer, orgs):
    committee_member_add(
        hub=hub, by=officer, name="福岡 太郎", organisation=orgs["pref"], is_chair=True
    )
    with translation.override("en"):
        messages = [w.message for w in committee_warnings(hub)]
    assert messages == [
        "no member from Industry",
        "no member from Academia",
    ]
    committee_member_add(hub=hub, by=officer, name="九大 花子", organisation=orgs["univ"])
    committee_member_add(hub=hub, by=officer, name="博多 三郎", organisation=orgs["company"])
    assert committee_warnings(hub) == []
    with pytest.raises(Conflict) as excinfo:
        committee_member_add(
            hub=hub, by=officer, name="x", organisation=orgs["univ"], is_chair=True
        )
    assert _err(excinfo) == ("is_chair", "R-12")


@pytest.mark.django_db
def test_tenant_dates_in_order_and_room_not_double_booked(hub, people):
    own = people["own"]
    room = incubation_room_add(hub=hub, by=own, name="IR-1", area_m2=40)
    with pytest.raises(DomainError) as excinfo:
        tenant_add(
            room=room, by=own, venture="A", entered_on="2012-04-01", graduated_on="2012-03-01"
        )
    assert excinfo.value.field == "graduated_on"
    tenant = tenant_add(room=room, by=own, venture="A", entered_on="2012-04-01")
    with pytest.raises(Conflict):
        tenant_add(room=room, by=own, venture="B", entered_on="2013-04-01")
    with pytest.raises(DomainError):
        tenant_graduate(tenant=tenant, on="2012-01-01", by=own)
    tenant_graduate(tenant=tenant, on="2014-03-31", by=own)
    tenant_add(room=room, by=own, venture="B", entered_on="2014-04-01")
    with pytest.raises(Forbidden):
        tenant_add(room=room, by=people["outsider"], venture="C", entered_on="2020-04-01")
    assert list(Tenant.objects.values_list("venture", "graduated_on")) == [
        ("A", dt.date(2014, 3, 31)),
        ("B", None),
    ]
