"""Selection categories and alternative plans (issue 13 part 3), the version diff in Japanese
and the amendment preview (part 5), the call's timeline (part 8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kyoten.core.errors import DomainError, Forbidden
from kyoten.proposals import services
from kyoten.proposals.diff import segments, version_diff
from kyoten.proposals.models import CategoryChange
from kyoten.proposals.services import proposal_create, proposal_submit, proposal_update

from .conftest import valid_document

pytestmark = pytest.mark.django_db

CATEGORIES = [
    {"key": "concept", "label_ja": "構想支援地域", "label_en": "concept"},
    {"key": "foundation", "label_ja": "基盤形成支援地域", "label_en": "foundation"},
]


@pytest.fixture
def submitted(open_call, kanagawa):
    p = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    proposal_submit(proposal=p, by=kanagawa)
    return p


def test_segments_mark_changed_text_within_a_section():
    assert segments("共同研究30件を目指す。", "共同研究50件を目指す。") == [
        ("same", "共同研究"), ("del", "3"), ("add", "5"), ("same", "0件を目指す。"),
    ]  # fmt: skip


def test_version_diff_is_by_part_with_money_before_and_after():
    old = valid_document()
    new = valid_document(requested_yen=800_000_000, form="equipment_only", category="concept")
    new["sections"] = {**old["sections"], "purpose": old["sections"]["purpose"] + "追記。"}
    new["funding_plan"] = [dict(y) for y in old["funding_plan"]]
    new["funding_plan"][0] = {**new["funding_plan"][0], "jst_operating_yen": 0,
                              "cost_yen": {"staff": 1}, "revenue_yen": {"usage_fees": 2}}  # fmt: skip
    parts = version_diff(old, new, categories={"concept": "構想支援地域"})
    assert parts == [
        {"part": "整備の形態", "kind": "value", "before": "新築", "after": "設備のみ"},
        {"part": "要求額", "kind": "value", "before": "¥2,500,000,000", "after": "¥800,000,000"},
        {"part": "選定区分", "kind": "value", "before": "—", "after": "構想支援地域"},
        {"part": "purpose", "kind": "text", "segments": [
            ("same", "京浜臨海部のものづくり企業と大学の共同研究を加速する。"), ("add", "追記。")]},
        {"part": "運営資金計画（収入 / 支出 / JST運営費）", "kind": "money", "rows": [
            ("2011年度 (平成23年度)", "¥100,000,000 / ¥100,000,000 / ¥0", "¥2 / ¥1 / ¥0")]},
    ]  # fmt: skip


def test_versions_page_shows_the_diff_in_japanese(client, submitted, kanagawa):
    doc = valid_document()
    doc["sections"]["goals"] = doc["sections"]["goals"] + "さらに拡充する。"
    proposal_update(proposal=submitted, by=kanagawa, content=doc)
    proposal_submit(proposal=submitted, by=kanagawa)
    client.force_login(kanagawa)
    html = client.get(f"/proposals/{submitted.pk}/versions/").content.decode()
    assert "<ins>さらに拡充する。</ins>" in html
    assert "② 数年後及び10年後の目標" in html
    assert '"sections"' not in html


def test_category_is_required_where_the_call_has_categories(
    submitted, open_call, kanagawa, officer
):
    open_call.categories = CATEGORIES
    open_call.save()
    submitted.refresh_from_db()
    from kyoten.proposals.selectors import proposal_findings

    assert [(f.rule, f.field) for f in proposal_findings(submitted) if f.is_error] == [
        ("R-8", "category")
    ]
    doc = valid_document(category="concept", allocation_options=[
        {"label": "reduced", "amount_yen": 900_000_000, "drops": "電子顕微鏡を見送る"}])  # fmt: skip
    proposal_update(proposal=submitted, by=kanagawa, content=doc)
    proposal_submit(proposal=submitted, by=kanagawa)
    submitted.refresh_from_db()
    assert not [f for f in proposal_findings(submitted) if f.is_error]

    with pytest.raises(Forbidden):
        services.proposal_category_change(proposal=submitted, by=kanagawa, category="foundation",
                                          reason="x")  # fmt: skip
    with pytest.raises(DomainError) as no_reason:
        services.proposal_category_change(proposal=submitted, by=officer, category="foundation",
                                          reason=" ")  # fmt: skip
    assert no_reason.value.field == "reason"
    services.proposal_category_change(proposal=submitted, by=officer, category="foundation",
                                      reason="審査委員会の意見により基盤形成支援地域とする")  # fmt: skip
    change = CategoryChange.objects.get(proposal=submitted)
    assert (change.before, change.after, change.changed_by) == ("concept", "foundation", officer)

    with pytest.raises(DomainError) as too_much:
        services.proposal_option_add(proposal=submitted, by=officer, amount_yen=3_000_000_000,
                                     drops="なし", reason="審査の求め")  # fmt: skip
    assert too_much.value.field == "amount_yen"
    option = services.proposal_option_add(proposal=submitted, by=officer, amount_yen=700_000_000,
                                          drops="分析装置2台", reason="審査委員会の求め")  # fmt: skip
    assert option["label"] == "review"

    from kyoten.allocation.services import build_inputs

    doc, mapping = build_inputs(call=open_call, params={}, scores={submitted.pk: 80.0})
    entry = doc["proposals"][0]
    assert entry["category"] == "foundation"
    assert [(o["label"], o["amount_yen"], o["value"]) for o in entry["options"]] == [
        ("full", submitted.requested_yen, 80.0),
        ("reduced", 900_000_000, round(80.0 * 900_000_000 / submitted.requested_yen, 2)),
        ("review", 700_000_000, round(80.0 * 700_000_000 / submitted.requested_yen, 2)),
    ]


def test_amend_page_previews_before_committing(client, submitted, open_call, officer):
    client.force_login(officer)
    deadline = (timezone.localtime() + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    data = {"budget_yen": "26300000000", "cap_yen": "900000000",
            "allowed_forms": ["equipment_only"], "categories": "構想支援地域 / concept",
            "deadline": deadline, "message": "新築は対象外"}  # fmt: skip
    html = client.post(f"/proposals/calls/{open_call.pk}/amend/", {**data, "preview": "1"})
    html = html.content.decode()
    assert "1件の提案が R-7 を満たさなくなります" in html
    assert "1件の提案が R-8 を満たさなくなります" in html
    submitted.refresh_from_db()
    open_call.refresh_from_db()
    assert submitted.status == "submitted" and open_call.revision_round == 0  # nothing changed
    assert client.post(f"/proposals/calls/{open_call.pk}/amend/", data).status_code == 302
    open_call.refresh_from_db()
    assert open_call.revision_round == 1
    assert open_call.categories == [
        {"key": "c1", "label_ja": "構想支援地域", "label_en": "concept"}
    ]
    page = client.get(f"/calls/{open_call.pk}/").content.decode()
    assert f'href="/calls/{open_call.pk}/#amendment-1"' in page
    assert "1件の提案が提出されました" in page
