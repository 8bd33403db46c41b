"""Synthetic data at SPEC §5's volume for `kyoten generate --scale demo|national [--seed N]`.

The generator lives in the network app because it is last in the lifecycle: it may use every
app before it. It starts from the demo data set (a consistent program, calls, proposals, review,
allocation, hubs, reports, network), then adds the national volume with bulk inserts, never
model by model: organisations and people, hubs up to 50, machines up to 5,000 with their fees,
bookings up to 1,000,000 (ten years, no overlaps on a machine), experts up to the 100,000
entries of the directory, and finally the search index in one bulk load. `fraction` scales
every national volume (a test runs at 0.001).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

NATIONAL = {
    "hubs": 50,
    "equipment": 5_000,
    "bookings": 1_000_000,
    "directory": 100_000,
    "organisations": 2_000,
    "users": 3_000,
    "reviewers": 100,
}
BATCH = 1_000

SURNAMES = "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 清水".split()
GIVEN = "翔太 蓮 陽翔 湊 大翔 結衣 陽菜 美咲 葵 さくら 健一 誠 直樹 恵子 裕子 和也 拓也 彩 真由美 隆".split()
COMPANY_WORDS = "精密 電子 化学 工業 製作所 技研 バイオ マテリアル 食品 システム".split()
TOPICS = [
    ("materials", "高機能材料の評価", "炭素繊維 複合材料 X線回折"),
    ("medical", "医療機器の開発", "生体適合 センサ 臨床"),
    ("food", "食品の機能性評価", "発酵 成分分析 保存"),
    ("robotics", "協働ロボットの制御", "画像認識 自動化 マニピュレータ"),
    ("electronics", "パワー半導体の実装", "SiC 熱設計 信頼性"),
    ("energy", "水素エネルギーの利用", "燃料電池 蓄電 触媒"),
    ("environment", "環境負荷の低減", "リサイクル 水処理 大気"),
    ("ict", "データ連携基盤", "IoT 機械学習 セキュリティ"),
    ("manufacturing", "ものづくりの高度化", "切削 3Dプリンタ 計測"),
    ("bio", "バイオ医薬の製造", "細胞培養 ゲノム 抗体"),
    ("agriculture", "スマート農業", "施設園芸 ドローン 品種"),
    ("chemistry", "機能性化学品の合成", "有機合成 高分子 触媒"),
]
MACHINES = [
    ("analysis", "X線回折装置"),
    ("microscopy", "走査電子顕微鏡"),
    ("microscopy", "透過電子顕微鏡"),
    ("spectroscopy", "核磁気共鳴装置"),
    ("mass_spectrometry", "液体クロマトグラフ質量分析計"),
    ("thermal", "示差走査熱量計"),
    ("bio", "次世代シーケンサー"),
    ("processing", "スパッタ成膜装置"),
    ("fabrication", "5軸マシニングセンタ"),
    ("testing", "万能材料試験機"),
    ("imaging", "X線CT装置"),
    ("computing", "GPU計算サーバ"),
]
MODES = ("self_use", "assisted", "commissioned")
CLASSES = ("academic", "sme", "large_company", "in_house")


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"


def _bulk(model, rows, *, batch: int = BATCH) -> list:
    out = []
    for start in range(0, len(rows), batch):
        out += model.objects.bulk_create(rows[start : start + batch])
    return out


def generate(*, scale: str, seed: int, fraction: float = 1.0, say: Callable = print) -> dict:
    """Fill an empty database; returns the number of rows added per kind (after the demo)."""
    from kyoten.core.management.commands.demo import load_demo

    started = time.monotonic()
    load_demo(seed=seed)
    say(f"  demo data set loaded ({time.monotonic() - started:.0f} s)")
    if scale == "demo":
        return {}
    volumes = {k: max(1, round(v * fraction)) for k, v in NATIONAL.items()}
    rng = random.Random(f"{seed}-national")
    added: dict[str, int] = {}
    with transaction.atomic():
        _people(rng, volumes, added)
        say(f"  people and organisations ({time.monotonic() - started:.0f} s)")
        _hubs(rng, volumes, added)
        _machines(rng, volumes, added)
        say(f"  hubs and machines ({time.monotonic() - started:.0f} s)")
        _bookings(rng, volumes, added, say=say, started=started)
        _directory(rng, volumes, added)
        say(f"  directory ({time.monotonic() - started:.0f} s)")
    from kyoten.network.indexing import reindex_all

    added["search_entries"] = reindex_all()
    say(f"  search index ({time.monotonic() - started:.0f} s)")
    return added


def _people(rng, volumes, added) -> None:
    from kyoten.core.models import Organisation, User
    from kyoten.core.reference import prefectures

    codes = list(prefectures())
    orgs = [
        Organisation(
            name=f"{prefectures()[code].name_ja[:-1] or code}{rng.choice(COMPANY_WORDS)}"
            f"{rng.choice(COMPANY_WORDS)}株式会社 {n}",
            kind="company",
            prefecture_id=code,
            is_sme=rng.random() < 0.8,
        )
        for n in range(volumes["organisations"])
        for code in [rng.choice(codes)]
    ]
    _bulk(Organisation, orgs)
    added["organisations"] = len(orgs)
    password = make_password("demo")  # one hash for every generated person
    org_ids = list(Organisation.objects.filter(kind="company").values_list("pk", flat=True))
    users = [
        User(
            username=f"user{n:05d}",
            password=password,
            role="equipment_user",
            organisation_id=rng.choice(org_ids),
            last_name=_name(rng),
        )
        for n in range(volumes["users"])
    ]
    have = User.objects.filter(role="reviewer").count()
    users += [
        User(
            username=f"reviewer{n}",
            password=password,
            role="reviewer",
            prefecture_id=rng.choice(codes),
            last_name=_name(rng),
        )
        for n in range(have + 1, max(have, volumes["reviewers"]) + 1)
        if not User.objects.filter(username=f"reviewer{n}").exists()
    ]
    _bulk(User, users)
    added["users"] = len(users)


def _hubs(rng, volumes, added) -> None:
    from kyoten.core.reference import prefectures
    from kyoten.hubs.models import Hub

    have = Hub.objects.count()
    codes = list(prefectures())
    new = []
    for n in range(have, volumes["hubs"]):
        code = codes[n % len(codes)]
        field, topic, _words = TOPICS[n % len(TOPICS)]
        new.append(
            Hub(
                name=f"{prefectures()[code].name_ja}{topic}拠点",
                slug=f"hub-{n:03d}",
                lead_prefecture_id=code,
                form=rng.choice(["new", "extension", "joint", "equipment_only"]),
                summary=f"{topic}に取り組む地域の産学官共同研究拠点です。",
            )
        )
    hubs = _bulk(Hub, new)
    through = Hub.prefectures.through
    _bulk(through, [through(hub_id=h.pk, prefecture_id=h.lead_prefecture_id) for h in hubs])
    added["hubs"] = len(hubs)


def _machines(rng, volumes, added) -> None:
    from kyoten.equipment.models import Equipment, EquipmentFee
    from kyoten.hubs.models import Hub

    hub_ids = list(Hub.objects.values_list("pk", flat=True))
    have = Equipment.objects.count()
    new = []
    for n in range(have, volumes["equipment"]):
        category, name = MACHINES[n % len(MACHINES)]
        new.append(
            Equipment(
                hub_id=hub_ids[n % len(hub_ids)],
                name=f"{name} {n:04d}号機",
                category=category,
                maker=rng.choice(["日立", "日本電子", "島津製作所", "リガク", "ブルカー"]),
                acquired_fy=rng.randint(2009, 2025),
            )
        )
    machines = _bulk(Equipment, new)
    fees = [
        EquipmentFee(
            equipment_id=m.pk,
            user_class=user_class,
            mode=mode,
            hourly_yen=base * (1 if user_class in ("academic", "in_house") else 2),
        )
        for m in machines
        for base in [rng.choice([1000, 2000, 3000, 5000])]
        for user_class in ("academic", "sme", "large_company")
        for mode in ("self_use", "assisted")
    ]
    _bulk(EquipmentFee, fees)
    added["equipment"] = len(machines)


def _bookings(rng, volumes, added, *, say, started) -> None:
    """Ten years of bookings, machine by machine without overlaps (1–8 hours, gaps between)."""
    from kyoten.core.models import User
    from kyoten.equipment.models import Booking, Equipment

    users = list(User.objects.filter(role="equipment_user").values_list("pk", "organisation_id"))
    machines = list(Equipment.objects.values_list("pk", flat=True))
    have = Booking.objects.count()
    wanted = max(0, volumes["bookings"] - have)
    per_machine = -(-wanted // len(machines))
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    first = now - dt.timedelta(days=3650)
    # a machine that already has bookings (the demo's) gets generated ones only before them
    taken = dict(
        Booking.objects.values_list("equipment_id").annotate(first=Min("start")).order_by()
    )
    rows: list[Booking] = []
    made = 0
    for machine in machines:
        last = min(taken.get(machine, now + dt.timedelta(days=60)), now + dt.timedelta(days=60))
        step = (last - first).total_seconds() / 3600 / max(per_machine, 1)
        for k in range(per_machine):
            if made >= wanted:
                break
            hours = rng.randint(1, max(1, min(8, int(step) - 1)))
            if step < 2:
                break
            start = first + dt.timedelta(hours=int(k * step))
            end = start + dt.timedelta(hours=hours)
            user, org = rng.choice(users)
            past = end < now
            status = (
                ("completed" if rng.random() < 0.92 else rng.choice(["cancelled", "no_show"]))
                if past
                else rng.choice(["confirmed", "confirmed", "requested"])
            )
            rows.append(
                Booking(
                    equipment_id=machine,
                    user_id=user,
                    organisation_id=org,
                    start=start,
                    end=end,
                    minutes=hours * 60,
                    mode=rng.choice(MODES),
                    user_class=rng.choice(CLASSES),
                    status=status,
                    estimated_fee_yen=hours * rng.choice([1000, 2000, 3000]),
                    created_at=start - dt.timedelta(days=7),
                )
            )
            made += 1
            if len(rows) >= 20 * BATCH:
                _bulk(Booking, rows)
                rows = []
        if made and made % 200_000 < per_machine:
            say(f"  bookings: {made:,} ({time.monotonic() - started:.0f} s)")
    _bulk(Booking, rows)
    added["bookings"] = made
    from kyoten.equipment import totals

    totals.recompute_all()  # bulk inserts send no signals


def _directory(rng, volumes, added) -> None:
    """Experts until the directory (search entries of every kind) reaches its volume."""
    from kyoten.core.models import Organisation, Prefecture
    from kyoten.core.reference import prefectures
    from kyoten.equipment.models import Equipment
    from kyoten.hubs.models import Hub
    from kyoten.network.models import Expert

    already = Hub.objects.count() + Equipment.objects.count() + Expert.objects.count()
    wanted = max(0, volumes["directory"] - already)
    codes = list(Prefecture.objects.values_list("code", flat=True))
    org_ids = list(Organisation.objects.values_list("pk", flat=True))
    experts = []
    for n in range(wanted):
        code = rng.choice(codes)
        field, topic, words = rng.choice(TOPICS)
        experts.append(
            Expert(
                scope="region",
                block=prefectures()[code].block,
                prefecture_id=code,
                field=field,
                keywords=words,
                name=_name(rng),
                role=rng.choice(["researcher", "coordinator", "engineer"]),
                position=rng.choice(
                    ["教授", "准教授", "主任研究員", "コーディネーター", "技術職員"]
                ),
                organisation_id=rng.choice(org_ids),
                created_at=timezone.now() - dt.timedelta(days=n % 3650),
            )
        )
    _bulk(Expert, experts)
    added["experts"] = len(experts)
