"""Demo proposals: the FY2009 call as it happened (47 proposals, the freeze and its amendment,
45 resubmissions in the revision round), and a few drafts in the open demo call."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils import timezone

from kyoten.calls.models import Call
from kyoten.core.demo import person_name
from kyoten.core.models import Prefecture, User
from kyoten.core.reference import designated_cities_in, prefectures
from kyoten.proposals.document import parse_document
from kyoten.proposals.eligibility import check_documents, has_errors
from kyoten.proposals.models import Proposal, ProposalStatus, ProposalVersion, content_hash

TOKYO = ZoneInfo("Asia/Tokyo")

# The 2009 story (shared/data/hubs_2009_known.json → core/data/): all 47 prefectures propose
# (31 July – 20 August 2009), the freeze amends the call on 30 October (¥69.5 bn → ¥26.3 bn,
# equipment only, two selection categories), 45 regions resubmit by 20 November and the
# allocation adopts 40 on 4 December (28 構想支援地域 + 12 基盤形成支援地域).
THEMES = {
    "01": "寒冷地バイオ・食品機能性", "02": "りんご・食品バイオ", "03": "金型・鋳造ものづくり",
    "04": "次世代材料・ナノテク評価", "05": "電子部品・バイオ", "06": "有機エレクトロニクス",
    "07": "医療機器・再生エネルギー", "08": "量子ビーム・計測", "09": "光学・精密加工ものづくり",
    "10": "次世代自動車・電子", "11": "先端医療・画像", "12": "物流・ロボット",
    "13": "医療機器・創薬バイオ", "14": "次世代自動車・ロボット", "15": "食品・農業イノベーション",
    "16": "医薬品・健康", "17": "繊維・炭素複合材料", "18": "繊維・眼鏡・炭素材料",
    "19": "水素・燃料電池", "20": "精密機械・半導体", "21": "航空機部材・加工",
    "22": "光・電子デバイス", "23": "ものづくり・機械・自動車", "24": "液晶・電池・化学",
    "25": "環境・水・化学", "26": "化学・分析・環境", "27": "エネルギー・電池・水素",
    "28": "計算科学・材料", "29": "観光・デザイン", "30": "機能性食品・化学",
    "31": "医療・バイオ", "32": "特殊鋼・金属材料", "33": "医療・ゲノム・健康",
    "34": "医工連携・先進医療", "35": "化学・素材・医療", "36": "LED・光・エネルギー",
    "37": "医工情報・希少糖", "38": "水産・海洋バイオ", "39": "森林・木質バイオ",
    "40": "半導体・電子・環境", "41": "セラミックス・陶磁器", "42": "海洋エネルギー",
    "43": "有機薄膜・半導体", "44": "温泉・地熱エネルギー", "45": "メディカル・食品",
    "46": "食品・焼酎・バイオ", "47": "亜熱帯バイオ資源",
}  # fmt: skip
# First proposals (August): the form and amount each prefecture asked for before the freeze.
FIRST_FORMS = ("new", "extension", "joint", "new", "equipment_only", "extension")
WITHDREW = ("11", "28")  # did not resubmit after the freeze: 45 regions resubmit
# The 基盤形成支援地域 of the resubmission (the rest chose 構想支援地域).
FOUNDATION = ("02", "05", "06", "10", "30", "31", "32", "36", "39", "41", "42", "43", "45", "47")
# Resubmitted, but the review finds them weak (below the allocation's minimum score).
WEAK = ("12", "19", "29", "42", "45")
MIN_SCORE = 50.0
CATEGORIES = [
    {"key": "concept", "label_ja": "構想支援地域", "label_en": "concept support region"},
    {"key": "foundation", "label_ja": "基盤形成支援地域", "label_en": "foundation-building region"},
]
TIMELINE = {
    "freeze": dt.datetime(2009, 10, 16, 10, 0, tzinfo=TOKYO),
    "amended": dt.datetime(2009, 10, 30, 10, 0, tzinfo=TOKYO),
    "revision_deadline": dt.datetime(2009, 11, 20, 17, 0, tzinfo=TOKYO),
    "decision": dt.datetime(2009, 12, 4, 14, 0, tzinfo=TOKYO),
}
OPEN_CALL_DRAFTS = [
    ("11", [], "先端医療・画像", "equipment_only", 900_000_000, None),
    ("42", [], "海洋エネルギー", "extension", 1_200_000_000, "empty_section"),
    ("19", [], "水素・燃料電池", "extension", 1_000_000_000, "no_industry"),
    ("35", [], "化学・素材", "extension", 1_100_000_000, "jst_operating"),
]


def known_hubs() -> list[dict]:
    """The eight hubs of the 2009 selection confirmed from public pages."""
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "core" / "data" / "hubs_2009_known.json"
    return json.loads(path.read_text(encoding="utf-8"))["hubs"]


def review_quality(proposal, drawn: float) -> float:
    """The demo review's quality of a proposal of the 2009 call (a 1–5 mean): the known hubs
    are strong, the weak ones fall below the allocation's minimum score, the rest are sound."""
    if getattr(getattr(proposal, "call", None), "code", None) != "fy2009":
        return drawn
    code = proposal.lead_prefecture_id
    if code in WEAK:
        return min(drawn, 2.0) - 0.4
    if code in {h["prefecture"] for h in known_hubs()}:
        return max(drawn, 4.2)
    return max(drawn, 3.3)


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
        # R-3 in a consortium: each partner's governor signs (names from their own seed, so
        # the rest of the demo draws the same numbers as before)
        "partner_governors": {
            m: {"name": person_name(random.Random(f"governor-{m}"))} for m in members
        },
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
    ("電波暗室", "評価試験", 160_000_000),
    ("恒温恒湿環境試験室", "評価試験", 45_000_000),
    ("次世代シーケンサー", "バイオ", 60_000_000),
]


def _spoil(doc: dict, what: str | None) -> None:
    if what == "empty_section":
        doc["sections"]["expected_outcomes"] = ""
    elif what == "no_industry":
        doc["signatories"].pop("industry")
    elif what == "jst_operating":
        doc["funding_plan"][2]["jst_operating_yen"] = 15_000_000


def _first_plan(code: str, index: int, rng: random.Random) -> tuple[str, int]:
    """The form and amount asked for in August 2009, before the freeze."""
    if code == "35":  # planned as a ¥2.35 bn new building (hubs_2009_known.json)
        return "new", 2_350_000_000
    form = FIRST_FORMS[index % len(FIRST_FORMS)]
    if form == "equipment_only":
        return form, rng.randrange(50, 100) * 10_000_000
    return form, rng.randrange(100, 300) * 10_000_000


def _revised(doc: dict, rng: random.Random, code: str, known: dict) -> dict:
    """The resubmission of November 2009: equipment only in an existing building, in one of
    the two categories, for ¥0.4–0.9 bn; most offer a reduced plan beside the full request."""
    from kyoten.core.demo import UNIVERSITIES

    doc = {**doc, "sections": dict(doc["sections"])}
    foundation = code in FOUNDATION
    hub = known.get(code)
    if hub and hub.get("amount_yen"):
        amount = hub["amount_yen"]
    elif hub:
        amount = {"22": 800_000_000, "43": 600_000_000, "33": 750_000_000}.get(code, 700_000_000)
    elif foundation:
        amount = rng.choice([40, 45, 50, 55, 60]) * 10_000_000
    else:
        amount = rng.choice([60, 65, 70, 75, 80, 85, 90]) * 10_000_000
    univ = UNIVERSITIES[int(code) - 1]
    items = rng.sample(EQUIPMENT, 4)
    weight = sum(cost for _n, _c, cost in items)
    plan = [
        {
            "name": name,
            "category": cat,
            "cost_yen": cost * amount // weight // 1_000_000 * 1_000_000,
        }
        for name, cat, cost in items
    ]
    plan.append({"name": "共用機器の据付・附帯設備一式", "category": "設備",
                 "cost_yen": amount - sum(i["cost_yen"] for i in plan)})  # fmt: skip
    doc.update(
        form="equipment_only",
        requested_yen=amount,
        land=None,
        existing_building={"name": f"{univ} 産学連携研究棟（既存）",
                           "address": f"{prefectures()[code].name_ja}内 {univ}構内"},
        category="foundation" if foundation else "concept",
        equipment_plan=plan,
    )  # fmt: skip
    doc["sections"]["land"] = ""
    doc["sections"]["facility_plan"] = (
        f"建物は新築せず、{univ}の既存の産学連携研究棟に{THEMES[code]}分野の共用設備"
        f"{len(plan)}件を整備する（設備のみ）。"
    )
    doc["sections"]["purpose"] += "国の予算見直しを受け、設備を中心とする計画に改めた。"
    if hub:
        doc["title"] = hub["name"]
    biggest = max(plan[:-1], key=lambda i: i["cost_yen"])
    if not hub and (not foundation or int(code) % 2 == 0):
        doc["allocation_options"] = [
            {"label": "reduced", "amount_yen": amount - biggest["cost_yen"],
             "drops": f"{biggest['name']}の整備を見送り、既存機器の更新で代替する。"}
        ]  # fmt: skip
    return doc


def load(rng: random.Random) -> None:
    from kyoten.calls.models import CallStatus
    from kyoten.calls.services import call_set_status
    from kyoten.proposals import services
    from kyoten.proposals.models import Signature

    call = Call.objects.filter(code="fy2009").first()
    officer = User.objects.filter(username="officer").first()
    if call is None or officer is None:
        return
    users = {u.prefecture_id: u for u in User.objects.filter(username__startswith="pref-")}
    prefs = {p.code: p for p in Prefecture.objects.all()}
    codes = list(prefectures())

    # 1. August 2009: every prefecture proposes, most of them a new building.
    docs = []
    for index, code in enumerate(codes):
        form, amount = _first_plan(code, index, rng)
        docs.append(parse_document(document(rng, code, [], THEMES[code], form, amount))[0])
    results = check_documents([(str(i), d) for i, d in enumerate(docs)], call.settings())
    assert not any(has_errors(f) for f in results), results  # the demo checks itself

    proposals = []
    for code, doc in zip(codes, docs, strict=True):
        submitted_at = dt.datetime(2009, 8, rng.randrange(10, 21), rng.randrange(9, 17),
                                   rng.randrange(60), tzinfo=TOKYO)  # fmt: skip
        proposals.append(
            Proposal(
                call=call,
                title=doc["title"],
                lead_prefecture=prefs[code],
                status=ProposalStatus.SUBMITTED,
                content=doc,
                requested_yen=doc["requested_yen"],
                form=doc["form"],
                operation_start_fy=doc["operation_start_fy"],
                created_by=users[code],
                created_at=submitted_at - dt.timedelta(days=rng.randrange(3, 9)),
                updated_at=submitted_at,
                submitted_at=submitted_at,
            )  # fmt: skip
        )
    Proposal.objects.bulk_create(proposals)
    Through = Proposal.prefectures.through
    Through.objects.bulk_create(
        Through(proposal_id=p.pk, prefecture_id=p.lead_prefecture_id) for p in proposals
    )
    ProposalVersion.objects.bulk_create(
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
        for p in proposals
    )
    _open_call_drafts(rng, users, prefs)
    _signatories()

    # 2. 16 October: the freeze; 30 October: the call is amended, a revision round opens.
    call = services.call_amend(
        call=call,
        by=officer,
        deadline=TIMELINE["revision_deadline"],
        message=(
            "2009年10月16日の補正予算の執行停止により、予算を695億円から263億円に見直します。"
            "建物の新築は行わず、既存の建物への設備の整備のみとし、選定区分"
            "（構想支援地域・基盤形成支援地域）を設けます。11月20日までに再提案してください。"
        ),
        budget_yen=26_300_000_000,
        allowed_forms=["equipment_only"],
        categories=CATEGORIES,
        now=TIMELINE["amended"],
    ).call

    # 3. November: 45 regions resubmit (the earlier versions stay), two withdraw.
    known = {h["prefecture"]: h for h in known_hubs()}
    signers = {u.username: u for u in User.objects.filter(role="signatory")}
    started = timezone.now()
    for proposal, doc in zip(proposals, docs, strict=True):
        code = proposal.lead_prefecture_id
        proposal.refresh_from_db()
        if code in WITHDREW:
            services.proposal_withdraw(proposal=proposal, by=users[code])
            continue
        at = dt.datetime(2009, 11, rng.randrange(6, 18), rng.randrange(9, 17), rng.randrange(60),
                         tzinfo=TOKYO)  # fmt: skip
        proposal, _voided = services.proposal_update(
            proposal=proposal, by=users[code], content=_revised(doc, rng, code, known), now=at
        )
        for prefix, role in SIGNATORY_LOGINS:
            services.proposal_sign(proposal=proposal, by=signers[f"{prefix}-{code}"], role=role,
                                   digest=proposal.content_hash)  # fmt: skip
        services.proposal_submit(proposal=proposal, by=users[code],
                                 now=at + dt.timedelta(hours=rng.randrange(1, 48)))  # fmt: skip
    # Signed on the day they were asked (the services stamp the real clock).
    Signature.objects.filter(proposal__call=call, signed_at__gte=started).update(
        signed_at=F("requested_at")
    )
    for status in (CallStatus.CLOSED, CallStatus.REVIEW):
        call_set_status(call=call, by=officer, status=status)


# The three signatory logins of a prefecture's proposal, password "demo" like the rest.
SIGNATORY_LOGINS = (("gov", "governor"), ("univ", "university_head"), ("ind", "industry"))


def _signatories() -> None:
    """gov-NN, univ-NN and ind-NN for each lead prefecture NN with a proposal: the submitted
    ones signed what was handed in; the drafts of the open call wait for their signatures."""
    from django.contrib.auth.hashers import make_password

    from kyoten.core.demo import DEMO_PASSWORD
    from kyoten.proposals.models import Signature

    password = make_password(DEMO_PASSWORD)
    proposals = list(
        Proposal.objects.filter(lead_prefecture__isnull=False)
        .exclude(status=ProposalStatus.WITHDRAWN)
        .select_related("lead_prefecture")
        .order_by("pk")
    )
    made: dict[str, User] = {}
    for p in proposals:
        code = p.lead_prefecture_id
        for prefix, role in SIGNATORY_LOGINS:
            username = f"{prefix}-{code}"
            if username in made:
                continue
            person = p.content.get("signatories", {}).get(role, {})
            org = person.get("organization") or p.lead_prefecture.name_ja
            made[username] = User(
                username=username, role="signatory", password=password,
                display_name=f"{org} {person.get('name', '')}".strip(),
                email=f"{username}@example.jp", prefecture_id=code,
            )  # fmt: skip
    User.objects.bulk_create(made.values())
    users = {u.username: u for u in User.objects.filter(username__in=made)}
    signatures = []
    for p in proposals:
        signed = p.status in {ProposalStatus.SUBMITTED, ProposalStatus.RETURNED}
        for prefix, role in SIGNATORY_LOGINS:
            if role not in p.content.get("signatories", {}):
                continue
            at = p.submitted_at - dt.timedelta(days=1) if signed else p.updated_at
            signatures.append(
                Signature(
                    proposal=p,
                    role=role,
                    user=users[f"{prefix}-{p.lead_prefecture_id}"],
                    requested_at=at,
                    signed_at=at if signed else None,
                    content_hash=content_hash(p.content) if signed else "",
                )  # fmt: skip
            )
    Signature.objects.bulk_create(signatures)


def _open_call_drafts(rng: random.Random, users: dict, prefs: dict) -> None:
    """Drafts in the open demo call, some with findings the checklist explains."""
    call = Call.objects.filter(code="demo-open").first()
    if call is None:
        return
    for lead, members, theme, form, amount, spoil in OPEN_CALL_DRAFTS:
        doc = parse_document(document(rng, lead, members, theme, form, amount))[0]
        doc["call_date"] = call.designated_city_reference_date.isoformat()
        _spoil(doc, spoil)
        p = Proposal.objects.create(
            call=call, title=doc["title"], lead_prefecture=prefs[lead], content=doc,
            requested_yen=amount, form=form, operation_start_fy=doc["operation_start_fy"],
            created_by=users[lead],
        )  # fmt: skip
        p.prefectures.set([prefs[c] for c in doc["prefectures"]])
