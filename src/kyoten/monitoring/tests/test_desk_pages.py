"""The coordinator desk and IP office pages render for the hub's coordinator and refuse others."""

from __future__ import annotations

import pytest

from kyoten.monitoring import services

pytestmark = pytest.mark.django_db


def test_desk_and_ip_pages(client, hub, operator, officer, make_user):
    services.coordinator_appoint(hub=hub, user=operator, by=officer)
    client.force_login(operator)
    response = client.post(
        f"/monitoring/hubs/{hub.pk}/desk/new/",
        {"received_on": "2012-05-10", "company_name": "博多精密株式会社", "subject": "薄膜の評価",
         "coordinator": operator.pk},
    )  # fmt: skip
    assert response.status_code == 302
    for url in ("desk/", "desk/new/", "desk/?fy=2012", "patents/", "patents/new/"):
        assert client.get(f"/monitoring/hubs/{hub.pk}/{url}").status_code == 200, url
    page = client.get(f"/monitoring/hubs/{hub.pk}/desk/?fy=2012").content.decode()
    assert 'id="fy-consultations">1<' in page
    client.force_login(make_user("equipment_user"))
    assert client.get(f"/monitoring/hubs/{hub.pk}/desk/").status_code == 404
    client.force_login(make_user("observer"))
    assert client.get(f"/monitoring/hubs/{hub.pk}/desk/").status_code == 200
    assert client.get(f"/monitoring/hubs/{hub.pk}/desk/new/").status_code == 403
