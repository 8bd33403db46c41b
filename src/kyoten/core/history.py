"""The change history of any recorded object, for officers (audit, issue 17 item 8).

Every model with `HistoricalRecords` keeps a row per save and delete (django-simple-history).
`changes_of(obj)` turns those rows into what a person reads: when, who, what kind of change and,
for each field that changed, its label with the value before and after. Values are shown as the
model shows them (choices by their label, foreign keys by their `str`), never as raw keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

from kyoten.core.errors import NotFound

KINDS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class Change:
    when: object
    who: object
    kind: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after)
    reason: str = ""
    names: list[tuple[str, object, object]] = field(default_factory=list)  # (name, old, new)


def model_of(label: str) -> type[models.Model]:
    """`calls.call` → the model, if it keeps a history; else NotFound."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise NotFound(_("no such record")) from None
    if not hasattr(model, "history"):
        raise NotFound(_("no such record"))
    return model


def label_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def _shown(model: type[models.Model], name: str, value) -> str:
    try:
        f = model._meta.get_field(name)
    except Exception:
        return str(value)
    if value is None or value == "":
        return "—"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.is_relation:
        target = f.related_model._default_manager.filter(pk=value).first()
        return str(target) if target is not None else f"#{value}"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def changes_of(model: type[models.Model], pk: int, *, limit: int = 200) -> list[Change]:
    """The object's history, newest first (also after it was deleted)."""
    rows = list(
        model.history.filter(**{model._meta.pk.attname: pk})
        .select_related("history_user")
        .order_by("-history_id")[: limit + 1]
    )
    if not rows:
        raise NotFound(_("no such record"))
    return _described(model, rows, limit)


def changes_since(model: type[models.Model], pk: int, history_id: int) -> list[Change]:
    """The changes saved after the history row `history_id`, newest first."""
    rows = list(
        model.history.filter(**{model._meta.pk.attname: pk}, history_id__gte=history_id)
        .select_related("history_user")
        .order_by("-history_id")
    )
    return _described(model, rows, len(rows) - 1) if len(rows) > 1 else []


def _described(model, rows: list, limit: int) -> list[Change]:
    out = []
    for i, row in enumerate(rows[:limit]):
        change = Change(
            when=row.history_date,
            who=row.history_user,
            kind=str(KINDS.get(row.history_type, row.history_type)),
            reason=row.history_change_reason or "",
        )
        older = rows[i + 1] if i + 1 < len(rows) else None
        if older is not None and row.history_type == "~":
            for c in row.diff_against(older).changes:
                label = str(model._meta.get_field(c.field).verbose_name)
                change.fields.append(
                    (label, _shown(model, c.field, c.old), _shown(model, c.field, c.new))
                )
                change.names.append((c.field, c.old, c.new))
        out.append(change)
    return out
