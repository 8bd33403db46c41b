"""Pages of the hub's own records (issue 19) and the report form that keeps what was typed."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kyoten.monitoring import services
from kyoten.monitoring.models import AnnualReport, JointResearchProject

pytestmark = pytest.mark.django_db

PARTNERS = [
    {"name": "九州精密工業株式会社", "kind": "company", "size_class": "sme", "prefecture": "40"},
    {"name": "九州大学", "kind": "university", "prefecture": "40"},
]


def _project(hub, by, n, **kw):
    data = {
        "title": f"共同研究 {n:02d}", "contract_type": "joint", "contract_start": "2013-04-01",
        "contract_end": "2014-03-31", "partners": PARTNERS,
        "funding": [{"source": "company", "funder": "九州精密工業", "amount_yen": 1_000_000,
                     "received_on": "2013-06-01"}],
    }  # fmt: skip
    data.update(kw)
    return services.joint_research_create(hub=hub, by=by, **data)


FORM = {
    "title": "SiC パワー素子の信頼性評価",
    "contract_type": "joint",
    "contract_start": "2013-04-01",
    "contract_end": "2015-03-31",
    "partner_name": ["九州精密工業株式会社", "九州大学", ""],
    "partner_kind": ["company", "university", ""],
    "partner_size_class": ["sme", "", ""],
    "partner_prefecture": ["40", "40", ""],
    "funding_source": ["company", "prefecture", ""],
    "funding_funder": ["九州精密工業", "", ""],
    "funding_prefecture": ["", "40", ""],
    "funding_amount_yen": ["12,000,000", "3000000", ""],
    "funding_received_on": ["2013-07-01", "2013-08-01", ""],
    "papers": "1",
    "patents": "0",
    "products": "",
}


def test_an_operator_records_a_project_from_the_form(client, hub, operator):
    client.force_login(operator)
    assert client.get(f"/monitoring/hubs/{hub.pk}/research/new/").status_code == 200
    response = client.post(f"/monitoring/hubs/{hub.pk}/research/new/", FORM)
    project = JointResearchProject.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/monitoring/hubs/{hub.pk}/research/{project.pk}/"
    assert [(f.source, f.amount_yen) for f in project.funding.all()] == [
        ("company", 12_000_000),
        ("prefecture", 3_000_000),
    ]
    page = client.get(f"/monitoring/hubs/{hub.pk}/research/?fy=2013").content.decode()
    assert re.search(r'id="fy-projects">1<', page)
    assert re.search(r'id="fy-external">¥12,000,000<', page)  # Fukuoka's own money is not
    assert "2013年度 (平成25年度)" in page


def test_a_refused_form_keeps_what_was_typed_and_names_the_field(client, hub, operator):
    client.force_login(operator)
    bad = dict(FORM, partner_size_class=["", "", ""])
    response = client.post(f"/monitoring/hubs/{hub.pk}/research/new/", bad)
    page = response.content.decode()
    assert response.status_code == 400
    assert "参画機関 1行目：企業規模：企業には企業規模が必要です" in page
    assert 'value="SiC パワー素子の信頼性評価"' in page
    assert 'value="12,000,000"' in page
    assert JointResearchProject.objects.count() == 0


def test_the_register_is_404_to_outsiders_and_read_only_to_observers(
    client, hub, operator, outsider_operator, make_user
):
    p = _project(hub, operator, 1)
    urls = [f"/monitoring/hubs/{hub.pk}/research/", f"/monitoring/hubs/{hub.pk}/research/new/",
            f"/monitoring/hubs/{hub.pk}/research/{p.pk}/"]  # fmt: skip
    client.force_login(outsider_operator)
    assert [client.get(u).status_code for u in urls] == [404, 404, 404]
    assert client.post(urls[1], FORM).status_code == 404
    client.force_login(make_user("observer"))
    assert [client.get(urls[0]).status_code, client.get(urls[2]).status_code] == [200, 200]
    assert client.post(urls[1], FORM).status_code == 403
    assert "新しい共同研究を記録する" not in client.get(urls[0]).content.decode()
    assert JointResearchProject.objects.count() == 1


def test_the_hub_page_links_to_the_register(client, hub, operator):
    client.force_login(operator)
    page = client.get(f"/hubs/{hub.pk}/").content.decode()
    assert f'href="/monitoring/hubs/{hub.pk}/research/">共同研究の記録</a>' in page
    client.logout()
    page = client.get(f"/hubs/{hub.pk}/").content.decode()
    assert f'href="/monitoring/hubs/{hub.pk}/research/"' not in page
    assert f'href="/monitoring/hubs/{hub.pk}/research/public/"' in page


def test_public_summaries_only_where_the_partners_agree(client, hub, operator):
    _project(hub, operator, 1, public_summary="公開してよい概要", partners_agree_to_publish=True)
    _project(hub, operator, 2, public_summary="秘密の概要")
    page = client.get(f"/monitoring/hubs/{hub.pk}/research/public/").content.decode()
    assert ("公開してよい概要" in page, "秘密の概要" in page, "共同研究 02" in page) == (
        True,
        False,
        False,
    )


def test_the_register_pages_in_twenty_with_a_fixed_number_of_queries(
    client, hub, operator, django_assert_max_num_queries
):
    from kyoten.equipment.services import equipment_create

    machine = equipment_create(hub=hub, by=None, name="X線回折装置", category="analysis",
                               fees={("academic", "self_use"): 1000})  # fmt: skip
    for n in range(1, 26):
        _project(hub, operator, n, equipment=[machine.pk])
    client.force_login(operator)
    url = f"/monitoring/hubs/{hub.pk}/research/"
    client.get(url)
    with django_assert_max_num_queries(15):
        first = client.get(url).content.decode()
    with django_assert_max_num_queries(15):
        second = client.get(url + "?page=2").content.decode()
    titles = re.findall(r">(共同研究 \d\d)</a>", first + second)
    assert len(titles) == 25 and len(set(titles)) == 25
    assert ("2 ページ中 1 ページ" in first, "2 ページ中 2 ページ" in second) == (True, True)


# ---------------------------------------------------------------- the report form keeps input


def _report(hub, operator):
    return services.report_create(hub=hub, fiscal_year=2013, by=operator,
                                  today=dt.date(2014, 5, 1))  # fmt: skip


def _typed(**kw):
    form = {
        "action": "submit", "actual_patents_filed": "4",
        "note_patents_filed": "出願中の2件を含む", "revenue_line": ["usage_fees", ""],
        "revenue_amount": ["10,000,000", ""], "cost_line": [""], "cost_amount": [""],
        "jst_operating_yen": "0", "pdca_plan": "計画を書いた", "pdca_do": "実施を書いた",
        "pdca_check": "", "pdca_act": "夜間利用を始める", "summary": "概要を書いた",
    }  # fmt: skip
    form.update(kw)
    return form


def test_submitting_before_saving_saves_then_names_what_is_missing(client, hub, operator):
    report = _report(hub, operator)
    client.force_login(operator)
    response = client.post(f"/monitoring/reports/{report.pk}/", _typed())
    page = response.content.decode()
    assert response.status_code == 400
    report.refresh_from_db()
    assert (report.status, report.pdca, report.summary) == ("draft", {
        "plan": "計画を書いた", "do": "実施を書いた", "check": "", "act": "夜間利用を始める"
    }, "概要を書いた")  # fmt: skip
    assert report.actuals.get(kpi="patents_filed").value == 4
    assert report.financials["revenue_yen"] == {"usage_fees": 10_000_000}
    assert "保存しましたが、提出していません" in page
    assert re.search(r'id="e-pdca-check">提出前に記入が必要です<', page)
    assert ">夜間利用を始める</textarea>" in page and ">概要を書いた</textarea>" in page


def test_submitting_a_complete_form_saves_and_submits_in_one_press(client, hub, operator):
    report = _report(hub, operator)
    client.force_login(operator)
    response = client.post(f"/monitoring/reports/{report.pk}/", _typed(pdca_check="点検した"))
    assert response.status_code == 302
    report = AnnualReport.objects.get(pk=report.pk)
    assert (report.status, report.pdca["check"], report.summary) == (
        "submitted",
        "点検した",
        "概要を書いた",
    )


def test_a_submission_with_bad_input_saves_nothing_and_shows_the_input_again(client, hub, operator):
    report = _report(hub, operator)
    client.force_login(operator)
    response = client.post(
        f"/monitoring/reports/{report.pk}/",
        _typed(pdca_check="点検した", actual_patents_filed="-2"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    report = AnnualReport.objects.get(pk=report.pk)
    assert (report.status, report.pdca, report.summary) == ("draft", {}, "")
    assert "保存も提出もしていません" in page
    assert re.search(r'id="e-patents_filed">0以上にしてください<', page)
    assert 'value="-2"' in page and ">点検した</textarea>" in page and 'value="10,000,000"' in page
