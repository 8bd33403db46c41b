"""Structural checks of proposal documents: bad input names the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kyoten.proposals.document import Problem, load_document, parse_document

FIXTURES = Path(__file__).with_name("fixtures")


def valid() -> dict:
    return json.loads((FIXTURES / "valid.json").read_text(encoding="utf-8"))


def problems_of(**changes) -> list[Problem]:
    doc = valid()
    doc.update(changes)
    return parse_document(doc)[1]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"requested_yen": 2.5e9}, [("requested_yen", "must be a non-negative integer number of yen")]),
        ({"requested_yen": "2500000000"}, [("requested_yen", "must be a non-negative integer number of yen")]),
        ({"requested_yen": -1}, [("requested_yen", "must be a non-negative integer number of yen")]),
        ({"requested_yen": True}, [("requested_yen", "must be a non-negative integer number of yen")]),
        ({"lead_prefecture": "48"}, [("lead_prefecture", "unknown prefecture code '48' (JIS X 0401, 01 to 47)")]),
        ({"lead_prefecture": 14}, [("lead_prefecture", 'must be a prefecture code as a string (JIS X 0401, e.g. "13")')]),
        ({"prefectures": "14"}, [("prefectures", "must be an array")]),
        ({"prefectures": ["14", "99"]}, [("prefectures[1]", "unknown prefecture code '99' (JIS X 0401, 01 to 47)")]),
        ({"call_date": "2009-13-01"}, [("call_date", "must be a date written YYYY-MM-DD")]),
        ({"call_date": "1 August 2009"}, [("call_date", "must be a date written YYYY-MM-DD")]),
        ({"designated_city_consultations": [{"city": "横浜市", "date": "2009/07/20"}]},
         [("designated_city_consultations[0].date", "must be a date written YYYY-MM-DD")]),
        ({"operation_start_fy": "2011"}, [("operation_start_fy", "must be a fiscal year (an integer from 1900 to 2200)")]),
        ({"sections": {"purpose": 3}}, [("sections.purpose", "must be a string")]),
        ({"land": {"address": "x", "area_m2": -5, "provided_by": "prefecture"}}, [("land.area_m2", "must be a non-negative number")]),
        ({"goals": [{"kpi": "revenue_yen", "fiscal_year": 2013, "target": 1.5}]},
         [("goals[0].target", "must be a non-negative integer number of yen")]),
        ({"goals": [{"kpi": "companies_using", "target": 3}]}, [("goals[0].fiscal_year", "is required")]),
        ({"goals": [{"kpi": "companies_using", "fiscal_year": 2013}]}, []),
        ({"equipment_plan": [{"name": "x", "category": "y", "cost_yen": 1.0}]},
         [("equipment_plan[0].cost_yen", "must be a non-negative integer number of yen")]),
        ({"signatories": {"governor": "松沢"}}, [("signatories.governor", "must be an object")]),
        ({"form": 1}, [("form", "must be a string")]),
    ],
)  # fmt: skip
def test_bad_fields(changes, expected):
    assert [tuple(p) for p in problems_of(**changes)] == expected


def test_funding_plan_money():
    plan = valid()["funding_plan"]
    plan[3]["cost_yen"]["staff"] = 1.5
    plan[4]["revenue_yen"]["usage_fees"] = "100"
    plan[5]["jst_operating_yen"] = -3
    assert [tuple(p) for p in problems_of(funding_plan=plan)] == [
        ("funding_plan[3].cost_yen.staff", "must be a non-negative integer number of yen"),
        ("funding_plan[4].revenue_yen.usage_fees", "must be a non-negative integer number of yen"),
        ("funding_plan[5].jst_operating_yen", "must be a non-negative integer number of yen"),
    ]


def test_not_json_and_not_object():
    assert load_document("{")[1][0].field == "(document)"
    assert [tuple(p) for p in load_document("[1, 2]")[1]] == [
        ("(document)", "must be a JSON object")
    ]
    assert [tuple(p) for p in load_document(b"\xff\xfe")[1]] == [
        ("(document)", "is not UTF-8 text")
    ]
    assert [tuple(p) for p in load_document('{"requested_yen": NaN}')[1]][0][0] == "(document)"
