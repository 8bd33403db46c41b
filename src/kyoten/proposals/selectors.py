"""Reads of the proposals app: the one visibility selector and the checked fetch."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kyoten.calls.models import Call
from kyoten.core.errors import Forbidden, NotFound
from kyoten.core.rules import is_applicant, is_observer, is_officer, is_reviewer, is_signatory
from kyoten.proposals.document import parse_document
from kyoten.proposals.eligibility import Finding, check_document
from kyoten.proposals.models import HOLDING_STATUSES, Proposal, ProposalStatus, ProposalVersion
from kyoten.proposals.rules import can_edit_proposal


def proposals_visible_to(user, call: Call | None = None) -> QuerySet[Proposal]:
    """Proposals a user may know of: applicants their prefecture's, officers and observers all.

    Reviewers see proposals through the review app's own selector.
    """
    qs = Proposal.objects.select_related("call", "lead_prefecture", "created_by")
    if call is not None:
        qs = qs.filter(call=call)
    if user is None or not user.is_authenticated:
        return qs.none()
    if is_officer(user) or is_observer(user):
        return qs
    if is_applicant(user) and user.prefecture_id:
        ids = Proposal.objects.filter(
            Q(prefectures=user.prefecture_id) | Q(lead_prefecture=user.prefecture_id)
        ).values("pk")
        return qs.filter(pk__in=ids)
    if is_signatory(user):
        return qs.filter(pk__in=Proposal.objects.filter(signatures__user=user).values("pk"))
    if is_reviewer(user):
        # Members of a call's review committee see its handed-in proposals, except those they
        # have a conflict of interest in force with (404 everywhere, as for a missing one).
        # The lookups follow the reverse relations the review app declares on Call/Proposal.
        member_of = Proposal.objects.filter(
            call__committees__kind="review", call__committees__memberships__user=user
        ).exclude(status=ProposalStatus.DRAFT)
        conflicted = Proposal.objects.filter(
            conflicts_of_interest__reviewer=user, conflicts_of_interest__active=True
        )
        return qs.filter(pk__in=member_of.values("pk")).exclude(pk__in=conflicted.values("pk"))
    return qs.none()


def get_proposal_for(user, pk, *, write: bool = False) -> Proposal:
    """The proposal if the user may see it (404 otherwise); with write, 403 if not editable."""
    try:
        proposal = proposals_visible_to(user).get(pk=pk)
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("proposal not found")) from None
    if write and not can_edit_proposal(user, proposal):
        raise Forbidden(
            _("you may not change this proposal (only its prefectures may, while it is open)")
        )
    return proposal


def latest_versions(proposals) -> dict[int, ProposalVersion]:
    """{proposal id: latest version} in one query."""
    out: dict[int, ProposalVersion] = {}
    for version in ProposalVersion.objects.filter(proposal__in=proposals).order_by(
        "proposal_id", "-number"
    ):
        out.setdefault(version.proposal_id, version)
    return out


def holding_documents(call: Call, *, exclude: Proposal | None = None) -> list[tuple[str, dict]]:
    """(label, document) of the call's proposals that hold their prefectures' place (R-1)."""
    holders = Proposal.objects.filter(call=call, status__in=HOLDING_STATUSES)
    if exclude is not None:
        holders = holders.exclude(pk=exclude.pk)
    versions = latest_versions(holders)
    docs = []
    for p in holders:
        version = versions.get(p.pk)
        docs.append((f"#{p.pk} {p.title}", version.content if version else p.content))
    return docs


def proposal_findings(proposal: Proposal, content: dict | None = None) -> list[Finding]:
    """Every finding of the working content (or `content`) against the call's rules."""
    doc, problems = parse_document(proposal.content if content is None else content)
    findings = [
        Finding("R-5", p.field, f"{p.field}: 入力の形式が正しくありません（{p.message}）", str(p))
        for p in problems
    ]
    findings += check_document(
        doc, proposal.call.settings(), others=holding_documents(proposal.call, exclude=proposal)
    )
    return findings


def call_findings(
    call: Call, proposals, versions: dict[int, ProposalVersion]
) -> dict[int, list[Finding]]:
    """Findings of each proposal of a call: the latest submitted version of those holding a
    place (R-1 among all holders), the working copy of drafts (R-1 against the holders)."""
    settings = call.settings()
    holders = holding_documents(call)
    out: dict[int, list[Finding]] = {}
    for p in proposals:
        version = versions.get(p.pk)
        doc = version.content if (version and p.status in HOLDING_STATUSES) else p.content
        label = f"#{p.pk} {p.title}"
        others = [(lab, d) for lab, d in holders if lab != label]
        parsed, problems = parse_document(doc)
        out[p.pk] = [Finding("R-5", x.field, str(x), str(x)) for x in problems] + check_document(
            parsed, settings, others=others
        )
    return out
