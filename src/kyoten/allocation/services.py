"""Every write of the allocation app: run the optimiser on a call, adopt a run, publish."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from kyoten.allocation.inputs import InputErrors, parse_problem
from kyoten.allocation.models import AllocationDecision, AllocationRun
from kyoten.allocation.reasons import EXCLUDED_REASONS  # noqa: F401 (the pages read it here)
from kyoten.allocation.rules import can_adopt, can_allocate
from kyoten.allocation.solver import allocate
from kyoten.core.errors import DomainError, Forbidden, NotFound

# Statuses of a proposal that may be selected (see proposals.services.proposal_set_outcome).
SELECTABLE = ("submitted", "adopted", "not_adopted")
CATEGORY_PARAMETERS = ("min_per_category", "max_per_category", "min_yen_per_category")
PARAMETERS = (
    "budget_yen",
    "cap_yen",
    "min_score",
    "min_per_block",
    "max_per_block",
    *CATEGORY_PARAMETERS,
)


def proposal_key(pk: int) -> str:
    """The id of a proposal inside the optimiser's input (zero-padded: ids sort as strings)."""
    return f"P{pk:06d}"


def inputs_sha256(doc: dict) -> str:
    canonical = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def ranked_scores(call) -> dict[int, float]:
    """Proposal pk → score (0–100) from the review ranking of the call (scored ones only)."""
    from kyoten.review.selectors import ranking_for_call

    return {
        line.proposal.pk: float(line.score)
        for line in ranking_for_call(call)
        if line.score is not None
    }


def committee_recommendations(call) -> dict[int, tuple[str, str]]:
    """Proposal pk → (recommendation, reason) of the review committee's latest record for the
    call (the chair's, with the deputy chair's for the chair's conflicts); undecided ones are
    absent."""
    from kyoten.review.selectors import latest_decision

    decision = latest_decision(call)
    if decision is None:
        return {}
    return {item.proposal_id: (item.recommendation, item.reason) for item in decision.items.all()}


def _options(proposal, doc: dict, score: float) -> list[dict] | None:
    """The plans a proposal offers: the full request, the applicant's alternatives
    (`allocation_options` of the latest version: reduced, equipment only, each saying what it
    drops) and those the officer added at the review's request (`Proposal.officer_options`).

    A plan without a value is worth the score in proportion to its amount (a plan at 70 % of
    the request is worth 70 % of the score). None when the proposal offers no alternative.
    """
    raw = [o for o in doc.get("allocation_options") or [] if isinstance(o, dict)]
    raw += [o for o in getattr(proposal, "officer_options", None) or [] if isinstance(o, dict)]
    if not raw:
        return None
    requested = doc.get("requested_yen") or proposal.requested_yen
    if requested and not any(o.get("label") == "full" for o in raw):
        raw = [{"label": "full", "amount_yen": requested, "value": score}, *raw]
    full = requested or max(
        (o.get("amount_yen") for o in raw if isinstance(o.get("amount_yen"), int)), default=0
    )
    out = []
    for option in raw:
        plan = {k: option[k] for k in ("label", "amount_yen", "value", "drops") if k in option}
        if "value" not in plan and full:
            amount = plan.get("amount_yen")
            if isinstance(amount, int) and not isinstance(amount, bool) and amount > 0:
                plan["value"] = round(score * min(amount / full, 1.0), 2)
        out.append(plan)
    return out


def _above(option: object, cap: object) -> bool:
    if not isinstance(option, dict) or not isinstance(cap, int) or isinstance(cap, bool):
        return False
    amount = option.get("amount_yen")
    return isinstance(amount, int) and not isinstance(amount, bool) and amount > cap


def build_inputs(*, call, params: dict[str, Any], scores: dict[int, float]) -> tuple[dict, dict]:
    """The input document of `kyoten allocate` for a call, and the map id → proposal pk.

    Proposals come from `scores` (pk → score); those without a requested amount or plans, and
    those the review committee recommended not to adopt (不採択), are listed under `excluded`
    (ignored by the optimiser) rather than failing the run. The map holds them too: the run
    decides on them (not adopted, for that reason) when it is adopted. Each entry carries the committee's
    recommendation (`recommendation`, empty when undecided).
    """
    from kyoten.proposals.models import Proposal

    doc: dict[str, Any] = {
        "budget_yen": call.budget_yen,
        "cap_yen": call.cap_yen,
    }
    for key in PARAMETERS:
        if key in params and params[key] is not None:
            doc[key] = params[key]
    cap = doc["cap_yen"]
    from kyoten.proposals.selectors import latest_versions

    proposals = list(
        Proposal.objects.filter(call=call, pk__in=list(scores), status__in=SELECTABLE)
        .prefetch_related("prefectures")
        .order_by("pk")
    )
    versions = latest_versions(proposals)
    recommended = committee_recommendations(call)
    entries, excluded, mapping = [], [], {}
    for proposal in proposals:
        key = proposal_key(proposal.pk)
        mapping[key] = proposal.pk  # the left out too: adopting the run decides on them
        score = scores[proposal.pk]
        recommendation = recommended.get(proposal.pk, ("", ""))[0]
        if recommendation == "reject":
            excluded.append(
                {
                    "id": key,
                    "title": proposal.title,
                    "reason": "not recommended by the review committee",
                    "reason_code": "not_recommended",
                    "recommendation": recommendation,
                }
            )
            continue
        others = sorted(
            p.code for p in proposal.prefectures.all() if p.code != proposal.lead_prefecture_id
        )
        entry: dict[str, Any] = {
            "id": key,
            "title": proposal.title,
            "prefectures": [proposal.lead_prefecture_id, *others],
            "score": score,
        }
        # What was handed in (the latest version), not the working copy; the officer's
        # category (changed with a reason) wins over the applicant's choice.
        version = versions.get(proposal.pk)
        content = (version.content if version else proposal.content) or {}
        requested = (version.requested_yen if version else None) or proposal.requested_yen
        category = proposal.category or content.get("category") or ""
        if isinstance(category, str) and category:
            entry["category"] = category
        options = _options(proposal, {**content, "requested_yen": requested}, score)
        if options is None and requested:
            options = [{"label": "full", "amount_yen": requested, "value": score}]
        if not options:
            excluded.append({"id": key, "title": proposal.title, "reason": "no requested amount",
                             "reason_code": "no_amount", "recommendation": recommendation})  # fmt: skip
            continue
        # What-if with a lower cap: plans above it drop out rather than fail the run.
        within = [o for o in options if not _above(o, cap)]
        if not within:
            excluded.append({"id": key, "title": proposal.title,
                             "reason": "every plan is above the cap", "reason_code": "above_cap",
                             "recommendation": recommendation})  # fmt: skip
            continue
        if len(within) == 1 and within[0].get("label") == "full" and len(options) == 1:
            entry["requested_yen"] = within[0]["amount_yen"]
        else:
            entry["options"] = within
        entries.append(entry)
    doc["proposals"] = entries
    if excluded:
        doc["excluded"] = excluded
    return doc, mapping


def _field_of(line: str) -> str:
    return line.split(":", 1)[0]


def allocation_run(
    *,
    call,
    params: dict[str, Any],
    by,
    scores: dict[int, float] | None = None,
    label: str = "",
) -> AllocationRun:
    """Run the optimiser on the ranked proposals of a call and record the run.

    `params` may set budget_yen, cap_yen, min_score, min_per_block, max_per_block (the call's
    budget and cap by default). `scores` (proposal pk → score) defaults to the review ranking.
    Bad parameters raise DomainError naming the field.
    """
    if not can_allocate(by):
        raise Forbidden(
            gettext("only the program officer and the committees may run an allocation")
        )
    from kyoten.allocation.selectors import may_allocate

    if not may_allocate(by, call):
        raise NotFound(gettext("no such call"), field="call")
    unknown = sorted(set(params) - set(PARAMETERS))
    if unknown:
        raise DomainError(
            gettext("unknown parameter %(name)r") % {"name": unknown[0]}, field=unknown[0]
        )
    if scores is None:
        scores = ranked_scores(call)
    doc, mapping = build_inputs(call=call, params=params, scores=scores)
    try:
        problem = parse_problem(doc)
    except InputErrors as exc:
        raise DomainError("; ".join(exc.errors), field=_field_of(exc.errors[0])) from None
    result = allocate(problem)  # outside the transaction: it may take seconds
    with transaction.atomic():
        return AllocationRun.objects.create(
            call=call,
            label=label[:200],
            budget_yen=problem.budget_yen,
            cap_yen=problem.cap_yen,
            min_score=problem.min_score,
            min_per_block=problem.min_per_block,
            max_per_block=problem.max_per_block,
            category_reservations={
                key: getattr(problem, key) for key in CATEGORY_PARAMETERS if getattr(problem, key)
            },
            inputs=doc,
            inputs_sha256=inputs_sha256(doc),
            proposal_map=mapping,
            solver_name=result["solver"]["name"],
            solver_version=result["solver"]["version"],
            result=result,
            status=result["status"],
            objective=result["objective"],
            total_yen=result["total_yen"],
            run_by=by,
        )


@transaction.atomic
def allocation_adopt(*, run: AllocationRun, by) -> AllocationDecision:
    """Adopt a run as the committee's decision (採択) for its call.

    The funded proposals become adopted (the hubs app builds on them), the others scored in the
    run not adopted. Adopting another run later replaces the decision (history keeps both).
    """
    from kyoten.calls.models import Call
    from kyoten.proposals.models import Proposal
    from kyoten.proposals.services import proposal_set_outcome

    if not can_adopt(by):
        raise Forbidden(gettext("only the program officer records the committee's decision"))
    if run.status != "optimal":
        raise DomainError(gettext("an infeasible run cannot be adopted"), field="run")
    Call.objects.select_for_update().get(pk=run.call_id)  # one adoption at a time per call
    funded = {a["id"] for a in run.result.get("awards", [])}
    proposals = Proposal.objects.in_bulk(list(run.proposal_map.values()))
    for key, pk in sorted(run.proposal_map.items()):
        proposal = proposals.get(pk)
        if proposal is None:
            raise DomainError(
                gettext("proposal %(pk)s of the run no longer exists") % {"pk": pk}, field="run"
            )
        if proposal.status not in SELECTABLE:
            raise DomainError(
                gettext(
                    "proposal %(proposal)s is %(status)s and can no longer be selected:"
                    " run the allocation again"
                )
                % {"proposal": proposal, "status": proposal.get_status_display()},
                field="run",
            )
        proposal_set_outcome(
            proposal=proposal, by=by, adopted=key in funded, category=proposal.category
        )
    decision, _ = AllocationDecision.objects.update_or_create(
        call_id=run.call_id,
        defaults={
            "run": run,
            "adopted_by": by,
            "adopted_at": timezone.now(),
            "published": False,
            "published_at": None,
            "published_by": None,
        },
    )
    return decision


@transaction.atomic
def allocation_publish(*, decision: AllocationDecision, by) -> AllocationDecision:
    """Make the adopted decision public."""
    if not can_adopt(by):
        raise Forbidden(gettext("only the program officer publishes a decision"))
    decision = AllocationDecision.objects.select_for_update().get(pk=decision.pk)
    if not decision.published:
        from kyoten.proposals.models import Proposal
        from kyoten.proposals.services import proposals_publish_outcome

        decision.published = True
        decision.published_at = timezone.now()
        decision.published_by = by
        decision.save(update_fields=["published", "published_at", "published_by"])
        proposals = list(Proposal.objects.filter(pk__in=decision.run.proposal_map.values()))
        proposals_publish_outcome(proposals=proposals, by=by, at=decision.published_at)
        _tell_decision(decision)
    return decision


def _tell_decision(decision: AllocationDecision) -> None:
    """Each applicant of each proposal of the run hears its outcome, with the amount."""
    from django.utils.functional import lazy

    from kyoten.allocation.reasons import reason_text
    from kyoten.core.money import format_yen
    from kyoten.notices.enums import NoticeKind
    from kyoten.notices.services import notify
    from kyoten.proposals.models import Proposal
    from kyoten.proposals.services import applicants_of

    run = decision.run
    awards = {a["id"]: a["amount_yen"] for a in run.result.get("awards", [])}
    # why not: the optimiser's reason, or why the inputs left the proposal out
    unfunded = {m["id"]: m for m in run.inputs.get("excluded", [])}
    unfunded.update({m["id"]: m for m in run.result.get("unfunded", [])})
    categories = run.call.categories or []
    proposals = Proposal.objects.in_bulk(list(run.proposal_map.values()))
    for key, pk in sorted(run.proposal_map.items()):
        proposal = proposals.get(pk)
        if proposal is None:
            continue
        if key in awards:
            message = gettext_lazy(
                "Decision on “%(title)s”: adopted, with an award of %(amount)s. The decision "
                "letter is on the proposal's page."
            )
        else:
            message = gettext_lazy("Decision on “%(title)s”: not adopted (%(reason)s).")
        notify(
            recipients=applicants_of(proposal),
            kind=NoticeKind.DECISION_PUBLISHED,
            message=message,
            params={
                "title": str(proposal),
                "amount": format_yen(awards.get(key, 0)),
                # said in each reader's language when the notice is rendered
                "reason": lazy(reason_text, str)(unfunded.get(key, {}), categories),
            },
            url=reverse("proposals:edit", args=[proposal.pk]),
        )
