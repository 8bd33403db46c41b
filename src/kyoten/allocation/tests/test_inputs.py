"""Bad input for `kyoten allocate`: one line per problem, each naming the field."""

from __future__ import annotations

import pytest

from kyoten.allocation.inputs import InputErrors, load_json_text, parse_problem
from kyoten.allocation.solver import Option, Problem, Proposal


def good() -> dict:
    return {
        "budget_yen": 69_500_000_000,
        "cap_yen": 3_000_000_000,
        "min_score": 60,
        "proposals": [
            {
                "id": "P13",
                "prefectures": ["13"],
                "score": 82.5,
                "options": [
                    {"label": "full", "amount_yen": 2_800_000_000, "value": 82.5},
                    {"label": "reduced", "amount_yen": 1_900_000_000, "value": 70.0},
                ],
            },
            {"id": "P01", "prefectures": ["01"], "score": 75.0, "requested_yen": 1_500_000_000},
        ],
        "max_per_block": {"kanto": 4},
    }


def errors_of(doc: object) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        parse_problem(doc)
    return caught.value.errors


def test_a_good_document_becomes_a_problem():
    assert parse_problem(good()) == Problem(
        budget_yen=69_500_000_000,
        cap_yen=3_000_000_000,
        min_score=60.0,
        proposals=(
            Proposal(
                id="P13",
                prefectures=("13",),
                block="kanto",
                score=82.5,
                options=(
                    Option(label="full", amount_yen=2_800_000_000, value=82.5),
                    Option(label="reduced", amount_yen=1_900_000_000, value=70.0),
                ),
                index=0,
            ),
            Proposal(
                id="P01",
                prefectures=("01",),
                block="hokkaido",
                score=75.0,
                options=(Option(label="full", amount_yen=1_500_000_000, value=75.0),),
                index=1,
            ),
        ),
        min_per_block={},
        max_per_block={"kanto": 4},
    )


def test_cap_defaults_to_the_program_cap_and_value_to_the_score():
    doc = good()
    del doc["cap_yen"]
    del doc["proposals"][0]["options"][1]["value"]
    problem = parse_problem(doc)
    assert problem.cap_yen == 3_000_000_000
    assert problem.proposals[0].options[1].value == 82.5


def test_not_json():
    with pytest.raises(InputErrors) as caught:
        load_json_text('{"budget_yen": 1,', source="in.json")
    assert caught.value.errors == [
        "in.json: not valid JSON (line 1 column 18: Expecting property name enclosed in double quotes)"
    ]
    with pytest.raises(InputErrors) as caught:
        load_json_text('{"budget_yen": NaN}', source="in.json")
    assert caught.value.errors == ["in.json: not valid JSON (NaN is not a number JSON allows)"]


def test_not_an_object():
    assert errors_of([1, 2]) == ["(document): must be a JSON object with budget_yen and proposals"]


def test_missing_budget():
    doc = good()
    del doc["budget_yen"]
    assert errors_of(doc) == ["budget_yen: required (an integer number of yen)"]


@pytest.mark.parametrize("bad", [69.5e9, -1, "69500000000", True, None])
def test_budget_must_be_integer_yen(bad):
    doc = good()
    doc["budget_yen"] = bad
    assert errors_of(doc) == ["budget_yen: must be a non-negative integer number of yen"]


@pytest.mark.parametrize("bad", [2.8e9, -2_800_000_000, "2800000000", 0, True, None])
def test_option_amount_must_be_positive_integer_yen(bad):
    doc = good()
    doc["proposals"][0]["options"][0]["amount_yen"] = bad
    assert errors_of(doc) == [
        "proposals[0].options[0].amount_yen: must be a positive integer number of yen"
    ]


@pytest.mark.parametrize("bad", [1.5e9, -5, "1500000000", False])
def test_requested_yen_must_be_positive_integer_yen(bad):
    doc = good()
    doc["proposals"][1]["requested_yen"] = bad
    assert errors_of(doc) == [
        "proposals[1].requested_yen: must be a positive integer number of yen"
    ]


def test_cap_must_be_integer_yen():
    doc = good()
    doc["cap_yen"] = 3e9
    assert errors_of(doc) == ["cap_yen: must be a positive integer number of yen"]


def test_duplicate_ids():
    doc = good()
    doc["proposals"][1]["id"] = "P13"
    assert errors_of(doc) == ["proposals[1].id: duplicate id 'P13' (also proposals[0].id)"]


def test_unknown_prefecture():
    doc = good()
    doc["proposals"][1]["prefectures"] = ["01", "48"]
    doc["proposals"][0]["prefectures"] = [13]
    assert errors_of(doc) == [
        "proposals[0].prefectures[0]: unknown prefecture code 13 (a two-digit JIS X 0401 code, 01 to 47)",
        "proposals[1].prefectures[1]: unknown prefecture code '48' (a two-digit JIS X 0401 code, 01 to 47)",
    ]


def test_missing_prefectures():
    doc = good()
    doc["proposals"][1]["prefectures"] = []
    assert errors_of(doc) == [
        "proposals[1].prefectures: must be a non-empty list of prefecture codes"
    ]


def test_unknown_block_key():
    doc = good()
    doc["max_per_block"] = {"kant": 4}
    doc["min_per_block"] = {"okinawa": 1, "kinki": -1}
    assert errors_of(doc) == [
        "min_per_block.okinawa: unknown regional block (one of hokkaido, tohoku, kanto, chubu,"
        " kinki, chugoku, shikoku, kyushu)",
        "min_per_block.kinki: must be a non-negative integer number of awards",
        "max_per_block.kant: unknown regional block (one of hokkaido, tohoku, kanto, chubu,"
        " kinki, chugoku, shikoku, kyushu)",
    ]


def test_option_above_the_cap():
    doc = good()
    doc["proposals"][0]["options"][0]["amount_yen"] = 3_100_000_000
    doc["proposals"][1]["requested_yen"] = 3_000_000_001
    assert errors_of(doc) == [
        "proposals[0].options[0].amount_yen: 3100000000 is above the cap (cap_yen 3000000000)",
        "proposals[1].requested_yen: 3000000001 is above the cap (cap_yen 3000000000)",
    ]


def test_missing_options_and_requested_yen():
    doc = good()
    del doc["proposals"][1]["requested_yen"]
    doc["proposals"][0]["options"] = []
    assert errors_of(doc) == [
        "proposals[0].options: must be a non-empty list of options",
        "proposals[1]: needs options or requested_yen",
    ]


@pytest.mark.parametrize("bad", ["82.5", None, True, [1]])
def test_score_must_be_a_number(bad):
    doc = good()
    doc["proposals"][1]["score"] = bad
    assert errors_of(doc) == ["proposals[1].score: must be a number"]


def test_missing_score():
    doc = good()
    del doc["proposals"][1]["score"]
    assert errors_of(doc) == ["proposals[1].score: must be a number"]


def test_option_value_and_label():
    doc = good()
    doc["proposals"][0]["options"][1]["value"] = "70"
    doc["proposals"][0]["options"][0]["label"] = ""
    assert errors_of(doc) == [
        "proposals[0].options[0].label: must be a non-empty string",
        "proposals[0].options[1].value: must be a number",
    ]


def test_duplicate_option_label():
    doc = good()
    doc["proposals"][0]["options"][1]["label"] = "full"
    assert errors_of(doc) == [
        "proposals[0].options[1].label: duplicate label 'full' (also options[0])"
    ]


def test_min_score_must_be_a_number():
    doc = good()
    doc["min_score"] = "60"
    assert errors_of(doc) == ["min_score: must be a number"]


def test_proposals_missing_or_wrong():
    doc = good()
    del doc["proposals"]
    assert errors_of(doc) == ["proposals: required (a list of proposals)"]
    doc["proposals"] = {"P01": {}}
    assert errors_of(doc) == ["proposals: must be a list of proposals"]
    doc["proposals"] = ["P01"]
    assert errors_of(doc) == ["proposals[0]: must be an object"]


def test_every_problem_is_reported_at_once():
    doc = good()
    doc["budget_yen"] = -1
    doc["proposals"][0]["id"] = 13
    doc["proposals"][1]["score"] = "high"
    assert errors_of(doc) == [
        "budget_yen: must be a non-negative integer number of yen",
        "proposals[0].id: must be a non-empty string",
        "proposals[1].score: must be a number",
    ]
