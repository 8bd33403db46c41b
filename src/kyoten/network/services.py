"""Every write of the network app. Each keeps the search index current in the same transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyoten.core.errors import Conflict, DomainError, Forbidden
from kyoten.core.reference import BLOCKS, prefectures
from kyoten.core.rules import is_officer
from kyoten.network.enums import PostState, Scope
from kyoten.network.models import (
    CompanyNeed,
    Expert,
    NetworkEntry,
    News,
    Project,
    Result,
    Subscription,
)
from kyoten.network.rules import (
    can_add_entry,
    can_edit_entry,
    can_moderate_entry,
    is_company_user,
    is_entry_hub_operator,
)
from kyoten.network.validators import normalise_orcid

ENTRY_MODELS: dict[str, type[NetworkEntry]] = {
    "expert": Expert,
    "project": Project,
    "result": Result,
    "need": CompanyNeed,
    "news": News,
}

_OWNERSHIP = {"scope", "hub", "hub_id", "block", "prefecture", "prefecture_id"}
# Set by the moderation services only.
_MODERATION = {"state", "moderated_by", "moderated_at", "moderation_note"}
# A company's own post carries the company from the author's organisation.
_COMPANY = {"company", "company_name", "is_sme"}


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
        if (
            not field.concrete
            or field.primary_key
            or name in ("created_by", "created_at")
            or name in _MODERATION
        ):
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
    if kind == "need" and not can_add_entry(by) and is_company_user(by):
        return need_post(by=by, data=data)
    if not can_add_entry(by):
        raise Forbidden(_("only hub operators and program officers add network entries"))
    entry = model(created_by=by if by and by.is_authenticated else None)
    _place(entry, user=by, data=data)
    return _save(entry, _assign(entry, data))


def _place_company_post(need: CompanyNeed, *, data: dict[str, Any]) -> None:
    """A company addresses its need to a hub, or to a region (by default the region of the
    company's prefecture); never to the whole nation."""
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
        need.scope, need.hub = Scope.HUB, hub
        need.prefecture_id = prefecture or hub.lead_prefecture_id
        need.block = prefectures()[hub.lead_prefecture_id].block
        return
    home = prefecture or (need.company.prefecture_id if need.company_id else "") or ""
    block = block or (prefectures()[home].block if home else "")
    if not block:
        raise DomainError(_("choose the hub or the region your need is for"), field="hub")
    need.scope, need.hub, need.block = Scope.REGION, None, block
    need.prefecture_id = home if home and prefectures()[home].block == block else None


def _moderators(entry: NetworkEntry) -> list:
    """Who moderates a post: the hub's operators (a region's: the operators of its hubs);
    program officers when no hub is there to do it."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from kyoten.core.enums import Role
    from kyoten.hubs.models import Hub

    if entry.hub_id:
        hubs = Hub.objects.filter(pk=entry.hub_id)
    else:
        codes = [p.code for p in prefectures().values() if p.block == entry.block]
        hubs = Hub.objects.filter(lead_prefecture_id__in=codes)
    user_model = get_user_model()
    people = list(user_model.objects.filter(operated_hubs__in=hubs).distinct())
    if not people:
        people = list(
            user_model.objects.filter(
                Q(role=Role.OFFICER) | Q(role_grants__role=Role.OFFICER)
            ).distinct()
        )
    return people


def _ask_moderation(entry: NetworkEntry) -> None:
    from kyoten.notices.enums import NoticeKind
    from kyoten.notices.services import notify

    notify(
        recipients=[u for u in _moderators(entry) if u.pk != entry.created_by_id],
        kind=NoticeKind.NETWORK_POST_PENDING,
        message=gettext_lazy("A post awaits your moderation: %(title)s"),
        params={"title": str(entry)},
        url=reverse("network:moderation"),
    )


@transaction.atomic
def need_post(*, by, data: dict[str, Any]) -> CompanyNeed:
    """A company's need (技術相談・ニーズ), posted by one of its people: it waits for the
    moderation of the hub's operators (who are told) before anyone else sees it."""
    if not is_company_user(by):
        raise Forbidden(_("only people of a company post company needs"))
    for name in _COMPANY & data.keys():
        raise DomainError(_("this field cannot be set"), field=name)
    org = by.organisation
    need = CompanyNeed(
        created_by=by,
        company=org,
        company_name=org.name,
        is_sme=org.is_sme,
        state=PostState.PENDING,
    )
    _place_company_post(need, data=data)
    if can_moderate_entry(by, need):  # the company's person also runs this hub
        need.state = PostState.PUBLISHED
    _save(need, _assign(need, data))
    if need.state == PostState.PENDING:
        _ask_moderation(need)
    return need


@transaction.atomic
def entry_update(*, entry: NetworkEntry, by, data: dict[str, Any]) -> NetworkEntry:
    """Change an entry; moving it to another hub or region needs rights on both. A company's
    change to its own post goes back to the hub's operators for moderation."""
    entry = type(entry).objects.select_for_update().get(pk=entry.pk)
    if not can_edit_entry(by, entry):
        raise Forbidden(_("only the people of this hub or region and program officers may edit it"))
    if entry.state == PostState.WITHDRAWN:
        raise Conflict(_("a withdrawn post cannot be changed"), field="state")
    if not can_moderate_entry(by, entry):
        for name in _COMPANY & data.keys():
            raise DomainError(_("this field cannot be set"), field=name)
        if _OWNERSHIP & data.keys():
            _place_company_post(entry, data={k: v for k, v in data.items() if k in _OWNERSHIP})
        entry.state = PostState.PENDING
        entry = _save(entry, _assign(entry, data))
        _ask_moderation(entry)
        return entry
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
def entry_withdraw(*, entry: NetworkEntry, by) -> NetworkEntry:
    """Take a post off the network (its author, the hub's operators, officers). It stays in
    the database with its history, and leaves search, lists and open data at once."""
    entry = type(entry).objects.select_for_update().get(pk=entry.pk)
    if not can_edit_entry(by, entry):
        raise Forbidden(_("only the people of this hub or region and program officers may edit it"))
    if entry.state == PostState.WITHDRAWN:
        raise Conflict(_("this post is already withdrawn"), field="state")
    entry.state = PostState.WITHDRAWN
    entry.save(update_fields=["state", "updated_at"])  # post_save takes it out of the index
    return entry


@transaction.atomic
def entry_moderate(*, entry: NetworkEntry, by, approve: bool, note: str = "") -> NetworkEntry:
    """A hub's operator (or an officer) publishes a company's post or turns it down with a
    note; the author is told either way."""
    from kyoten.notices.enums import NoticeKind
    from kyoten.notices.services import notify

    entry = type(entry).objects.select_for_update().get(pk=entry.pk)
    if not can_moderate_entry(by, entry):
        raise Forbidden(_("only the operators of this hub and program officers moderate its posts"))
    if entry.state != PostState.PENDING:
        raise Conflict(_("this post is not awaiting moderation"), field="state")
    note = (note or "").strip()
    if not approve and not note:
        raise DomainError(_("tell the author why the post is not approved"), field="note")
    entry.state = PostState.PUBLISHED if approve else PostState.REJECTED
    entry.moderated_by = by
    entry.moderated_at = timezone.now()
    entry.moderation_note = note[:500]
    entry.save(
        update_fields=["state", "moderated_by", "moderated_at", "moderation_note", "updated_at"]
    )  # post_save puts a published post into the search index
    kind = next(k for k, m in ENTRY_MODELS.items() if isinstance(entry, m))
    url_kind = entry.kind if isinstance(entry, News) else kind
    if approve:
        message = gettext_lazy("Your post is published on the hub network: %(title)s")
        params = {"title": str(entry)}
    else:
        message = gettext_lazy("Your post is not approved: %(title)s. Note: %(note)s")
        params = {"title": str(entry), "note": note}
    notify(
        recipients=[entry.created_by] if entry.created_by_id else [],
        kind=NoticeKind.NETWORK_POST_APPROVED if approve else NoticeKind.NETWORK_POST_REJECTED,
        message=message,
        params=params,
        url=reverse("network:entry", args=[url_kind, entry.pk]),
    )
    return entry


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
    "entry_moderate",
    "entry_update",
    "entry_withdraw",
    "need_post",
    "is_entry_hub_operator",
    "subscription_set",
]
