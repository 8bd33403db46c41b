"""Open data on the web (SPEC §4): `/opendata/` for people, the DCAT-AP 3 catalogue and each
dataset as CSV and JSON. Public, no login; the files are built fresh and cached."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from kyoten.network import opendata

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "jsonld": "application/ld+json",
}


def _base(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _cached(response: HttpResponse, built) -> HttpResponse:
    response["Last-Modified"] = http_date(built.modified.timestamp())
    patch_cache_control(response, public=True, max_age=300)
    return response


def index(request):
    """The datasets, what they hold, when they changed, and their files."""
    english = (get_language() or "ja").startswith("en")
    rows = []
    for ds in opendata.DATASETS:
        built = opendata.build(ds.key)
        rows.append(
            {
                "key": ds.key,
                "title": ds.title_en if english else ds.title_ja,
                "description": ds.description if english else opendata.DESCRIPTIONS_JA[ds.key],
                "columns": ds.columns,
                "rows": built.rows,
                "modified": built.modified,
                "csv_size": len(built.csv),
                "json_size": len(built.json),
            }
        )
    return render(
        request,
        "network/opendata.html",
        {
            "datasets": rows,
            "license_url": opendata.LICENSE_URL,
            "publisher": opendata.PUBLISHER,
        },
    )


def catalog(request):
    body = json.dumps(opendata.catalog(_base(request)), ensure_ascii=False, indent=1)
    response = HttpResponse(body.encode("utf-8"), content_type=MEDIA["jsonld"])
    patch_cache_control(response, public=True, max_age=300)
    return response


def download(request, key: str, ext: str):
    if key not in opendata.DATASETS_BY_KEY or ext not in ("csv", "json"):
        raise Http404
    built = opendata.build(key)
    response = HttpResponse(built.csv if ext == "csv" else built.json, content_type=MEDIA[ext])
    response["Content-Disposition"] = f'attachment; filename="{key}.{ext}"'
    response["ETag"] = f'"{built.sha256[:32]}-{ext}"'
    return _cached(response, built)


def dataset(request, key: str):
    """A dataset's IRI (`/opendata/datasets/<key>`) leads people to its place on the page."""
    if key not in opendata.DATASETS_BY_KEY:
        raise Http404
    return redirect(f"/opendata/#{key}")


def license_text(request):
    return HttpResponse(opendata.LICENSE_TEXT, content_type="text/plain; charset=utf-8")
