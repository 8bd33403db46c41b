"""What the review needs to know about proposals and reviewers, read in one place.

Proposals belong to the proposals app; this module is the only one in `review` that knows
where a proposal keeps its prefectures, organisations and keywords, so conflict detection and
the assignment button read the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass

from kyoten.review.models import Membership, ReviewerTie


@dataclass(frozen=True)
class ProposalFacts:
    id: int
    label: str
    prefectures: frozenset[str]
    organisations: frozenset[str]
    keywords: frozenset[str]


@dataclass(frozen=True)
class ReviewerFacts:
    user_id: int
    label: str
    prefecture: str | None
    organisations: frozenset[str]  # current affiliations
    joint_work: frozenset[str]  # organisations of earlier joint work
    keywords: frozenset[str]
    max_load: int | None


def _content(proposal) -> dict:
    content = getattr(proposal, "content", None)
    return content if isinstance(content, dict) else {}


def proposal_prefectures(proposal) -> frozenset[str]:
    codes: set[str] = set()
    rel = getattr(proposal, "prefectures", None)
    if rel is not None and hasattr(rel, "all"):
        codes |= {getattr(p, "code", p.pk) for p in rel.all()}
    elif isinstance(rel, list | tuple | set | frozenset):
        codes |= {str(c) for c in rel}
    lead = getattr(proposal, "lead_prefecture_id", None)
    if lead:
        codes.add(str(lead))
    content = _content(proposal)
    for code in content.get("prefectures") or []:
        if isinstance(code, str):
            codes.add(code)
    if isinstance(content.get("lead_prefecture"), str):
        codes.add(content["lead_prefecture"])
    return frozenset(codes)


def proposal_organisations(proposal) -> frozenset[str]:
    """Names of the signatories' and partners' organisations."""
    names: set[str] = set()
    content = _content(proposal)
    signatories = content.get("signatories") or {}
    if isinstance(signatories, dict):
        for signatory in signatories.values():
            if isinstance(signatory, dict):
                org = signatory.get("organization") or signatory.get("organisation")
                if isinstance(org, str) and org.strip():
                    names.add(org.strip())
    for partner in content.get("partners") or []:
        if isinstance(partner, str) and partner.strip():
            names.add(partner.strip())
        elif isinstance(partner, dict):
            org = partner.get("organization") or partner.get("organisation") or partner.get("name")
            if isinstance(org, str) and org.strip():
                names.add(org.strip())
    for attr in ("partners", "organisations", "organizations"):
        rel = getattr(proposal, attr, None)
        if rel is not None and hasattr(rel, "all"):
            for item in rel.all():
                org = getattr(item, "organisation", None) or item
                name = getattr(org, "name", None)
                if isinstance(name, str) and name:
                    names.add(name)
    return frozenset(names)


# Research fields a reviewer can name as expertise; a proposal without explicit keywords gets
# those its title, purpose and equipment plan mention.
FIELD_VOCABULARY: tuple[str, ...] = (
    "材料", "医療", "健康", "食品", "農業", "水産", "環境", "エネルギー", "半導体", "電子",
    "ロボット", "情報", "AI", "バイオ", "創薬", "光", "計測", "分析", "航空", "宇宙", "自動車",
    "繊維", "化学", "金属", "セラミックス", "ナノ", "介護", "防災", "海洋", "森林", "デザイン",
    "ものづくり", "加工", "機械", "精密", "電池", "水素", "量子", "画像", "ゲノム", "観光",
)  # fmt: skip


def proposal_keywords(proposal) -> frozenset[str]:
    words = getattr(proposal, "keywords", None)
    if not isinstance(words, list | tuple):
        words = _content(proposal).get("keywords")
    if isinstance(words, list | tuple) and words:
        return frozenset(w.strip() for w in words if isinstance(w, str) and w.strip())
    content = _content(proposal)
    sections = content.get("sections") if isinstance(content.get("sections"), dict) else {}
    texts = [str(getattr(proposal, "title", "") or ""), str(sections.get("purpose") or "")]
    for item in content.get("equipment_plan") or []:
        if isinstance(item, dict):
            texts += [str(item.get("name") or ""), str(item.get("category") or "")]
    text = " ".join(texts)
    return frozenset(word for word in FIELD_VOCABULARY if word in text)


def facts_of_proposal(proposal) -> ProposalFacts:
    return ProposalFacts(
        id=proposal.pk,
        label=f"P{proposal.pk}",
        prefectures=proposal_prefectures(proposal),
        organisations=proposal_organisations(proposal),
        keywords=proposal_keywords(proposal),
    )


def facts_of_reviewers(memberships: list[Membership]) -> list[ReviewerFacts]:
    user_ids = [m.user_id for m in memberships]
    ties: dict[int, dict[str, set[str]]] = {uid: {"aff": set(), "joint": set()} for uid in user_ids}
    for tie in ReviewerTie.objects.filter(user_id__in=user_ids).select_related("organisation"):
        key = "joint" if tie.kind == ReviewerTie.Kind.JOINT_WORK else "aff"
        ties[tie.user_id][key].add(tie.organisation.name)
    out = []
    for m in memberships:
        user = m.user
        orgs = set(ties[m.user_id]["aff"])
        if user.organisation_id:
            orgs.add(user.organisation.name)
        out.append(
            ReviewerFacts(
                user_id=user.pk,
                label=f"R{user.pk}",
                prefecture=user.prefecture_id,
                organisations=frozenset(orgs),
                joint_work=frozenset(ties[m.user_id]["joint"]),
                keywords=frozenset(k for k in m.keywords or [] if isinstance(k, str)),
                max_load=m.max_load,
            )
        )
    return out
