"""Allocation runs as records, adoption (採択) and publication."""

from __future__ import annotations

import pytest

from kyoten.allocation import selectors, services
from kyoten.allocation.models import AllocationDecision
from kyoten.core.errors import DomainError, Forbidden

from .conftest import OKU


def key(p) -> str:
    return services.proposal_key(p.pk)


@pytest.mark.django_db
def test_build_inputs_from_the_call(world):
    doc, mapping = services.build_inputs(call=world["call"], params={}, scores=world["scores"])
    tokyo, osaka, hokkaido = world["tokyo"], world["osaka"], world["hokkaido"]
    assert doc == {
        "budget_yen": 50 * OKU,
        "cap_yen": 30 * OKU,
        "proposals": [
            {
                "id": key(tokyo),
                "title": "東京 医療機器",
                "prefectures": ["13"],
                "score": 90.0,
                "options": [
                    {"label": "full", "amount_yen": 30 * OKU, "value": 90.0},
                    {"label": "reduced", "amount_yen": 20 * OKU, "value": 60.0},
                ],
            },
            {
                "id": key(osaka),
                "title": "大阪 電池",
                "prefectures": ["27", "26"],
                "score": 80.0,
                "requested_yen": 25 * OKU,
            },
            {
                "id": key(hokkaido),
                "title": "北海道 食品",
                "prefectures": ["01"],
                "score": 50.0,
                "requested_yen": 10 * OKU,
            },
        ],
    }
    assert mapping == {key(tokyo): tokyo.pk, key(osaka): osaka.pk, key(hokkaido): hokkaido.pk}


@pytest.mark.django_db
def test_run_is_recorded_with_hash_solver_and_result(world):
    run = services.allocation_run(
        call=world["call"], params={}, by=world["officer"], scores=world["scores"], label="A"
    )
    tokyo, osaka, hokkaido = world["tokyo"], world["osaka"], world["hokkaido"]
    # 50億: Tokyo reduced + Osaka (45億) and Tokyo full + Hokkaido (40億) are both worth 140;
    # the smaller total wins.
    assert run.result["awards"] == [
        {"id": key(tokyo), "option": "full", "amount_yen": 30 * OKU},
        {"id": key(hokkaido), "option": "full", "amount_yen": 10 * OKU},
    ]
    assert (run.status, run.objective, run.total_yen, run.money_left_yen) == (
        "optimal",
        140.0,
        40 * OKU,
        10 * OKU,
    )
    assert run.inputs_sha256 == services.inputs_sha256(run.inputs)
    assert len(run.inputs_sha256) == 64
    assert (run.solver_name, run.run_by, run.label) == ("HiGHS", world["officer"], "A")
    assert run.result["unfunded"][0]["id"] == key(osaka)
    again = services.allocation_run(
        call=world["call"], params={}, by=world["officer"], scores=world["scores"]
    )
    assert again.inputs_sha256 == run.inputs_sha256


@pytest.mark.django_db
def test_what_if_parameters(world):
    run = services.allocation_run(
        call=world["call"],
        params={"budget_yen": 60 * OKU, "min_score": 60, "max_per_block": {"kinki": 0}},
        by=world["officer"],
        scores=world["scores"],
    )
    assert [a["option"] for a in run.result["awards"]] == ["full"]
    assert (run.budget_yen, run.min_score, run.max_per_block) == (60 * OKU, 60.0, {"kinki": 0})
    reasons = [u["reason"] for u in run.result["unfunded"]]
    assert reasons == [
        "block limit: kinki already has 0 award(s), max_per_block.kinki = 0",
        "below min_score: score 50.0 is less than 60.0",
    ]


@pytest.mark.django_db
def test_bad_parameters_name_the_field(world):
    with pytest.raises(DomainError) as caught:
        services.allocation_run(
            call=world["call"],
            params={"budget_yen": -1},
            by=world["officer"],
            scores=world["scores"],
        )
    assert (caught.value.field, caught.value.message) == (
        "budget_yen",
        "budget_yen: must be a non-negative integer number of yen",
    )
    with pytest.raises(DomainError) as caught:
        services.allocation_run(
            call=world["call"], params={"budget": 1}, by=world["officer"], scores={}
        )
    assert caught.value.field == "budget"


@pytest.mark.django_db
def test_only_officer_and_committees_run(world, make_user):
    for role in ("applicant", "reviewer", "observer"):
        with pytest.raises(Forbidden):
            services.allocation_run(
                call=world["call"],
                params={},
                by=make_user(role, prefecture="13" if role == "applicant" else None),
                scores=world["scores"],
            )
    for role in ("committee", "chair"):
        run = services.allocation_run(
            call=world["call"], params={}, by=make_user(role), scores=world["scores"]
        )
        assert run.status == "optimal"


@pytest.mark.django_db
def test_adopt_moves_proposals_on_and_publish(world, make_user):
    run = services.allocation_run(
        call=world["call"], params={}, by=world["officer"], scores=world["scores"]
    )
    with pytest.raises(Forbidden):
        services.allocation_adopt(run=run, by=make_user("committee"))
    decision = services.allocation_adopt(run=run, by=world["officer"])
    statuses = {
        name: type(world[name]).objects.get(pk=world[name].pk).status
        for name in ("tokyo", "osaka", "hokkaido", "returned")
    }
    assert statuses == {
        "tokyo": "adopted",
        "osaka": "not_adopted",
        "hokkaido": "adopted",
        "returned": "returned",
    }
    assert (decision.run, decision.adopted_by, decision.published) == (run, world["officer"], False)
    assert selectors.decision_for(world["call"]) == decision
    services.allocation_publish(decision=decision, by=world["officer"])
    assert AllocationDecision.objects.get(pk=decision.pk).published is True

    # another run replaces the decision
    other = services.allocation_run(
        call=world["call"],
        params={"budget_yen": 55 * OKU},
        by=world["officer"],
        scores=world["scores"],
    )
    services.allocation_adopt(run=other, by=world["officer"])
    assert AllocationDecision.objects.get(call=world["call"]).run == other
    assert AllocationDecision.history.count() >= 2


@pytest.mark.django_db
def test_infeasible_run_cannot_be_adopted(world):
    run = services.allocation_run(
        call=world["call"],
        params={"min_per_block": {"shikoku": 1}},
        by=world["officer"],
        scores=world["scores"],
    )
    assert run.status == "infeasible"
    assert run.result["awards"] == []
    with pytest.raises(DomainError) as caught:
        services.allocation_adopt(run=run, by=world["officer"])
    assert caught.value.message == "実行不能な配分は採択できません"


@pytest.mark.django_db
def test_visibility(world, make_user):
    run = services.allocation_run(
        call=world["call"], params={}, by=world["officer"], scores=world["scores"]
    )
    observer = make_user("observer")
    assert list(selectors.runs_visible_to(make_user("committee"))) == [run]
    assert list(selectors.runs_visible_to(observer)) == []
    assert list(selectors.runs_visible_to(make_user("applicant", prefecture="13"))) == []
    decision = services.allocation_adopt(run=run, by=world["officer"])
    assert list(selectors.runs_visible_to(observer)) == []
    services.allocation_publish(decision=decision, by=world["officer"])
    assert list(selectors.runs_visible_to(observer)) == [run]


@pytest.mark.django_db
def test_explain_and_compare(world):
    a = services.allocation_run(
        call=world["call"], params={}, by=world["officer"], scores=world["scores"]
    )
    b = services.allocation_run(
        call=world["call"],
        params={"budget_yen": 25 * OKU},
        by=world["officer"],
        scores=world["scores"],
    )
    data = selectors.explain(a)
    assert [(f.title, f.option, f.amount_yen, f.prefecture) for f in data["funded"]] == [
        ("東京 医療機器", "full", 30 * OKU, "東京都"),
        ("北海道 食品", "full", 10 * OKU, "北海道"),
    ]
    assert data["money_left_yen"] == 10 * OKU
    assert {b_["key"]: b_["amount_yen"] for b_ in data["blocks"] if b_["amount_yen"]} == {
        "hokkaido": 10 * OKU,
        "kanto": 30 * OKU,
    }
    rows = selectors.compare(a, b)
    assert [(r["title"], r["delta_yen"]) for r in rows] == [
        ("東京 医療機器", -30 * OKU),
        ("大阪 電池", 25 * OKU),
        ("北海道 食品", -10 * OKU),
    ]


@pytest.mark.django_db
def test_category_reservations_and_adoption_keep_the_category(world):
    type(world["hokkaido"]).objects.filter(pk=world["hokkaido"].pk).update(category="基盤")
    run = services.allocation_run(
        call=world["call"],
        params={"min_per_category": {"基盤": 1}, "min_yen_per_category": {"基盤": 10 * OKU}},
        by=world["officer"],
        scores=world["scores"],
    )
    assert run.category_reservations == {
        "min_per_category": {"基盤": 1},
        "min_yen_per_category": {"基盤": 10 * OKU},
    }
    assert run.result["categories"] == {"基盤": {"awards": 1, "amount_yen": 10 * OKU}}
    services.allocation_adopt(run=run, by=world["officer"])
    hokkaido = type(world["hokkaido"]).objects.get(pk=world["hokkaido"].pk)
    assert (hokkaido.status, hokkaido.category) == ("adopted", "基盤")


def test_run_sheet_writes_a_hostile_title_as_text(world):
    import io

    from openpyxl import load_workbook

    from kyoten.allocation.exports import run_xlsx

    hostile = '=HYPERLINK("https://evil.example","詳細")'
    world["tokyo"].title = hostile
    world["tokyo"].save(update_fields=["title"])
    world["call"].title = "@SUM(1)"
    world["call"].save(update_fields=["title"])
    run = services.allocation_run(
        call=world["call"], params={}, by=world["officer"], scores=world["scores"]
    )
    wb = load_workbook(io.BytesIO(run_xlsx(run)))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert [
        (c.value, c.data_type, c.quotePrefix) for c in cells if c.value in {hostile, "@SUM(1)"}
    ] == [
        ("@SUM(1)", "s", True),
        (hostile, "s", True),
    ]
    assert not [c for c in cells if c.data_type == "f"]
    amounts = [c.value for c in cells if c.column_letter == "G" and c.row > 1 and c.value]
    assert amounts and all(isinstance(v, int) for v in amounts)
