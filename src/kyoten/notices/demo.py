"""Demo notices and invitations: an inbox for every demo login (what each would have been told
while the demo's history happened) and invitations still waiting for an answer."""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kyoten.core.models import User
from kyoten.notices.enums import NoticeKind
from kyoten.notices.models import Notice
from kyoten.notices.services import render

# Loaded after every other app's demo: the notices speak of their data.
LAST = True

# (login, kind, message, params, url name, url args, read)
INBOX = [
    ("officer", NoticeKind.INVITATION_ACCEPTED,
     _("%(name)s has accepted your invitation (%(purpose)s)."),
     {"name": "審査委員長 加藤 智子", "purpose": _("chair of the review committee")},
     "accounts:invitations", [], True),
    ("officer", NoticeKind.ADVICE_ADDRESSED,
     _("The promotion committee addresses advice to you: “%(title)s”."),
     {"title": "拠点間の機器相互利用の推進"}, "monitoring:advice_list", [], False),
    ("pref-13", NoticeKind.CALL_PUBLISHED,
     _("The call “%(title)s” is published; proposals are due %(deadline)s."),
     {"title": "令和9年度 地域産学官共同研究拠点整備事業", "deadline": "2027年1月29日17:00"},
     "calls:list", [], True),
    ("pref-13", NoticeKind.DECISION_PUBLISHED,
     _("Decision on “%(title)s”: adopted, with an award of %(amount)s."),
     {"title": "東京 医療機器・創薬バイオ産学官共同研究拠点", "amount": "¥2,900,000,000"},
     "proposals:workspace", [], False),
    ("pref-11", NoticeKind.SIGNATURE_GIVEN,
     _("%(who)s has signed the proposal “%(title)s” as %(role)s."),
     {"who": "埼玉県知事", "title": "埼玉 先端医療・画像", "role": "知事"},
     "proposals:workspace", [], False),
    ("reviewer1", NoticeKind.REVIEWER_ASSIGNED,
     _("You are assigned %(n)s more proposals of the call “%(call)s” to review."),
     {"n": 6, "call": "平成21年度 地域産学官共同研究拠点整備事業"}, "review:mine", [], False),
    ("chair", NoticeKind.REVIEW_PHASE_CLOSING,
     _("The review phase “%(phase)s” of “%(call)s” closes on %(ends)s."),
     {"phase": "採点", "call": "平成21年度 地域産学官共同研究拠点整備事業",
      "ends": "2009年9月30日17:00"}, "review:mine", [], False),
    ("committee", NoticeKind.INVITATION_ACCEPTED,
     _("%(name)s has accepted your invitation (%(purpose)s)."),
     {"name": "推進委員 吉田 健一", "purpose": _("member of the promotion committee")},
     "monitoring:advice_list", [], True),
    ("operator", NoticeKind.REPORT_DUE,
     _("The annual report of %(hub)s for %(fy)s is due on %(due)s."),
     {"hub": "福岡", "fy": "2025年度", "due": "2026年6月30日"}, "monitoring:dashboard", [],
     False),
    ("sme", NoticeKind.BOOKING_CONFIRMED, _("A booking is confirmed"), {},
     "equipment:search", [], False),
    ("observer", NoticeKind.CALL_PUBLISHED,
     _("The call “%(title)s” is published; proposals are due %(deadline)s."),
     {"title": "令和9年度 地域産学官共同研究拠点整備事業", "deadline": "2027年1月29日17:00"},
     "calls:list", [], False),
]  # fmt: skip


def _text(message, params, language):
    with translation.override(language):
        return render(message, params, language)


def load(rng: random.Random) -> None:
    users = {u.username: u for u in User.objects.filter(username__in={r[0] for r in INBOX})}
    now = timezone.now()
    rows = []
    for n, (login, kind, message, params, url_name, args, read) in enumerate(INBOX):
        user = users.get(login)
        if user is None:
            continue
        at = now - dt.timedelta(days=len(INBOX) - n, minutes=rng.randrange(600))
        rows.append(
            Notice(
                recipient=user,
                kind=kind,
                url=reverse(url_name, args=args),
                created_at=at,
                text_ja=_text(message, params, "ja"),
                text_en=_text(message, params, "en"),
                read_at=at + dt.timedelta(hours=2) if read else None,
            )  # fmt: skip
        )
    # Every signatory of an open draft is asked to sign: their inbox says so.
    from kyoten.proposals.models import Signature

    asked = Signature.objects.filter(signed_at__isnull=True, voided_at__isnull=True)
    for sig in asked.select_related("proposal", "user"):
        params = {"by": "申請担当", "title": sig.proposal.title, "role": sig.get_role_display()}
        message = _("%(by)s asks you to sign the proposal “%(title)s” as %(role)s.")
        rows.append(
            Notice(
                recipient=sig.user,
                kind=NoticeKind.SIGNATURE_REQUESTED,
                url=reverse("proposals:edit", args=[sig.proposal_id]),
                created_at=sig.requested_at,
                text_ja=_text(message, params, "ja"),
                text_en=_text(message, params, "en"),
            )  # fmt: skip
        )
    Notice.objects.bulk_create(rows)
    _invitations(users, now)


def _invitations(users: dict, now) -> None:
    """Two invitations waiting for an answer: a reviewer the officer invited, and the industry
    representative a prefecture asked to sign its draft."""
    from kyoten.accounts.models import Invitation
    from kyoten.review.models import Committee

    officer = User.objects.filter(username="officer").first()
    committee = Committee.objects.filter(kind="review").order_by("-term_start").first()
    if officer and committee:
        Invitation.objects.create(
            email="yamaguchi@example.ac.jp", name="山口 恵", purpose="reviewer",
            target_id=str(committee.pk), role="reviewer", invited_by=officer,
            expires_at=now + dt.timedelta(days=14), nonce=secrets.token_hex(16),
        )  # fmt: skip
    from kyoten.proposals.models import Proposal

    draft = Proposal.objects.filter(status="draft", call__code="demo-open").order_by("pk").first()
    applicant = (
        User.objects.filter(username=f"pref-{draft.lead_prefecture_id}").first() if draft else None
    )
    if draft and applicant:
        Invitation.objects.create(
            email="kimura@example.co.jp", name="木村 亮", purpose="sign_industry",
            target_id=str(draft.pk), role="signatory", invited_by=applicant,
            expires_at=now + dt.timedelta(days=14), nonce=secrets.token_hex(16),
        )  # fmt: skip
