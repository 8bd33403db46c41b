"""Keys a person reads as labels: forms, proposal sections, KPIs, blocks, network kinds."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation


def _render(text: str, language: str, **context) -> str:
    with translation.override(language):
        return Template(text).render(Context(context))


def test_proposal_keys_as_labels_in_both_languages():
    text = (
        "{% load call_tags %}{{ f|form_label }}|{{ s|section_label }}|{{ k|kpi_label }}|"
        "{{ unknown|kpi_label }}"
    )
    keys = {"f": "equipment_only", "s": "activity_plan", "k": "joint_research_projects",
            "unknown": "made_up"}  # fmt: skip
    assert _render(text, "ja", **keys) == (
        "設備のみ|③ 活動計画（ビジネスモデル・PDCAサイクル）|共同研究件数|made_up"
    )
    assert _render(text, "en", **keys) == (
        "Equipment only (設備のみ)|③ activity plan (business model with a PDCA cycle)|"
        "joint research projects|made_up"
    )


def test_block_and_kind_names():
    text = "{% load kyoten_tags network_tags %}{{ b|block_name }}|{{ k|kind_label }}"
    assert _render(text, "ja", b="hokkaido", k="expert") == "北海道|専門家"
    assert _render(text, "en", b="hokkaido", k="expert") == "Hokkaido|Expert"
