"""What a person can be invited for. Each lifecycle app that brings people in offers an
`invitations.py` with `purposes()`; this module collects them (core never names an app).

A purpose says which role the invitee gets, which targets an inviter may choose (a committee,
a hub, a proposal), and what accepting does (adds the seat, asks for the signature) and where
the person lands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from kyoten.core.registry import app_modules


@dataclass(frozen=True)
class Purpose:
    key: str
    label: Callable[[], str]  # e.g. "member of the review committee"
    role: str
    # (target id, label) the inviter may choose; [] when they may not invite for this purpose
    targets: Callable[[object], list[tuple[str, str]]]
    # does what the invitation was for; returns the URL the invitee lands on
    accept: Callable[[object, object], str]


@cache
def _all() -> dict[str, Purpose]:
    found: dict[str, Purpose] = {}
    for _app, module in app_modules("invitations"):
        for purpose in module.purposes():
            found[purpose.key] = purpose
    return found


def purpose(key: str) -> Purpose | None:
    return _all().get(key)


def choices_for(user) -> list[tuple[str, str, str]]:
    """(value "purpose:target", purpose label, target label) the user may invite for."""
    out = []
    for p in _all().values():
        for target_id, target_label in p.targets(user):
            out.append((f"{p.key}:{target_id}", str(p.label()), target_label))
    return out


def target_label(key: str, target_id: str, user) -> str:
    p = purpose(key)
    if p is None:
        return ""
    return dict(p.targets(user)).get(target_id, "")
