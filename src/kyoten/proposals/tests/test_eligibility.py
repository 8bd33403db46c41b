"""The rules engine R-1 … R-9 on proposal documents: exact findings per violation."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from kyoten.calls.program import DEFAULT_PROGRAM, SECTION_LABELS_EN, SECTION_LABELS_JA
from kyoten.proposals.document import parse_document
from kyoten.proposals.eligibility import (
    Finding,
    check_document,
    check_documents,
    checklist,
    field_label,
)

FIXTURES = Path(__file__).with_name("fixtures")


def valid() -> dict:
    return json.loads((FIXTURES / "valid.json").read_text(encoding="utf-8"))


def check(raw: dict, settings=DEFAULT_PROGRAM) -> list[tuple[str, str, str]]:
    doc, problems = parse_document(raw)
    assert problems == []
    return [(f.rule, f.field, f.severity) for f in check_document(doc, settings)]


def test_valid_document_has_no_findings():
    assert check(valid()) == []


def test_parse_fills_missing_keys_with_none():
    doc, problems = parse_document({"title": "t"})
    assert problems == []
    assert doc["form"] is None and doc["funding_plan"] is None


def mutate(**changes) -> dict:
    """valid.json with `changes`; a consortium gets its partners' governors (R-3) unless the
    change names them."""
    doc = valid()
    doc.update(changes)
    if "partner_governors" not in changes:
        lead = doc.get("lead_prefecture")
        doc["partner_governors"] = {
            code: {"name": f"知事 {code}"}
            for code in doc.get("prefectures") or []
            if isinstance(code, str) and code != lead
        }
    return doc


def funding(start: int, years: int, jst: int = 0) -> list[dict]:
    return [
        {"fiscal_year": fy, "revenue_yen": {"prefecture": 1}, "cost_yen": {"staff": 1},
         "jst_operating_yen": jst}
        for fy in range(start, start + years)
    ]  # fmt: skip


CASES = {
    #
    "no prefectures": (mutate(prefectures=[]), [("R-2", "prefectures", "error")]),
    "lead not listed": (
        mutate(prefectures=["14", "13"], lead_prefecture="12"),
        [("R-2", "lead_prefecture", "error")],
    ),
    "no lead": (mutate(lead_prefecture=None), [("R-2", "lead_prefecture", "error")]),
    "neighbouring consortium by border": (mutate(prefectures=["14", "13"]), []),
    "consortium far apart is a warning": (
        mutate(prefectures=["14", "47"]),
        [("R-2", "prefectures", "warning")],
    ),
    "consortium connected through a middle member": (
        # 宮城(04, 東北) – 福島(07) – 茨城(08, 関東): 04 and 08 are not neighbours themselves.
        mutate(
            prefectures=["04", "07", "08"],
            lead_prefecture="04",
            designated_city_consultations=[{"city": "仙台市", "date": "2009-07-01"}],
        ),
        [],
    ),  # fmt: skip
    #
    "no governor": (
        mutate(signatories={**valid()["signatories"], "governor": None}),
        [("R-3", "signatories.governor", "error")],
    ),
    "industry without name": (
        mutate(
            signatories={**valid()["signatories"], "industry": {"name": " ", "organization": "x"}}
        ),
        [("R-3", "signatories.industry.name", "error")],
    ),
    "university head without organisation": (
        mutate(signatories={**valid()["signatories"], "university_head": {"name": "a"}}),
        [("R-3", "signatories.university_head.organization", "error")],
    ),
    "representative without reason": (
        mutate(representative="university_head", representative_reason="  "),
        [("R-3", "representative_reason", "error")],
    ),
    "representative with reason": (
        mutate(representative="industry", representative_reason="地域の事情により"),
        [],
    ),
    "representative not a signatory": (
        mutate(representative="mayor"),
        [("R-3", "representative", "error")],
    ),
    #
    "kawasaki not consulted": (
        mutate(designated_city_consultations=[{"city": "横浜市", "date": "2009-07-20"}]),
        [("R-4", "designated_city_consultations", "error")],
    ),
    "consultation without date": (
        mutate(
            designated_city_consultations=[
                {"city": "横浜市", "date": "2009-07-20"},
                {"city": "川崎市", "date": None},
            ]
        ),
        [("R-4", "designated_city_consultations", "error")],
    ),  # fmt: skip
    "sagamihara counts from 2010": (
        mutate(call_date="2010-05-01"),
        [("R-4", "designated_city_consultations", "error")],
    ),
    "okayama counts in 2009": (
        mutate(prefectures=["33"], lead_prefecture="33", designated_city_consultations=[]),
        [("R-4", "designated_city_consultations", "error")],
    ),
    "no designated city, nothing to consult": (
        mutate(prefectures=["19"], lead_prefecture="19", designated_city_consultations=None),
        [],
    ),
    #
    "empty section": (
        mutate(sections={**valid()["sections"], "positioning": ""}),
        [("R-5", "sections.positioning", "error")],
    ),
    "missing sections": (
        mutate(
            sections={
                k: v
                for k, v in valid()["sections"].items()
                if k not in {"purpose", "facility_plan"}
            }
        ),
        [("R-5", "sections.purpose", "error"), ("R-5", "sections.facility_plan", "error")],
    ),
    "land section not needed for equipment only": (
        mutate(
            form="equipment_only",
            land=None,
            sections={**valid()["sections"], "land": ""},
            existing_building={"name": "KSP", "address": "川崎市高津区坂戸3-2-1"},
        ),
        [],
    ),  # fmt: skip
    "building form without land": (mutate(land=None), [("R-5", "land", "error")]),
    "unknown kpi": (
        mutate(goals=[*valid()["goals"], {"kpi": "happiness", "fiscal_year": 2013, "target": 1}]),
        [("R-5", "goals[3].kpi", "error")],
    ),
    "no pdca": (mutate(pdca=[]), [("R-5", "pdca", "error")]),
    "goal without target": (
        mutate(goals=[*valid()["goals"], {"kpi": "patents_filed", "fiscal_year": 2014}]),
        [("R-5", "goals[3].target", "error")],
    ),
    "no title": (mutate(title=""), [("R-5", "title", "error")]),
    #
    "funding plan 9 years": (
        mutate(funding_plan=funding(2011, 9)),
        [("R-6", "funding_plan", "error")],
    ),
    "a year with no figures does not count": (
        mutate(
            funding_plan=[
                *funding(2011, 9),
                {"fiscal_year": 2020, "revenue_yen": {}, "cost_yen": {"personnel": 0}},
            ]
        ),
        [("R-6", "funding_plan", "error")],
    ),  # fmt: skip
    "funding plan starting before operation is fine": (mutate(funding_plan=funding(2009, 12)), []),
    "no near goal": (
        mutate(
            goals=[
                {"kpi": "companies_using", "fiscal_year": 2020, "target": 1},
                {"kpi": "companies_using", "fiscal_year": 2012, "target": 1},
            ]
        ),
        [("R-6", "goals", "error")],
    ),  # fmt: skip
    "year 5 goal counts as near": (
        mutate(
            goals=[
                {"kpi": "companies_using", "fiscal_year": 2015, "target": 1},
                {"kpi": "companies_using", "fiscal_year": 2020, "target": 1},
            ]
        ),
        [],
    ),  # fmt: skip
    "no goals at all": (mutate(goals=[]), [("R-6", "goals", "error"), ("R-6", "goals", "error")]),
    "no operation start": (
        mutate(operation_start_fy=None),
        [("R-6", "operation_start_fy", "error")],
    ),
    #
    "unknown form": (mutate(form="renovation"), [("R-7", "form", "error")]),
    "equipment only without building": (
        mutate(form="equipment_only"),
        [("R-7", "existing_building", "error")],
    ),
    #
    "over the cap": (mutate(requested_yen=3_000_000_001), [("R-8", "requested_yen", "error")]),
    "at the cap": (mutate(requested_yen=3_000_000_000), []),
    "zero requested": (mutate(requested_yen=0), [("R-8", "requested_yen", "error")]),
    "nothing requested": (mutate(requested_yen=None), [("R-8", "requested_yen", "error")]),
    #
    "jst pays operation": (
        mutate(
            funding_plan=funding(2011, 10, jst=0)[:3]
            + funding(2014, 7, jst=5_000_000)[:1]
            + funding(2015, 6)
        ),
        [("R-9", "funding_plan[3].jst_operating_yen", "error")],
    ),  # fmt: skip
    "jst as a revenue source": (
        mutate(
            funding_plan=[
                {**row, "revenue_yen": {"JST": 10}} if row["fiscal_year"] == 2012 else row
                for row in valid()["funding_plan"]
            ]
        ),
        [("R-9", "funding_plan[1].revenue_yen.JST", "error")],
    ),  # fmt: skip
    "land from jst": (
        mutate(land={**valid()["land"], "provided_by": "jst"}),
        [("R-9", "land.provided_by", "error")],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_rule_findings(name):
    raw, expected = CASES[name]
    assert check(raw) == expected


def test_allowed_forms_come_from_the_program():
    amended = DEFAULT_PROGRAM.with_changes(allowed_forms=("equipment_only",))
    assert check(valid(), amended) == [("R-7", "form", "error")]


def test_cap_comes_from_the_program():
    assert check(valid(), DEFAULT_PROGRAM.with_changes(cap_yen=900_000_000)) == [
        ("R-8", "requested_yen", "error")
    ]


def test_r1_across_documents():
    kanagawa, tokyo_kanagawa, shizuoka = valid(), mutate(prefectures=["13", "14"], lead_prefecture="13"), mutate(
        prefectures=["22"], lead_prefecture="22",
        designated_city_consultations=[{"city": "静岡市", "date": "2009-07-01"},
                                       {"city": "浜松市", "date": "2009-07-02"}])  # fmt: skip
    docs = [(name, parse_document(d)[0]) for name, d in
            [("a.json", kanagawa), ("b.json", tokyo_kanagawa), ("c.json", shizuoka)]]  # fmt: skip
    results = check_documents(docs)
    assert [[(f.rule, f.field) for f in fs] for fs in results] == [
        [("R-1", "prefectures")],
        [("R-1", "prefectures")],
        [],
    ]
    assert results[0][0] == Finding(
        "R-1",
        "prefectures",
        "次の都道府県が別の提案にも参加しています: 神奈川県（b.json）。1都道府県からの提案は1件です。",
        "a prefecture takes part in at most one proposal per call; also proposing: "
        "Kanagawa (14) in b.json",
        "error",
    )


def test_checklist_has_every_rule():
    doc = parse_document(mutate(requested_yen=0))[0]
    rows = checklist(check_document(doc))
    assert [(r["rule"], r["status"]) for r in rows] == [
        ("R-1", "ok"), ("R-2", "ok"), ("R-3", "ok"), ("R-4", "ok"), ("R-5", "ok"),
        ("R-6", "ok"), ("R-7", "ok"), ("R-8", "error"), ("R-9", "ok"),
    ]  # fmt: skip


def test_documents_are_not_changed_by_checking():
    raw = valid()
    doc = parse_document(raw)[0]
    before = copy.deepcopy(doc)
    check_document(doc)
    assert doc == before


def test_r3_a_consortium_needs_each_partner_governor():
    doc = mutate(prefectures=["14", "13", "19"], partner_governors={"13": {"name": "小池 百合子"}})
    assert check(doc) == [("R-3", "partner_governors.19", "error")]


def test_fiscal_years_and_days_in_messages_as_the_program_writes_them():
    doc, _problems = parse_document(mutate(funding_plan=funding(2011, 9, jst=1)))
    found = {(f.rule, f.field): (f.message_ja, f.message_en) for f in check_document(doc)}
    assert found[("R-6", "funding_plan")] == (
        "運営資金計画が運営開始後10年間（2011年度 (平成23年度)〜2020年度 (令和2年度)）を"
        "カバーしていません（不足: 2020年度 (令和2年度)）。",
        "the funding plan does not cover the first 10 fiscal years of operation "
        "(FY2011–FY2020); missing: FY2020",
    )
    assert found[("R-9", "funding_plan[0].jst_operating_yen")][0] == (
        "2011年度 (平成23年度)の運営費をJSTが負担する計画になっています。運営費は地域が負担します。"
    )


@pytest.mark.parametrize(
    "path, ja, en",
    [
        ("funding_plan[2].jst_operating_yen", "運営資金計画 › 3行目 › JSTが負担する運営費",
         "funding plan › row 3 › operating costs paid by JST"),
        ("funding_plan[0].revenue_yen.usage_fees", "運営資金計画 › 1行目 › 収入 › 利用料収入",
         "funding plan › row 1 › revenue › usage fees"),
        ("signatories.industry.organization", "署名者 › 産業界代表者 › 所属機関",
         "signatories › industry representative › organisation"),
        ("partner_governors.19", "連携都道府県の知事 › 山梨県",
         "governors of the partner prefectures › Yamanashi"),
        ("sections.activity_plan", "記載事項 › " + SECTION_LABELS_JA["activity_plan"],
         "sections › " + SECTION_LABELS_EN["activity_plan"]),
        ("requested_yen", "要求額", "amount requested"),
        ("goals[3].kpi", "目標 › 4行目 › 指標", "goals › row 4 › KPI"),
        # Issue 13 journeys: the R-8 category and plan findings, the R-3 login signatures and
        # the building's name were shown by their keys on Japanese pages.
        ("category", "選定区分", "selection category"),
        ("allocation_options[1].amount_yen", "代替案 › 2行目 › 金額",
         "alternative plans › row 2 › amount"),
        ("allocation_options[0].drops", "代替案 › 1行目 › 見送る内容",
         "alternative plans › row 1 › what it drops"),
        ("signatures.university_head", "署名 › 大学等の長",
         "signatures › head of the university or college"),
        ("existing_building.name", "既存の建物 › 名称", "existing building › name"),
        ("my_own_key", "my_own_key", "my_own_key"),
    ],
)  # fmt: skip
def test_finding_fields_in_words(path, ja, en):
    assert (field_label(path, language="ja"), field_label(path, language="en")) == (ja, en)
