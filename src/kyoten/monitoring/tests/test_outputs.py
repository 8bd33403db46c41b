import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from kyoten.monitoring import charts, export, pdf, selectors, services
from kyoten.monitoring.tests.conftest import PDCA

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(hub, operator, officer, committee):
    report = services.report_create(
        hub=hub, fiscal_year=2013, by=operator, pdca=PDCA, summary="共同研究が増えた",
        actuals={"joint_research_projects": 15, "external_funding_yen": 120_000_000},
        notes={"joint_research_projects": "共同研究の記録は移行中", "external_funding_yen": "共同研究の記録は移行中"},
        financials={"revenue_yen": {"usage_fees": 10_000_000, "prefecture": 30_000_000},
                    "cost_yen": {"staff": 50_000_000}},
    )  # fmt: skip
    services.report_submit(report=report, by=operator)
    services.report_accept(report=report, by=officer)
    advice = services.advice_create(
        by=committee, addressee="region", hub=hub, title="中小企業の利用拡大",
        body="県内の中小企業への周知を強化されたい。", due_date="2014-09-30",
    )  # fmt: skip
    services.advice_respond(
        advice=advice, by=operator, body="説明会を開催する", action_taken="説明会3回"
    )
    return report


def _fonts(data: bytes) -> list[bytes]:
    return re.findall(rb"/BaseFont /([A-Z]{6}\+[A-Za-z-]+)", data)


def test_trend_chart_is_a_png(hub, reported):
    series = selectors.hub_series(hub)
    assert [x.kpi.key for x in series] == [
        "joint_research_projects", "companies_using", "sme_users", "sme_share_pct",
        "equipment_utilisation_pct", "trainees", "engineers_trained", "usage_revenue_yen",
        "ventures_incubated", "ventures_graduated", "patents_filed", "patents_licensed",
        "consultations", "consultations_converted", "external_funding_yen", "revenue_yen",
        "self_funding_ratio_pct",
    ]  # fmt: skip
    png = charts.trend_png(series[0])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert charts.matplotlib_font() == "IPAexGothic"


def test_hub_pdf_embeds_the_japanese_font(hub, reported):
    data = pdf.hub_report_pdf(hub, 2013)
    assert data.startswith(b"%PDF-")
    # Every font is an embedded subset of IPAex Gothic (FontFile2 = embedded TrueType).
    assert set(_fonts(data)) and all(f.endswith(b"+IPAexGothic") for f in _fonts(data))
    assert b"/FontFile2" in data
    assert b"HeiseiKakuGo" not in data and b"HeiseiMin" not in data
    assert b"/Helvetica" not in data  # no font that is not embedded


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) not installed")
def test_hub_pdf_text_is_readable(hub, reported, tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf.hub_report_pdf(hub, 2013))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    for expected in ("福岡県 先端材料評価拠点 年度報告書 2013年度 (平成25年度)", "共同研究件数",
                     "要注意", "¥120,000,000", "稼働率を点検した", "中小企業の利用拡大",
                     "説明会を開催する", "設備記録から自動算出"):  # fmt: skip
        assert expected in text, expected


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) not installed")
def test_program_pdf_text_is_readable(hub, reported, officer, tmp_path):
    data = pdf.program_report_pdf(officer, 2013)
    assert all(f.endswith(b"+IPAexGothic") for f in _fonts(data))
    path = tmp_path / "p.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert "地域産学官共同研究拠点 年次報告 2013年度 (平成25年度)" in text
    assert "福岡県 先端材料評価拠点" in text
    assert "九州" in text


def test_excel_export(hub, reported, officer):
    wb = load_workbook(io.BytesIO(export.workbook(officer)))
    assert wb.sheetnames == ["KPI", "年次報告", "KPI 一覧"]
    rows = list(wb["KPI"].iter_rows(values_only=True))
    # Headers, blocks, KPIs, units, sources and statuses as labels; fiscal years as 年度.
    assert rows[0] == (
        "拠点ID", "拠点", "都道府県", "地方区分", "KPIキー", "指標", "単位", "年度", "目標",
        "目標の出典", "実績", "実績の出典", "算出値", "報告の状態", "達成率（%）", "状態",
    )  # fmt: skip
    fy2013, fy2014 = "2013年度 (平成25年度)", "2014年度 (平成26年度)"
    jrp_2013 = next(r for r in rows if r[4] == "joint_research_projects" and r[7] == fy2013)
    assert jrp_2013 == (
        hub.pk, "福岡県 先端材料評価拠点", "福岡県", "九州・沖縄", "joint_research_projects",
        "共同研究件数", "件・人", fy2013, 20, "提案書の目標", 15,
        "拠点の報告", 0, "受理", 75.0, "要注意",
    )  # fmt: skip
    jrp_2014 = next(r for r in rows if r[4] == "joint_research_projects" and r[7] == fy2014)
    assert jrp_2014[8:12] == (24, "補間", None, None)
    assert list(wb["年次報告"].iter_rows(values_only=True))[1][:7] == (
        hub.pk, "福岡県 先端材料評価拠点", fy2013, "受理", 40_000_000,
        50_000_000, 0,
    )  # fmt: skip


def test_excel_export_hides_other_hubs_from_an_operator(hub, reported, outsider_operator):
    wb = load_workbook(io.BytesIO(export.workbook(outsider_operator)))
    assert list(wb["KPI"].iter_rows(values_only=True))[1:] == []


def test_excel_export_writes_a_hostile_hub_name_as_text(hub, reported, officer):
    hub.name = "=cmd|' /C calc'!A0"
    hub.save(update_fields=["name"])
    wb = load_workbook(io.BytesIO(export.workbook(officer)))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    named = {(c.value, c.data_type, c.quotePrefix) for c in cells if c.value == hub.name}
    assert named == {(hub.name, "s", True)}
    assert not [c for c in cells if c.data_type == "f"]
