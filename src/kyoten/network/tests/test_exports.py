"""The network's files (issue 15, item 6): the dashboard's tables, the KPI tables and the
equipment catalogue as CSV and Excel with Japanese headers and sheet names, read back."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from kyoten.hubs.models import Hub


@pytest.fixture
def hubs(db):
    return [
        Hub.objects.create(
            name="福岡 先端材料評価拠点", slug="fukuoka", lead_prefecture_id="40",
            form="equipment_only",
        ),
        Hub.objects.create(
            name="札幌食品拠点", slug="sapporo", lead_prefecture_id="01", form="equipment_only"
        ),
    ]  # fmt: skip


def test_dashboard_as_excel_a_sheet_per_table(client, hubs, make_user):
    client.force_login(make_user("observer"))
    response = client.get("/network/dashboard/export.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="network-dashboard.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [
        "地域別の拠点", "分野・地域別の拠点", "種類・地域別の登録数", "区分別の設備", "利用者区分別の利用",
    ]  # fmt: skip
    rows = [list(r) for r in wb["地域別の拠点"].iter_rows(values_only=True)]
    assert rows[0] == ["地方区分", "拠点数"]
    assert ["北海道", 1] in rows and ["九州・沖縄", 1] in rows and ["関東", 0] in rows
    page = client.get("/network/dashboard/").content.decode()
    assert 'href="/network/dashboard/export.xlsx"' in page
    assert 'href="/network/kpis.xlsx"' in page


def test_dashboard_csv_has_every_table_under_its_name(client, hubs, make_user):
    client.force_login(make_user("officer"))
    body = client.get("/network/dashboard/export.csv").content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["地域別の拠点"]
    assert ["利用者区分別の利用"] in rows


def test_only_the_program_readers_download_the_dashboard_and_kpis(client, hubs, make_user):
    answers = {}
    for role in ("observer", "committee", "officer", "operator", "public"):
        client.force_login(make_user(role))
        answers[role] = (
            client.get("/network/dashboard/export.csv").status_code,
            client.get("/network/kpis.csv").status_code,
        )
    assert answers == {
        "observer": (200, 200), "committee": (200, 200), "officer": (200, 200),
        "operator": (403, 403), "public": (403, 403),
    }  # fmt: skip


def test_kpi_tables_have_monitoring_s_japanese_headers(client, hubs, make_user):
    client.force_login(make_user("observer"))
    wb = openpyxl.load_workbook(io.BytesIO(client.get("/network/kpis.xlsx").content))
    assert wb.sheetnames == ["KPI一覧"]
    header = next(wb["KPI一覧"].iter_rows(values_only=True))
    assert header[:2] == ("拠点ID", "拠点")


def test_equipment_catalogue_is_public(client, hubs):
    response = client.get("/network/equipment.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["装置ID", "機器", "区分"]
    assert client.get("/network/equipment.ods").status_code == 404
