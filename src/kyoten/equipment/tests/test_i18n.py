"""The equipment pages in Japanese (the default) carry none of their English labels."""

from __future__ import annotations

import html
import re

import pytest
from django.utils import translation

from kyoten.equipment.models import EquipmentPhoto

pytestmark = pytest.mark.django_db

# Labels of the search page and the machine page, as the templates and forms spell them.
ENGLISH = [
    "Find equipment across the hub network", "Keyword", "Category", "Regional block",
    "Max. fee per hour", "Who may use it", "Search", "Your fee per hour", "Next free slot",
    "Specifications", "Location", "Opening hours", "Fees per hour", "User class",
    "Yen per hour", "A started hour is billed", "Calendar", "Earlier", "Later", "Closed on",
    "Book", "Start", "End", "Purpose", "Repeat weekly", "Photos", "Add a photo", "Upload",
    "Description (alternative text)", "Remove this photo", "Self-use", "Assisted use",
    "Commissioned measurement", "Academic and public", "Large company", "In-house",
    "Structure and element analysis", "Trained users alone", "Mon", "Sun", "machine",
    "Hub equipment desk", "iCalendar feed",
]  # fmt: skip
JAPANESE_SEARCH = [
    "拠点ネットワーク全体から機器を探す",
    "キーワード",
    "利用条件",
    "次の空き枠",
    "1 台",
]
JAPANESE_DETAIL = [
    "仕様", "設置場所", "利用可能時間（日本時間）", "毎日 00:00–24:00", "1時間あたりの利用料金",
    "大学・公的機関", "自己利用（機器利用）", "技術補助", "予約状況", "予約する", "開始日時",
    "終了日時", "利用目的", "写真", "写真を追加", "写真の説明（代替テキスト）", "SmartLab の正面",
]  # fmt: skip


def visible_text(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    # Attribute values people read (alt, aria-label, placeholder) count as text too.
    attrs = " ".join(re.findall(r'\b(?:alt|aria-label|placeholder|title)="([^"]*)"', body))
    return html.unescape(re.sub(r"<[^>]+>", " ", body) + " " + attrs)


def english_left(text: str) -> list[str]:
    return [w for w in ENGLISH if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![a-z])", text)]


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    yield
    translation.deactivate()  # a request asking for English leaves it active in this thread


@pytest.fixture
def photo(xrd):
    return EquipmentPhoto.objects.create(
        equipment=xrd, image="equipment/photos/front.png", caption="SmartLab の正面"
    )


def test_search_page_in_japanese(client, xrd):
    text = visible_text(client.get("/equipment/", HTTP_ACCEPT_LANGUAGE="ja"))
    assert english_left(text) == []
    assert [w for w in JAPANESE_SEARCH if w not in text] == []


def test_machine_page_in_japanese(client, operator, xrd, photo):
    client.force_login(operator)  # an operator also sees the photo form
    text = visible_text(client.get(f"/equipment/{xrd.pk}/", HTTP_ACCEPT_LANGUAGE="ja"))
    assert english_left(text) == []
    assert [w for w in JAPANESE_DETAIL if w not in text] == []


def test_the_same_pages_in_english_show_the_labels(client, operator, xrd, photo):
    """The check above can fail: asked for English, the pages show these very labels."""
    client.force_login(operator)
    search = visible_text(client.get("/equipment/", HTTP_ACCEPT_LANGUAGE="en"))
    detail = visible_text(client.get(f"/equipment/{xrd.pk}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert {"Keyword", "Who may use it", "Next free slot"} <= set(english_left(search))
    assert {"Specifications", "Book", "Purpose", "Add a photo", "Sun"} <= set(english_left(detail))
