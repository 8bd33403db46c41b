"""What every page form does with a service's refusal."""

from __future__ import annotations

from collections.abc import Mapping

from kyoten.core.errors import DomainError


def show_domain_error(form, exc: DomainError, *, aliases: Mapping[str, str] | None = None) -> None:
    """A service's refusal as the error of the form field it names (else of the whole form),
    prefixed with the rule id where a rule failed ("R-7: …").

    The service names its own input (``land.address``, ``funding[3].amount``); `aliases` maps a
    name to the form's field, else the name's first part is tried (a refusal that lands on
    another field than it names says which part it was about)."""
    named = exc.field or ""
    aliases = aliases or {}
    if aliases.get(named) in form.fields:
        form.add_error(aliases[named], exc.text)
        return
    base = named.split("[")[0].split(".")[0]
    field = named if named in form.fields else base if base in form.fields else None
    message = f"{named}: {exc.text}" if named and field != named else exc.text
    form.add_error(field, message)
