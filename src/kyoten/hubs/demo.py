"""Demo hubs: the adopted hubs of the demo call at different stages, with assets and committees.

Where the hubs come from, in order of preference: the adopted proposals of the demo call (with
the awards of the allocation when the allocation app records them), else the call's submitted
proposals, else standalone hubs. The first hub is always Fukuoka's, run by the `operator` login.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from kyoten.core.enums import OrganisationKind
from kyoten.core.fiscal import fiscal_year
from kyoten.core.models import Organisation, User
from kyoten.hubs import services
from kyoten.hubs.enums import BUILDING_FORMS, STAGE_ORDER, HubCategory, Stage
from kyoten.hubs.models import (
    Asset,
    CommitteeMember,
    Contact,
    DevelopmentStage,
    Hub,
    IncubationRoom,
    Tenant,
)


@dataclass(frozen=True)
class Site:
    code: str
    theme: str
    campus: str
    address: str
    lat: float
    lon: float
    form: str
    stage: str


# Fukuoka first (the `operator` login's hub), then one or more per regional block.
SITES = [
    Site("40", "先端材料評価拠点", "九州大学 伊都キャンパス", "福岡県福岡市西区元岡744",
         33.5954, 130.2172, "new", Stage.OPERATING),
    Site("43", "半導体・精密加工拠点", "熊本大学 黒髪キャンパス", "熊本県熊本市中央区黒髪2-39-1",
         32.8149, 130.7279, "equipment_only", Stage.OPERATING),
    Site("23", "次世代ものづくり拠点", "名古屋大学 東山キャンパス", "愛知県名古屋市千種区不老町",
         35.1542, 136.9665, "extension", Stage.OPERATING),
    Site("04", "先端計測・医工連携拠点", "東北大学 青葉山キャンパス", "宮城県仙台市青葉区荒巻字青葉6-6",
         38.2553, 140.8394, "joint", Stage.HANDOVER),
    Site("01", "食と健康の科学拠点", "北海道大学 札幌キャンパス", "北海道札幌市北区北13条西8丁目",
         43.0770, 141.3410, "new", Stage.CONSTRUCTION),
    Site("34", "自動車・ものづくり拠点", "広島大学 東広島キャンパス", "広島県東広島市鏡山1-3-2",
         34.4019, 132.7126, "equipment_only", Stage.OPERATING),
    Site("37", "希少糖・バイオ拠点", "香川大学 林町キャンパス", "香川県高松市林町2217-20",
         34.3196, 134.0638, "equipment_only", Stage.COMPLETION),
    Site("27", "ライフサイエンス拠点", "大阪大学 吹田キャンパス", "大阪府吹田市山田丘2-1",
         34.8222, 135.5244, "extension", Stage.OPERATING),
    Site("13", "ナノテク共用拠点", "東京大学 本郷キャンパス", "東京都文京区本郷7-3-1",
         35.7126, 139.7620, "equipment_only", Stage.OPERATING),
    Site("15", "金属加工・材料拠点", "新潟大学 五十嵐キャンパス", "新潟県新潟市西区五十嵐2の町8050",
         37.8664, 138.9420, "new", Stage.TENDER),
    Site("26", "グリーンイノベーション拠点", "京都大学 桂キャンパス", "京都府京都市西京区京都大学桂",
         35.0007, 135.6840, "equipment_only", Stage.OPERATING),
    Site("14", "ロボット・センサー拠点", "横浜国立大学 常盤台キャンパス", "神奈川県横浜市保土ケ谷区常盤台79-1",
         35.4740, 139.5906, "joint", Stage.DESIGN),
    Site("33", "医療機器開発拠点", "岡山大学 津島キャンパス", "岡山県岡山市北区津島中1-1-1",
         34.6880, 133.9214, "equipment_only", Stage.OPERATING),
    Site("38", "紙・不織布イノベーション拠点", "愛媛大学 城北キャンパス", "愛媛県松山市文京町3",
         33.8487, 132.7717, "equipment_only", Stage.CONSTRUCTION),
    Site("20", "精密機械・光技術拠点", "信州大学 長野(工学)キャンパス", "長野県長野市若里4-17-1",
         36.6265, 138.1957, "extension", Stage.OPERATING),
    Site("47", "亜熱帯バイオ資源拠点", "琉球大学 千原キャンパス", "沖縄県中頭郡西原町千原1",
         26.2528, 127.7666, "equipment_only", Stage.HANDOVER),
]  # fmt: skip

EQUIPMENT = [
    ("透過電子顕微鏡", 7), ("走査電子顕微鏡", 7), ("X線回折装置", 7), ("X線光電子分光装置", 7),
    ("核磁気共鳴装置", 7), ("集束イオンビーム加工装置", 7), ("三次元測定機", 10),
    ("高速液体クロマトグラフ質量分析計", 6), ("レーザー加工機", 9), ("クリーンルーム設備", 15),
    ("原子間力顕微鏡", 7), ("熱分析装置", 6), ("万能試験機", 10), ("マイクロCTスキャナ", 7),
]  # fmt: skip

VENTURES = ["株式会社ナノフロンティア", "ライフテック合同会社", "株式会社マテリアルラボ",
            "グリーンセンシング株式会社", "株式会社バイオシード", "アドバンスト計測株式会社"]  # fmt: skip


def _adopted_awards(call: Any) -> dict[int, int]:
    """{proposal id: award yen} from the allocation app's adopted decision for the call."""
    return {p.pk: award for p, award in services.adopted_awards(call=call)}


def _demo_proposals() -> tuple[dict[str, tuple[Any, int]], bool]:
    """({lead prefecture code: (proposal, award yen)}, adopted?) from the demo call, if any."""
    if not services.has_proposal_link():
        return {}, False
    from kyoten.proposals.models import Proposal, ProposalStatus

    qs = Proposal.objects.select_related("call").order_by("pk")
    awards: dict[int, int] = {}
    adopted = list(qs.filter(status=ProposalStatus.ADOPTED))
    if adopted:
        awards = _adopted_awards(adopted[0].call)
        chosen = adopted
    else:
        chosen = list(qs.filter(status=ProposalStatus.SUBMITTED))
    found: dict[str, tuple[Any, int]] = {}
    for proposal in chosen:
        award = awards.get(proposal.pk) or proposal.requested_yen or 0
        if award > 0 and proposal.lead_prefecture_id not in found:
            found[proposal.lead_prefecture_id] = (proposal, award)
    return found, bool(adopted)


def _category(proposal: Any) -> str:
    """The selection category the proposal was adopted in (構想支援地域 / 基盤形成支援地域)."""
    version = getattr(proposal, "latest_version", None) if proposal is not None else None
    key = getattr(proposal, "category", "") or (
        (version.content or {}).get("category") if version else ""
    )
    return key if key in HubCategory.values else ""


def _award(rng: random.Random) -> int:
    # The December 2009 selection: typically ¥0.5–0.9 bn; a few larger.
    return rng.choice([5, 6, 7, 8, 9, 12]) * 100_000_000 + rng.randrange(0, 10) * 10_000_000


def _timeline(stage: str, today: dt.date, rng: random.Random, late: bool) -> list[dict]:
    """Planned/actual dates and money per stage, the current stage spanning today."""
    lengths = {"design": 120, "tender": 60, "construction": 240, "completion": 30, "handover": 30}
    budgets = {"design": 0.05, "tender": 0.01, "construction": 0.6, "completion": 0.02,
               "handover": 0.01}  # fmt: skip
    current = STAGE_ORDER.index(stage)
    # The current stage is a third done; operating hubs started 1–3 years ago.
    if stage == Stage.OPERATING:
        anchor = today - dt.timedelta(days=365 * rng.randint(1, 3))
    else:
        anchor = today - dt.timedelta(days=lengths[stage] // 3)
    starts: dict[str, dt.date] = {}
    day = anchor
    for code in reversed(STAGE_ORDER[:current]):
        day -= dt.timedelta(days=lengths[code])
        starts[code] = day
    day = anchor
    for code in STAGE_ORDER[current:]:
        starts[code] = day
        day += dt.timedelta(days=lengths.get(code, 0))
    rows = []
    for index, code in enumerate(STAGE_ORDER):
        if code == Stage.OPERATING:
            rows.append({"stage": code, "planned_start": starts[code],
                         "actual_start": starts[code] if index <= current else None,
                         "budget": 0.0})  # fmt: skip
            continue
        planned_end = starts[code] + dt.timedelta(days=lengths[code] - 1)
        row = {"stage": code, "planned_start": starts[code], "planned_end": planned_end,
               "budget": budgets[code]}  # fmt: skip
        if index < current:
            row["actual_start"] = starts[code]
            row["actual_end"] = planned_end
        elif index == current:
            row["actual_start"] = starts[code]
            if late:
                row["planned_end"] = today - dt.timedelta(days=rng.randint(10, 30))
        rows.append(row)
    return rows


def load(rng: random.Random) -> None:
    """Build the demo hubs. Rows are checked by the services' field checks and written in
    bulk (with their history records); the network app reindexes everything after its demo."""
    officer = User.objects.filter(username="officer").first()
    if officer is None:
        return
    operator = User.objects.filter(username="operator").first()
    today = timezone.localdate()
    by_prefecture, _adopted = _demo_proposals()
    known = {s.code for s in SITES}
    plan: list[tuple[dict[str, Any], Any, Site | None]] = []
    for index, site in enumerate(SITES):
        proposal, award = by_prefecture.get(site.code, (None, 0))
        if proposal is not None:
            fields = services.hub_fields_from_proposal(proposal, award_yen=award)
        else:
            fields = _standalone_fields(site, rng)
        fields |= {
            "stage": site.stage,
            "category": _category(proposal)
            or (HubCategory.CONCEPT if index % 3 else HubCategory.FOUNDATION),
            "address": fields.get("address") or site.address,
            "latitude": site.lat,
            "longitude": site.lon,
            "land_campus": site.campus,
            "summary": fields.get("summary")
            or f"{site.campus}に設置した{site.theme}。地域の中堅・中小企業に先端設備を開放し、"
            "技術者の育成と共同研究を進めます。",
            "how_to_use": "設備の利用は事前講習の受講後、オンラインで予約できます。"
            "初めての方はコーディネータにご相談ください。",
        }
        if fields["form"] in BUILDING_FORMS and not fields.get("land_address"):
            fields |= {
                "land_address": site.address,
                "land_area_m2": rng.choice([1500, 2000, 2500, 3000, 4000]),
                "land_provided_by": "university" if index % 2 else "prefecture",
            }
        plan.append((fields, proposal, site))
    # Adopted (or submitted) proposals of prefectures outside the list get their hub too.
    for code, (proposal, award) in sorted(by_prefecture.items()):
        if code not in known and len(plan) < 20:
            fields = services.hub_fields_from_proposal(proposal, award_yen=award)
            fields |= {"stage": Stage.DESIGN, "category": HubCategory.CONCEPT}
            plan.append((fields, proposal, None))

    hubs: list[Hub] = []
    m2m_rows: list[dict[str, Any]] = []
    slugs: set[str] = set(Hub.objects.values_list("slug", flat=True))
    for fields, proposal, _site in plan:
        plain, m2m = services.hub_fields_clean(fields)
        base = services.slug_base(plain["name"], plain["lead_prefecture"])
        slug, n = base, 1
        while slug in slugs:
            n += 1
            slug = f"{base}-{n}"
        slugs.add(slug)
        hub = Hub(slug=slug, **plain)
        if proposal is not None:
            hub.proposal = proposal
        hubs.append(hub)
        m2m_rows.append(m2m)
    hubs = bulk_create_with_history(hubs, Hub, default_user=officer)
    hubs = list(Hub.objects.filter(slug__in=[h.slug for h in hubs]).order_by("id"))
    pref_through = Hub.prefectures.through
    host_through = Hub.host_organisations.through
    pref_through.objects.bulk_create(
        pref_through(hub_id=hub.pk, prefecture_id=p.code)
        for hub, m2m in zip(hubs, m2m_rows, strict=True)
        for p in m2m.get("prefectures") or [hub.lead_prefecture]
    )
    host_through.objects.bulk_create(
        host_through(hub_id=hub.pk, organisation_id=o.pk)
        for hub, m2m in zip(hubs, m2m_rows, strict=True)
        for o in m2m.get("host_organisations") or []
    )
    if operator is not None:
        hubs[0].operators.add(operator)
    rows = _Rows()
    for index, (hub, (_fields, _proposal, site)) in enumerate(zip(hubs, plan, strict=True)):
        _furnish(rows, hub, site, index, rng, today)
    rows.save(officer)
    # One move with its history, through the service, for the first hub's register.
    first = Asset.objects.filter(hub=hubs[0], kind="equipment").order_by("id").first()
    if first is not None:
        services.asset_transfer(
            asset=first, to_location="2F 評価分析室", by=officer,
            on=first.acquired_on + dt.timedelta(days=200), reason="利用者動線の改善",
        )  # fmt: skip


class _Rows:
    def __init__(self) -> None:
        self.stages: list[DevelopmentStage] = []
        self.assets: list[Asset] = []
        self.members: list[CommitteeMember] = []
        self.contacts: list[Contact] = []
        self.rooms: list[tuple[IncubationRoom, list[Tenant]]] = []

    def save(self, user: User) -> None:
        bulk_create_with_history(self.stages, DevelopmentStage, default_user=user)
        bulk_create_with_history(self.assets, Asset, default_user=user)
        bulk_create_with_history(self.members, CommitteeMember, default_user=user)
        bulk_create_with_history(self.contacts, Contact, default_user=user)
        rooms = bulk_create_with_history([r for r, _t in self.rooms], IncubationRoom,
                                         default_user=user)  # fmt: skip
        by_key = {
            (r.hub_id, r.name): r.pk
            for r in IncubationRoom.objects.filter(hub_id__in={r.hub_id for r in rooms})
        }
        tenants = []
        for room, room_tenants in self.rooms:
            for tenant in room_tenants:
                tenant.room_id = by_key[(room.hub_id, room.name)]
                tenants.append(tenant)
        bulk_create_with_history(tenants, Tenant, default_user=user)


def _standalone_fields(site: Site, rng: random.Random) -> dict[str, Any]:
    from kyoten.core.reference import prefectures

    fact = prefectures()[site.code]
    hosts = list(
        Organisation.objects.filter(
            prefecture_id=site.code, kind=OrganisationKind.UNIVERSITY
        ).order_by("id")[:1]
    )
    start_fy = fiscal_year(timezone.localdate()) + (0 if site.stage == Stage.OPERATING else 1)
    return {
        "name": f"{fact.name_ja} {site.theme}",
        "lead_prefecture": site.code,
        "prefectures": [site.code],
        "form": site.form,
        "award_yen": _award(rng),
        "operation_start_fy": start_fy,
        "representative_name": f"{fact.name_ja}知事",
        "host_organisations": hosts,
        "goals": [
            {"kpi": "joint_research_projects", "fiscal_year": start_fy + 2, "target": 20},
            {"kpi": "sme_users", "fiscal_year": start_fy + 2, "target": 40},
            {"kpi": "joint_research_projects", "fiscal_year": start_fy + 9, "target": 60},
        ],
    }


def _furnish(
    rows: _Rows, hub: Hub, site: Site | None, index: int, rng: random.Random, today: dt.date
) -> None:
    code = hub.lead_prefecture_id
    stage = hub.stage
    late = index in (4, 9, 13)
    timeline = _timeline(stage, today, rng, late)
    for row in timeline:
        row = dict(row)
        budget = int(hub.award_yen * row.pop("budget")) // 10_000 * 10_000
        started = row.get("actual_start") is not None
        done = row.get("actual_end") is not None
        spent = budget if done else (budget // 3 if started else 0)
        if done and index == 6 and row["stage"] == Stage.CONSTRUCTION:
            spent = budget + 12_000_000  # an overrun to show
        rows.stages.append(DevelopmentStage(hub=hub, budget_yen=budget, spent_yen=spent, **row))
    # Assets exist from completion on; for two hubs they do not tie to the award yet.
    if STAGE_ORDER.index(stage) >= STAGE_ORDER.index(Stage.COMPLETION):
        completion = next(r for r in timeline if r["stage"] == Stage.COMPLETION)
        acquired = completion["planned_start"]
        remaining = hub.award_yen
        if index in (3, 8):
            remaining -= 50_000_000
        if hub.form in BUILDING_FORMS:
            cost = remaining * 55 // 100
            rows.assets.append(Asset(
                hub=hub, kind="building", name=f"{hub.name} 研究棟", acquisition_cost_yen=cost,
                acquired_on=acquired, useful_life_years=47, location=site.campus if site else "",
            ))  # fmt: skip
            remaining -= cost
        items = rng.sample(EQUIPMENT, 4)
        for n, (name, life) in enumerate(items):
            cost = remaining if n == len(items) - 1 else remaining * rng.randint(15, 35) // 100
            remaining -= cost
            rows.assets.append(Asset(
                hub=hub, kind="equipment", name=name, acquisition_cost_yen=max(cost, 1),
                acquired_on=acquired, useful_life_years=life,
                location=f"{rng.randint(1, 3)}F 共用実験室{rng.randint(1, 9)}",
            ))  # fmt: skip
    # Operating committee: led by the representative; one hub lacks industry.
    orgs = {
        kind: Organisation.objects.filter(prefecture_id=code, kind=kind).order_by("id").first()
        for kind in ("prefecture", "university", "company", "research_institute")
    }
    term_start = dt.date(fiscal_year(today), 4, 1)
    term_end = dt.date(fiscal_year(today) + 2, 3, 31)
    if stage != Stage.DESIGN:
        seats = [
            ("prefecture", hub.representative_name or "知事", "知事", True),
            ("university", "学長", "学長", False),
            ("research_institute", "所長", "所長", False),
        ]
        if index != 5:
            seats.append(("company", "代表取締役", "代表取締役", False))
        for kind, name, position, chair in seats:
            org = orgs[kind]
            if org is None:
                continue
            if not chair:
                name = f"{org.name} {name}"
            rows.members.append(CommitteeMember(
                hub=hub, name=name[:100], position=position, organisation=org, is_chair=chair,
                term_start=term_start, term_end=term_end,
            ))  # fmt: skip
    for role, name, org in (
        ("facility", "施設管理 担当", orgs["university"]),
        ("coordinator", "産学連携コーディネータ", orgs["prefecture"]),
        ("ip_office", "知的財産室", orgs["university"]),
    ):
        rows.contacts.append(Contact(hub=hub, role=role, name=name, organisation=org,
                                     email=f"{role.replace('_', '-')}{hub.pk}@example.jp"))  # fmt: skip
    if stage == Stage.OPERATING:
        for n in range(1, 3):
            entered = today - dt.timedelta(days=rng.randint(400, 700))
            graduated = entered + dt.timedelta(days=rng.randint(200, 360))
            names = rng.sample(VENTURES, 2)
            rows.rooms.append((
                IncubationRoom(hub=hub, name=f"IR-{n}", area_m2=40),
                [Tenant(venture=names[0], entered_on=entered, graduated_on=graduated),
                 Tenant(venture=names[1], entered_on=graduated + dt.timedelta(days=1))],
            ))  # fmt: skip
