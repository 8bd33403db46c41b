"""Reads of the allocation app: which runs a user may see, a run's explanation, comparisons."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext

from kyoten.allocation.models import AllocationDecision, AllocationRun
from kyoten.allocation.reasons import category_label, reason_text
from kyoten.allocation.rules import can_allocate
from kyoten.core.errors import NotFound
from kyoten.core.reference import BLOCKS, block_label, block_of, prefectures
from kyoten.core.rules import is_observer


def calls_sealed_from(user) -> QuerySet:
    """Ids of the calls whose allocation a person may not see: an allocation weighs every
    proposal of the call against the others (inputs, scores, awards, totals, charts), so it is
    sealed from anyone kept from one of them (`proposals_kept_from`: a conflict of interest in
    force). The officer and the allocators without such a conflict handle it."""
    from kyoten.proposals.selectors import proposals_kept_from

    return proposals_kept_from(user).order_by().values("call_id")


def may_allocate(user, call) -> bool:
    """May run and see the allocation of `call`: an allocator not sealed from it."""
    return bool(can_allocate(user)) and not calls_sealed_from(user).filter(call_id=call.pk).exists()


def runs_visible_to(user, call=None) -> QuerySet[AllocationRun]:
    """Officer and committees: every run but those of calls sealed from them (a conflict of
    interest with one of its proposals); ministries (R-15): runs of published decisions."""
    runs = AllocationRun.objects.select_related("call", "run_by")
    if call is not None:
        runs = runs.filter(call=call)
    if can_allocate(user):
        return runs.exclude(call_id__in=calls_sealed_from(user))
    if is_observer(user):
        return runs.filter(decisions__published=True).distinct()
    return runs.none()


def get_run_for(user, pk) -> AllocationRun:
    try:
        return runs_visible_to(user).get(pk=pk)
    except (AllocationRun.DoesNotExist, ValueError, TypeError):
        raise NotFound(gettext("no such allocation run")) from None


def decision_for(call) -> AllocationDecision | None:
    return (
        AllocationDecision.objects.select_related("run", "adopted_by", "published_by")
        .filter(call=call)
        .first()
    )


@dataclass
class Line:
    id: str
    pk: int | None
    title: str
    prefecture: str
    block: str
    score: float
    option: str = ""
    amount_yen: int = 0
    reason: str = ""
    greedy: bool = False
    category: str = ""  # the selection category's name, when the call has categories


def explain(run: AllocationRun) -> dict:
    """The run as tables for pages and exports: funded and unfunded lines, per block, per
    prefecture, and the greedy baseline's lines."""
    by_id = {p["id"]: p for p in run.inputs.get("proposals", [])}
    greedy_ids = {a["id"] for a in run.result.get("baseline_awards", [])}
    names = prefectures()
    call_categories = run.call.categories or []

    def line(pid: str) -> Line:
        p = by_id.get(pid, {})
        code = (p.get("prefectures") or ["13"])[0]
        return Line(
            id=pid,
            pk=run.proposal_map.get(pid),
            title=p.get("title", pid),
            prefecture=names[code].name_ja if code in names else code,
            block=block_of(code) if code in names else "",
            score=p.get("score", 0.0),
            greedy=pid in greedy_ids,
            category=category_label(p["category"], call_categories) if p.get("category") else "",
        )

    funded = []
    for award in run.result.get("awards", []):
        item = line(award["id"])
        item.option, item.amount_yen = award["option"], award["amount_yen"]
        funded.append(item)
    unfunded = []
    for miss in run.result.get("unfunded", []):
        item = line(miss["id"])
        item.reason = reason_text(miss, run.call.categories)
        unfunded.append(item)
    # left out of the inputs (not recommended by the committee, no plan within the cap)
    excluded = [
        Line(id=e.get("id", ""), pk=run.proposal_map.get(e.get("id", "")),
             title=e.get("title", e.get("id", "")), prefecture="", block="", score=0.0,
             reason=reason_text(e))
        for e in run.inputs.get("excluded", [])
        if isinstance(e, dict)
    ]  # fmt: skip
    blocks = []
    greedy_by_block: dict[str, int] = {}
    for award in run.result.get("baseline_awards", []):
        b = line(award["id"]).block
        greedy_by_block[b] = greedy_by_block.get(b, 0) + award["amount_yen"]
    for key, (_ja, en) in BLOCKS.items():
        mine = [f for f in funded if f.block == key]
        blocks.append(
            {
                "key": key,
                "name": block_label(key),
                "name_en": en,
                "awards": len(mine),
                "amount_yen": sum(f.amount_yen for f in mine),
                "greedy_yen": greedy_by_block.get(key, 0),
            }
        )
    by_prefecture: dict[str, dict] = {}
    for f in funded:
        row = by_prefecture.setdefault(
            f.prefecture, {"prefecture": f.prefecture, "awards": 0, "amount_yen": 0}
        )
        row["awards"] += 1
        row["amount_yen"] += f.amount_yen
    return {
        "funded": funded,
        "unfunded": unfunded,
        "blocks": blocks,
        "categories": _by_category(run, call_categories),
        "prefectures": sorted(by_prefecture.values(), key=lambda r: -r["amount_yen"]),
        "excluded": excluded,
        "baseline": run.result.get("baseline", {}),
        "money_left_yen": run.budget_yen - run.total_yen,
    }


def _by_category(run: AllocationRun, call_categories) -> list[dict]:
    """Per selection category (the call's, in its order): awards and yen of the run, and the
    quotas it was run with. Empty when neither the call nor the run has categories."""
    result = run.result.get("categories") or {}
    quotas = run.category_reservations or {}
    keys = [c["key"] for c in call_categories if isinstance(c, dict) and c.get("key")]
    keys += sorted(k for k in result if k not in keys)
    return [
        {
            "key": key,
            "name": category_label(key, call_categories),
            "awards": (result.get(key) or {}).get("awards", 0),
            "amount_yen": (result.get(key) or {}).get("amount_yen", 0),
            "min": (quotas.get("min_per_category") or {}).get(key),
            "max": (quotas.get("max_per_category") or {}).get(key),
            "reserved_yen": (quotas.get("min_yen_per_category") or {}).get(key),
        }
        for key in keys
    ]


def compare(a: AllocationRun, b: AllocationRun) -> list[dict]:
    """Side by side, per proposal of either run: option and amount in each."""
    rows: dict[str, dict] = {}
    for side, run in (("a", a), ("b", b)):
        titles = {p["id"]: p.get("title", p["id"]) for p in run.inputs.get("proposals", [])}
        for award in run.result.get("awards", []):
            row = rows.setdefault(
                award["id"],
                {
                    "id": award["id"],
                    "title": titles.get(award["id"], award["id"]),
                    "a": None,
                    "b": None,
                },
            )
            row[side] = award
        for miss in run.result.get("unfunded", []):
            rows.setdefault(
                miss["id"],
                {
                    "id": miss["id"],
                    "title": titles.get(miss["id"], miss["id"]),
                    "a": None,
                    "b": None,
                },
            )
    out = sorted(rows.values(), key=lambda r: r["id"])
    for row in out:
        amount_a = row["a"]["amount_yen"] if row["a"] else 0
        amount_b = row["b"]["amount_yen"] if row["b"] else 0
        row["changed"] = (row["a"] or {}).get("option") != (row["b"] or {}).get("option")
        row["delta_yen"] = amount_b - amount_a
    return out
