"""Demo network: thousands of experts, projects, results, company needs, news and events across
the 47 prefectures, in realistic Japanese, then the whole search index (hubs and equipment too)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from kyoten.core.demo import FAMILY, GIVEN, UNIVERSITIES
from kyoten.core.models import User
from kyoten.core.reference import BLOCKS, prefectures
from kyoten.network.enums import ExpertRole, Field, NeedStatus, NewsKind, ResultKind, Scope
from kyoten.network.indexing import reindex_all
from kyoten.network.models import CompanyNeed, Expert, News, Project, Result, Subscription
from kyoten.network.validators import orcid_check_digit

N_EXPERTS = 1500
N_PROJECTS = 800
N_RESULTS = 900
N_NEEDS = 450
N_NEWS = 350

# field → (topic words, equipment / technique words)
VOCAB: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Field.MATERIALS: (
        ("金属材料", "セラミックス", "炭素繊維複合材料", "薄膜材料", "磁性材料", "表面処理", "軽量材料"),
        ("走査型電子顕微鏡（SEM）", "X線回折装置", "透過型電子顕微鏡（TEM）", "蛍光X線分析装置", "引張試験機"),
    ),
    Field.MEDICAL: (
        ("医療機器", "再生医療", "画像診断", "医薬品開発", "介護支援", "ヘルスケアサービス"),
        ("X線CT装置", "共焦点レーザー顕微鏡", "細胞培養設備", "生体信号計測装置", "MRI"),
    ),
    Field.FOOD: (
        ("機能性食品", "発酵食品", "食品加工", "地域特産品", "醸造技術", "食品の安全"),
        ("X線異物検査装置", "液体クロマトグラフ質量分析計（LC-MS）", "官能評価室", "凍結乾燥機"),
    ),
    Field.ROBOTICS: (
        ("産業用ロボット", "介護ロボット", "自動化ライン", "ドローン", "画像認識", "協働ロボット"),
        ("モーションキャプチャ", "ロボットアーム", "3次元測定機", "試作用3Dプリンタ"),
    ),
    Field.ELECTRONICS: (
        ("半導体デバイス", "パワーエレクトロニクス", "光学部品", "センサー", "レーザー加工"),
        ("クリーンルーム", "電子線描画装置", "原子間力顕微鏡（AFM）", "EMC試験設備"),
    ),
    Field.ENERGY: (
        ("燃料電池", "水素エネルギー", "太陽電池", "蓄電池", "バイオマス発電"),
        ("電池評価装置", "熱分析装置（DSC）", "ガスクロマトグラフ"),
    ),
    Field.ENVIRONMENT: (
        ("水処理", "リサイクル", "脱炭素", "環境モニタリング", "廃棄物の資源化"),
        ("ICP発光分光分析装置", "TOC計", "環境試験室"),
    ),
    Field.ICT: (
        ("AI", "IoT", "データ解析", "情報セキュリティ", "デジタルツイン"),
        ("GPUサーバー", "無線通信評価システム", "高性能計算機"),
    ),
    Field.MANUFACTURING: (
        ("精密加工", "金型", "鋳造", "溶接", "ものづくり中小企業支援"),
        ("5軸マシニングセンタ", "金属3Dプリンタ", "X線CT検査装置", "表面粗さ測定機"),
    ),
    Field.BIO: (
        ("ゲノム解析", "微生物", "細胞培養", "バイオ医薬", "酵素"),
        ("次世代シーケンサー", "フローサイトメーター", "核磁気共鳴装置（NMR）"),
    ),
    Field.AGRICULTURE: (
        ("スマート農業", "水産加工", "林業", "畜産", "植物工場"),
        ("成分分析装置", "近赤外分光装置", "環境制御温室"),
    ),
    Field.CHEMISTRY: (
        ("触媒", "高分子材料", "分析化学", "有機合成", "塗料"),
        ("フーリエ変換赤外分光光度計（FT-IR）", "質量分析計", "X線光電子分光装置（XPS）"),
    ),
}  # fmt: skip

POSITIONS = ["教授", "准教授", "講師", "助教", "主任研究員", "研究員", "産学連携コーディネーター",
             "技術専門職員"]  # fmt: skip
COMPANY_KINDS = ["精密工業", "化成", "電子", "製作所", "食品", "メディカル", "技研", "マテリアル",
                 "ロボティクス", "バイオ"]  # fmt: skip
PLACES = ["精密", "北辰", "東洋", "みらい", "光", "若葉", "大和", "ひかり", "昭和", "菱"]
PURPOSES = ["品質評価", "不良解析", "試作", "製品開発", "信頼性試験", "量産化", "コスト削減"]
NEWS_TEMPLATES = [
    "{equip}の利用講習会を開催します",
    "{topic}セミナーのお知らせ",
    "{block}地域 拠点連携フォーラム「{topic}の未来」",
    "中小企業向け{equip}無料体験会",
    "{topic}に関する共同研究の公募を開始しました",
    "技術者養成講座（{topic}）受講者募集",
]


def _orcid(rng: random.Random) -> str:
    base = "0000000" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    digits = base + orcid_check_digit(base)
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def _owner(rng, hubs, blocks_of_hub):
    """(scope, hub, block, prefecture code) for a new entry: mostly a hub, else a region."""
    if hubs and rng.random() < 0.75:
        hub = rng.choice(hubs)
        return Scope.HUB, hub, blocks_of_hub[hub.pk], hub.lead_prefecture_id
    code = rng.choice(list(prefectures()))
    return Scope.REGION, None, prefectures()[code].block, code


def _common(rng, hubs, blocks_of_hub, field, user) -> dict:
    scope, hub, block, code = _owner(rng, hubs, blocks_of_hub)
    return {
        "scope": scope,
        "hub": hub,
        "block": block,
        "prefecture_id": code,
        "field": field,
        "public": rng.random() > 0.03,
        "created_by": user,
    }


def load(rng: random.Random) -> None:
    from kyoten.hubs.models import Hub

    hubs = list(Hub.objects.only("id", "name", "lead_prefecture_id"))
    blocks_of_hub = {h.pk: prefectures()[h.lead_prefecture_id].block for h in hubs}
    officer = User.objects.filter(username="officer").first()
    fields = list(VOCAB)
    now = timezone.now()

    def field_words():
        field = rng.choice(fields)
        topics, equips = VOCAB[field]
        return field, rng.choice(topics), rng.choice(equips)

    experts = []
    for i in range(N_EXPERTS):
        field, topic, equip = field_words()
        topic2 = rng.choice(VOCAB[field][0])
        position = rng.choice(POSITIONS)
        role = (
            ExpertRole.COORDINATOR
            if "コーディネーター" in position
            else ExpertRole.ENGINEER
            if "技術" in position
            else ExpertRole.RESEARCHER
        )
        univ = rng.choice(UNIVERSITIES)
        experts.append(
            Expert(
                name=f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
                role=role,
                position=position,
                affiliation=univ if rng.random() < 0.8 else f"{rng.choice(PLACES)}{rng.choice(COMPANY_KINDS)}株式会社",
                profile=f"{topic}と{topic2}を専門とする。{equip}を用いた評価・解析で企業との共同研究多数。",
                keywords=f"{topic}, {topic2}, {equip}",
                erad_number=f"{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.7 else "",
                orcid=_orcid(rng) if rng.random() < 0.5 else "",
                researchmap_id=f"rm_{i:05d}" if rng.random() < 0.6 else "",
                **_common(rng, hubs, blocks_of_hub, field, officer),
            )
        )  # fmt: skip
    Expert.objects.bulk_create(experts, batch_size=1000)

    projects = []
    for _ in range(N_PROJECTS):
        field, topic, equip = field_words()
        start = dt.date(rng.randint(2011, 2024), rng.randint(1, 12), 1)
        company = f"{rng.choice(PLACES)}{rng.choice(COMPANY_KINDS)}株式会社"
        projects.append(
            Project(
                title=f"{equip}を活用した{topic}の{rng.choice(PURPOSES)}に関する共同研究",
                summary=f"{company}と{rng.choice(UNIVERSITIES)}が、拠点の{equip}を用いて{topic}の{rng.choice(PURPOSES)}に取り組む。",
                partners="\n".join([company, rng.choice(UNIVERSITIES), "県工業技術センター"]),
                start_date=start,
                end_date=start + dt.timedelta(days=365 * rng.randint(1, 4)),
                outcome=rng.choice(["", "試作品が完成し、製品化を検討中。", "特許出願1件。", "論文2報を発表。"]),
                keywords=f"{topic}, {equip}",
                **_common(rng, hubs, blocks_of_hub, field, officer),
            )
        )  # fmt: skip
    projects = Project.objects.bulk_create(projects, batch_size=1000)

    results = []
    for _ in range(N_RESULTS):
        field, topic, equip = field_words()
        kind = rng.choice(ResultKind.values)
        year = rng.randint(2011, 2025)
        if kind == ResultKind.PATENT:
            title, ident = (
                f"{topic}の製造方法及び{topic}",
                f"特願{year}-{rng.randint(1000, 99999):06d}",
            )
        elif kind == ResultKind.PRODUCT:
            title, ident = (
                f"{topic}向け{rng.choice(['検査装置', '評価キット', '部品', '試作品'])}",
                "",
            )
        else:
            title = f"{equip}による{topic}の{rng.choice(['評価', '解析', '特性評価', '構造解析'])}"
            ident = f"10.{rng.randint(1000, 9999)}/kyoten.{year}.{rng.randint(1, 999)}"
        results.append(
            Result(
                kind=kind, title=title, identifier=ident, year=year,
                summary=f"{topic}について{equip}を用いた成果。", keywords=topic,
                project=rng.choice(projects) if rng.random() < 0.5 else None,
                **_common(rng, hubs, blocks_of_hub, field, officer),
            )
        )  # fmt: skip
    Result.objects.bulk_create(results, batch_size=1000)

    needs = []
    for _ in range(N_NEEDS):
        field, topic, equip = field_words()
        purpose = rng.choice(PURPOSES)
        company = f"{rng.choice(PLACES)}{rng.choice(COMPANY_KINDS)}株式会社"
        needs.append(
            CompanyNeed(
                company_name=company, is_sme=rng.random() < 0.8,
                title=f"{topic}の{purpose}ができる設備と専門家を探しています",
                description=f"当社（{company}）は{topic}の{purpose}を検討しています。{equip}を使える拠点や、助言いただける研究者を探しています。",
                keywords=f"{topic}, {equip.split('（')[0]}",
                status=rng.choice([NeedStatus.OPEN] * 4 + [NeedStatus.MATCHED, NeedStatus.CLOSED]),
                **_common(rng, hubs, blocks_of_hub, field, officer),
            )
        )  # fmt: skip
    CompanyNeed.objects.bulk_create(needs, batch_size=1000)

    news = []
    for i in range(N_NEWS):
        field, topic, equip = field_words()
        common = _common(rng, hubs, blocks_of_hub, field, officer)
        if i % 10 == 0:
            common.update(scope=Scope.NATIONWIDE, hub=None, block="", prefecture_id=None)
        kind = NewsKind.EVENT if rng.random() < 0.6 else NewsKind.NEWS
        published = now - dt.timedelta(days=rng.randint(0, 120), hours=rng.randint(0, 23))
        starts = (
            published + dt.timedelta(days=rng.randint(7, 60)) if kind == NewsKind.EVENT else None
        )
        block_name = BLOCKS[common["block"]][0] if common["block"] else "全国"
        news.append(
            News(
                kind=kind,
                title=rng.choice(NEWS_TEMPLATES).format(equip=equip, topic=topic, block=block_name),
                body=f"{topic}に関心のある企業・研究者の皆様のご参加をお待ちしています。{equip}の実演も行います。",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=3) if starts else None,
                place=common["hub"].name if common["hub"] else f"{block_name}地域 会場",
                published_at=published,
                **common,
            )
        )  # fmt: skip
    News.objects.bulk_create(news, batch_size=1000)

    for username, blocks, flds in (
        ("sme", ["kyushu"], [Field.MATERIALS, Field.MANUFACTURING]),
        ("observer", [], []),
        ("operator", ["kyushu"], []),
    ):
        user = User.objects.filter(username=username).first()
        if user is not None:
            Subscription.objects.update_or_create(
                user=user, defaults={"blocks": blocks, "fields": [str(f) for f in flds]}
            )

    reindex_all()
