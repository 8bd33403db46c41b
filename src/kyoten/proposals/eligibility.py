"""The rules engine: R-1 … R-9 of SPEC §3, one small function per rule.

Every function takes a proposal document (the dict of SPEC §4's proposal file, as returned by
`kyoten.proposals.document.parse_document`) and the program settings, and returns a list of
`Finding`s. The web forms, the API and `kyoten validate` all call `check_document` /
`check_documents`; nothing else re-implements a rule.

Decisions where SPEC §3 leaves room (also in docs/proposals.md):

- R-1 is the only rule that looks at several documents: each document whose listed
  prefectures overlap another document's gets one R-1 finding naming the shared prefectures.
  A lead that is not listed is an R-2 error only (it does not count for R-1 or R-4).
- R-2 consortium of three or more: it counts as neighbouring when the prefectures are
  *connected* under the neighbour relation (land border or same regional block), i.e. every
  member can be reached from every other through neighbouring members (東北 + 関東 + 中部 via
  borders is fine; 北海道 + 沖縄 is not). Not neighbouring is a warning, never an error.
- R-3: a signatory counts when a name is given; the university head and the industry
  representative also need their organisation. The representative defaults to the governor.
- R-4 uses the call date of the document (`call_date`), or the program's reference date when
  the document has none; a city counts from the day it became a designated city.
- R-5 checks the ten section texts (⑧ land only when the form builds), the land record when
  the form builds, the KPI of every goal, and that the PDCA plan and the equipment plan are
  not empty. Goal *years* and funding-plan *years* are R-6.
- R-9: land provided by JST or the state, or with no provider, fails; so does any operating
  money from JST (`jst_operating_yen` > 0, or a revenue source named JST).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from kyoten.calls.program import (
    BUILDING_FORMS,
    DEFAULT_PROGRAM,
    FORMS,
    SECTION_LABELS_EN,
    SECTION_LABELS_JA,
    SECTION_NUMBERS,
    ProgramSettings,
)
from kyoten.core.dates import format_day
from kyoten.core.fiscal import fy_label, program_year
from kyoten.core.money import format_yen
from kyoten.core.reference import are_neighbours, designated_cities_in, is_prefecture, prefectures

ERROR = "error"
WARNING = "warning"
RULE_IDS: tuple[str, ...] = tuple(f"R-{n}" for n in range(1, 10))
RULE_TITLES: dict[str, tuple[str, str]] = {
    "R-1": ("1都道府県1提案", "one proposal per prefecture"),
    "R-2": ("広域連携", "consortium"),
    "R-3": ("連名・代表者", "signatories"),
    "R-4": ("政令指定都市との事前協議", "designated cities"),
    "R-5": ("提案に必要な内容", "required contents"),
    "R-6": ("10年間の見通し", "horizon"),
    "R-7": ("整備の形態", "forms"),
    "R-8": ("整備の規模", "scale"),
    "R-9": ("地域とJSTの役割分担", "responsibilities"),
}
SIGNATORY_LABELS = {
    "governor": ("都道府県知事", "governor"),
    "university_head": ("大学等の長", "head of the university or college"),
    "industry": ("産業界代表者", "industry representative"),
}
REGION_NOT_PROVIDERS = frozenset(
    {"jst", "state", "national", "national_government", "government", "country", "国", "mext"}
)


@dataclass(frozen=True)
class Finding:
    rule: str
    field: str
    message_ja: str
    message_en: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def message(self, language: str = "en") -> str:
        return self.message_ja if language.startswith("ja") else self.message_en

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _err(rule: str, field: str, ja: str, en: str) -> Finding:
    return Finding(rule, field, ja, en, ERROR)


def _fy(fy: Any, language: str) -> str:
    """A fiscal year as the program writes it (2011年度 (平成23年度) / FY2011), also when the
    document gives something that is not a year."""
    if isinstance(fy, int) and not isinstance(fy, bool):
        return fy_label(fy, language=language)
    return f"{fy}年度" if language == "ja" else f"FY{fy}"


def _fys(years: Iterable[Any], language: str) -> str:
    return ("、" if language == "ja" else ", ").join(_fy(fy, language) for fy in years)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _participants(doc: dict) -> list[str]:
    """Participating prefectures, in order, without repeats.

    Only the listed prefectures take part: a lead that is not listed is an R-2 error and
    does not make other rules (R-1, R-4) fire a second time.
    """
    codes = [c for c in (doc.get("prefectures") or []) if is_prefecture(c)]
    return list(dict.fromkeys(codes))


def _pref_name(code: str) -> tuple[str, str]:
    fact = prefectures()[code]
    return fact.name_ja, fact.name_en


# R-1 ---------------------------------------------------------------------------------------


def check_r1(doc: dict, others: Sequence[tuple[str, dict]] = ()) -> list[Finding]:
    """R-1: a prefecture takes part in at most one proposal per call.

    `others` are (label, document) of the call's other proposals (other files, or the
    call's other submitted proposals).
    """
    shared: dict[str, list[str]] = {}
    for code in _participants(doc):
        for label, other in others:
            if code in _participants(other):
                shared.setdefault(code, []).append(label)
    if not shared:
        return []
    names_ja = "、".join(f"{_pref_name(c)[0]}（{'、'.join(ls)}）" for c, ls in shared.items())
    names_en = "; ".join(f"{_pref_name(c)[1]} ({c}) in {', '.join(ls)}" for c, ls in shared.items())
    return [
        _err(
            "R-1",
            "prefectures",
            f"次の都道府県が別の提案にも参加しています: {names_ja}。1都道府県からの提案は1件です。",
            f"a prefecture takes part in at most one proposal per call; also proposing: {names_en}",
        )
    ]


# R-2 ---------------------------------------------------------------------------------------


def _connected(codes: list[str]) -> bool:
    if len(codes) <= 1:
        return True
    seen = {codes[0]}
    todo = [codes[0]]
    while todo:
        current = todo.pop()
        for other in codes:
            if other not in seen and are_neighbours(current, other):
                seen.add(other)
                todo.append(other)
    return len(seen) == len(codes)


def check_r2(doc: dict, settings: ProgramSettings = DEFAULT_PROGRAM) -> list[Finding]:
    """R-2: exactly one lead, which is one of the prefectures; a consortium is neighbouring."""
    findings = []
    listed = [c for c in (doc.get("prefectures") or []) if is_prefecture(c)]
    lead = doc.get("lead_prefecture")
    if not listed:
        findings.append(
            _err(
                "R-2",
                "prefectures",
                "参加する都道府県が指定されていません。",
                "no participating prefecture is given",
            )
        )
    for code in sorted({c for c in listed if listed.count(c) > 1}):
        ja, en = _pref_name(code)
        findings.append(
            _err(
                "R-2",
                "prefectures",
                f"{ja}が参加都道府県に重複して記載されています。",
                f"{en} ({code}) is listed more than once",
            )
        )
    if not is_prefecture(lead):
        findings.append(
            _err(
                "R-2",
                "lead_prefecture",
                "とりまとめを担う都道府県（代表都道府県）が指定されていません。",
                "no lead prefecture is given",
            )
        )
    elif listed and lead not in listed:
        ja, en = _pref_name(lead)
        findings.append(
            _err(
                "R-2",
                "lead_prefecture",
                f"代表都道府県（{ja}）が参加都道府県に含まれていません。",
                f"the lead prefecture {en} ({lead}) is not one of the participating prefectures",
            )
        )
    members = _participants(doc)
    if len(members) > 1 and not _connected(members):
        names_ja = "・".join(_pref_name(c)[0] for c in members)
        names_en = ", ".join(_pref_name(c)[1] for c in members)
        findings.append(
            Finding(
                "R-2",
                "prefectures",
                f"広域連携の都道府県（{names_ja}）は、県境または地方区分で互いにつながる"
                "近隣の都道府県ではありません。担当者の確認が必要です。",
                f"the consortium ({names_en}) is not made of neighbouring prefectures "
                "(connected by land borders or regional blocks); the officer must acknowledge it",
                WARNING,
            )
        )
    return findings


# R-3 ---------------------------------------------------------------------------------------


def check_r3(doc: dict, settings: ProgramSettings = DEFAULT_PROGRAM) -> list[Finding]:
    """R-3: governor, university head and industry representative all sign; representative."""
    findings = []
    signatories = doc.get("signatories") or {}
    for role, (ja, en) in SIGNATORY_LABELS.items():
        person = signatories.get(role) or {}
        if _blank(person.get("name")):
            field = f"signatories.{role}.name" if person else f"signatories.{role}"
            findings.append(
                _err(
                    "R-3",
                    field,
                    f"{ja}の署名（氏名）がありません。",
                    f"the {en} has not signed (no name)",
                )
            )
        if role != "governor" and _blank(person.get("organization")):
            findings.append(
                _err(
                    "R-3",
                    f"signatories.{role}.organization",
                    f"{ja}の所属機関がありません。",
                    f"the organisation of the {en} is missing",
                )
            )
    partner_governors = doc.get("partner_governors") or {}
    lead = doc.get("lead_prefecture")
    for code in doc.get("prefectures") or []:
        if code == lead or code is None:
            continue
        if _blank((partner_governors.get(code) or {}).get("name")):
            findings.append(
                _err(
                    "R-3",
                    f"partner_governors.{code}",
                    f"連携する都道府県（{code}）の知事の署名（氏名）がありません。",
                    f"the governor of partner prefecture {code} has not signed (no name)",
                )
            )
    representative = doc.get("representative") or "governor"
    if representative not in SIGNATORY_LABELS:
        findings.append(
            _err(
                "R-3",
                "representative",
                f"代表者「{representative}」は署名者（governor・university_head・industry）の"
                "いずれかでなければなりません。",
                f"the representative {representative!r} must be one of the signatories "
                "(governor, university_head, industry)",
            )
        )
    elif representative != "governor" and _blank(doc.get("representative_reason")):
        ja, en = SIGNATORY_LABELS[representative]
        findings.append(
            _err(
                "R-3",
                "representative_reason",
                f"知事以外（{ja}）を代表者とする理由が記載されていません。",
                f"the representative is the {en}, not the governor, but no reason is given",
            )
        )
    return findings


# R-4 ---------------------------------------------------------------------------------------


def _city_key(name: str) -> str:
    key = unicodedata.normalize("NFKC", name).strip().replace(" ", "")
    return key[:-1] if key.endswith("市") else key


def reference_date(doc: dict, settings: ProgramSettings = DEFAULT_PROGRAM) -> dt.date:
    value = doc.get("call_date")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return settings.designated_city_reference_date


def required_consultations(doc: dict, settings: ProgramSettings = DEFAULT_PROGRAM) -> list[str]:
    """Names of the designated cities the proposal must have consulted (R-4)."""
    as_of = reference_date(doc, settings)
    return [
        city.name_ja
        for code in _participants(doc)
        for city in designated_cities_in(code, as_of=as_of)
    ]


def check_r4(doc: dict, settings: ProgramSettings = DEFAULT_PROGRAM) -> list[Finding]:
    """R-4: prior consultation with each designated city (as of the call date)."""
    recorded = {
        _city_key(item["city"])
        for item in doc.get("designated_city_consultations") or []
        if isinstance(item, dict) and not _blank(item.get("city")) and not _blank(item.get("date"))
    }
    as_of = reference_date(doc, settings)
    findings = []
    for city in required_consultations(doc, settings):
        if _city_key(city) not in recorded:
            findings.append(
                _err(
                    "R-4",
                    "designated_city_consultations",
                    f"政令指定都市（{city}）との事前協議（協議日）が記録されていません"
                    f"（{format_day(as_of, language='ja')}現在）。",
                    f"no prior consultation (with its date) is recorded with the designated "
                    f"city {city} (designated as of {format_day(as_of, language='en')})",
                )
            )
    return findings


# R-5 ---------------------------------------------------------------------------------------


def check_r5(doc: dict, settings: ProgramSettings = DEFAULT_PROGRAM) -> list[Finding]:
    """R-5: the required contents ①–⑩, the land (when building), the KPI catalogue."""
    findings = []
    if _blank(doc.get("title")):
        findings.append(
            _err("R-5", "title", "提案の名称がありません。", "the proposal has no title")
        )
    builds = doc.get("form") in BUILDING_FORMS
    sections = doc.get("sections") or {}
    for key in settings.required_sections:
        if key == "land" and not builds:
            continue
        if _blank(sections.get(key)):
            number = SECTION_NUMBERS.get(key, "")
            findings.append(
                _err(
                    "R-5",
                    f"sections.{key}",
                    f"必要な内容{number}「{SECTION_LABELS_JA.get(key, key)}」が記載されていません。",
                    f"the required section {number} {SECTION_LABELS_EN.get(key, key)} is empty",
                )
            )
    if builds:
        findings += _land_findings(doc.get("land"))
    catalogue = set(settings.kpi_catalogue)
    for i, goal in enumerate(doc.get("goals") or []):
        kpi = goal.get("kpi")
        if kpi not in catalogue:
            findings.append(
                _err(
                    "R-5",
                    f"goals[{i}].kpi",
                    f"目標の指標「{kpi}」はこのプログラムの指標一覧にありません。",
                    f"the goal's KPI {kpi!r} is not in the program's KPI catalogue",
                )
            )
    for i, goal in enumerate(doc.get("goals") or []):
        if goal.get("target") is None:
            findings.append(
                _err(
                    "R-5",
                    f"goals[{i}].target",
                    "目標値がありません。",
                    "the goal has no target value",
                )
            )
    if not doc.get("pdca"):
        findings.append(
            _err(
                "R-5",
                "pdca",
                "活動計画に組み込むPDCAサイクルの計画がありません。",
                "the activity plan has no PDCA cycle (pdca is empty)",
            )
        )
    if not doc.get("equipment_plan"):
        findings.append(
            _err(
                "R-5",
                "equipment_plan",
                "施設・設備の整備計画（設備の一覧）がありません。",
                "the facility and equipment plan lists no equipment (equipment_plan is empty)",
            )
        )
    return findings


def _land_findings(land: dict | None) -> list[Finding]:
    if not land:
        return [
            _err(
                "R-5",
                "land",
                "建物を整備する形態ですが、土地（⑧）が記載されていません。",
                "the form builds, so the land (⑧) is required",
            )
        ]
    findings = []
    if _blank(land.get("address")):
        findings.append(
            _err("R-5", "land.address", "土地の所在地がありません。", "the land has no address")
        )
    area = land.get("area_m2")
    if area is None or area <= 0:
        findings.append(
            _err(
                "R-5",
                "land.area_m2",
                "土地の面積（m²）がありません。",
                "the land has no area (area_m2 must be more than 0)",
            )
        )
    return findings


# R-6 ---------------------------------------------------------------------------------------


def _has_figures(row: dict) -> bool:
    """A funding-plan year with at least one amount other than zero."""
    amounts = [
        *(row.get("revenue_yen") or {}).values(),
        *(row.get("cost_yen") or {}).values(),
        row.get("jst_operating_yen"),
    ]
    return any(isinstance(a, int | float) and not isinstance(a, bool) and a for a in amounts)


def check_r6(doc: dict, settings: ProgramSettings = DEFAULT_PROGRAM) -> list[Finding]:
    """R-6: funding plan for years 1..10 of operation; goals for a year 3–5 and year 10."""
    start = doc.get("operation_start_fy")
    if start is None:
        return [
            _err(
                "R-6",
                "operation_start_fy",
                "運営開始年度がありません。",
                "the fiscal year operation starts (operation_start_fy) is missing",
            )
        ]
    horizon = settings.horizon_years
    findings = []
    planned = [row.get("fiscal_year") for row in doc.get("funding_plan") or []]
    for fy in sorted({fy for fy in planned if fy is not None and planned.count(fy) > 1}):
        findings.append(
            _err(
                "R-6",
                "funding_plan",
                f"運営資金計画に{_fy(fy, 'ja')}が重複しています。",
                f"the funding plan has fiscal year {fy} more than once",
            )
        )
    years = [program_year(operation_start_fy=start, n=n) for n in range(1, horizon + 1)]
    # A year counts only with figures in it: an empty row (the editor shows one for each year
    # of the horizon) is not a plan for that year.
    figured = {row.get("fiscal_year") for row in doc.get("funding_plan") or [] if _has_figures(row)}
    missing = [fy for fy in years if fy not in figured]
    if missing:
        findings.append(
            _err(
                "R-6",
                "funding_plan",
                f"運営資金計画が運営開始後{horizon}年間（{_fy(years[0], 'ja')}〜"
                f"{_fy(years[-1], 'ja')}）をカバーしていません（不足: {_fys(missing, 'ja')}）。",
                f"the funding plan does not cover the first {horizon} fiscal years of operation "
                f"(FY{years[0]}–FY{years[-1]}); missing: {_fys(missing, 'en')}",
            )
        )
    goal_years = {goal.get("fiscal_year") for goal in doc.get("goals") or []}
    near_from, near_to = settings.near_goal_years
    near = [program_year(operation_start_fy=start, n=n) for n in range(near_from, near_to + 1)]
    if not goal_years.intersection(near):
        findings.append(
            _err(
                "R-6",
                "goals",
                f"運営開始後{near_from}〜{near_to}年目（{_fy(near[0], 'ja')}〜"
                f"{_fy(near[-1], 'ja')}）の目標がありません。",
                f"no goal for a near year (year {near_from} to {near_to} of operation, "
                f"FY{near[0]}–FY{near[-1]})",
            )
        )
    if years[-1] not in goal_years:
        findings.append(
            _err(
                "R-6",
                "goals",
                f"運営開始後{horizon}年目（{_fy(years[-1], 'ja')}）の目標がありません。",
                f"no goal for year {horizon} of operation (FY{years[-1]})",
            )
        )
    return findings


# R-7 ---------------------------------------------------------------------------------------


FORM_NAMES_JA = {"new": "新築", "extension": "増築", "joint": "合築", "equipment_only": "設備のみ"}


def check_r7(doc: dict, settings: ProgramSettings = DEFAULT_PROGRAM) -> list[Finding]:
    """R-7: one of the allowed forms; equipment only needs an existing building."""
    form = doc.get("form")
    if form not in FORMS or form not in settings.allowed_forms:
        allowed = ", ".join(settings.allowed_forms)
        allowed_ja = "、".join(FORM_NAMES_JA.get(f, f) for f in settings.allowed_forms)
        what = "is missing" if _blank(form) else f"{form!r} is not allowed"
        return [
            _err(
                "R-7",
                "form",
                f"整備の形態が不正です（このプログラムで可能な形態: {allowed_ja}）。",
                f"the form {what}; this program allows: {allowed}",
            )
        ]
    if form == "equipment_only":
        building = doc.get("existing_building") or {}
        if _blank(building.get("name")) or _blank(building.get("address")):
            return [
                _err(
                    "R-7",
                    "existing_building",
                    "設備のみの整備には、設備を設置する既存の建物（名称・所在地）が必要です。",
                    "equipment only needs the existing building (name and address) "
                    "that will house the equipment",
                )
            ]
    return []


# R-8 ---------------------------------------------------------------------------------------


def check_r8(doc: dict, settings: ProgramSettings = DEFAULT_PROGRAM) -> list[Finding]:
    """R-8: 0 < requested amount ≤ the cap."""
    amount = doc.get("requested_yen")
    if amount is None or amount <= 0:
        return [
            _err(
                "R-8",
                "requested_yen",
                "要求額（円）がありません。",
                "the requested amount must be a positive number of yen",
            )
        ]
    findings = []
    if amount > settings.cap_yen:
        findings.append(
            _err(
                "R-8",
                "requested_yen",
                f"要求額 {format_yen(amount)} は上限 {format_yen(settings.cap_yen)} を超えています。",
                f"the requested amount {format_yen(amount)} is over the cap "
                f"of {format_yen(settings.cap_yen)}",
            )
        )
    return findings + _check_category(doc, settings) + _check_options(doc, amount)


def _check_category(doc: dict, settings: ProgramSettings) -> list[Finding]:
    """Where the call has selection categories, the proposal names one of them."""
    if not settings.categories:
        return []
    keys = [key for key, _ja, _en in settings.categories]
    names_ja = " / ".join(ja for _key, ja, _en in settings.categories)
    names_en = " / ".join(en for _key, _ja, en in settings.categories)
    category = doc.get("category")
    if _blank(category):
        return [
            _err(
                "R-8",
                "category",
                f"選定区分（{names_ja}）を選んでください。",
                f"choose a selection category of the call ({names_en})",
            )
        ]
    if category not in keys:
        return [
            _err(
                "R-8",
                "category",
                f"選定区分「{category}」はこの公募にありません（{names_ja}）。",
                f"the call has no selection category {category!r} ({names_en})",
            )
        ]
    return []


def _check_options(doc: dict, requested: int) -> list[Finding]:
    """Alternative plans (reduced, equipment only) cost less than the full request."""
    findings = []
    labels: set[str] = set()
    for i, option in enumerate(doc.get("allocation_options") or []):
        field = f"allocation_options[{i}]"
        label = (option.get("label") or "").strip()
        amount = option.get("amount_yen")
        if not label or label == "full" or label in labels:
            findings.append(
                _err(
                    "R-8",
                    f"{field}.label",
                    f"代替案 {i + 1} の種類がないか、重複しています。",
                    f"alternative plan {i + 1} needs a kind of its own (not full, not repeated)",
                )
            )
        labels.add(label)
        if not isinstance(amount, int) or amount <= 0 or amount >= requested:
            findings.append(
                _err(
                    "R-8",
                    f"{field}.amount_yen",
                    f"代替案 {i + 1} の金額は、要求額 {format_yen(requested)} 未満の正の額にしてください。",
                    f"alternative plan {i + 1} must cost less than the full request "
                    f"of {format_yen(requested)}",
                )
            )
    return findings


# R-9 ---------------------------------------------------------------------------------------


def _is_jst(name: str) -> bool:
    key = unicodedata.normalize("NFKC", name).strip().lower()
    return key in REGION_NOT_PROVIDERS or key.startswith("jst") or "科学技術振興機構" in key


def check_r9(doc: dict, settings: ProgramSettings = DEFAULT_PROGRAM) -> list[Finding]:
    """R-9: the region provides the land and pays for operation; JST pays no operating cost."""
    findings = []
    land = doc.get("land")
    if land:
        provider = land.get("provided_by")
        if _blank(provider) or _is_jst(provider):
            findings.append(
                _err(
                    "R-9",
                    "land.provided_by",
                    "土地は地域（都道府県等）が提供しなければなりません。",
                    "the land must be provided by the region (the prefecture or another "
                    f"regional body), not {provider!r}",
                )
            )
    for i, row in enumerate(doc.get("funding_plan") or []):
        fy = row.get("fiscal_year")
        if (row.get("jst_operating_yen") or 0) > 0:
            findings.append(
                _err(
                    "R-9",
                    f"funding_plan[{i}].jst_operating_yen",
                    f"{_fy(fy, 'ja')}の運営費をJSTが負担する計画になっています。"
                    "運営費は地域が負担します。",
                    f"the plan for FY{fy} expects JST to pay operating costs; "
                    "the region runs and pays for operation",
                )
            )
        for source, amount in (row.get("revenue_yen") or {}).items():
            if amount and _is_jst(source):
                findings.append(
                    _err(
                        "R-9",
                        f"funding_plan[{i}].revenue_yen.{source}",
                        f"{_fy(fy, 'ja')}の収入にJSTからの運営資金が計上されています。",
                        f"the plan for FY{fy} counts JST money as operating revenue",
                    )
                )
    return findings


# The whole engine --------------------------------------------------------------------------

SINGLE_DOCUMENT_RULES: tuple[Callable[[dict, ProgramSettings], list[Finding]], ...] = (
    check_r2,
    check_r3,
    check_r4,
    check_r5,
    check_r6,
    check_r7,
    check_r8,
    check_r9,
)


def check_document(
    doc: dict,
    settings: ProgramSettings = DEFAULT_PROGRAM,
    *,
    others: Sequence[tuple[str, dict]] = (),
) -> list[Finding]:
    """Every rule for one document; `others` are the call's other proposals (for R-1)."""
    findings = check_r1(doc, others)
    for rule in SINGLE_DOCUMENT_RULES:
        findings += rule(doc, settings)
    return findings


def check_documents(
    docs: Sequence[tuple[str, dict]], settings: ProgramSettings = DEFAULT_PROGRAM
) -> list[list[Finding]]:
    """Findings per document of a set checked together (R-1 across the set)."""
    return [
        check_document(
            doc,
            settings,
            others=[(label, other) for j, (label, other) in enumerate(docs) if j != i],
        )
        for i, (_, doc) in enumerate(docs)
    ]


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)


def checklist(findings: Sequence[Finding]) -> list[dict]:
    """Per rule R-1 … R-9: its title, and its findings ("ok" when none)."""
    rows = []
    for rule in RULE_IDS:
        mine = [f for f in findings if f.rule == rule]
        status = "error" if any(f.is_error for f in mine) else ("warning" if mine else "ok")
        ja, en = RULE_TITLES[rule]
        rows.append(
            {"rule": rule, "title_ja": ja, "title_en": en, "status": status, "findings": mine}
        )
    return rows


# Field paths as people read them ----------------------------------------------------------

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "title": ("提案の名称", "title"),
    "prefectures": ("参加都道府県", "participating prefectures"),
    "lead_prefecture": ("代表都道府県", "lead prefecture"),
    "signatories": ("署名者", "signatories"),
    "partner_governors": ("連携都道府県の知事", "governors of the partner prefectures"),
    "representative": ("代表者", "representative"),
    "representative_reason": ("代表者とする理由", "reason for the representative"),
    "designated_city_consultations": ("政令指定都市との事前協議", "designated-city consultations"),
    "form": ("整備形態", "form"),
    "requested_yen": ("要求額", "amount requested"),
    "land": ("土地", "land"),
    "existing_building": ("既存の建物", "existing building"),
    "operation_start_fy": ("運営開始年度", "first fiscal year of operation"),
    "sections": ("記載事項", "sections"),
    "goals": ("目標", "goals"),
    "funding_plan": ("運営資金計画", "funding plan"),
    "pdca": ("PDCAサイクル", "PDCA cycle"),
    "equipment_plan": ("設備整備計画", "equipment plan"),
    "category": ("選定区分", "selection category"),
    "allocation_options": ("代替案", "alternative plans"),
    "signatures": ("署名", "signatures"),
    "deadline": ("締切", "deadline"),
    # parts of an item
    "name": ("氏名", "name"),
    "organization": ("所属機関", "organisation"),
    "address": ("所在地", "address"),
    "area_m2": ("面積（m²）", "area (m²)"),
    "provided_by": ("提供者", "provided by"),
    "kpi": ("指標", "KPI"),
    "target": ("目標値", "target"),
    "fiscal_year": ("年度", "fiscal year"),
    "revenue_yen": ("収入", "revenue"),
    "cost_yen": ("支出", "costs"),
    "jst_operating_yen": ("JSTが負担する運営費", "operating costs paid by JST"),
    "amount_yen": ("金額", "amount"),
    "drops": ("見送る内容", "what it drops"),
    "label": ("案の種類", "kind of plan"),
}


def field_label(path: str | None, *, language: str | None = None) -> str:
    """A finding's field path in words: `funding_plan[2].jst_operating_yen` → 運営資金計画 ›
    3行目 › JSTが負担する運営費 (funding plan › row 3 › operating costs paid by JST); an unknown
    key is kept as it is (a name the proposal itself chose)."""
    from django.utils.translation import get_language

    from kyoten.calls.program import FORM_LABELS
    from kyoten.proposals.forms import SOURCE_LABELS

    if not path:
        return ""
    ja = (language or get_language() or "ja").startswith("ja")
    words = []
    parent = ""
    for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        if index:
            words.append(f"{int(index) + 1}行目" if ja else f"row {int(index) + 1}")
            continue
        if parent == "sections":
            labels = SECTION_LABELS_JA if ja else SECTION_LABELS_EN
            words.append(labels.get(key, key))
        elif parent in ("signatories", "signatures") and key in SIGNATORY_LABELS:
            words.append(SIGNATORY_LABELS[key][0 if ja else 1])
        elif parent == "partner_governors" and is_prefecture(key):
            words.append(_pref_name(key)[0 if ja else 1])
        elif parent == "existing_building" and key == "name":
            words.append("名称" if ja else "name")
        elif parent in ("revenue_yen", "cost_yen") and key in SOURCE_LABELS:
            words.append(SOURCE_LABELS[key][0 if ja else 1])
        elif key in FIELD_LABELS:
            words.append(FIELD_LABELS[key][0 if ja else 1])
        elif key in FORM_LABELS:
            words.append(str(FORM_LABELS[key]))
        else:
            words.append(key)
        parent = key
    return " › ".join(words)
