from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from kyoten.core.errors import DomainError
from kyoten.core.models import DesignatedCity, Organisation, Prefecture
from kyoten.core.reference import BLOCKS


def prefectures(*, block: str | None = None) -> QuerySet[Prefecture]:
    qs = Prefecture.objects.prefetch_related(
        Prefetch("borders", queryset=Prefecture.objects.only("code")),
        Prefetch("cities", queryset=DesignatedCity.objects.order_by("since")),
    )
    if block:
        if block not in BLOCKS:
            raise DomainError(f"unknown regional block {block!r}", field="block")
        qs = qs.filter(block=block)
    return qs


def organisations(
    *, kind: str | None = None, prefecture: str | None = None, q: str | None = None
) -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if prefecture:
        if not Prefecture.objects.filter(code=prefecture).exists():
            raise DomainError(f"unknown prefecture code {prefecture!r}", field="prefecture")
        qs = qs.filter(prefecture_id=prefecture)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by("name", "id")


def users_with_role(role: str, *, prefectures=None) -> QuerySet:
    """Active users who hold `role` (as their primary role or granted), optionally only those
    acting for one of `prefectures` (codes)."""
    from django.db.models import Q

    from kyoten.core.models import User

    qs = User.objects.filter(Q(role=role) | Q(role_grants__role=role), is_active=True)
    if prefectures is not None:
        qs = qs.filter(prefecture_id__in=list(prefectures))
    return qs.distinct().order_by("pk")
