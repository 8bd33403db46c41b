"""Timeline of a call (see calls/timeline.py): the proposals each round brought in."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kyoten.calls.timeline import first_deadline
from kyoten.core.rules import is_observer, is_officer
from kyoten.proposals.models import ProposalVersion


def events(call, user) -> list[dict]:
    url = reverse("proposals:call", args=[call.pk]) if is_officer(user) or is_observer(user) else ""
    counts: dict[int, set] = {}
    for round_, proposal in ProposalVersion.objects.filter(proposal__call=call).values_list(
        "revision_round", "proposal_id"
    ):
        counts.setdefault(round_, set()).add(proposal)
    deadlines = {0: first_deadline(call)}
    deadlines.update({a.round: a.deadline for a in call.amendments.all()})
    out = []
    for round_, proposals in sorted(counts.items()):
        if round_ not in deadlines:
            continue
        title = (
            _("%(n)d proposals submitted") if round_ == 0 else _("%(n)d proposals resubmitted")
        ) % {"n": len(proposals)}
        out.append({"at": deadlines[round_], "kind": "proposals", "title": title, "detail": "",
                    "url": url})  # fmt: skip
    return out
