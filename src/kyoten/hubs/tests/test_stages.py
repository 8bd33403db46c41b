"""Stage moves follow one transition table with their evidence; the officer's check lists the
records that already contradict each other (issue 19 §5)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kyoten.core.errors import DomainError
from kyoten.hubs import selectors
from kyoten.hubs.services import asset_register, hub_create, hub_stage_set, hub_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user("officer")


def _hub(officer, **kw):
    fields = {"name": "福岡県 拠点", "lead_prefecture": "40", "form": "equipment_only",
              "award_yen": 800_000_000}  # fmt: skip
    fields.update(kw)
    return hub_create(by=officer, **fields)


def test_a_jump_from_design_to_operating_is_refused(officer):
    hub = _hub(officer)
    with pytest.raises(DomainError) as err:
        hub_update(hub=hub, by=officer, stage="operating")
    assert (err.value.field, err.value.rule, err.value.message) == (
        "stage",
        "hub-stage",
        "設計から移れるのは入札だけです（運用中には移れません）",
    )
    hub.refresh_from_db()
    assert hub.stage == "design"


def test_operating_needs_the_handover_date_assets_and_a_start_not_before_it(officer):
    hub = _hub(officer, stage="handover")
    fields = []
    for change in ({}, {"operation_start_fy": 2011}):
        with pytest.raises(DomainError) as err:
            hub_update(hub=hub, by=officer, stage="operating", **change)
        fields.append(err.value.field)
    hub_stage_set(hub=hub, stage="handover", by=officer, actual_start="2011-06-01",
                  actual_end="2011-07-15")  # fmt: skip
    with pytest.raises(DomainError) as err:
        hub_update(hub=hub, by=officer, stage="operating", operation_start_fy=2011)
    fields.append(err.value.field)
    asset_register(hub=hub, by=officer, name="X線回折装置", kind="equipment",
                   acquisition_cost_yen=80_000_000, acquired_on="2011-07-01", useful_life_years=8)  # fmt: skip
    with pytest.raises(DomainError) as err:
        hub_update(hub=hub, by=officer, stage="operating", operation_start_fy=2010)
    fields.append((err.value.field, err.value.message))
    assert fields == [
        "stages.handover.actual_end",
        "stages.handover.actual_end",
        "assets",
        (
            "operation_start_fy",
            "運用開始（2010年度 (平成22年度)）が引渡日 2011年7月15日(金) より前です",
        ),
    ]
    hub = hub_update(hub=hub, by=officer, stage="operating", operation_start_fy=2011)
    assert (hub.stage, hub.operation_start_fy) == ("operating", 2011)


def test_a_past_operation_start_is_refused_for_a_hub_still_in_design(officer):
    hub = _hub(officer)
    with pytest.raises(DomainError) as err:
        hub_update(hub=hub, by=officer, operation_start_fy=2011)
    assert (err.value.field, err.value.rule) == ("operation_start_fy", "hub-stage")
    future = timezone.localdate().year + 2
    assert hub_update(hub=hub, by=officer, operation_start_fy=future).operation_start_fy == future


def test_the_check_lists_existing_contradictions(client, officer, make_user):
    _hub(officer, name="設計のまま", operation_start_fy=2011)
    jumped = _hub(officer, name="飛び級", stage="operating", operation_start_fy=2011,
                  lead_prefecture="13")  # fmt: skip
    _hub(officer, name="計画どおり", operation_start_fy=2099)
    found = {h.name: [(w.code, w.field) for w in ws] for h, ws in selectors.contradictions(officer)}
    assert found == {
        "設計のまま": [("operation_start_passed", "operation_start_fy")],
        "飛び級": [
            ("stage_dates_missing", "stages.design.actual_start"),
            ("stage_dates_missing", "stages.tender.actual_start"),
            ("stage_dates_missing", "stages.handover.actual_start"),
            ("handover_missing", "stages.handover.actual_end"),
            ("assets_missing", "assets"),
        ],
    }
    client.force_login(officer)
    page = client.get("/hubs/checks/").content.decode()
    assert "設計のまま" in page and "運用開始（2011年度 (平成23年度)）を過ぎています" in page
    assert "計画どおり" not in page
    detail = client.get(f"/hubs/{jumped.pk}/").content.decode()
    assert "引渡日がないまま運用中になっています" in detail
    client.force_login(make_user("operator"))
    assert client.get("/hubs/checks/").status_code == 404
