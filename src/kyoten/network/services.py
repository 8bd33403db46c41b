"""Every write of the network app. Each keeps the search index current in the same transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kyoten.core.errors import DomainError, Forbidden
from kyoten.core.reference import BLOCKS, prefectures
from kyoten.core.rules import is_officer
from kyoten.network.enums import Scope
from kyoten.network.models import (
    CompanyNeed,
    Expert,
    NetworkEntry,
    News,
    Project,
    Result,
    Subscription,
)
from kyoten.network.rules import can_add_entry, can_edit_entry, is_entry_hub_operator
from kyoten.network.validators import normalise_orcid

ENTRY_MODELS: dict[str, type[NetworkEntry]] = {
    "expert": Expert,
    "project": Project,
    "result": Result,
    "need": CompanyNeed,
    "news": News,
}

_OWNERSHIP = {"scope", "hub", "hub_id", "block", "prefecture", "prefecture_id"}


def _first_error(exc: ValidationError) -> DomainError:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        message = errors[0].messages[0]
        return DomainError(message, field=None if field == "__all__" else field)
    return DomainError(exc.messages[0])


def _place(entry: NetworkEntry, *, user, data: dict[str, Any]) -> None:
    """Set scope, hub, block and prefecture from what was given, and check the user may."""
    hub = data.get("hub")
    block = data.get("block") or ""
    prefecture = data.get("prefecture_id") or ""
    if prefecture and prefecture not in prefectures():
        raise DomainError(
            _("unknown prefecture %(code)s") % {"code": prefecture}, field="prefecture"
        )
    if block and block not in BLOCKS:
        raise DomainError(_("unknown region %(block)s") % {"block": block}, field="block")
    if hub is not None:
        entry.scope = Scope.HUB
        entry.hub = hub
        entry.prefecture_id = prefecture or hub.lead_prefecture_id
        entry.block = prefectures()[hub.lead_prefecture_id].block
    elif block or prefecture:
        entry.scope = Scope.REGION
        entry.hub = None
        entry.prefecture_id = prefecture or None
        entry.block = block or prefectures()[prefecture].block
        if prefecture and prefectures()[prefecture].block != entry.block:
            raise DomainError(_("the prefecture is not in this region"), field="prefecture")
    else:
        if not isinstance(entry, News):
            raise DomainError(_("an entry belongs to a hub or a region"), field="hub")
        entry.scope = Scope.NATIONWIDE
        entry.hub = None
        entry.block = ""
        entry.prefecture_id = None
    if not can_edit_entry(user, entry):
        raise Forbidden(_("only the people of this hub or region and program officers may edit it"))
    if entry.scope == Scope.NATIONWIDE and not is_officer(user):
        raise Forbidden(_("only program officers publish nationwide"))


def _assign(entry: NetworkEntry, data: dict[str, Any]) -> list:
    m2m = []
    for name, value in data.items():
        if name in _OWNERSHIP:
            continue
        try:
            field = entry._meta.get_field(name)
        except Exception:  # noqa: BLE001 - unknown names are bad input
            raise DomainError(_("unknown field"), field=name) from None
        if field.many_to_many:
            m2m.append((name, value))
            continue
        if not field.concrete or field.primary_key or name in ("created_by", "created_at"):
            raise DomainError(_("this field cannot be set"), field=name)
        if name == "orcid" and value:
            value = normalise_orcid(value)
        if isinstance(field, models.DateTimeField) and isinstance(value, str) and value:
            value = _aware(value, name)
        setattr(entry, field.attname if isinstance(field, models.ForeignKey) else name, value)
    return m2m


def _aware(value: str, name: str):
    parsed = parse_datetime(value)
    if parsed is None:
        raise DomainError(
            _("not a date and time (ISO 8601, e.g. 2026-12-01T10:00+09:00)"), field=name
        )
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _save(entry: NetworkEntry, m2m: list) -> NetworkEntry:
    try:
        entry.full_clean()
    except ValidationError as exc:
        raise _first_error(exc) from None
    entry.save()  # the post_save signal refreshes the search index
    for name, value in m2m:
        getattr(entry, name).set(value)
    return entry


@transaction.atomic
def entry_create(*, kind: str, by, data: dict[str, Any]) -> NetworkEntry:
    """Create an expert, project, result, company need or news item owned by a hub or region."""
    model = ENTRY_MODELS.get(kind)
    if model is None:
        raise DomainError(_("unknown kind"), field="kind")
    if not can_add_entry(by):
        raise Forbidden(_("only hub operators and program officers add network entries"))
    entry = model(created_by=by if by and by.is_authenticated else None)
    _place(entry, user=by, data=data)
    return _save(entry, _assign(entry, data))


@transaction.atomic
def entry_update(*, entry: NetworkEntry, by, data: dict[str, Any]) -> NetworkEntry:
    """Change an entry; moving it to another hub or region needs rights on both."""
    entry = type(entry).objects.select_for_update().get(pk=entry.pk)
    if not can_edit_entry(by, entry):
        raise Forbidden(_("only the people of this hub or region and program officers may edit it"))
    if _OWNERSHIP & data.keys():
        placed = {
            "hub": entry.hub,
            "block": entry.block if entry.scope == Scope.REGION else "",
            "prefecture_id": entry.prefecture_id,
        }
        placed.update({k: v for k, v in data.items() if k in _OWNERSHIP})
        if "hub" in data and data["hub"] is None and "block" not in data:
            placed["block"] = entry.block
        _place(entry, user=by, data=placed)
    return _save(entry, _assign(entry, data))


@transaction.atomic
def entry_delete(*, entry: NetworkEntry, by) -> None:
    if not can_edit_entry(by, entry):
        raise Forbidden(_("only the people of this hub or region and program officers may edit it"))
    entry.delete()


@transaction.atomic
def subscription_set(
    *, user, blocks: list[str], fields: list[str], digest: bool = True
) -> Subscription:
    """What a user follows in their feed and digest."""
    from kyoten.network.enums import Field

    for block in blocks:
        if block not in BLOCKS:
            raise DomainError(_("unknown region %(block)s") % {"block": block}, field="blocks")
    for field in fields:
        if field not in Field.values:
            raise DomainError(_("unknown field %(field)s") % {"field": field}, field="fields")
    sub, _created = Subscription.objects.update_or_create(
        user=user,
        defaults={"blocks": sorted(set(blocks)), "fields": sorted(set(fields)), "digest": digest},
    )
    return sub


__all__ = [
    "ENTRY_MODELS",
    "entry_create",
    "entry_delete",
    "entry_update",
    "is_entry_hub_operator",
    "subscription_set",
]
