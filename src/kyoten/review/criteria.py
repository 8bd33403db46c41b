"""Review criteria of a call: R-11's five by default, each with a weight and a scale.

The call carries its criteria (`Call.review_criteria`, a list of
`{"key", "label_ja", "label_en", "weight"}`, the R-11 defaults of `calls.program` unless the
officer changed them); a criterion may also give `scale_min` / `scale_max` (default 1–5).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

from kyoten.calls.program import DEFAULT_REVIEW_CRITERIA

SCALE_MIN, SCALE_MAX = 1, 5


@dataclass(frozen=True)
class Criterion:
    key: str
    label_ja: str
    label_en: str
    weight: float = 1.0
    scale_min: int = SCALE_MIN
    scale_max: int = SCALE_MAX

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "ja").startswith("en") else self.label_ja

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)


def _parse(items) -> tuple[Criterion, ...]:
    out = []
    for item in items or []:
        if not isinstance(item, dict) or not item.get("key"):
            continue
        key = str(item["key"])
        label_ja = str(item.get("label_ja") or item.get("label") or key)
        out.append(
            Criterion(
                key=key,
                label_ja=label_ja,
                label_en=str(item.get("label_en") or label_ja),
                weight=float(item.get("weight", 1.0)),
                scale_min=int(item.get("scale_min", SCALE_MIN)),
                scale_max=int(item.get("scale_max", SCALE_MAX)),
            )
        )
    return tuple(out)


# R-11 selection basis (seed 5(3)), in the order of the policy.
DEFAULT_CRITERIA: tuple[Criterion, ...] = _parse(DEFAULT_REVIEW_CRITERIA)


def criteria_for_call(call) -> tuple[Criterion, ...]:
    """The call's criteria when it defines them, else R-11's defaults."""
    raw = getattr(call, "review_criteria", None) if call is not None else None
    return _parse(raw) or DEFAULT_CRITERIA


def weighted_score(criteria: tuple[Criterion, ...], values: dict[str, int]) -> float | None:
    """Weighted mean as a percentage of the maximum (all 5 of 5 → 100, all 3 → 60).

    None while a criterion has no value.
    """
    total_weight = sum(c.weight for c in criteria)
    if total_weight <= 0:
        return None
    acc = 0.0
    for c in criteria:
        if c.key not in values:
            return None
        acc += c.weight * values[c.key] / c.scale_max
    return round(100.0 * acc / total_weight, 4)
