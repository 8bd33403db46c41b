"""Open data: the public part of the network database as CSV and JSON, with a DCAT-AP 3
catalogue (JSON-LD) and the CC BY 4.0 licence. The data dictionary is `docs/opendata.md`.

The same builders serve the web (`/opendata/`, built fresh and cached; a save or delete of a
hub, a machine or a network entry drops the cache) and `kyoten export-opendata DIR`. Each
dataset's `dct:issued` is when it was first published, its `dct:modified` when its content
(SHA-256 of the CSV) last changed; both are kept in `DatasetVersion`."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from kyoten import __version__
from kyoten.core.sheets import safe_cell
from kyoten.network.enums import PostState
from kyoten.network.models import CompanyNeed, DatasetVersion, Expert, News, Project, Result

LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_NAME = "CC BY 4.0"
PUBLISHER = "kyoten 地域産学官共同研究拠点ネットワーク"


IANA = "http://www.iana.org/assignments/media-types/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
JAPANESE = "http://publications.europa.eu/resource/authority/language/JPN"
ENGLISH = "http://publications.europa.eu/resource/authority/language/ENG"
# (extension, IANA media type, EU file type)
FORMATS = (("csv", "text/csv", "CSV"), ("json", "application/json", "JSON"))
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "kyoten": "https://kyoten.example/ns#",
}


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str  # "日本語 / English"
    description: str
    columns: tuple[str, ...]
    rows: Callable[[], Iterable[dict]]

    @property
    def title_ja(self) -> str:
        return self.title.split(" / ")[0]

    @property
    def title_en(self) -> str:
        return self.title.split(" / ")[-1]


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
    """Published posts that everyone may read (never a post awaiting moderation, a withdrawn
    one or one for network members only)."""
    return (
        model.objects.filter(public=True, state=PostState.PUBLISHED)
        .select_related("hub")
        .order_by("id")
    )


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


DATASETS_BY_KEY = {ds.key: ds for ds in DATASETS}
CACHE_PREFIX = "kyoten:opendata:"


def csv_cell(value) -> str:
    """A cell as text that no spreadsheet runs as a formula (CSV injection, `core.sheets`)."""
    return str(safe_cell("" if value is None else str(value)))


@dataclass(frozen=True)
class Built:
    """One dataset as served: its files, row count, content hash and dates."""

    key: str
    csv: bytes
    json: bytes
    rows: int
    sha256: str
    issued: dt.datetime
    modified: dt.datetime


def _render(ds: Dataset) -> tuple[bytes, bytes, int]:
    rows = [{c: row.get(c, "") for c in ds.columns} for row in ds.rows()]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ds.columns)
    writer.writerows([csv_cell(row[c]) for c in ds.columns] for row in rows)
    csv_bytes = out.getvalue().encode("utf-8-sig")
    json_bytes = json.dumps(
        {"dataset": ds.key, "license": LICENSE_URL, "items": rows}, ensure_ascii=False, indent=1
    ).encode("utf-8")
    return csv_bytes, json_bytes, len(rows)


def _record(key: str, sha: str, rows: int) -> DatasetVersion:
    """Keep when the dataset was first published and when its content last changed."""
    now = timezone.now().replace(microsecond=0)
    version, created = DatasetVersion.objects.get_or_create(
        key=key, defaults={"sha256": sha, "rows": rows, "issued": now, "modified": now}
    )
    if not created and version.sha256 != sha:
        # Compare-and-set: of two servers finding the same change, one writes it.
        DatasetVersion.objects.filter(pk=version.pk).exclude(sha256=sha).update(
            sha256=sha, rows=rows, modified=now
        )
        version.refresh_from_db()
    return version


def build(key: str) -> Built:
    """The dataset's files, from the cache or built fresh from the database."""
    cached = cache.get(CACHE_PREFIX + key)
    if cached is not None:
        return cached
    ds = DATASETS_BY_KEY[key]
    csv_bytes, json_bytes, rows = _render(ds)
    sha = hashlib.sha256(csv_bytes).hexdigest()
    version = _record(key, sha, rows)
    built = Built(key, csv_bytes, json_bytes, rows, sha, version.issued, version.modified)
    cache.set(CACHE_PREFIX + key, built, getattr(settings, "KYOTEN_OPENDATA_CACHE_SECONDS", 300))
    return built


def invalidate() -> None:
    """Drop the cached files (a hub, machine or entry was saved or deleted)."""
    cache.delete_many([CACHE_PREFIX + k for k in DATASETS_BY_KEY])


def _typed(value: dt.datetime) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"}


def _texts(ja: str, en: str) -> list[dict]:
    return [{"@value": ja, "@language": "ja"}, {"@value": en, "@language": "en"}]


DESCRIPTIONS_JA = {
    "hubs": "地域産学官共同研究拠点の一覧（所在地、整備形態、運用開始年度）。",
    "equipment": "外部の利用者に開かれた共用設備（廃止したものを除く）。",
    "experts": "研究者・コーディネータ・技術者（公開されたもの）。",
    "projects": "産学官の共同研究プロジェクト。",
    "results": "論文・特許・製品などの成果。",
    "needs": "企業の技術相談・ニーズ（承認され公開中のもの。終了したものを除く）。",
    "news": "拠点・地域・全国のお知らせとイベント。",
}


def catalog(base_url: str, built: dict[str, Built] | None = None) -> dict:
    """The DCAT-AP 3 catalogue (JSON-LD). `base_url` is the site (`https://host`); every IRI,
    access and download URL is on it."""
    base = base_url.rstrip("/")
    home = f"{base}/opendata/"
    built = built or {k: build(k) for k in DATASETS_BY_KEY}
    publisher = {"@id": f"{home}#publisher", "@type": "foaf:Agent", "foaf:name": PUBLISHER}
    licence = {"@id": LICENSE_URL, "@type": "dct:LicenseDocument"}
    sets = []
    for ds in DATASETS:
        b = built[ds.key]
        sets.append(
            {
                "@id": f"{home}datasets/{ds.key}",
                "@type": "dcat:Dataset",
                "dct:identifier": ds.key,
                "dct:title": _texts(ds.title_ja, ds.title_en),
                "dct:description": _texts(DESCRIPTIONS_JA[ds.key], ds.description),
                "dct:issued": _typed(b.issued),
                "dct:modified": _typed(b.modified),
                "dct:license": licence,
                "dct:publisher": {"@id": publisher["@id"]},
                "dct:language": [{"@id": JAPANESE}],
                "dcat:landingPage": {"@id": f"{home}#{ds.key}"},
                "dcat:contactPoint": {
                    "@type": "vcard:Organization",
                    "vcard:fn": PUBLISHER,
                    "vcard:hasURL": {"@id": home},
                },
                "dcat:keyword": ["地域産学官共同研究拠点", ds.title_ja, ds.key],
                "kyoten:rows": b.rows,
                "kyoten:columns": list(ds.columns),
                "dcat:distribution": [
                    {
                        "@id": f"{home}datasets/{ds.key}#{ext}",
                        "@type": "dcat:Distribution",
                        "dct:title": _texts(
                            f"{ds.title_ja}（{ftype}）", f"{ds.title_en} ({ftype})"
                        ),
                        "dcat:accessURL": {"@id": home},
                        "dcat:downloadURL": {"@id": f"{home}{ds.key}.{ext}"},
                        "dcat:mediaType": {"@id": IANA + media},
                        "dct:format": {"@id": FILE_TYPE + ftype},
                        "dct:license": licence,
                        "dct:issued": _typed(b.issued),
                        "dct:modified": _typed(b.modified),
                        "dcat:byteSize": {
                            "@value": str(len(b.csv if ext == "csv" else b.json)),
                            "@type": "xsd:nonNegativeInteger",
                        },
                    }
                    for ext, media, ftype in FORMATS
                ],
            }
        )
    issued = min(b.issued for b in built.values())
    modified = max(b.modified for b in built.values())
    return {
        "@context": CONTEXT,
        "@id": home,
        "@type": "dcat:Catalog",
        "dct:title": _texts(
            "kyoten 拠点ネットワーク オープンデータ", "kyoten hub network open data"
        ),
        "dct:description": _texts(
            "地域産学官共同研究拠点ネットワークの連携データベースのうち公開部分。",
            "Public part of the regional hub network's collaboration database.",
        ),
        "dct:license": licence,
        "dct:issued": _typed(issued),
        "dct:modified": _typed(modified),
        "dct:publisher": publisher,
        "dct:language": [{"@id": JAPANESE}, {"@id": ENGLISH}],
        "foaf:homepage": {"@id": home},
        "kyoten:software_version": __version__,
        "dcat:dataset": sets,
    }


LICENSE_TEXT = (
    f"These data are licensed under the Creative Commons Attribution 4.0 International "
    f"licence ({LICENSE_NAME}): {LICENSE_URL}\n"
    f"Attribution: {PUBLISHER}\n"
)


def export_opendata(directory: Path, *, base_url: str = "") -> dict[str, int]:
    """Write every dataset as `<key>.csv` (UTF-8 with BOM, for spreadsheet programs) and
    `<key>.json`, plus `catalog.jsonld` (DCAT-AP 3) and `LICENSE.txt`. Returns rows per
    dataset. IRIs and download URLs are on `base_url` (default: KYOTEN_SITE_URL), where the
    site serves the same files under /opendata/."""
    directory.mkdir(parents=True, exist_ok=True)
    invalidate()
    built = {k: build(k) for k in DATASETS_BY_KEY}
    for key, b in built.items():
        (directory / f"{key}.csv").write_bytes(b.csv)
        (directory / f"{key}.json").write_bytes(b.json)
    site = base_url or settings.KYOTEN_SITE_URL
    (directory / "catalog.jsonld").write_text(
        json.dumps(catalog(site, built), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (directory / "LICENSE.txt").write_text(LICENSE_TEXT, encoding="utf-8")
    return {k: b.rows for k, b in built.items()}


def _on_change(sender, **kwargs) -> None:
    invalidate()
