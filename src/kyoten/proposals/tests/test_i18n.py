"""The proposals pages and errors speak Japanese by default and English on request."""

from __future__ import annotations

import pytest
from django.utils import translation

from kyoten.core.errors import DomainError
from kyoten.proposals.services import proposal_create, proposal_return, proposal_submit

from .conftest import valid_document

pytestmark = pytest.mark.django_db

# (Japanese, English) labels of the applicant's workspace and editor.
WORKSPACE = [
    ("受付中の公募", "Open calls"),
    ("提案を作成する", "Start a proposal"),
    ("自都道府県の提案", "Your prefecture"),
]
EDITOR = [
    ("要件チェックリスト", "Rules checklist"),
    ("政令指定都市との事前協議", "Prior consultation with designated cities"),
    (
        "資金計画：運用開始から10年間（円）",
        "Funding plan: 10 years from the start of operation (yen)",
    ),
    ("参画都道府県", "Participating prefectures"),
    ("署名者本人のアカウントによる署名", "Signatures with the signatories"),
    ("Check（評価）", ">Check<"),
]


def test_workspace_and_editor_in_japanese(client, bilingual, open_call, kanagawa):
    proposal = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    client.force_login(kanagawa)
    for url, labels in [("/proposals/", WORKSPACE), (f"/proposals/{proposal.pk}/", EDITOR)]:
        bilingual(url, labels)


def test_officer_eligibility_report_in_japanese(client, bilingual, open_call, kanagawa, officer):
    proposal = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    proposal_submit(proposal=proposal, by=kanagawa)
    client.force_login(officer)
    url = f"/proposals/calls/{open_call.pk}/eligibility/"
    ja, _en = bilingual(url, [("形式審査の結果", "Eligibility report")])
    # "Field" of a finding has its own context: Django admin's "フィールド" must not leak in.
    assert ('<th scope="col">項目</th>' in ja, "フィールド" in ja) == (True, False)


def test_service_errors_follow_the_language(open_call, kanagawa, officer):
    proposal = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    proposal_submit(proposal=proposal, by=kanagawa)
    for language, message in [
        ("ja", "修正すべき点を提案者に伝えてください"),
        ("en", "tell the applicant what to correct"),
    ]:
        with translation.override(language), pytest.raises(DomainError) as caught:
            proposal_return(proposal=proposal, by=officer, message=" ")
        assert (caught.value.message, caught.value.field) == (message, "message")
