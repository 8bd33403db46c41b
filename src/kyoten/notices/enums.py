from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    """Every hand-off the program tells a person of; each app notifies with one of these."""

    CALL_PUBLISHED = "call_published", _("A call is published")
    CALL_AMENDED = "call_amended", _("A call is amended")
    CALL_CLOSING = "call_closing", _("A call closes in 3 days")
    PROPOSAL_RETURNED = "proposal_returned", _("A proposal is returned for revision")
    SIGNATURE_REQUESTED = "signature_requested", _("Your signature is requested")
    SIGNATURE_VOIDED = "signature_voided", _("A signature is voided by an edit")
    SIGNATURE_GIVEN = "signature_given", _("A signatory has signed")
    PARTNER_INVITED = "partner_invited", _("A prefecture is invited to a consortium")
    PARTNER_ACCEPTED = "partner_accepted", _("A partner prefecture has accepted")
    PARTNER_DECLINED = "partner_declined", _("A partner prefecture has declined")
    INVITATION_ACCEPTED = "invitation_accepted", _("An invitation is accepted")
    REVIEWER_ASSIGNED = "reviewer_assigned", _("You are assigned proposals to review")
    REVIEW_PHASE_OPENED = "review_phase_opened", _("A review phase opens")
    REVIEW_PHASE_CLOSING = "review_phase_closing", _("A review phase closes in 3 days")
    DECISION_PUBLISHED = "decision_published", _("The decision on a proposal is published")
    HUB_CREATED = "hub_created", _("A hub is created for an adopted proposal")
    REPORT_DUE = "report_due", _("An annual report is due")
    REPORT_RETURNED = "report_returned", _("An annual report is returned")
    REPORT_ACCEPTED = "report_accepted", _("An annual report is accepted")
    ADVICE_ADDRESSED = "advice_addressed", _("Advice is addressed to you")
    ADVICE_RESPONSE_DUE = "advice_response_due", _("A response to advice is due")
    BOOKING_CONFIRMED = "booking_confirmed", _("A booking is confirmed")
    BOOKING_CANCELLED = "booking_cancelled", _("A booking is cancelled")
    WAITLIST_OFFERED = "waitlist_offered", _("A slot from the waiting list is yours")
    CERTIFICATE_ISSUED = "certificate_issued", _("A training certificate is issued")
    INVOICE_ISSUED = "invoice_issued", _("An invoice is issued")
    SETTLEMENT_CLOSED = "settlement_closed", _("A month's settlement between hubs is closed")
    NETWORK_POST_PENDING = "network_post_pending", _("A network post awaits your moderation")
    NETWORK_POST_APPROVED = "network_post_approved", _("Your network post is published")
    NETWORK_POST_REJECTED = "network_post_rejected", _("Your network post is not approved")
    CONSULTATION_ASSIGNED = "consultation_assigned", _("A technical consultation is yours")


class Delivery(models.TextChoices):
    EMAIL = "email", _("In the app and by e-mail")
    INAPP = "inapp", _("In the app only")
    OFF = "off", _("Off")


# What a person must hear, by e-mail, whatever their preferences say.
MANDATORY = frozenset(
    {
        NoticeKind.DECISION_PUBLISHED,
        NoticeKind.PROPOSAL_RETURNED,
        NoticeKind.REPORT_RETURNED,
        NoticeKind.ADVICE_RESPONSE_DUE,
    }
)
