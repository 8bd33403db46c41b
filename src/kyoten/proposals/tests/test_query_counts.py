"""List pages and the list API do a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kyoten.proposals.services import proposal_create, proposal_submit

from .conftest import valid_document

pytestmark = pytest.mark.django_db

SINGLES = ["19", "20", "16", "17", "18", "25", "29", "30", "31", "32", "35", "36"]


def make(open_call, make_user, codes):
    for code in codes:
        user = make_user("applicant", prefecture=code)
        p = proposal_create(call=open_call, by=user,
                            content=valid_document(lead_prefecture=code, prefectures=[code],
                                                   designated_city_consultations=[]))  # fmt: skip
        proposal_submit(proposal=p, by=user)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/proposals/calls/{call}/", "/proposals/calls/{call}/eligibility/",
                                 "/proposals/", "/api/v1/proposals?call={call}&page_size=50"])  # fmt: skip
def test_list_queries_do_not_grow(client, open_call, officer, make_user, url):
    client.force_login(officer)
    make(open_call, make_user, SINGLES[:1])
    one = count(client, url.format(call=open_call.pk))
    make(open_call, make_user, SINGLES[1:])
    many = count(client, url.format(call=open_call.pk))
    assert many == one


def test_workspace_is_paged_and_flat_at_10_and_100(
    client, open_call, officer, make_user, clone_rows, queries_flat
):
    from kyoten.proposals.models import Proposal

    client.force_login(officer)
    make(open_call, make_user, SINGLES[:2])
    first = Proposal.objects.order_by("pk").first()
    clone_rows(first, 8, lambda i: {"title": f"複製 {i}"})
    queries_flat("/proposals/", lambda: clone_rows(first, 90, lambda i: {"title": f"追加 {i}"}))
    second = client.get("/proposals/?page=2").content.decode()
    assert _last_page(second)


def _last_page(html: str) -> bool:
    """The second and last page: a link back, none further."""
    return 'rel="prev"' in html and 'rel="next"' not in html
