"""Core of the demo data set: organisations and one login per role of SPEC §4."""

from __future__ import annotations

import random

from django.contrib.auth.hashers import make_password

from kyoten.core.enums import OrganisationKind, Role
from kyoten.core.models import Organisation, Person, Prefecture, User
from kyoten.core.reference import prefectures

DEMO_PASSWORD = "demo"  # noqa: S105 (the published demo password)

# One national university per prefecture (the usual partner of a prefecture's hub).
UNIVERSITIES = [
    "北海道大学", "弘前大学", "岩手大学", "東北大学", "秋田大学", "山形大学", "福島大学",
    "茨城大学", "宇都宮大学", "群馬大学", "埼玉大学", "千葉大学", "東京大学", "横浜国立大学",
    "新潟大学", "富山大学", "金沢大学", "福井大学", "山梨大学", "信州大学", "岐阜大学",
    "静岡大学", "名古屋大学", "三重大学", "滋賀大学", "京都大学", "大阪大学", "神戸大学",
    "奈良女子大学", "和歌山大学", "鳥取大学", "島根大学", "岡山大学", "広島大学", "山口大学",
    "徳島大学", "香川大学", "愛媛大学", "高知大学", "九州大学", "佐賀大学", "長崎大学",
    "熊本大学", "大分大学", "宮崎大学", "鹿児島大学", "琉球大学",
]  # fmt: skip

COMPANY_STEMS = ["精密", "化成", "電子", "工業", "製作所", "マテリアル", "技研", "メディカル",
                 "食品", "バイオ", "光学", "機械"]  # fmt: skip
FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
          "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水"]  # fmt: skip
GIVEN = ["健一", "直子", "誠", "由美", "大輔", "恵", "浩", "裕子", "拓也", "真理子",
         "翔", "美穂", "隆", "智子", "亮", "陽子"]  # fmt: skip

# (username, role, display name, organisation key, prefecture)
ROLE_LOGINS = [
    ("officer", Role.OFFICER, "JST 事業担当 岡田 亮", "jst", None),
    ("reviewer1", Role.REVIEWER, "東北大学 教授 佐藤 誠", "univ:04", "04"),
    ("reviewer2", Role.REVIEWER, "東京大学 教授 鈴木 由美", "univ:13", "13"),
    ("reviewer3", Role.REVIEWER, "名古屋大学 教授 高橋 浩", "univ:23", "23"),
    ("reviewer4", Role.REVIEWER, "京都大学 教授 田中 直子", "univ:26", "26"),
    ("reviewer5", Role.REVIEWER, "大阪大学 教授 伊藤 大輔", "univ:27", "27"),
    ("reviewer6", Role.REVIEWER, "広島大学 教授 渡辺 恵", "univ:34", "34"),
    ("reviewer7", Role.REVIEWER, "九州大学 教授 山本 拓也", "univ:40", "40"),
    ("reviewer8", Role.REVIEWER, "北海道大学 教授 中村 裕子", "univ:01", "01"),
    ("reviewer9", Role.REVIEWER, "株式会社日立製作所 技師長 小林 隆", "company:big", "13"),
    ("chair", Role.CHAIR, "審査委員長 加藤 智子", "univ:14", "14"),
    ("committee", Role.COMMITTEE, "推進委員 吉田 健一", "univ:22", "22"),
    ("operator", Role.OPERATOR, "拠点運営 山田 陽子", "pref:40", "40"),
    ("sme", Role.EQUIPMENT_USER, "肥後精密工業 技術課 松本 翔", "company:sme43", "43"),
    ("observer", Role.OBSERVER, "文部科学省 井上 真理子", "mext", "13"),
]


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"


def _user(username, role, display_name, *, organisation=None, prefecture=None) -> User:
    return User(
        username=username,
        role=role,
        display_name=display_name,
        organisation=organisation,
        prefecture=prefecture,
        email=f"{username}@example.jp",
    )


def load(rng: random.Random) -> None:
    prefs = {p.code: p for p in Prefecture.objects.all()}
    orgs: dict[str, Organisation] = {
        "jst": Organisation(
            name="国立研究開発法人科学技術振興機構",
            name_en="Japan Science and Technology Agency",
            kind=OrganisationKind.FUNDING_AGENCY,
            prefecture=prefs["13"],
        ),
        "mext": Organisation(name="文部科学省", name_en="MEXT", kind=OrganisationKind.MINISTRY),
        "meti": Organisation(name="経済産業省", name_en="METI", kind=OrganisationKind.MINISTRY),
        "company:big": Organisation(
            name="株式会社日立製作所", kind=OrganisationKind.COMPANY, prefecture=prefs["13"]
        ),
        "company:sme43": Organisation(
            name="肥後精密工業株式会社",
            kind=OrganisationKind.COMPANY,
            prefecture=prefs["43"],
            is_sme=True,
        ),
    }
    for (code, fact), univ in zip(prefectures().items(), UNIVERSITIES, strict=True):
        short = fact.name_ja if code == "01" else fact.name_ja[:-1]
        orgs[f"pref:{code}"] = Organisation(
            name=fact.name_ja, name_en=f"{fact.name_en} Prefecture",
            kind=OrganisationKind.PREFECTURE, prefecture=prefs[code],
        )  # fmt: skip
        orgs[f"univ:{code}"] = Organisation(
            name=univ, kind=OrganisationKind.UNIVERSITY, prefecture=prefs[code]
        )
        orgs[f"inst:{code}"] = Organisation(
            name=f"{short}県産業技術センター" if code != "01" else "北海道立総合研究機構",
            kind=OrganisationKind.RESEARCH_INSTITUTE,
            prefecture=prefs[code],
        )
        orgs[f"kosen:{code}"] = Organisation(
            name=f"{short}工業高等専門学校", kind=OrganisationKind.KOSEN, prefecture=prefs[code]
        )
        for i, stem in enumerate(rng.sample(COMPANY_STEMS, 3)):
            orgs[f"company:{code}:{i}"] = Organisation(
                name=f"株式会社{short}{stem}",
                kind=OrganisationKind.COMPANY,
                prefecture=prefs[code],
                is_sme=i > 0,
            )
    Organisation.objects.bulk_create(orgs.values())

    users = [
        _user(
            username,
            role,
            name,
            organisation=orgs[org_key],
            prefecture=prefs[pref] if pref else None,
        )
        for username, role, name, org_key, pref in ROLE_LOGINS
    ]
    users += [
        _user(
            f"pref-{code}",
            Role.APPLICANT,
            f"{fact.name_ja} 産業振興課 {person_name(rng)}",
            organisation=orgs[f"pref:{code}"],
            prefecture=prefs[code],
        )
        for code, fact in prefectures().items()
    ]
    # Password hashing is the slow part of creating users: hash once, share the hash.
    password = make_password(DEMO_PASSWORD)
    for user in users:
        user.password = password
    User.objects.bulk_create(users)
    Person.objects.bulk_create(
        Person(name=u.display_name.split()[-2] + " " + u.display_name.split()[-1],
               organisation=u.organisation, user=u, email=u.email)
        for u in User.objects.select_related("organisation")
    )  # fmt: skip


def logins() -> list[tuple[str, str]]:
    """(username, role label) for every demo login, in the order SPEC §4 lists them."""
    rows = [(u, str(Role(r).label)) for u, r, *_ in ROLE_LOGINS if u == "officer"]
    rows.append(("pref-01 … pref-47", str(Role.APPLICANT.label)))
    rows.append(
        ("gov-NN, univ-NN, ind-NN", f"{Role.SIGNATORY.label} (NN: a prefecture with a proposal)")
    )
    rows += [(u, str(Role(r).label)) for u, r, *_ in ROLE_LOGINS if u != "officer"]
    return rows
