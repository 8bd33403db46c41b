"""Open data: the public part of the network database as CSV and JSON, with a DCAT catalogue
(JSON-LD) and the CC BY 4.0 licence. The data dictionary is `docs/opendata.md`."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.utils import timezone

from kyoten import __version__
from kyoten.network.models import CompanyNeed, Expert, News, Project, Result

LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_NAME = "CC BY 4.0"
PUBLISHER = "kyoten 地域産学官共同研究拠点ネットワーク"


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    description: str
    columns: tuple[str, ...]
    rows: Callable[[], Iterable[dict]]


def _iso(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else str(value)


def _owner(e) -> dict:
    return {
        "scope": e.scope,
        "hub_id": e.hub_id or "",
        "hub_name": e.hub.name if e.hub_id else "",
        "region": e.block,
        "prefecture": e.prefecture_id or "",
        "field": e.field,
        "keywords": e.keywords,
    }


OWNER_COLUMNS = ("scope", "hub_id", "hub_name", "region", "prefecture", "field", "keywords")


def _hubs() -> Iterable[dict]:
    hub = apps.get_model("hubs", "Hub")
    for h in hub.objects.prefetch_related("prefectures").order_by("id"):
        yield {
            "id": h.pk,
            "name": h.name,
            "lead_prefecture": h.lead_prefecture_id,
            "prefectures": " ".join(sorted(p.code for p in h.prefectures.all())),
            "form": h.form,
            "category": h.category,
            "stage": h.stage,
            "operation_start_fy": h.operation_start_fy or "",
            "address": h.address,
            "latitude": _iso(h.latitude),
            "longitude": _iso(h.longitude),
            "summary": h.summary,
        }


def _equipment() -> Iterable[dict]:
    try:
        model = apps.get_model("equipment", "Equipment")
    except LookupError:
        return
    for e in model.objects.exclude(status="retired").order_by("id"):
        yield {
            "id": e.pk,
            "hub_id": e.hub_id,
            "name": e.name,
            "name_en": getattr(e, "name_en", ""),
            "category": e.category,
            "maker": getattr(e, "maker", ""),
            "model": getattr(e, "model_name", ""),
            "status": e.status,
            "access": getattr(e, "access", ""),
            "specs": getattr(e, "specs", ""),
        }


def _public(model):
    return model.objects.filter(public=True).select_related("hub").order_by("id")


def _experts() -> Iterable[dict]:
    for e in _public(Expert):
        yield {
            "id": e.pk,
            "name": e.name,
            "role": e.role,
            "position": e.position,
            "affiliation": e.affiliation,
            "erad_number": e.erad_number,
            "orcid": e.orcid,
            "researchmap_id": e.researchmap_id,
            "profile": e.profile,
            **_owner(e),
        }


def _projects() -> Iterable[dict]:
    for p in _public(Project):
        yield {
            "id": p.pk,
            "title": p.title,
            "summary": p.summary,
            "partners": " / ".join(p.partners.splitlines()),
            "start_date": _iso(p.start_date),
            "end_date": _iso(p.end_date),
            "outcome": p.outcome,
            **_owner(p),
        }


def _results() -> Iterable[dict]:
    for r in _public(Result):
        yield {
            "id": r.pk,
            "kind": r.kind,
            "title": r.title,
            "year": r.year or "",
            "identifier": r.identifier,
            "project_id": r.project_id or "",
            "summary": r.summary,
            **_owner(r),
        }


def _needs() -> Iterable[dict]:
    for n in _public(CompanyNeed).exclude(status="closed"):
        yield {
            "id": n.pk,
            "company_name": n.company_name,
            "is_sme": n.is_sme,
            "title": n.title,
            "description": n.description,
            "status": n.status,
            **_owner(n),
        }


def _news() -> Iterable[dict]:
    for n in _public(News):
        yield {
            "id": n.pk,
            "kind": n.kind,
            "title": n.title,
            "body": n.body,
            "starts_at": _iso(n.starts_at),
            "ends_at": _iso(n.ends_at),
            "place": n.place,
            "published_at": _iso(n.published_at),
            **_owner(n),
        }


DATASETS = (
    Dataset("hubs", "拠点 / Hubs", "Regional joint research hubs.",
            ("id", "name", "lead_prefecture", "prefectures", "form", "category", "stage",
             "operation_start_fy", "address", "latitude", "longitude", "summary"), _hubs),
    Dataset("equipment", "共用設備 / Shared equipment", "Equipment open to outside users.",
            ("id", "hub_id", "name", "name_en", "category", "maker", "model", "status", "access",
             "specs"), _equipment),
    Dataset("experts", "専門家 / Experts", "Researchers, coordinators and engineers.",
            ("id", "name", "role", "position", "affiliation", "erad_number", "orcid",
             "researchmap_id", "profile", *OWNER_COLUMNS), _experts),
    Dataset("projects", "共同研究 / Joint research projects", "Industry–academia–government projects.",
            ("id", "title", "summary", "partners", "start_date", "end_date", "outcome",
             *OWNER_COLUMNS), _projects),
    Dataset("results", "成果 / Results", "Papers, patents and products.",
            ("id", "kind", "title", "year", "identifier", "project_id", "summary",
             *OWNER_COLUMNS), _results),
    Dataset("needs", "企業ニーズ / Company needs", "What companies are looking for.",
            ("id", "company_name", "is_sme", "title", "description", "status", *OWNER_COLUMNS),
            _needs),
    Dataset("news", "お知らせ・イベント / News and events", "Announcements and events.",
            ("id", "kind", "title", "body", "starts_at", "ends_at", "place", "published_at",
             *OWNER_COLUMNS), _news),
)  # fmt: skip


def export_opendata(directory: Path, *, base_url: str = "") -> dict[str, int]:
    """Write every dataset as `<key>.csv` (UTF-8 with BOM, for spreadsheet programs) and
    `<key>.json`, plus `catalog.jsonld` (DCAT) and `LICENSE.txt`. Returns rows per dataset."""
    directory.mkdir(parents=True, exist_ok=True)
    issued = timezone.now().replace(microsecond=0).isoformat()
    counts: dict[str, int] = {}
    catalog_sets = []
    for ds in DATASETS:
        rows = [{c: row.get(c, "") for c in ds.columns} for row in ds.rows()]
        counts[ds.key] = len(rows)
        with (directory / f"{ds.key}.csv").open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(ds.columns))
            writer.writeheader()
            writer.writerows(rows)
        (directory / f"{ds.key}.json").write_text(
            json.dumps({"dataset": ds.key, "license": LICENSE_URL, "items": rows},
                       ensure_ascii=False, indent=1),
            encoding="utf-8",
        )  # fmt: skip
        catalog_sets.append(
            {
                "@type": "dcat:Dataset",
                "dct:identifier": ds.key,
                "dct:title": ds.title,
                "dct:description": ds.description,
                "dct:license": {"@id": LICENSE_URL},
                "dct:issued": issued,
                "dct:publisher": {"@type": "foaf:Agent", "foaf:name": PUBLISHER},
                "dcat:keyword": ["地域産学官共同研究拠点", ds.key],
                "kyoten:rows": len(rows),
                "kyoten:columns": list(ds.columns),
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dcat:downloadURL": {"@id": f"{base_url}{ds.key}.{ext}"},
                        "dcat:mediaType": media,
                        "dct:license": {"@id": LICENSE_URL},
                    }
                    for ext, media in (("csv", "text/csv"), ("json", "application/json"))
                ],
            }
        )
    catalog = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "kyoten": "https://kyoten.example/ns#",
        },
        "@type": "dcat:Catalog",
        "dct:title": "kyoten 拠点ネットワーク オープンデータ",
        "dct:description": "Public part of the regional hub network's collaboration database. "
        "Data dictionary: docs/opendata.md.",
        "dct:license": {"@id": LICENSE_URL},
        "dct:issued": issued,
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": PUBLISHER},
        "kyoten:software_version": __version__,
        "dcat:dataset": catalog_sets,
    }
    (directory / "catalog.jsonld").write_text(
        json.dumps(catalog, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (directory / "LICENSE.txt").write_text(
        f"These data are licensed under the Creative Commons Attribution 4.0 International "
        f"licence ({LICENSE_NAME}): {LICENSE_URL}\n"
        f"Attribution: {PUBLISHER}\n",
        encoding="utf-8",
    )
    return counts
