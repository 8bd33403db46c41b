"""Matching across regions (seed §6(2), §7 ①): company needs → hubs, equipment and experts;
hub → partner hubs in other regions with complementary strengths. Every suggestion says why."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kyoten.core.reference import BLOCKS, block_label, prefectures
from kyoten.core.textsearch import normalise
from kyoten.network.enums import Field, Kind
from kyoten.network.indexing import FIELD_WORDS
from kyoten.network.models import CompanyNeed, SearchEntry
from kyoten.network.search import Filters, search_ids

# Words worth matching on when a need names no keywords (equipment and techniques).
TECH_WORDS = (
    "顕微鏡", "電子顕微鏡", "sem", "tem", "x線", "ct", "nmr", "質量分析", "分光", "レーザ",
    "3dプリンタ", "試作", "評価", "分析", "検査", "計測", "加工", "センサ", "ロボット", "ai",
    "画像", "熱分析", "クリーンルーム", "薄膜", "めっき", "成形", "培養", "遺伝子", "発酵",
)  # fmt: skip

MATCH_KINDS = (Kind.HUB, Kind.EQUIPMENT, Kind.EXPERT)
_SPLIT = re.compile(r"[,、，;；/\s]+")


@dataclass
class Suggestion:
    kind: str
    id: int
    title: str
    hub_id: int | None
    hub_name: str
    prefecture: str
    block: str
    score: float
    reasons: list[str] = field(default_factory=list)
    url: str = ""
    same_region: bool = False

    @property
    def kind_label(self) -> str:
        """The kind as a person reads it (設備, 専門家), never the key."""
        return str(Kind(self.kind).label) if self.kind in Kind.values else self.kind

    @property
    def place(self) -> str:
        """Prefecture and regional block in the active language, e.g. 福岡県（九州・沖縄） or
        Fukuoka (Kyushu-Okinawa)."""
        pref = prefectures().get(self.prefecture)
        block = block_label(self.block) if self.block in BLOCKS else ""
        japanese = (get_language() or "ja").startswith("ja")
        name = (pref.name_ja if japanese else pref.name_en) if pref is not None else ""
        if name and block:
            return f"{name}（{block}）" if japanese else f"{name} ({block})"
        return name or block


def need_keywords(need: CompanyNeed) -> list[str]:
    """The need's own keywords, else the field and technique words found in its text."""
    words = [w for w in _SPLIT.split(need.keywords or "") if len(normalise(w)) >= 2]
    if words:
        return list(dict.fromkeys(words))[:12]
    text = normalise(f"{need.title} {need.description}")
    found = [w for w in TECH_WORDS if normalise(w) in text]
    for fwords in FIELD_WORDS.values():
        found.extend(w for w in fwords if normalise(w) in text)
    return list(dict.fromkeys(found))[:12]


def match_need(need: CompanyNeed, *, limit: int = 20) -> list[Suggestion]:
    """Hubs, equipment and experts that fit a need: those of the need's own region first
    (R-14: the region first, then the nation), then the rest of the network; best first
    within each."""
    keywords = need_keywords(need)
    scores: dict[int, float] = defaultdict(float)
    reasons: dict[int, list[str]] = defaultdict(list)
    filters = Filters(kinds=tuple(MATCH_KINDS))
    for word in keywords:
        hits = search_ids(word, filters)
        if not hits or len(hits) > 5000:
            continue
        # Rare words say more than common ones.
        rarity = 1.0 / (1.0 + len(hits) / 50.0)
        for entry_id, score in hits:
            scores[entry_id] += (1.0 + float(score)) * (0.5 + rarity)
            reasons[entry_id].append(_("mentions “%(word)s”") % {"word": word})
    entries = SearchEntry.objects.in_bulk(list(scores))
    need_block = need.block
    suggestions = []
    for entry_id, score in scores.items():
        entry = entries.get(entry_id)
        if entry is None:  # removed since the index answered
            continue
        why = list(reasons[entry_id])
        if need.field and entry.field == need.field:
            score *= 1.5
            why.append(_("same field: %(field)s") % {"field": Field(need.field).label})
        if entry.block and need_block and entry.block != need_block:
            why.append(_("in another region: %(block)s") % {"block": BLOCKS[entry.block][0]})
        elif entry.block and entry.block == need_block:
            score *= 1.2
            why.append(_("in the same region: %(block)s") % {"block": BLOCKS[entry.block][0]})
        suggestions.append(
            Suggestion(
                kind=entry.kind,
                id=entry.object_id,
                title=entry.title,
                hub_id=entry.hub_id_ref,
                hub_name=entry.hub_name,
                prefecture=entry.prefecture,
                block=entry.block,
                score=round(score, 2),
                reasons=why,
                url=entry.url,
                same_region=bool(need_block) and entry.block == need_block,
            )
        )
    suggestions.sort(key=lambda s: (not s.same_region, -s.score, s.kind, s.id))
    # Keep a mix: the region's best, then the nation's, and no kind crowding out the others.
    chosen = []
    for same, share in ((True, limit * 2 // 3), (False, limit)):
        per_kind: Counter = Counter()
        taken = 0
        for s in suggestions:
            if s.same_region != same or per_kind[s.kind] >= max(3, share // 3):
                continue
            chosen.append(s)
            per_kind[s.kind] += 1
            taken += 1
            if taken >= share or len(chosen) >= limit:
                break
    return chosen[:limit]


def hub_profiles() -> dict[int, Counter]:
    """Per hub: how many of its equipment, experts, projects and results are in each field."""
    rows = (
        SearchEntry.objects.exclude(hub_id_ref=None)
        .exclude(field="")
        .values("hub_id_ref", "field")
        .annotate(n=Count("id"))
    )
    profiles: dict[int, Counter] = defaultdict(Counter)
    for row in rows:
        profiles[row["hub_id_ref"]][row["field"]] += row["n"]
    return profiles


def _partner_reasons(own, prof, shared, complement, block) -> list[str]:
    """The one or two strongest reasons, in words: the fields where both hubs are busiest (at
    most two, with the partner's count of entries), then the field where the partner is strong
    and this hub is not; the region when only one reason stands."""
    why = []
    if shared:
        top = sorted(shared, key=lambda f: (-min(own[f], prof[f]), f))[:2]
        why.append(
            _("active in the same field: %(fields)s")
            % {
                "fields": "、".join(
                    _("%(field)s (%(n)d entries)") % {"field": Field(f).label, "n": prof[f]}
                    for f in top
                )
            }
        )
    if complement:
        f = complement[0]
        why.append(
            _("strong in %(field)s (%(n)d entries), where this hub has little")
            % {"field": Field(f).label, "n": prof[f]}
        )
    if len(why) < 2:
        why.append(_("in another region: %(block)s") % {"block": block_label(block)})
    return why[:2]


def match_partners(hub, *, limit: int = 10) -> list[Suggestion]:
    """Hubs in other regions that share a field with this hub and are strong where it is weak."""
    from kyoten.hubs.models import Hub

    profiles = hub_profiles()
    own = profiles.get(hub.pk, Counter())
    own_block = prefectures()[hub.lead_prefecture_id].block
    own_top = {f for f, _n in own.most_common(3)}
    suggestions = []
    others = Hub.objects.exclude(pk=hub.pk).select_related("lead_prefecture")
    for other in others:
        block = prefectures()[other.lead_prefecture_id].block
        if block == own_block:
            continue
        prof = profiles.get(other.pk, Counter())
        if not prof:
            continue
        shared = sorted(f for f in own if f in prof)
        complement = [f for f, _n in prof.most_common(3) if f not in own_top]
        if not shared and not complement:
            continue
        score = (
            sum(min(own[f], prof[f]) for f in shared) ** 0.5
            + sum(prof[f] for f in complement) ** 0.5
        )
        why = _partner_reasons(own, prof, shared, complement, block)
        suggestions.append(
            Suggestion(
                kind=Kind.HUB,
                id=other.pk,
                title=other.name,
                hub_id=other.pk,
                hub_name=other.name,
                prefecture=other.lead_prefecture_id,
                block=block,
                score=round(score, 2),
                reasons=why,
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.id))
    return suggestions[:limit]
