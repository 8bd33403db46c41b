"""The workspace and the officer pages."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import override_settings

from kyoten.proposals.models import Proposal
from kyoten.proposals.services import proposal_create, proposal_submit, proposal_update

from .conftest import valid_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(open_call, kanagawa):
    p = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    proposal_submit(proposal=p, by=kanagawa)
    proposal_update(proposal=p, by=kanagawa, content=valid_document(title="第2版の題名"))
    proposal_submit(proposal=p, by=kanagawa)
    return p


def test_applicant_starts_and_autosaves_a_proposal(client, open_call, kanagawa):
    client.force_login(kanagawa)
    page = client.get("/proposals/")
    assert page.status_code == 200 and "テスト公募" in page.content.decode()
    response = client.post(f"/proposals/new/{open_call.pk}/")
    p = Proposal.objects.get()
    assert response.url == f"/proposals/{p.pk}/"
    editor = client.get(response.url)
    assert editor.status_code == 200
    assert "R-8" in editor.content.decode()
    saved = client.post(f"/proposals/{p.pk}/save/basics/", {
        "title": "新しい拠点", "lead_prefecture": "14", "prefectures": ["14"], "form": "new",
        "requested_yen": "2,500,000,000", "operation_start_fy": "2011", "representative": "governor",
    }, HTTP_HX_REQUEST="true")  # fmt: skip
    assert saved.status_code == 200
    p.refresh_from_db()
    assert (p.title, p.requested_yen, p.form, p.operation_start_fy) == (
        "新しい拠点",
        2_500_000_000,
        "new",
        2011,
    )
    body = saved.content.decode()
    assert 'id="checklist"' in body
    assert "に保存しました" in body


def test_funding_part_saves_ten_years_and_totals(client, open_call, kanagawa):
    p = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    client.force_login(kanagawa)
    data = {"fiscal_year": [str(fy) for fy in range(2011, 2021)],
            "revenue_usage_fees": ["100"] * 10, "revenue_joint_research": [""] * 10,
            "revenue_prefecture": ["50"] * 10, "revenue_other": [""] * 10,
            "cost_staff": ["200"] * 10, "cost_maintenance": [""] * 10, "cost_utilities": [""] * 10,
            "cost_other": [""] * 10, "jst_operating_yen": [""] * 10}  # fmt: skip
    response = client.post(f"/proposals/{p.pk}/save/funding/", data)
    assert response.status_code == 200
    p.refresh_from_db()
    assert p.content["funding_plan"][0] == {
        "fiscal_year": 2011,
        "revenue_yen": {"usage_fees": 100, "joint_research": 0, "prefecture": 50, "other": 0},
        "cost_yen": {"staff": 200, "maintenance": 0, "utilities": 0, "other": 0},
        "jst_operating_yen": 0,
    }
    assert 'class="deficit"' in response.content.decode()
    bad = client.post(
        f"/proposals/{p.pk}/save/funding/", {**data, "cost_staff": ["1.5"] + ["200"] * 9}
    )
    # The unreadable figure is named in words, never by its key.
    assert "運営資金計画 › 1行目 › 支出 › 人件費: " in bad.content.decode()
    assert "funding_plan[0].cost_yen.staff" not in bad.content.decode()


def test_other_prefecture_gets_404(client, submitted, tokyo):
    client.force_login(tokyo)
    assert client.get(f"/proposals/{submitted.pk}/").status_code == 404
    assert client.post(f"/proposals/{submitted.pk}/save/basics/", {}).status_code == 404


def test_versions_and_diff(client, submitted, officer):
    client.force_login(officer)
    page = client.get(f"/proposals/{submitted.pk}/versions/").content.decode()
    assert "第2版の題名" in page and "v2" in page
    v1 = client.get(f"/proposals/{submitted.pk}/versions/1/").content.decode()
    assert "かながわ次世代ものづくり産学官共同研究拠点" in v1


def test_officer_call_pages_and_exports(client, submitted, open_call, officer):
    client.force_login(officer)
    page = client.get(f"/proposals/calls/{open_call.pk}/")
    assert page.status_code == 200 and "第2版の題名" in page.content.decode()
    assert client.get(f"/proposals/calls/{open_call.pk}/eligibility/").status_code == 200
    exported = client.get(f"/proposals/calls/{open_call.pk}/export.csv")
    assert exported.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "提案名", "代表都道府県"]
    assert rows[1][1:3] == ["第2版の題名", "神奈川県"]
    xlsx = client.get(f"/proposals/calls/{open_call.pk}/export.xlsx")
    assert xlsx.content[:2] == b"PK"
    pdf = client.get(f"/proposals/{submitted.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"IPAexGothic" in pdf.content
    from kyoten.proposals import exports

    assert exports._signature_rows(submitted) == [["—", "—", "署名の依頼なし"]]
    content = {
        **submitted.content,
        "land": {"address": "横浜市", "area_m2": 1200, "provided_by": "神奈川県"},
        "designated_city_consultations": [{"city": "横浜市", "date": "2009-08-01"}],
        "pdca": [
            {"fiscal_year": 2011, "plan": "計画", "do": "実行", "check": "評価", "act": "改善"}
        ],
    }
    assert exports.proposal_pdf(submitted, content, version_label="第1版").startswith(b"%PDF")


def test_applicant_cannot_see_officer_pages(client, open_call, kanagawa):
    client.force_login(kanagawa)
    assert client.get(f"/proposals/calls/{open_call.pk}/").status_code == 403


def test_attachments_pdf_only_and_checked(client, open_call, kanagawa, tokyo, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    client.force_login(kanagawa)
    with override_settings(MEDIA_ROOT=tmp_path):
        client.post(f"/proposals/{p.pk}/attachments/",
                    {"file": SimpleUploadedFile("a.exe", b"MZ...", content_type="application/pdf")})  # fmt: skip
        assert p.attachments.count() == 0
        client.post(f"/proposals/{p.pk}/attachments/",
                    {"file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 test", content_type="application/pdf")})  # fmt: skip
        a = p.attachments.get()
        assert a.file.path.startswith(str(tmp_path))
        got = client.get(f"/proposals/{p.pk}/attachments/{a.pk}/")
        assert b"".join(got.streaming_content) == b"%PDF-1.4 test"
        client.force_login(tokyo)
        assert client.get(f"/proposals/{p.pk}/attachments/{a.pk}/").status_code == 404


def test_amend_page(client, submitted, open_call, officer):
    client.force_login(officer)
    assert client.get(f"/proposals/calls/{open_call.pk}/amend/").status_code == 200
    response = client.post(f"/proposals/calls/{open_call.pk}/amend/", {
        "budget_yen": "26300000000", "cap_yen": "900000000", "allowed_forms": ["equipment_only"],
        "categories": "構想支援地域\n基盤形成支援地域", "deadline": "2099-12-01T17:00", "message": "新築は対象外",
    })  # fmt: skip
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "returned"
    open_call.refresh_from_db()
    assert [c["label_ja"] for c in open_call.categories] == ["構想支援地域", "基盤形成支援地域"]


def test_amend_page_names_a_refused_field_by_its_label(client, submitted, open_call, officer):
    """Issue 13 journey: a refusal named the field by its key ("deadline: …", "cap_yen: …")."""
    client.force_login(officer)
    url = f"/proposals/calls/{open_call.pk}/amend/"
    past = client.post(url, {"budget_yen": "26300000000", "cap_yen": "900000000",
                             "allowed_forms": ["equipment_only"], "deadline": "2009-11-20T17:00"})  # fmt: skip
    html = past.content.decode()
    assert re.search(r'<p class="error">再提出ラウンドの締切（日本時間）: [^<]+</p>', html)
    assert "deadline:" not in html
    over = client.post(url, {"budget_yen": "500000000", "cap_yen": "900000000",
                             "allowed_forms": ["equipment_only"], "deadline": "2099-12-01T17:00"})  # fmt: skip
    html = over.content.decode()
    assert re.search(r'<p class="error">R-8 1拠点あたりの上限額（円）: [^<]+</p>', html)
    assert "cap_yen" not in html.split('<p class="error">')[1].split("</p>")[0]
    open_call.refresh_from_db()
    assert open_call.revision_round == 0


def test_a_part_that_cannot_be_read_names_the_field_in_words(client, open_call, kanagawa):
    """Issue 13 journey: an unreadable amount was reported as "requested_yen: …"."""
    p = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    client.force_login(kanagawa)
    saved = client.post(f"/proposals/{p.pk}/save/basics/", {
        "title": "拠点", "lead_prefecture": "14", "prefectures": ["14"], "form": "new",
        "requested_yen": "二十五億", "operation_start_fy": "2011", "representative": "governor",
    }, HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    status = saved.split('id="status-basics"')[1].split("</span>\n")[0]
    assert '<span class="error">要求額: ' in status
    assert "requested_yen" not in status
    equipment = client.post(f"/proposals/{p.pk}/save/selection/", {
        "option_label": ["reduced"], "option_amount_yen": ["九億"], "option_drops": ["装置"],
    }, HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    status = equipment.split('id="status-selection"')[1].split("</span>\n")[0]
    assert '<span class="error">代替案 › 1行目 › 金額: ' in status


def test_signatures_part_shows_the_edition_and_digest_signed(client, open_call, kanagawa):
    """A signatory reads which edition of the working content they sign: 第n稿 (the edit
    count), not 第n版, which names the submitted versions."""
    p = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    p, _voided = proposal_update(proposal=p, by=kanagawa, content=valid_document(title="改題"))
    client.force_login(kanagawa)
    html = client.get(f"/proposals/{p.pk}/").content.decode()
    assert f"（編集の第{p.revision}稿、要約値 <code>{p.content_hash[:12]}</code>）" in html


def test_officer_acknowledges_the_consortium_warning(client, open_call, make_user, officer):
    saga = make_user("applicant", prefecture="41")
    p = proposal_create(call=open_call, by=saga, content=valid_document(
        lead_prefecture="41", prefectures=["41", "37"], designated_city_consultations=[]))  # fmt: skip
    client.force_login(officer)
    assert "警告を確認する" in client.get(f"/proposals/{p.pk}/").content.decode()
    client.post(f"/proposals/{p.pk}/acknowledge/")
    p.refresh_from_db()
    assert p.warnings_acknowledged_by == officer
    client.force_login(saga)
    client.post(f"/proposals/{p.pk}/acknowledge/")
    p.refresh_from_db()
    assert p.warnings_acknowledged_by == officer


def test_call_exports_write_a_hostile_title_as_text(client, submitted, open_call, officer):
    from openpyxl import load_workbook

    hostile = '=HYPERLINK("https://evil.example","詳細")'
    submitted.title = hostile
    submitted.save(update_fields=["title"])
    client.force_login(officer)
    exported = client.get(f"/proposals/calls/{open_call.pk}/export.csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[1][1] == "'" + hostile
    xlsx = client.get(f"/proposals/calls/{open_call.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    title = sheet.cell(row=3, column=2)
    assert (title.value, title.data_type, title.quotePrefix) == (hostile, "s", True)
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_two_applicants_editing_one_part_never_overwrite_each_other(
    client, open_call, kanagawa, make_user
):
    """Issue 17 item 9: the second save of a part someone changed since it was drawn is
    refused with their text shown; the next save replaces it; other parts never collide."""
    import re

    from django.test import Client

    from kyoten.calls.program import SECTIONS

    p = proposal_create(call=open_call, by=kanagawa, content=valid_document())
    colleague = make_user("applicant", username="pref-14b", prefecture="14")
    client.force_login(kanagawa)
    other = Client()
    other.force_login(colleague)
    url = f"/proposals/{p.pk}/"

    def seen(page, part) -> str:
        return re.search(rf'id="seen-{part}" value="([^"]*)"', page.content.decode()).group(1)

    def sections(first: str) -> dict:
        texts = {f"section_{key}": p.content["sections"].get(key, "") for key in SECTIONS}
        return texts | {f"section_{SECTIONS[0]}": first}

    mine, drawn_basics = seen(client.get(url), "sections"), seen(client.get(url), "basics")
    theirs = other.post(
        f"{url}save/sections/", {"seen": seen(other.get(url), "sections"), **sections("同僚の文")}
    )
    assert "に保存しました" in theirs.content.decode()

    refused = client.post(f"{url}save/sections/", {"seen": mine, **sections("私の文")})
    body = refused.content.decode()
    assert "に変更を保存しました" in body and "同僚の文" in body
    p.refresh_from_db()
    assert p.content["sections"][SECTIONS[0]] == "同僚の文"
    again = client.post(
        f"{url}save/sections/", {"seen": seen(refused, "sections"), **sections("私の文")}
    )
    assert "に保存しました" in again.content.decode()
    p.refresh_from_db()
    assert p.content["sections"][SECTIONS[0]] == "私の文"
    # Another part drawn before both saves does not collide.
    basics = {"seen": drawn_basics, "title": "題名を変える", "lead_prefecture": "14",
              "prefectures": ["14"], "form": p.content["form"],
              "requested_yen": str(p.content["requested_yen"]),
              "operation_start_fy": str(p.content["operation_start_fy"]),
              "representative": p.content.get("representative") or "governor"}  # fmt: skip
    assert "に保存しました" in client.post(f"{url}save/basics/", basics).content.decode()
    p.refresh_from_db()
    assert (p.title, p.content["sections"][SECTIONS[0]]) == ("題名を変える", "私の文")


def test_start_year_redraws_the_funding_table(client, open_call, kanagawa):
    client.force_login(kanagawa)
    client.post(f"/proposals/new/{open_call.pk}/")
    p = Proposal.objects.get()
    saved = client.post(f"/proposals/{p.pk}/save/basics/", {
        "title": "拠点", "lead_prefecture": "14", "prefectures": ["14"], "form": "new",
        "operation_start_fy": "2013", "representative": "governor",
    }, HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    table = saved.split('id="funding-table" hx-swap-oob="true"')[1]
    years = re.findall(r'name="fiscal_year" value="(\d+)"', table)
    assert years == [str(fy) for fy in range(2013, 2023)]


def test_second_proposal_of_a_prefecture_is_warned_at_once(client, open_call, kanagawa):
    client.force_login(kanagawa)
    client.post(f"/proposals/new/{open_call.pk}/")
    first = Proposal.objects.get()
    first.title = "最初の拠点"
    first.save(update_fields=["title"])
    page = client.post(f"/proposals/new/{open_call.pk}/", follow=True).content.decode()
    assert "R-1" in page and "「最初の拠点」" in page
