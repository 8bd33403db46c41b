"""The allocation pages speak Japanese by default and English on request."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kyoten.allocation import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs(world):
    def run(label, **params):
        return services.allocation_run(
            call=world["call"], params=params, by=world["officer"], scores=world["scores"],
            label=label,
        )  # fmt: skip

    return run("基本"), run("上限20億", cap_yen=20 * 100_000_000)


def test_officer_pages_in_japanese(client, bilingual, world, runs):
    first, second = runs
    client.force_login(world["officer"])
    cases = [
        (reverse("allocation:index"), [("採択・配分", "Selection and allocation")]),
        (
            reverse("allocation:call", args=[world["call"].pk]),
            [
                ("最適化を実行", "Run the optimiser"),
                ("地方区分ごとの制限（採択件数）", "Limits per regional block"),
                ("順位付けされた提案とその計画案", "Ranked proposals and their plans"),
            ],
        ),
        (
            reverse("allocation:run", args=[first.pk]),
            [
                ("この実行結果を決定として採択する", "Adopt this run as the decision"),
                ("最適解と評点順の貪欲法の比較", "Optimal against greedy by score"),
                ("配分対象外とその理由", "Not funded, and why"),
            ],
        ),
        (
            reverse("allocation:compare") + f"?a={first.pk}&b={second.pk}",
            # "Change" has a context: Django admin's "変更" must not replace "増減".
            [("増減", ">Change<"), ("提案別", "Per proposal")],
        ),
    ]
    for url, labels in cases:
        ja, _en = bilingual(url, labels)
    assert "変更" not in ja  # the compare page, last of the cases
