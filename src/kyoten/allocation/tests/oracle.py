"""A brute-force oracle for small allocation problems, written independently of the solver.

It enumerates every way of giving each proposal nothing or one of its options and applies the
order of preference of SPEC §4 as documented in docs/allocation.md: the largest sum of values
(decimal arithmetic, as written in the JSON), then the smallest total, then funding the first
id (ids sorted as strings) at which two allocations differ.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from kyoten.core.reference import block_of


def brute_force(doc: dict) -> dict | None:
    """{"value": Decimal, "total": int, "funded": [ids sorted]} or None when infeasible."""
    budget = doc["budget_yen"]
    cap = doc.get("cap_yen", 3_000_000_000)
    min_score = doc.get("min_score")
    lows = doc.get("min_per_block", {})
    highs = doc.get("max_per_block", {})
    props = sorted(doc["proposals"], key=lambda p: p["id"])
    choices = []
    for p in props:
        opts = p.get("options") or [
            {"label": "full", "amount_yen": p["requested_yen"], "value": p["score"]}
        ]
        allowed = [None]
        if min_score is None or p["score"] >= min_score:
            allowed += [o for o in opts if o["amount_yen"] <= cap]
        choices.append(allowed)
    best = None
    for combo in itertools.product(*choices):
        total = sum(o["amount_yen"] for o in combo if o is not None)
        if total > budget:
            continue
        counts: dict[str, int] = {}
        for p, o in zip(props, combo, strict=True):
            if o is not None:
                b = block_of(p["prefectures"][0])
                counts[b] = counts.get(b, 0) + 1
        if any(counts.get(b, 0) < n for b, n in lows.items()):
            continue
        if any(counts.get(b, 0) > n for b, n in highs.items()):
            continue
        cat_count: dict[str, int] = {}
        cat_yen: dict[str, int] = {}
        for p, o in zip(props, combo, strict=True):
            if o is not None and p.get("category"):
                cat_count[p["category"]] = cat_count.get(p["category"], 0) + 1
                cat_yen[p["category"]] = cat_yen.get(p["category"], 0) + o["amount_yen"]
        if any(cat_count.get(c, 0) < n for c, n in doc.get("min_per_category", {}).items()):
            continue
        if any(cat_count.get(c, 0) > n for c, n in doc.get("max_per_category", {}).items()):
            continue
        if any(cat_yen.get(c, 0) < y for c, y in doc.get("min_yen_per_category", {}).items()):
            continue
        value = sum(
            (Decimal(repr(float(o.get("value", 0)))) for o in combo if o is not None),
            Decimal(0),
        )
        funded = tuple(0 if o is None else 1 for o in combo)
        key = (value, -total, funded)
        if best is None or key > best[0]:
            best = (key, combo)
    if best is None:
        return None
    (value, neg_total, funded), _ = best
    return {
        "value": value,
        "total": -neg_total,
        "funded": [p["id"] for p, f in zip(props, funded, strict=True) if f],
    }
