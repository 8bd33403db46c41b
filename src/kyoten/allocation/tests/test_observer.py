"""Ministry observers (R-15) read the allocation pages of published decisions, with their PDF
and Excel; never an unpublished run, never the form that runs an allocation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kyoten.allocation import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(world):
    return services.allocation_run(
        call=world["call"], params={}, by=world["officer"], scores=world["scores"], label="基本"
    )


def test_observer_reads_only_published_decisions(client, world, run, make_user):
    client.force_login(make_user("observer"))
    index = client.get(reverse("allocation:index"))
    assert index.status_code == 200
    assert world["call"].title not in index.content.decode()
    assert client.get(reverse("allocation:run", args=[run.pk])).status_code == 404
    decision = services.allocation_adopt(run=run, by=world["officer"])
    assert world["call"].title not in client.get(reverse("allocation:index")).content.decode()
    services.allocation_publish(decision=decision, by=world["officer"])
    html = client.get(reverse("allocation:index")).content.decode()
    assert world["call"].title in html
    assert f'href="{reverse("allocation:call", args=[world["call"].pk])}"' not in html
    assert f'href="{reverse("allocation:run", args=[run.pk])}"' in html
    page = client.get(reverse("allocation:run", args=[run.pk])).content.decode()
    assert "#" + str(run.pk) in page
    assert reverse("allocation:adopt", args=[run.pk]) not in page
    pdf = client.get(reverse("allocation:export", args=[run.pk, "pdf"]))
    xlsx = client.get(reverse("allocation:export", args=[run.pk, "xlsx"]))
    assert (pdf.status_code, pdf.content[:4]) == (200, b"%PDF")
    assert (xlsx.status_code, xlsx.content[:2]) == (200, b"PK")
    # Running or adopting stays with the officer and the committees.
    assert client.get(reverse("allocation:call", args=[world["call"].pk])).status_code == 403
    assert client.post(reverse("allocation:adopt", args=[run.pk])).status_code == 403


def test_applicant_is_still_refused(client, world, make_user):
    client.force_login(make_user("applicant", prefecture="13"))
    assert client.get(reverse("allocation:index")).status_code == 403
