"""Reference facts about Japan, read from the data file shipped with the project.

Pure Python (no database), so the rules engine and the command-line tools can use it
without a migrated database. The database tables of `core.models` are loaded from the
same file by a data migration.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "japan_reference.json"

# The common eight regional blocks (SPEC §3), in JIS order.
BLOCKS: dict[str, tuple[str, str]] = {
    "hokkaido": ("北海道", "Hokkaido"),
    "tohoku": ("東北", "Tohoku"),
    "kanto": ("関東", "Kanto"),
    "chubu": ("中部", "Chubu"),
    "kinki": ("近畿", "Kinki"),
    "chugoku": ("中国", "Chugoku"),
    "shikoku": ("四国", "Shikoku"),
    "kyushu": ("九州・沖縄", "Kyushu-Okinawa"),
}


def block_label(key: str | None, *, language: str | None = None) -> str:
    """A regional block's name in the active language (`hokkaido` → 北海道 / Hokkaido); an
    unknown key as it is."""
    from django.utils.translation import get_language

    names = BLOCKS.get(key or "")
    if names is None:
        return key or ""
    return names[0] if (language or get_language() or "ja").startswith("ja") else names[1]


@dataclass(frozen=True)
class PrefectureFact:
    code: str
    name_ja: str
    name_en: str
    block: str
    land_borders: frozenset[str]


@dataclass(frozen=True)
class DesignatedCityFact:
    name_ja: str
    prefecture: str
    since: dt.date


@cache
def _raw() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@cache
def prefectures() -> dict[str, PrefectureFact]:
    """All 47 prefectures by two-digit JIS X 0401 code."""
    return {
        p["code"]: PrefectureFact(
            code=p["code"],
            name_ja=p["name_ja"],
            name_en=p["name_en"],
            block=p["block"],
            land_borders=frozenset(p["land_borders"]),
        )
        for p in _raw()["prefectures"]
    }


@cache
def designated_cities() -> tuple[DesignatedCityFact, ...]:
    return tuple(
        DesignatedCityFact(
            name_ja=c["name_ja"],
            prefecture=c["prefecture"],
            since=dt.date.fromisoformat(c["since"]),
        )
        for c in _raw()["designated_cities"]
    )


def is_prefecture(code: object) -> bool:
    return isinstance(code, str) and code in prefectures()


def block_of(code: str) -> str:
    """The regional block key of a prefecture (KeyError for an unknown code)."""
    return prefectures()[code].block


def share_border(a: str, b: str) -> bool:
    return b in prefectures()[a].land_borders


def are_neighbours(a: str, b: str) -> bool:
    """Neighbours in the sense of R-2: a shared land border or the same regional block."""
    return share_border(a, b) or block_of(a) == block_of(b)


def designated_cities_in(code: str, *, as_of: dt.date) -> list[DesignatedCityFact]:
    """Designated cities of a prefecture on a date (a city counts from its `since` date on)."""
    return [c for c in designated_cities() if c.prefecture == code and c.since <= as_of]
