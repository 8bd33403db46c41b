"""Checks of the public researcher identifiers an expert entry carries (pure Python)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ORCID_RE = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
ERAD_RE = re.compile(r"^\d{8}$")
RESEARCHMAP_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{2,63}$")


def orcid_check_digit(base_digits: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 15 digits of an ORCID iD."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def is_valid_orcid(value: str) -> bool:
    if not isinstance(value, str) or not ORCID_RE.match(value):
        return False
    digits = value.replace("-", "")
    return orcid_check_digit(digits[:-1]) == digits[-1]


def normalise_orcid(value: str) -> str:
    """Accept `https://orcid.org/…` and lower-case x; return the bare 0000-0000-0000-000X form."""
    value = (value or "").strip()
    for prefix in ("https://orcid.org/", "http://orcid.org/", "orcid.org/"):
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return value.upper()


def validate_orcid(value: str) -> None:
    if value and not is_valid_orcid(value):
        raise ValidationError(
            _("not a valid ORCID iD (0000-0000-0000-000X with a correct check digit)"),
            code="orcid",
        )


def validate_erad(value: str) -> None:
    if value and not ERAD_RE.match(value):
        raise ValidationError(_("an e-Rad researcher number has exactly 8 digits"), code="erad")


def validate_researchmap(value: str) -> None:
    if value and not RESEARCHMAP_RE.match(value):
        raise ValidationError(
            _("a researchmap id has 3 to 64 letters, digits, '_', '-' or '.'"),
            code="researchmap",
        )
