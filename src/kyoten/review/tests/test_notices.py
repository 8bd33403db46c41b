"""Reviewers hear of their assignments, once per run, through the officer's pages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from kyoten.notices.models import Notice

pytestmark = pytest.mark.django_db


def test_pinning_a_pair_tells_the_reviewer(world):
    assigned = world
    from kyoten.review.tests.conftest import make_proposal

    tanaka = assigned["reviewers"]["tanaka"]
    tanaka.email = "tanaka@example.ac.jp"
    tanaka.save()
    extra = make_proposal(
        assigned["call"], title="追加", prefectures=["30"], university="和歌山大学"
    )
    Notice.objects.all().delete()
    mail.outbox.clear()
    c = Client()
    c.force_login(assigned["officer"])
    c.post(
        f"/review/calls/{assigned['call'].pk}/pairs/",
        {"proposal": extra.pk, "reviewer": tanaka.pk, "action": "pin"},
    )
    [notice] = Notice.objects.filter(recipient=tanaka)
    assert notice.kind == "reviewer_assigned"
    assert notice.text_ja == (
        f"公募「{assigned['call'].title}」の提案 1 件の審査が新たに割り当てられました。"
    )
    assert notice.url == "/review/"
    assert [m.to for m in mail.outbox] == [["tanaka@example.ac.jp"]]
