"""What every page form does with a service's refusal."""

from __future__ import annotations

from collections.abc import Mapping

from kyoten.core.errors import DomainError


def show_domain_error(form, exc: DomainError, *, aliases: Mapping[str, str] | None = None) -> None:
    """A service's refusal as the error of the form field it names (else of the whole form),
    prefixed with the rule id where a rule failed ("R-7: …").

    The service names its own input (``land.address``, ``funding[3].amount``); `aliases` maps a
    name to the form's field (None: the whole form's error), else the name's first part is
    tried."""
    named = exc.field or ""
    aliases = aliases or {}
    if named in aliases and (aliases[named] is None or aliases[named] in form.fields):
        form.add_error(aliases[named], exc.text)  # None: the whole form's
        return
    base = named.split("[")[0].split(".")[0]
    field = named if named in form.fields else base if base in form.fields else None
    # A part of a field (funding[3].amount) says which part; a name the form does not know is
    # not shown (a raw key on the page): the error is the whole form's.
    message = f"{named}: {exc.text}" if field is not None and field != named else exc.text
    form.add_error(field, message)
