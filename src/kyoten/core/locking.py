"""Optimistic locking (issue 17 item 9): two people editing one record never overwrite each
other silently.

A form carries `seen`, the record's newest history row when the form was drawn
(`seen_of(obj)`). On saving, `check_seen(obj, seen, fields)` looks at what others saved since:
if any of it touched a field this save changes, it raises `EditConflict` (409) that names who
changed what, from what to what, and carries the new `seen`, so that the page can keep the
person's input, show the other's change and let them save again knowingly. Changes to other
fields pass: they do not collide.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kyoten.core.dates import format_moment
from kyoten.core.errors import Conflict
from kyoten.core.history import Change, changes_since


class EditConflict(Conflict):
    def __init__(self, message: str, *, changes: list[Change], seen: str, field: str | None):
        super().__init__(message, field=field)
        self.changes = changes
        self.seen = seen


def seen_of(obj) -> str:
    """The token a form carries: the id of the record's newest history row ("" if none)."""
    row = type(obj).history.filter(**{type(obj)._meta.pk.attname: obj.pk}).order_by("-history_id")
    newest = row.values_list("history_id", flat=True).first()
    return str(newest or "")


def check_seen(obj, seen: str | None, fields) -> None:
    """Refuse a save of `fields` when someone else changed one of them since `seen`."""
    if not seen or not str(seen).isdigit():
        return  # a form without the token (the API, old pages): nothing to compare
    names = set(fields)
    changes = changes_since(type(obj), obj.pk, int(seen))
    clashing = [c for c in changes if names & {name for name, *_ in c.names}]
    if not clashing:
        return
    first = clashing[0]
    who = str(first.who) if first.who else _("someone")
    raise conflict(
        who=who,
        when=first.when,
        labels=[label for c in clashing for label, _b, _a in c.fields],
        changes=clashing,
        seen=seen_of(obj),
        field=next(name for name, *_ in first.names if name in names),
    )


def conflict(*, who: str, when, labels, changes: list[Change], seen: str, field: str):
    """The refusal both kinds of form show: who saved what, when, and that the input is kept."""
    return EditConflict(
        _(
            "%(who)s saved a change at %(when)s (%(fields)s) after you opened this form. "
            "Your input is kept below; look at their change and save again to replace it."
        )
        % {"who": who, "when": format_moment(when), "fields": "、".join(dict.fromkeys(labels))},
        changes=changes,
        seen=seen,
        field=field,
    )
