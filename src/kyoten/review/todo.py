from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.core.dates import format_moment
from kyoten.review import selectors
from kyoten.review.enums import ReviewStatus


def todos(user) -> list[tuple[str, str]]:
    """Reviewers: the reviews still to submit, with their deadline."""
    out: list[tuple[str, str]] = []
    for a in selectors.reviews_of(user).filter(status=ReviewStatus.DRAFT)[:20]:
        deadline = selectors.scoring_deadline(a.proposal.call)
        when = format_moment(deadline) if deadline else _("no date")
        out.append(
            (
                _("Review “%(title)s” by %(when)s") % {"title": a.proposal.title, "when": when},
                reverse("review:review", args=[a.pk]),
            )
        )
    return out
