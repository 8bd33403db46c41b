"""Reads of the proposals app: the one visibility selector and the checked fetch."""

from __future__ import annotations

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from kyoten.calls.models import Call
from kyoten.core.errors import Forbidden, NotFound
from kyoten.core.rules import is_applicant, is_observer, is_officer, is_reviewer, is_signatory
from kyoten.proposals.document import parse_document
from kyoten.proposals.eligibility import Finding, check_document
from kyoten.proposals.models import HOLDING_STATUSES, Proposal, ProposalStatus, ProposalVersion
from kyoten.proposals.rules import can_edit_proposal


def proposals_visible_to(user, call: Call | None = None) -> QuerySet[Proposal]:
    """Proposals a user may know of: applicants their prefecture's, officers all, observers the
    handed-in ones (never a draft), signatories those they are asked to sign, reviewers the
    handed-in proposals of their committees' calls less those they are kept from."""
    qs = Proposal.objects.select_related("call", "lead_prefecture", "created_by")
    if call is not None:
        qs = qs.filter(call=call)
    if user is None or not user.is_authenticated:
        return qs.none()
    if is_officer(user):
        return qs
    # A person may hold several roles (a university head who also reviews): what each role
    # may see, together.
    seen = []
    if is_observer(user):
        # Ministries read program data: handed-in proposals, never a draft that was
        # not submitted nor one withdrawn.
        seen.append(Q(status__in=HOLDING_STATUSES))
    if is_applicant(user) and user.prefecture_id:
        ids = Proposal.objects.filter(
            Q(prefectures=user.prefecture_id) | Q(lead_prefecture=user.prefecture_id)
        ).values("pk")
        seen.append(Q(pk__in=ids))
    if is_signatory(user):
        seen.append(Q(pk__in=Proposal.objects.filter(signatures__user=user).values("pk")))
    if is_reviewer(user):
        # Members of a call's review committee see its handed-in proposals, except those they
        # have a conflict of interest in force with (404 everywhere, as for a missing one).
        # The lookups follow the reverse relations the review app declares on Call/Proposal.
        member_of = (
            Proposal.objects.filter(
                call__committees__kind="review", call__committees__memberships__user=user
            )
            .exclude(status=ProposalStatus.DRAFT)
            .exclude(pk__in=proposals_kept_from(user).values("pk"))
        )
        seen.append(Q(pk__in=member_of.values("pk")))
    if not seen:
        return qs.none()
    either = seen[0]
    for more in seen[1:]:
        either |= more
    return qs.filter(either)


def proposals_kept_from(user) -> QuerySet[Proposal]:
    """The proposals a person may not know of: those they have a conflict of interest in
    force with. Officers are kept from none. Every visibility selector (this app's, the
    review's `proposals_known_to`, the allocation's runs) subtracts exactly this set, so a
    conflict seals the proposal everywhere at once."""
    if user is None or not user.is_authenticated or is_officer(user):
        return Proposal.objects.none()
    # The lookup follows the reverse relation the review app declares on Proposal.
    return Proposal.objects.filter(
        conflicts_of_interest__reviewer=user, conflicts_of_interest__active=True
    ).distinct()


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


def _latest_number(proposal_ref: str = "pk") -> Subquery:
    return Subquery(
        ProposalVersion.objects.filter(proposal=OuterRef(proposal_ref))
        .order_by("-number")
        .values("number")[:1]
    )


def latest_versions(proposals) -> dict[int, ProposalVersion]:
    """{proposal id: latest version} in one query that reads only the latest versions."""
    return {
        version.proposal_id: version
        for version in ProposalVersion.objects.filter(
            proposal__in=proposals, number=_latest_number("proposal")
        )
    }


def holding_documents(call: Call, *, exclude: Proposal | None = None) -> list[tuple[str, dict]]:
    """(label, document) of the call's proposals that hold their prefectures' place (R-1).

    The document is what R-1 reads of it, its `prefectures`, from the latest submitted version
    (the working copy without one), read in one query without loading whole documents."""
    holders = Proposal.objects.filter(call=call, status__in=HOLDING_STATUSES)
    if exclude is not None:
        holders = holders.exclude(pk=exclude.pk)
    # The latest version's prefectures: ordered by number within the proposal's versions (an
    # OuterRef("pk") nested one level deeper would name the version's own id, not the
    # proposal's: right only while the two happened to be equal).
    latest = ProposalVersion.objects.filter(proposal=OuterRef("pk")).order_by("-number")
    rows = holders.annotate(
        version_number=_latest_number(),
        version_prefectures=Subquery(latest.values("content__prefectures")[:1]),
    ).values_list("pk", "title", "version_number", "version_prefectures", "content__prefectures")
    return [
        (f"#{pk} {title}", {"prefectures": version_prefs if number is not None else working})
        for pk, title, number, version_prefs, working in rows
    ]


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
    if proposal.pk:
        findings += partner_findings(proposal)
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


def may_know_outcome(user, proposal: Proposal) -> bool:
    """Officers (and the review committee, who recommended it) know a decision before it is
    published; everyone else learns it on publication."""
    if proposal.outcome_public:
        return True
    if is_officer(user):
        return True
    if not is_reviewer(user):
        return False
    # one query per call and request (a list of proposals asks this once per row)
    known = user.__dict__.setdefault("_review_member_of_call", {})
    if proposal.call_id not in known:
        known[proposal.call_id] = proposal.call.committees.filter(
            kind="review", memberships__user=user
        ).exists()
    return known[proposal.call_id]


def status_label(user, proposal: Proposal) -> str:
    if may_know_outcome(user, proposal):
        return proposal.get_status_display()
    return _("Under review")


def status_value(user, proposal: Proposal) -> str:
    """The status as the API tells it: an unpublished outcome stays `submitted`."""
    return proposal.status if may_know_outcome(user, proposal) else ProposalStatus.SUBMITTED


def pending_partners(proposal: Proposal) -> list[str]:
    return list(
        proposal.partnerships.filter(accepted__isnull=True).values_list("prefecture_id", flat=True)
    )


def partner_findings(proposal: Proposal) -> list[Finding]:
    """R-2: every prefecture the proposal names has agreed to take part."""
    from kyoten.core.models import Prefecture

    pending = pending_partners(proposal)
    if not pending:
        return []
    names = dict(Prefecture.objects.filter(code__in=pending).values_list("code", "name_ja"))
    return [
        Finding(
            "R-2",
            "prefectures",
            f"{names.get(code, code)}がまだ参加に同意していません。",
            f"prefecture {code} has not yet agreed to take part",
        )
        for code in pending
    ]


def partnerships_for(user):
    """Consortium invitations to the user's prefecture, the unanswered first."""
    from kyoten.proposals.models import Partnership

    if not (is_applicant(user) and user.prefecture_id):
        return Partnership.objects.none()
    return (
        Partnership.objects.filter(prefecture=user.prefecture_id)
        .select_related("proposal__call", "proposal__lead_prefecture", "invited_by")
        .order_by(F("accepted").asc(nulls_first=True), "-invited_at")
    )


def call_amend_preview(
    call: Call,
    *,
    budget_yen: int | None = None,
    cap_yen: int | None = None,
    allowed_forms: list[str] | None = None,
    categories: list[dict] | None = None,
) -> list[dict]:
    """What `call_amend` would do, without doing it: per rule, the proposals holding a place
    that would no longer meet it under the amended settings (R-1 across them, as the
    amendment's re-check does). [{"rule", "proposals": [(proposal, [messages])]}]."""
    from kyoten.proposals.eligibility import ERROR, check_documents

    new_categories = call.categories if categories is None else categories
    settings = call.settings().with_changes(
        budget_yen=call.budget_yen if budget_yen is None else budget_yen,
        cap_yen=call.cap_yen if cap_yen is None else cap_yen,
        allowed_forms=tuple(call.allowed_forms if allowed_forms is None else allowed_forms),
        categories=tuple(
            (c["key"], c.get("label_ja") or c["key"], c.get("label_en") or c["key"])
            for c in new_categories or []
            if isinstance(c, dict) and c.get("key")
        ),
    )
    holders = list(
        Proposal.objects.filter(call=call, status__in=HOLDING_STATUSES).order_by(
            "lead_prefecture", "pk"
        )
    )
    versions = latest_versions(holders)
    docs = [(str(p.pk), versions[p.pk].content if p.pk in versions else p.content)
            for p in holders]  # fmt: skip
    by_rule: dict[str, list] = {}
    for proposal, findings in zip(holders, check_documents(docs, settings), strict=True):
        errors: dict[str, list[str]] = {}
        for f in findings:
            if f.severity == ERROR:
                errors.setdefault(f.rule, []).append(f.message_ja)
        for rule, messages in errors.items():
            by_rule.setdefault(rule, []).append((proposal, messages))
    return [{"rule": rule, "proposals": by_rule[rule]}
            for rule in sorted(by_rule, key=lambda r: int(r.split("-")[1]))]  # fmt: skip


def holding_count(call: Call) -> int:
    """How many proposals hold a place in the call (what an amendment re-checks)."""
    return Proposal.objects.filter(call=call, status__in=HOLDING_STATUSES).count()


def other_proposals_of_prefecture(*, call, prefecture_code: str, exclude_pk: int | None = None):
    """The call's proposals (not withdrawn) a prefecture already takes part in, lead or
    accepted partner: R-1 allows one per prefecture, so starting another is warned at once."""
    qs = Proposal.objects.filter(call=call, prefectures__code=prefecture_code).exclude(
        status=ProposalStatus.WITHDRAWN
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.distinct().order_by("pk")
