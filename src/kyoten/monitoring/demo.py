"""Demo follow-up: targets, several years of annual reports, advice with answers, site visits.

Every operating demo hub gets its targets taken over from its proposal's goals and one report
per finished fiscal year since operation start: most accepted, the latest year submitted or
returned, one missing (an alert). Hubs perform differently (some on track, some at risk, some
off track). The `operator` login's hub also has a draft for the current year whose platform
figures come from its real demo bookings. The `committee` login writes advice to a region, to
JST and to the state; some is answered and closed, some still open (one overdue).

The hub's own work is on record (issue 19): every demo hub gets joint research projects with
partners and funding, technical consultations at its coordinator desk (some leading to a booking,
a project or a referral) and patent applications with licences, all through the services. The
reports' record-based KPIs (`services.RECORD_KPIS`, ventures from the incubation tenants the hubs
demo recorded) are the figures these records give, never typed.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from kyoten.core.enums import Role
from kyoten.core.fiscal import fiscal_year, fiscal_year_end, fiscal_year_start
from kyoten.core.models import User
from kyoten.hubs.enums import Stage
from kyoten.hubs.models import Hub
from kyoten.monitoring import kpis, selectors, services
from kyoten.monitoring.enums import ActualSource, Addressee, ReportStatus
from kyoten.monitoring.models import (
    Advice,
    AnnualReport,
    KpiActual,
    KpiTarget,
)

# How well each hub does against its targets (share of the target reached), by hub index.
PROFILES = [0.82, 1.08, 0.62, 0.95, 1.15, 0.74, 1.02, 0.55, 0.9, 1.2]

CHECKS = [
    "事業運営委員会で設備稼働率と共同研究件数を目標と照合し、中小企業の利用が伸び悩んでいることを確認した。",
    "利用者アンケート（回答{n}件）で予約の取りにくさと講習の待ち時間が課題に挙がった。",
    "外部資金の獲得状況を点検し、大型の競争的資金への応募が少ないことを確認した。",
]
ACTS = [
    "夜間・土曜の開館を試行し、県内の商工会議所と共同で設備説明会を年{n}回開く。",
    "講習を月2回に増やし、オンライン予約の事前審査を簡素化する。",
    "コーディネータを1名増員し、共同研究の提案を支援する。",
]

ADVICE = [
    # (addressee, hub index or None, title, body, due in days from today, state)
    (Addressee.REGION, 0, "中堅・中小企業の利用拡大",
     "設備稼働率は伸びているが、中堅・中小企業の利用が目標を下回っている。県の産業支援機関と連携し、"
     "利用料の減免や技術相談の窓口を設けるなど、利用拡大の具体策を講じられたい。", -200, "closed"),
    (Addressee.REGION, 0, "自立的運営に向けた資金計画の見直し",
     "自己収入比率が計画を下回っている。利用料体系と受託研究の拡大を含め、10年目までの資金計画を見直されたい。",
     45, "answered"),
    (Addressee.REGION, 2, "共同研究件数の目標達成に向けて",
     "共同研究件数が2年続けて目標の7割に届いていない。原因の分析と改善策を次回報告までに示されたい。",
     -20, "open"),
    (Addressee.JST, None, "拠点間の設備相互利用の促進",
     "拠点ネットワーク全体で設備の相互利用を進めるため、他拠点利用時の料金の一本化と予約窓口の共通化を検討されたい。",
     60, "answered"),
    (Addressee.STATE, None, "府省の事業との連携",
     "経済産業省・文部科学省の地域振興施策と拠点の活動を結び付け、拠点を各府省の事業で活用できるよう情報提供を求める。",
     90, "open"),
]  # fmt: skip

RESPONSES = {
    "中堅・中小企業の利用拡大": (
        "県産業振興財団と連携し、中小企業向けの利用料を3割減免する制度を設けた。",
        "減免制度の創設（翌年度から）、技術相談窓口の開設、説明会を県内4か所で開催。",
    ),
    "自立的運営に向けた資金計画の見直し": (
        "利用料体系を見直し、受託分析の料金表を新設する案を事業運営委員会に諮る。",
        "料金改定案を作成中。受託研究の営業担当を1名配置。",
    ),
    "拠点間の設備相互利用の促進": (
        "JSTとして、他拠点の設備を所属拠点経由で一括請求できる仕組みを整えた。",
        "一括請求（ワンストップ請求）を全拠点で開始。予約窓口の共通化は次年度に検討。",
    ),
}


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _quantise(kpi: kpis.Kpi, value: float) -> Decimal:
    value = max(0.0, value)
    if kpi.max_value is not None:
        value = min(float(kpi.max_value), value)
    places = Decimal("0.1") if kpi.unit == kpis.PERCENT else Decimal("1")
    return Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP)


def load(rng: random.Random) -> None:
    officer, operator, committee = _user("officer"), _user("operator"), _user("committee")
    if officer is None or committee is None:
        return
    today = timezone.localdate()
    current = fiscal_year(today)
    hubs = [
        h
        for h in Hub.objects.order_by("id").select_related("lead_prefecture")
        if h.stage == Stage.OPERATING
        and services.operation_start(h) is not None
        and services.operation_start(h) < current
    ]
    if not hubs:
        return
    _targets(hubs, officer)
    _records(rng, hubs, officer, operator, today)
    _reports(rng, hubs, officer, current)
    if operator is not None and operator in hubs[0].operators.all():
        # The current year's draft of the operator's hub: platform figures from its bookings.
        if not AnnualReport.objects.filter(hub=hubs[0], fiscal_year=current).exists():
            services.report_create(
                hub=hubs[0],
                fiscal_year=current,
                by=operator,
                pdca={"plan": "今年度は中小企業の利用拡大を重点とする。"},
            )
    _advice(rng, hubs, committee, officer, operator, today)
    _visits(rng, hubs, committee, today)


def _targets(hubs: list[Hub], officer: User) -> None:
    rows = []
    for hub in hubs:
        schedule = kpis.target_schedule(
            services.hub_goals(hub), operation_start_fy=services.operation_start(hub)
        )
        rows += [
            KpiTarget(hub=hub, kpi=p.kpi, fiscal_year=p.fiscal_year, target=p.target,
                      source=p.source, updated_by=officer)
            for p in schedule
        ]  # fmt: skip
    bulk_create_with_history(rows, KpiTarget, default_user=officer)


def _financials(rng: random.Random, hub: Hub, fy: int, factor: float) -> dict:
    plan = services.funding_plan(hub).get(fy)
    if plan is None:
        plan = {
            "revenue_yen": {"usage_fees": 20_000_000, "joint_research": 12_000_000,
                            "prefecture": 60_000_000},
            "cost_yen": {"staff": 45_000_000, "maintenance": 30_000_000, "utilities": 12_000_000},
        }  # fmt: skip
    revenue = {}
    for line, amount in (plan.get("revenue_yen") or {}).items():
        share = 1.0 if line in kpis.PUBLIC_REVENUE_LINES else factor * rng.uniform(0.9, 1.1)
        revenue[line] = int(amount * share) // 1000 * 1000
    cost = {
        line: int(amount * rng.uniform(0.95, 1.08)) // 1000 * 1000
        for line, amount in (plan.get("cost_yen") or {}).items()
    }
    return {"revenue_yen": revenue, "cost_yen": cost, "jst_operating_yen": 0}


def _reports(rng: random.Random, hubs: list[Hub], officer: User, current: int) -> None:
    operator = _user("operator")
    reports: list[AnnualReport] = []
    plans: list[tuple[AnnualReport, float]] = []
    now = timezone.now()
    for index, hub in enumerate(hubs):
        factor = PROFILES[index % len(PROFILES)]
        start = services.operation_start(hub)
        first = start
        last = current - 1
        for fy in range(first, last + 1):
            if index == 3 and fy == last:
                continue  # a missing report: an alert for the officer and the committee
            if fy < last:
                status = ReportStatus.ACCEPTED
            elif index % 4 == 2:
                status = ReportStatus.RETURNED
            else:
                status = ReportStatus.SUBMITTED if index % 2 else ReportStatus.ACCEPTED
            # Hubs improve (or slip) a little year by year.
            trend = factor * (1 + 0.01 * (fy - first) * (1 if factor >= 0.8 else -1))
            n = rng.randint(12, 60)
            report = AnnualReport(
                hub=hub,
                fiscal_year=fy,
                status=status,
                financials=_financials(rng, hub, fy, trend),
                pdca={
                    "plan": f"FY{fy}の年度計画に基づき、共同研究の拡大と設備の共用を進める。",
                    "do": f"共同研究{n}件の調整、設備講習、企業訪問を実施した。",
                    "check": rng.choice(CHECKS).format(n=n),
                    "act": rng.choice(ACTS).format(n=rng.randint(3, 8)),
                },
                summary=f"FY{fy}は目標の概ね{round(trend * 100)}%を達成した。",
                return_reason="外部資金の内訳（競争的資金・受託研究の別）を追記してください。"
                if status == ReportStatus.RETURNED
                else "",
                created_by=operator if index == 0 else officer,
                submitted_at=now,
                submitted_by=operator if index == 0 else officer,
                decided_at=now
                if status in (ReportStatus.ACCEPTED, ReportStatus.RETURNED)
                else None,
                decided_by=officer if status != ReportStatus.SUBMITTED else None,
            )
            reports.append(report)
            plans.append((report, trend))
    bulk_create_with_history(reports, AnnualReport, default_user=officer)
    saved = {(r.hub_id, r.fiscal_year): r for r in AnnualReport.objects.filter(
        hub__in=[h.pk for h in hubs])}  # fmt: skip
    targets: dict[tuple[int, str, int], Decimal] = {
        (hub.pk, key, fy): row.target
        for hub in hubs
        for (key, fy), row in selectors.effective_targets(hub).items()
    }
    actuals = []
    # Each hub is better at some things than others.
    knack = {(h.pk, k): rng.uniform(0.85, 1.12) for h in hubs for k in kpis.CATALOGUE}
    for report, trend in plans:
        row = saved[(report.hub_id, report.fiscal_year)]
        derived = kpis.financial_kpis(row.financials)
        for key, kpi in kpis.CATALOGUE.items():
            target = targets.get((row.hub_id, key, row.fiscal_year))
            if key in derived and target is None:
                actuals.append(KpiActual(report=row, kpi=key, value=derived[key],
                                         source=ActualSource.FINANCIAL))  # fmt: skip
                continue
            if target is not None:
                share = trend * knack[(row.hub_id, key)] * rng.uniform(0.95, 1.05)
                value = _quantise(kpi, float(target) * share)
            elif kpi.source == kpis.REPORTED or kpi.source == kpis.PLATFORM:
                value = _quantise(kpi, _typical(kpi, rng) * trend)
            else:
                continue
            actuals.append(
                KpiActual(report=row, kpi=key, value=value, source=ActualSource.REPORTED)
            )
    bulk_create_with_history(actuals, KpiActual, default_user=officer)
    # The record-based KPIs are what the hub's registers give: computed, never typed.
    for report, _trend in plans:
        row = saved[(report.hub_id, report.fiscal_year)]
        figures = services.record_figures(row.hub, row.fiscal_year)
        for key in services.RECORD_KPIS:
            value = figures[key]
            KpiActual.objects.update_or_create(
                report=row,
                kpi=key,
                defaults={"value": value, "source": ActualSource.PLATFORM,
                          "platform_value": value, "note": ""},
            )  # fmt: skip


def _typical(kpi: kpis.Kpi, rng: random.Random) -> float:
    """A plausible yearly figure for a KPI the proposal set no goal for."""
    typical = {
        "sme_share_pct": 45, "equipment_utilisation_pct": 48, "trainees": 60, "usage_revenue_yen":
        18_000_000, "ventures_incubated": 4, "ventures_graduated": 1, "patents_filed": 6,
        "patents_licensed": 1, "external_funding_yen": 120_000_000, "coordinators": 3,
        "training_courses": 12, "collaborating_universities": 5, "equipment_downtime_pct": 4,
        "companies_using": 70, "sme_users": 45, "engineers_trained": 40,
        "joint_research_projects": 25,
    }  # fmt: skip
    return typical.get(kpi.key, 10) * rng.uniform(0.8, 1.2)


def _advice(rng, hubs, committee, officer, operator, today) -> None:
    observer = _user("observer")
    for addressee, hub_index, title, body, due_days, state in ADVICE:
        hub = None
        if hub_index is not None:
            if hub_index >= len(hubs):
                continue
            hub = hubs[hub_index]
        advice = services.advice_create(
            by=committee,
            addressee=addressee,
            hub=hub,
            title=title,
            body=body,
            due_date=today + dt.timedelta(days=due_days),
            fiscal_year=fiscal_year(today) - 1,
        )
        created = timezone.now() - dt.timedelta(days=max(30, 60 - due_days))
        Advice.objects.filter(pk=advice.pk).update(created_at=created)
        if state not in ("answered", "closed") or title not in RESPONSES:
            continue
        if addressee == Addressee.REGION:
            who = operator if operator and operator in hub.operators.all() else None
            who = who or hub.operators.order_by("id").first()
        elif addressee == Addressee.JST:
            who = officer
        else:
            who = observer or officer
        if who is None:
            continue  # nobody runs the hub yet: the advice stays open
        answer, action = RESPONSES[title]
        services.advice_respond(advice=advice, by=who, body=answer, action_taken=action)
        if state == "closed":
            services.advice_close(
                advice=advice, by=committee, note="対応を確認した。次回の現地調査で効果を確認する。"
            )


def _visits(rng, hubs, committee, today) -> None:
    for index, hub in enumerate(hubs[:4]):
        services.site_visit_record(
            hub=hub,
            by=committee,
            visited_on=today - dt.timedelta(days=60 + 45 * index),
            visitors="産学官イノベーション創出拠点推進委員会 委員2名、JST事業担当",
            notes=rng.choice(
                [
                    "共用設備の稼働状況と講習の実施状況を確認。クリーンルームの予約が集中している。",
                    "インキュベーション施設の入居ベンチャー3社と面談。販路開拓の支援を求める声があった。",
                    "事業運営委員会の議事録を確認。県・大学・産業界の委員がそろい、年4回開催されている。",
                ]
            ),
        )


# ---------------------------------------------------------------- the hub's own work (issue 19)

COMPANIES = [
    ("肥後精密工業株式会社", "sme", "43"), ("株式会社九州セラミックス", "sme", "40"),
    ("東邦電機株式会社", "large", "13"), ("株式会社みなと化成", "midsize", "27"),
    ("有限会社山陰金型", "micro", "32"), ("北斗光学株式会社", "sme", "01"),
    ("中部複合材料株式会社", "midsize", "23"), ("株式会社瀬戸内バイオ", "sme", "34"),
]  # fmt: skip
UNIVERSITIES = [("九州大学", "40"), ("名古屋大学", "23"), ("東北大学", "04"), ("広島大学", "34")]
THEMES = [
    "次世代パワー半導体の評価技術", "高耐熱樹脂の成形プロセス", "微細加工による光学部品の試作",
    "食品残渣からの機能性素材の抽出", "金属3Dプリンタ造形品の品質評価", "リチウムイオン電池の劣化解析",
    "センサ用薄膜の低温成膜", "医療機器向け精密部品の表面処理",
]  # fmt: skip
SUBJECTS = [
    "試作品の断面観察をしたい", "めっき膜の密着不良の原因を知りたい", "樹脂部品の熱変形を評価したい",
    "X線CTで内部欠陥を調べたい", "新素材の組成分析の方法を相談したい", "共同で製品開発できる大学を探したい",
]  # fmt: skip
# Yearly figures for a hub without a goal on a record KPI, scaled by its profile.
TYPICAL_RECORDS = {"joint_research_projects": 12, "consultations": 24, "patents_filed": 5,
                   "patents_licensed": 1, "external_funding_yen": 60_000_000}  # fmt: skip
# At most this many records a hub and year, so that `kyoten demo` stays quick.
RECORD_CAPS = {"joint_research_projects": 30, "consultations": 12, "patents_filed": 4,
               "patents_licensed": 2}  # fmt: skip


def _coordinator(hub: Hub, index: int, officer: User, operator: User | None) -> User:
    """The hub's coordinator: the `operator` login at its own hub, else a demo staff login."""
    if operator is not None and hub.operators.filter(pk=operator.pk).exists():
        user = operator
    else:
        from kyoten.core.demo import DEMO_PASSWORD

        user = User(
            username=f"coordinator{index + 1}",
            role=Role.OPERATOR,
            display_name=f"コーディネータ {hub.name}",
            prefecture=hub.lead_prefecture,
            email=f"coordinator{index + 1}@example.jp",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        hub.operators.add(user)
    services.coordinator_appoint(hub=hub, user=user, by=officer)
    return user


def _wanted(targets, hub: Hub, key: str, fy: int, share: float) -> int:
    target = targets.get((key, fy))
    base = float(target.target) if target is not None else TYPICAL_RECORDS[key]
    wanted = max(0, round(base * share))
    return min(wanted, RECORD_CAPS[key]) if key in RECORD_CAPS else wanted


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _records(rng, hubs: list[Hub], officer: User, operator: User | None, today) -> None:
    from kyoten.equipment.models import Booking

    current = fiscal_year(today)
    for index, hub in enumerate(hubs):
        factor = PROFILES[index % len(PROFILES)]
        coordinator = _coordinator(hub, index, officer, operator)
        targets = selectors.effective_targets(hub)
        own = hub.lead_prefecture.code
        others = [h for h in hubs if h.pk != hub.pk]
        for fy in range(services.operation_start(hub), current + 1):
            first = fiscal_year_start(fy)
            last = min(fiscal_year_end(fy), today)
            if last <= first:
                continue
            # The current year is under way: the share of it that has passed.
            part = min(1.0, ((last - first).days + 1) / 365)
            share = factor * rng.uniform(0.9, 1.1) * part
            n_projects = _wanted(targets, hub, "joint_research_projects", fy, share)
            external = _wanted(targets, hub, "external_funding_yen", fy, share)
            projects = []
            for i in range(n_projects):
                company, size, pref = rng.choice(COMPANIES)
                univ, upref = rng.choice(UNIVERSITIES)
                start = _day(rng, first, min(last, first + dt.timedelta(days=150)))
                received = _day(rng, start, last)
                funding = [
                    {"source": "company", "funder": company,
                     "amount_yen": external // max(1, n_projects) // 1000 * 1000,
                     "received_on": received},
                    # The hub's own prefecture's money: on record, not external funding.
                    {"source": "prefecture", "prefecture": own, "amount_yen": 2_000_000,
                     "received_on": received},
                ]  # fmt: skip
                projects.append(
                    services.joint_research_create(
                        hub=hub,
                        by=officer,
                        title=f"{rng.choice(THEMES)}（{fy}-{i + 1}）",
                        contract_type=rng.choice(["joint", "joint", "commissioned", "consortium"]),
                        contract_start=start,
                        contract_end=fiscal_year_end(fy),
                        partners=[
                            {
                                "name": company,
                                "kind": "company",
                                "size_class": size,
                                "prefecture": pref,
                            },
                            {"name": univ, "kind": "university", "prefecture": upref},
                        ],  # fmt: skip
                        funding=funding,
                        papers=rng.randint(0, 2),
                        patents=rng.randint(0, 1),
                        products=rng.randint(0, 1),
                        partners_agree_to_publish=i % 3 == 0,
                        public_summary=f"{company}と{univ}による共同研究。" if i % 3 == 0 else "",
                    )
                )
            bookings = list(
                Booking.objects.filter(
                    equipment__hub=hub, start__date__gte=first, start__date__lte=last
                ).values_list("pk", flat=True)[:10]
            )
            n_consult = _wanted(targets, hub, "consultations", fy, share)
            for i in range(n_consult):
                company, size, pref = rng.choice(COMPANIES)
                received = _day(rng, first, last)
                led = {}
                roll = rng.random()
                if roll < 0.2 and projects:
                    led = {"project": projects[i % len(projects)].pk}
                elif roll < 0.35 and bookings:
                    led = {"booking": bookings[i % len(bookings)]}
                elif roll < 0.45 and others:
                    led = {"referral_hub": rng.choice(others).pk}
                answered = min(received + dt.timedelta(days=rng.randint(1, 14)), today)
                services.consultation_create(
                    hub=hub,
                    by=coordinator,
                    received_on=received,
                    company_name=company,
                    size_class=size,
                    prefecture=pref,
                    subject=rng.choice(SUBJECTS),
                    question="試作品の評価方法について相談したい。",
                    answer="拠点の設備と担当者を紹介し、評価の手順を説明した。",
                    answered_on=answered,
                    **led,
                )
            n_filed = _wanted(targets, hub, "patents_filed", fy, share)
            n_licensed = min(n_filed, _wanted(targets, hub, "patents_licensed", fy, share))
            for i in range(n_filed):
                filed = _day(rng, first, min(last, first + dt.timedelta(days=180)))
                licences = []
                if i < n_licensed:
                    licences = [{"kind": "licence" if i % 2 == 0 else "transfer",
                                 "licensee": rng.choice(COMPANIES)[0],
                                 "licensed_on": _day(rng, filed, last)}]  # fmt: skip
                services.patent_create(
                    hub=hub,
                    by=officer,
                    application_number=f"特願{fy}-{hub.pk:03d}{i + 1:03d}",
                    title=f"{rng.choice(THEMES)}に関する方法",
                    filed_on=filed,
                    holders=f"{hub.name}、{rng.choice(COMPANIES)[0]}",
                    project=projects[i % len(projects)].pk if projects else None,
                    licences=licences,
                )
