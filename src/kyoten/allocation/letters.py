"""The decision letter (採択通知 / 審査結果通知) of one proposal, as a PDF with the embedded
Japanese font: what the applicant downloads once the decision is published."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from kyoten.allocation.models import AllocationDecision
from kyoten.allocation.reasons import reason_text
from kyoten.core.dates import format_day
from kyoten.core.fonts import reportlab_font
from kyoten.core.money import format_yen
from kyoten.proposals.forms import option_label


@dataclass(frozen=True)
class Outcome:
    proposal: object
    decision: AllocationDecision
    adopted: bool
    amount_yen: int
    option: str
    reason: str  # why not funded, in the reader's language ("" when adopted)


def outcome_of(decision: AllocationDecision, proposal) -> Outcome | None:
    """The proposal's outcome in the decision's run (None when the run did not include it)."""
    run = decision.run
    key = next((k for k, pk in run.proposal_map.items() if pk == proposal.pk), None)
    if key is None:
        return None
    award = next((a for a in run.result.get("awards", []) if a["id"] == key), None)
    if award is not None:
        return Outcome(proposal, decision, True, award["amount_yen"], award.get("option", ""), "")
    misses = [*run.result.get("unfunded", []), *run.inputs.get("excluded", [])]
    miss = next((m for m in misses if m.get("id") == key), {})
    reason = reason_text(miss, decision.call.categories) if miss else ""
    return Outcome(proposal, decision, False, 0, "", reason)


def letter_pdf(outcome: Outcome) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font = reportlab_font()
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=1)
    right = ParagraphStyle("right", parent=body, alignment=2)
    proposal, decision = outcome.proposal, outcome.decision
    published = timezone.localtime(decision.published_at or timezone.now()).date()
    heading = _("Notice of adoption") if outcome.adopted else _("Notice of the review result")
    story = [
        Paragraph(format_day(published), right),
        Spacer(1, 6 * mm),
        Paragraph(
            _("To the governor of %(prefecture)s") % {"prefecture": proposal.lead_prefecture.name},
            body,
        ),
        Spacer(1, 4 * mm),
        Paragraph(_("Japan Science and Technology Agency (JST)"), right),
        Spacer(1, 10 * mm),
        Paragraph(heading, title),
        Spacer(1, 8 * mm),
        Paragraph(
            _(
                "Concerning your proposal “%(title)s” to the call “%(call)s”, the review committee's "
                "review and the selection have concluded as follows."
            )
            % {"title": proposal.title, "call": decision.call.title},
            body,
        ),  # fmt: skip
        Spacer(1, 6 * mm),
    ]
    if outcome.adopted:
        story += [
            Paragraph(_("Result: adopted"), body),
            Paragraph(_("Award: %(amount)s") % {"amount": format_yen(outcome.amount_yen)}, body),
            Paragraph(_("Plan adopted: %(plan)s") % {"plan": option_label(outcome.option)}, body),
            Spacer(1, 6 * mm),
            Paragraph(
                _(
                    "JST designs, builds and owns the hub's building and equipment on the land "
                    "your region provides; the details follow from the program officer."
                ),
                body,
            ),  # fmt: skip
        ]
    else:
        story += [
            Paragraph(_("Result: not adopted"), body),
            Paragraph(_("Reason: %(reason)s") % {"reason": outcome.reason or "—"}, body),
        ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, title=heading, leftMargin=25 * mm, rightMargin=25 * mm,
        topMargin=25 * mm, bottomMargin=25 * mm,
    )  # fmt: skip
    doc.build(story)
    return out.getvalue()
