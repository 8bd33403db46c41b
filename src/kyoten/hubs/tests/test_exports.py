"""The hubs' files (issue 15, item 6): the directory and a hub's asset register as
CSV and Excel with Japanese headers and sheet names, read back; formula-like text stays text;
who may download what."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl

from kyoten.hubs.services import asset_register, hub_update


def read_csv(response) -> list[list[str]]:
    body = response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def read_xlsx(response) -> dict[str, list[list]]:
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_directory_as_csv_with_japanese_headers_and_labels(client, hub, officer):
    hub_update(hub=hub, by=officer, address="福岡市西区元岡744")
    response = client.get("/hubs/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="hubs.csv"'
    rows = read_csv(response)
    assert rows[0] == [
        "拠点ID", "拠点", "幹事都道府県", "地方区分", "都道府県", "設置機関", "整備形態", "段階",
        "運営開始", "所在地", "配分額（円）", "更新日時",
    ]  # fmt: skip
    assert rows[1][:11] == [
        str(hub.pk), "福岡県 先端材料評価拠点", "福岡県", "九州・沖縄", "福岡県", "", "新築",
        "設計", "", "福岡市西区元岡744", "800000000",
    ]  # fmt: skip
    assert len(rows) == 2


def test_directory_as_excel_follows_the_page_filters(client, hub, officer):
    from kyoten.hubs.services import hub_create

    hub_create(by=officer, name="札幌食品拠点", lead_prefecture="01", form="new")
    sheets = read_xlsx(client.get("/hubs/export.xlsx?block=kyushu"))
    assert list(sheets) == ["拠点一覧"]
    assert [r[1] for r in sheets["拠点一覧"]] == ["拠点", "福岡県 先端材料評価拠点"]
    assert sheets["拠点一覧"][1][10] == 800_000_000  # yen stay a number
    assert client.get("/hubs/export.pdf").status_code == 404
    page = client.get("/hubs/?block=kyushu").content.decode()
    assert 'href="/hubs/export.xlsx?block=kyushu"' in page


def test_formula_like_names_stay_text(client, hub, officer):
    hub_update(hub=hub, by=officer, name='=HYPERLINK("https://example.com","詳細")')
    rows = read_csv(client.get("/hubs/export.csv"))
    assert rows[1][1] == '\'=HYPERLINK("https://example.com","詳細")'
    wb = openpyxl.load_workbook(io.BytesIO(client.get("/hubs/export.xlsx").content))
    cell = wb.active["B2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("https://example.com","詳細")', "s")


def test_asset_register_for_the_hub_and_the_program_readers(client, hub, officer, people):
    asset_register(
        hub=hub, kind="equipment", name="走査電子顕微鏡", acquisition_cost_yen=70_000_000,
        acquired_on=dt.date(2024, 6, 1), useful_life_years=7, by=officer, location="2階",
    )  # fmt: skip
    url = f"/hubs/{hub.pk}/assets.xlsx"
    answers = {}
    for who in ("own", "other", "outsider", "observer", "officer"):
        client.force_login(people[who])
        answers[who] = client.get(url).status_code
    assert answers == {"own": 200, "other": 403, "outsider": 403, "observer": 200, "officer": 200}
    client.force_login(people["observer"])
    sheets = read_xlsx(client.get(url))
    assert list(sheets) == ["資産台帳"]
    header, row = sheets["資産台帳"]
    assert header[:9] == [
        "資産ID", "名称", "種別", "取得日", "取得価額（円）", "財源", "所有者", "耐用年数（年）",
        "拠点内の設置場所",
    ]  # fmt: skip
    assert header[9].endswith("末の簿価（円）") and "年度" in header[9]
    assert [*row[1:3], row[3].date(), *row[4:9]] == [
        "走査電子顕微鏡", "設備", dt.date(2024, 6, 1), 70_000_000, "本事業（JST）", "JST", 7,
        "2階",
    ]  # fmt: skip
    page = client.get(f"/hubs/{hub.pk}/").content.decode()
    assert f'href="/hubs/{hub.pk}/assets.xlsx"' in page
    client.logout()
    assert client.get(url)["Location"].startswith("/login/")
