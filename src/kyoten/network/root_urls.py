"""Pages the network app serves at the site's root: open data lives at /opendata/ (SPEC §4)."""

from django.urls import path, re_path

from kyoten.network import opendata_views

urlpatterns = [
    path("opendata/", opendata_views.index, name="opendata"),
    path("opendata/catalog.jsonld", opendata_views.catalog, name="opendata_catalog"),
    path("opendata/LICENSE.txt", opendata_views.license_text, name="opendata_license"),
    path("opendata/datasets/<slug:key>", opendata_views.dataset, name="opendata_dataset"),
    re_path(
        r"^opendata/(?P<key>[a-z]+)\.(?P<ext>csv|json)$",
        opendata_views.download,
        name="opendata_file",
    ),
]
