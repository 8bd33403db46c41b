"""Unfunded reasons from reason_code and params, in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from kyoten.allocation.reasons import reason_text

OKU = 100_000_000

CASES = [
    (
        {"reason_code": "displaced", "params": {"smallest_yen": 8 * OKU, "short_yen": 3 * OKU,
                                                "left_yen": 5 * OKU}},
        "予算のより良い使い道に譲りました：最小の案（¥800,000,000）には残額 ¥500,000,000 に対して"
        " ¥300,000,000 不足します",
        "displaced by a better use of the money: its smallest option (¥800,000,000) would need"
        " ¥300,000,000 more than the ¥500,000,000 left",
    ),
    (
        {"reason_code": "block_limit", "params": {"block": "hokkaido", "awards": 2, "max": 2}},
        "北海道ブロックはすでに2件採択済みで、上限は2件です",
        "the block Hokkaido already has 2 awards, its limit is 2",
    ),
    (
        {"reason_code": "below_min_score", "params": {"score": 59.5, "min_score": 60}},
        "評点 59.5 が最低点 60.0 に達していません",
        "score 59.5 is below the minimum score 60.0",
    ),
    (
        {"reason_code": "over_budget", "params": {"short_yen": OKU, "budget_yen": 5 * OKU}},
        "どの案も予算を超えています（¥100,000,000不足）",
        "every option is above the budget: ¥100,000,000 more would be needed",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("miss", "ja", "en"), CASES)
def test_reason_in_both_languages(miss, ja, en):
    with translation.override("ja"):
        got_ja = reason_text(miss)
    with translation.override("en"):
        got_en = reason_text(miss)
    assert (got_ja, got_en) == (ja, en)


def test_a_result_stored_before_reason_codes_keeps_its_sentence():
    assert reason_text({"id": "P1", "reason": "no option adds value"}) == "no option adds value"


def test_a_category_is_named_by_the_calls_label_never_its_key():
    categories = [
        {"key": "foundation", "label_ja": "基盤形成支援地域", "label_en": "Foundation building"}
    ]
    miss = {"reason_code": "category_limit",
            "params": {"category": "foundation", "awards": 1, "max": 1}}  # fmt: skip
    with translation.override("ja"):
        got_ja = reason_text(miss, categories)
    with translation.override("en"):
        got_en = reason_text(miss, categories)
    assert (got_ja, got_en) == (
        "区分「基盤形成支援地域」はすでに1件採択済みで、上限は1件です",
        "the category Foundation building already has 1 awards, its limit is 1",
    )


def test_a_proposal_left_out_of_the_inputs_says_why():
    miss = {"id": "P000004", "reason": "not recommended by the review committee",
            "reason_code": "not_recommended", "recommendation": "reject"}  # fmt: skip
    with translation.override("ja"):
        assert reason_text(miss) == "審査委員会が採択を推薦していない（不採択）"
