"""Signal receivers of the network app, connected in `NetworkConfig.ready`.

A save or delete of a hub, a machine or a network entry refreshes its search entry
(`indexing`) and drops the cached open data (`opendata`). Each receiver imports its module
when such a write happens, so that start-up (every command, every worker) does not load the
search index and the open-data builders (docs/benchmarks.md, command start-up).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save

# Every model with rows in the search index and the open data; `indexing.builders()` pairs
# the same models with their document builders (a test keeps the two lists equal).
INDEXED = (
    "hubs.Hub",
    "equipment.Equipment",
    "network.Expert",
    "network.Project",
    "network.Result",
    "network.CompanyNeed",
    "network.News",
)


def indexed_models() -> list[Any]:
    """The installed ones among INDEXED (hubs and equipment may be left out)."""
    found = []
    for label in INDEXED:
        try:
            found.append(apps.get_model(label))
        except LookupError:
            continue
    return found


def _index_saved(sender, instance, raw=False, **kwargs) -> None:
    from kyoten.network import indexing

    indexing._on_save(sender, instance, raw=raw, **kwargs)


def _index_deleted(sender, instance, **kwargs) -> None:
    from kyoten.network import indexing

    indexing._on_delete(sender, instance, **kwargs)


def _opendata_changed(sender, **kwargs) -> None:
    from kyoten.network import opendata

    opendata._on_change(sender, **kwargs)


def connect() -> None:
    for model in indexed_models():
        label = model._meta.label_lower
        uid = f"network-index-{label}"
        post_save.connect(_index_saved, sender=model, dispatch_uid=uid + "-save", weak=False)
        post_delete.connect(_index_deleted, sender=model, dispatch_uid=uid + "-delete", weak=False)
    for model in indexed_models():
        uid = f"network-opendata-{model._meta.label_lower}"
        post_save.connect(_opendata_changed, sender=model, dispatch_uid=uid + "-save", weak=False)
        post_delete.connect(
            _opendata_changed, sender=model, dispatch_uid=uid + "-delete", weak=False
        )
