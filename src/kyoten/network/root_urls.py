"""Pages the network app serves at the site's root: open data lives at /opendata/ (SPEC §4)."""

from django.urls import path

from kyoten.network import opendata_views

urlpatterns = [
    path("opendata/", opendata_views.index, name="opendata"),
    path("opendata/catalog.jsonld", opendata_views.catalog, name="opendata_catalog"),
    path("opendata/LICENSE.txt", opendata_views.license_text, name="opendata_license"),
    path("opendata/datasets/<slug:key>", opendata_views.dataset, name="opendata_dataset"),
    # After the fixed names above (catalog.jsonld, LICENSE.txt): a dataset's file, e.g. hubs.csv.
    path("opendata/<slug:key>.<slug:ext>", opendata_views.download, name="opendata_file"),
]
