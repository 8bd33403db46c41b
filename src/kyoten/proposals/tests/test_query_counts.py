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
