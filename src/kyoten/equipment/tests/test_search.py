import pytest

from kyoten.equipment import services
from kyoten.equipment.models import EquipmentTerm

pytestmark = pytest.mark.django_db

FEES = {("sme", "self_use"): 1500, ("academic", "self_use"): 1000}


@pytest.fixture
def catalogue(hub):
    def make(name, category, specs="", fees=FEES, **kw):
        return services.equipment_create(hub=hub, by=None, name=name, category=category,
                                         specs=specs, fees=fees, **kw)  # fmt: skip

    return {
        "sem": make("走査電子顕微鏡 (SEM)", "microscopy", "EDX付属"),
        "tem": make("透過電子顕微鏡", "microscopy", fees={("sme", "self_use"): 4000}),
        "xrd": make("X線回折装置", "analysis", "粉末・薄膜"),
        "tensile": make("精密万能試験機", "testing", "材料の引張試験"),
        "printer": make("3Dプリンタ", "fabrication", "樹脂造形"),
        "nmr": make("核磁気共鳴装置 NMR 400MHz", "spectroscopy"),
    }


def names(client, **params):
    response = client.get("/api/v1/equipment", params)
    assert response.status_code == 200, response.content
    return sorted(item["name"] for item in response.json()["items"])


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("顕微", ["走査電子顕微鏡 (SEM)", "透過電子顕微鏡"]),
        ("材料", ["精密万能試験機"]),
        ("X線", ["X線回折装置"]),
        ("ｘ線", ["X線回折装置"]),
        ("sem", ["走査電子顕微鏡 (SEM)"]),
        ("SEM EDX", ["走査電子顕微鏡 (SEM)"]),
        ("線", ["X線回折装置"]),
        ("プリンタ", ["3Dプリンタ"]),
        ("ぷりんた", ["3Dプリンタ"]),
        ("nmr", ["核磁気共鳴装置 NMR 400MHz"]),
        ("電子顕微鏡 透過", ["透過電子顕微鏡"]),
        ("量子", []),
    ],
)
def test_keyword_search_finds_japanese_words_of_any_length(client, catalogue, q, expected):
    assert names(client, q=q) == expected


def test_terms_are_indexed_as_bigrams(catalogue):
    terms = set(
        EquipmentTerm.objects.filter(equipment=catalogue["tem"]).values_list("term", flat=True)
    )
    assert {"顕微", "微鏡", "透過"} <= terms


def test_filters_category_prefecture_block_and_fee(client, catalogue):
    assert names(client, category="microscopy") == ["走査電子顕微鏡 (SEM)", "透過電子顕微鏡"]
    assert len(names(client, prefecture="40")) == 6
    assert names(client, prefecture="13") == []
    assert len(names(client, block="kyushu")) == 6
    assert names(client, category="microscopy", max_fee="2000", user_class="sme") == [
        "走査電子顕微鏡 (SEM)"
    ]


@pytest.mark.parametrize(
    ("params", "field", "detail"),
    [({"category": "magic"}, "category", "分類 'magic' は不明です（analysis, spectroscopy, "
      "mass_spectrometry, microscopy, thermal, bio, processing, fabrication, testing, imaging, "
      "computing のいずれか）"),
     ({"prefecture": "99"}, "prefecture", "都道府県コード '99' は不明です"),
     ({"block": "atlantis"}, "block", "地方区分 'atlantis' は不明です"),
     ({"max_fee": "cheap"}, "max_fee", "整数で入力してください"),
     ({"access": "anyone"}, "access", "利用条件 'anyone' は不明です")],
)  # fmt: skip
def test_bad_filters_are_400_naming_the_field(client, catalogue, params, field, detail):
    response = client.get("/api/v1/equipment", params)
    assert (response.status_code, response.json()) == (
        400, {"detail": detail, "field": field},
    )  # fmt: skip


def test_list_item_shows_hub_fee_for_the_user_and_next_free_slot(
    client, api_token, make_user, sme_org, catalogue
):
    engineer = make_user("equipment_user", organisation=sme_org)
    response = client.get("/api/v1/equipment", {"q": "X線"}, HTTP_AUTHORIZATION=api_token(engineer))
    item = response.json()["items"][0]
    assert item["hub"] == {"id": catalogue["xrd"].hub_id, "name": "福岡地域産学官共同研究拠点",
                           "prefecture": "40", "prefectures": ["40"]}  # fmt: skip
    assert item["your_fee"] == {"user_class": "sme", "mode": "self_use", "hourly_yen": 1500,
                                "out_of_area_multiplier_pct": 150}  # fmt: skip
    assert item["next_free_slot"]["start"].endswith("+09:00")
    assert item["booking_rules"]["opening_hours"] == {
        "weekdays": [1, 2, 3, 4, 5], "weekday_names": ["Mon", "Tue", "Wed", "Thu", "Fri"],
        "opens": "09:00", "closes": "17:00", "time_zone": "Asia/Tokyo",
    }  # fmt: skip
    detail = client.get(f"/api/v1/equipment/{item['id']}")
    assert detail.status_code == 200 and detail.json()["name"] == "X線回折装置"
    assert client.get("/api/v1/equipment/999999").status_code == 404


def test_search_page_renders_results_and_htmx_partial(client, catalogue):
    page = client.get("/equipment/", {"q": "顕微"})
    assert page.status_code == 200
    assert (
        "走査電子顕微鏡 (SEM)" in page.content.decode()
        and "X線回折装置" not in page.content.decode()
    )
    partial = client.get("/equipment/", {"q": "X線"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body and "X線回折装置" in body


def test_list_queries_do_not_grow_with_the_page(client, api_token, make_user, sme_org, hub,
                                                 django_assert_max_num_queries):  # fmt: skip
    token = api_token(make_user("equipment_user", organisation=sme_org))
    for i in range(3):
        services.equipment_create(
            hub=hub, by=None, name=f"顕微鏡 {i}", category="microscopy", fees=FEES
        )
    with django_assert_max_num_queries(14) as few:
        assert client.get("/api/v1/equipment", HTTP_AUTHORIZATION=token).json()["count"] == 3
    for i in range(20):
        services.equipment_create(
            hub=hub, by=None, name=f"顕微鏡 {i + 3}", category="microscopy", fees=FEES
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/equipment", HTTP_AUTHORIZATION=token).json()["count"] == 23
