"""Demo proposals: the FY2009 call with proposals from 37 prefectures (25 submitted and
eligible, three of them consortia; drafts with rule findings; one returned, one withdrawn),
and a few drafts in the open demo call."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from kyoten.calls.models import Call
from kyoten.core.demo import person_name
from kyoten.core.models import Prefecture, User
from kyoten.core.reference import designated_cities_in, prefectures
from kyoten.proposals.document import parse_document
from kyoten.proposals.eligibility import check_documents, has_errors
from kyoten.proposals.models import Proposal, ProposalStatus, ProposalVersion, content_hash

TOKYO = ZoneInfo("Asia/Tokyo")

# lead, members, theme (a title stem with the reviewers' keywords), form, amount in yen
SUBMITTED = [
    ("01", [], "寒冷地バイオ・食品機能性", "new", 2_400_000_000),
    ("04", [], "次世代材料・ナノテク評価", "new", 2_800_000_000),
    ("06", [], "有機エレクトロニクス", "extension", 1_600_000_000),
    ("08", [], "量子ビーム・計測", "joint", 1_900_000_000),
    ("09", [], "光学・精密加工ものづくり", "extension", 1_200_000_000),
    ("13", [], "医療機器・創薬バイオ", "new", 2_900_000_000),
    ("14", [], "次世代自動車・ロボット", "new", 2_500_000_000),
    ("15", [], "食品・農業イノベーション", "equipment_only", 650_000_000),
    ("16", [], "医薬品・健康", "extension", 1_300_000_000),
    ("17", [], "繊維・炭素複合材料", "joint", 1_500_000_000),
    ("20", [], "精密機械・半導体", "extension", 1_400_000_000),
    ("21", [], "航空機部材・加工", "new", 2_100_000_000),
    ("22", [], "光・電子デバイス", "new", 2_300_000_000),
    ("23", [], "ものづくり・機械・自動車", "new", 2_700_000_000),
    ("26", [], "化学・分析・環境", "joint", 1_800_000_000),
    ("27", [], "エネルギー・電池・水素", "new", 2_600_000_000),
    ("28", [], "計算科学・材料", "extension", 1_700_000_000),
    ("33", [], "医療・ゲノム・健康", "equipment_only", 800_000_000),
    ("34", [], "自動車・情報・AI", "extension", 1_500_000_000),
    ("38", [], "水産・海洋バイオ", "equipment_only", 550_000_000),
    ("40", [], "半導体・電子・環境", "new", 2_200_000_000),
    ("43", [], "セラミックス・金属加工", "equipment_only", 700_000_000),
    ("31", ["32"], "山陰 医療・バイオ", "joint", 1_100_000_000),
    ("45", ["44", "46"], "東九州 メディカル・エネルギー", "new", 2_000_000_000),
    ("25", ["24"], "びわ湖・伊勢湾 環境・化学", "extension", 1_250_000_000),
]
# lead, members, theme, form, amount, status, what is wrong (a change to the document)
OTHERS = [
    ("07", [], "防災・エネルギー", "new", 2_200_000_000, "draft", "empty_section"),
    ("12", [], "物流・ロボット", "new", 3_400_000_000, "draft", "over_cap"),
    ("19", [], "水素・燃料電池", "extension", 1_000_000_000, "draft", "no_industry"),
    ("29", ["30"], "紀伊半島 観光・デザイン", "joint", 1_200_000_000, "draft", "short_plan"),
    ("35", [], "化学・素材", "extension", 1_100_000_000, "draft", "jst_operating"),
    ("41", ["37"], "有明・瀬戸内 海洋", "equipment_only", 600_000_000, "draft", "far_consortium"),
    ("36", [], "LED・光", "extension", 1_300_000_000, "returned", None),
    ("18", [], "繊維・眼鏡", "equipment_only", 500_000_000, "withdrawn", None),
]
OPEN_CALL_DRAFTS = [
    ("11", [], "先端医療・画像", "equipment_only", 900_000_000),
    ("42", [], "海洋エネルギー", "extension", 1_200_000_000),
]

INDUSTRY = ["経営者協会", "商工会議所連合会", "経済同友会", "工業会"]


def _short(code: str) -> str:
    name = prefectures()[code].name_ja
    return name if code == "01" else name[:-1]


def document(rng: random.Random, lead: str, members: list[str], theme: str, form: str,
             amount: int) -> dict:  # fmt: skip
    from kyoten.core.demo import UNIVERSITIES

    codes = [lead, *members]
    region = "・".join(_short(c) for c in codes)
    start = rng.choice([2010, 2011])
    builds = form != "equipment_only"
    fee = rng.randrange(10, 60) * 1_000_000
    univ = UNIVERSITIES[int(lead) - 1]
    consultations = [
        {"city": city.name_ja, "date": f"2009-07-{rng.randrange(10, 29):02d}"}
        for code in codes
        for city in designated_cities_in(code, as_of=dt.date(2009, 7, 31))
    ]
    keywords = theme.split(" ")[-1]
    return {
        "title": f"{region}{keywords}産学官共同研究拠点",
        "lead_prefecture": lead,
        "prefectures": codes,
        "call_date": "2009-07-31",
        "representative": "governor",
        "representative_reason": None,
        "signatories": {
            "governor": {"name": person_name(rng)},
            "university_head": {"name": person_name(rng), "organization": univ},
            "industry": {
                "name": person_name(rng),
                "organization": f"{_short(lead)}{rng.choice(INDUSTRY)}",
            },
        },  # fmt: skip
        "designated_city_consultations": consultations,
        "form": form,
        "requested_yen": amount,
        "land": {
            "address": f"{prefectures()[lead].name_ja}内 {univ}敷地隣接地",
            "area_m2": rng.randrange(15, 60) * 100,
            "provided_by": "prefecture",
        }
        if builds
        else None,
        "existing_building": None
        if builds
        else {
            "name": f"{_short(lead)}県産業技術センター 共同研究棟",
            "address": f"{prefectures()[lead].name_ja}内",
        },
        "operation_start_fy": start,
        "sections": {
            "purpose": f"{region}の強みである{keywords}分野で、産学官の共同研究と人材育成を一体で進める拠点を整備する。",
            "goals": "運営開始3年後に共同研究30件、10年後に利用企業200社・自立運営を達成する。",
            "activity_plan": "共同研究、設備の共用、高度技術者の養成をビジネスモデルとして運営し、年度ごとにPDCAサイクルで見直す。",
            "positioning": f"既存の{_short(lead)}県産業技術センター及び{univ}の産学連携本部と役割を分担し、連携する。",
            "expected_outcomes": "中堅・中小企業の技術高度化と新製品開発、ベンチャー創出により地域のイノベーションを生む。",
            "operating_body": "知事を委員長とし、大学・産業界・県で構成する事業運営委員会を設置する。",
            "facility_management": f"{univ}と県が共同で管理し、利用規程と料金表を定める。",
            "land": f"{univ}敷地に隣接する県有地を提供する。" if builds else "",
            "funding_plan": "利用料収入、共同研究収入及び県負担金により運営費を賄う。",
            "facility_plan": f"{keywords}分野の共用設備を中心に整備する。",
        },  # fmt: skip
        "goals": [
            {
                "kpi": "joint_research_projects",
                "fiscal_year": start + 2,
                "target": rng.randrange(15, 50),
            },
            {"kpi": "sme_users", "fiscal_year": start + 4, "target": rng.randrange(30, 120)},
            {"kpi": "companies_using", "fiscal_year": start + 9, "target": rng.randrange(100, 400)},
            {
                "kpi": "engineers_trained",
                "fiscal_year": start + 9,
                "target": rng.randrange(100, 600),
            },
        ],  # fmt: skip
        "funding_plan": [
            {
                "fiscal_year": start + n,
                "revenue_yen": {
                    "usage_fees": fee + n * 2_000_000,
                    "joint_research": 10_000_000 + n * 1_000_000,
                    "prefecture": 60_000_000,
                },
                "cost_yen": {
                    "staff": 45_000_000,
                    "maintenance": 30_000_000 + n * 500_000,
                    "utilities": 12_000_000,
                },
                "jst_operating_yen": 0,
            }
            for n in range(10)
        ],  # fmt: skip
        "pdca": [
            {
                "fiscal_year": start + n,
                "plan": "年度計画の策定",
                "check": "事業運営委員会による評価",
                "act": "次年度計画への反映",
            }
            for n in range(0, 10, 3)
        ],  # fmt: skip
        "equipment_plan": [
            {"name": name, "category": cat, "cost_yen": cost}
            for name, cat, cost in rng.sample(EQUIPMENT, 3)
        ],
    }


EQUIPMENT = [
    ("電界放出形走査電子顕微鏡", "分析・計測", 120_000_000),
    ("X線光電子分光分析装置", "分析・計測", 98_000_000),
    ("高分解能透過電子顕微鏡", "分析・計測", 250_000_000),
    ("5軸マシニングセンタ", "加工", 85_000_000),
    ("3次元積層造形装置", "加工", 70_000_000),
    ("核磁気共鳴装置（NMR）", "分析・計測", 180_000_000),
    ("クリーンルーム（クラス1000）", "設備", 300_000_000),
    ("電波暗室", "試験・評価", 160_000_000),
    ("恒温恒湿環境試験室", "試験・評価", 45_000_000),
    ("次世代シーケンサー", "バイオ", 60_000_000),
]


def _spoil(doc: dict, what: str | None) -> None:
    if what == "empty_section":
        doc["sections"]["expected_outcomes"] = ""
    elif what == "over_cap":
        pass  # the amount itself is over the cap
    elif what == "no_industry":
        doc["signatories"].pop("industry")
    elif what == "short_plan":
        doc["funding_plan"] = doc["funding_plan"][:7]
    elif what == "jst_operating":
        doc["funding_plan"][2]["jst_operating_yen"] = 15_000_000


def load(rng: random.Random) -> None:
    call = Call.objects.filter(code="fy2009").first()
    if call is None:
        return
    users = {u.prefecture_id: u for u in User.objects.filter(username__startswith="pref-")}
    prefs = {p.code: p for p in Prefecture.objects.all()}
    settings = call.settings()

    plans = [(lead, m, t, f, a, "submitted", None) for lead, m, t, f, a in SUBMITTED] + OTHERS
    docs = []
    for lead, members, theme, form, amount, _status, spoil in plans:
        doc = parse_document(document(rng, lead, members, theme, form, amount))[0]
        _spoil(doc, spoil)
        docs.append(doc)
    # The submitted ones must pass every rule (R-1 among themselves): the demo checks itself.
    results = check_documents([(str(i), d) for i, d in enumerate(docs[: len(SUBMITTED)])], settings)
    assert not any(has_errors(f) for f in results), results

    proposals, versions = [], []
    for (lead, _m, _t, _f, _a, status, _s), doc in zip(plans, docs, strict=True):
        submitted_at = dt.datetime(2009, 8, rng.randrange(10, 21), rng.randrange(9, 17),
                                   rng.randrange(60), tzinfo=TOKYO)  # fmt: skip
        created = submitted_at - dt.timedelta(days=rng.randrange(3, 9))
        proposals.append(
            Proposal(
                call=call,
                title=doc["title"],
                lead_prefecture=prefs[lead],
                status=status,
                content=doc,
                requested_yen=doc["requested_yen"],
                form=doc["form"],
                operation_start_fy=doc["operation_start_fy"],
                created_by=users[lead],
                created_at=created,
                updated_at=submitted_at,
                submitted_at=submitted_at if status in {"submitted", "returned"} else None,
                return_message="運営資金計画の県負担金の根拠資料を添付してください。"
                if status == "returned"
                else "",
                correction_deadline=call.deadline + dt.timedelta(days=14)
                if status == "returned"
                else None,
            )  # fmt: skip
        )
    Proposal.objects.bulk_create(proposals)
    Through = Proposal.prefectures.through
    Through.objects.bulk_create(
        Through(proposal_id=p.pk, prefecture_id=code)
        for p in proposals
        for code in p.content["prefectures"]
    )
    for p in proposals:
        if p.status in {ProposalStatus.SUBMITTED, ProposalStatus.RETURNED}:
            versions.append(
                ProposalVersion(
                    proposal=p,
                    number=1,
                    revision_round=0,
                    title=p.title,
                    content=p.content,
                    content_hash=content_hash(p.content),
                    requested_yen=p.requested_yen,
                    findings=[],
                    submitted_at=p.submitted_at,
                    submitted_by=p.created_by,
                )  # fmt: skip
            )
    ProposalVersion.objects.bulk_create(versions)
    _open_call_drafts(rng, users, prefs)


def _open_call_drafts(rng: random.Random, users: dict, prefs: dict) -> None:
    call = Call.objects.filter(code="demo-open").first()
    if call is None:
        return
    for lead, members, theme, form, amount in OPEN_CALL_DRAFTS:
        doc = parse_document(document(rng, lead, members, theme, form, amount))[0]
        doc["call_date"] = call.designated_city_reference_date.isoformat()
        doc["sections"]["facility_management"] = ""
        p = Proposal.objects.create(
            call=call, title=doc["title"], lead_prefecture=prefs[lead], content=doc,
            requested_yen=amount, form=form, operation_start_fy=doc["operation_start_fy"],
            created_by=users[lead],
        )  # fmt: skip
        p.prefectures.set([prefs[c] for c in doc["prefectures"]])
