"""Permission predicates of the monitoring app (R-13 follow-up)."""

from __future__ import annotations

import rules

from kyoten.core.rules import (
    can_read_program,
    is_applicant,
    is_committee_member,
    is_observer,
    is_officer,
    is_operator,
)
from kyoten.hubs.rules import is_hub_operator
from kyoten.monitoring.enums import Addressee


@rules.predicate
def is_region_of_hub(user, hub) -> bool:
    """A prefecture's staff (applicant role) where the hub is one of its prefectures'."""
    if hub is None or not is_applicant(user) or not user.prefecture_id:
        return False
    if user.prefecture_id == hub.lead_prefecture_id:
        return True
    return hub.prefectures.filter(pk=user.prefecture_id).exists()


@rules.predicate
def is_addressee(user, advice) -> bool:
    """Who answers advice: the hub's operators or its prefecture (region), officers (JST),
    ministry observers or officers on the state's behalf (state)."""
    if advice is None or user is None or not user.is_authenticated:
        return False
    if advice.addressee == Addressee.REGION:
        return bool(is_hub_operator(user, advice.hub) or is_region_of_hub(user, advice.hub))
    if advice.addressee == Addressee.JST:
        return bool(is_officer(user))
    return bool(is_observer(user) or is_officer(user))


@rules.predicate
def is_report_hub_operator(user, report) -> bool:
    return report is not None and bool(is_hub_operator(user, report.hub))


@rules.predicate
def is_hub_coordinator(user, hub) -> bool:
    """A coordinator of the hub: a login with the operator role, one of the hub's operators, and
    holding the coordinator duty there (`HubCoordinator`)."""
    if hub is None or not is_operator(user) or not is_hub_operator(user, hub):
        return False
    from kyoten.monitoring.models import HubCoordinator

    return HubCoordinator.objects.filter(hub=hub, user=user).exists()


can_view_monitoring = can_read_program | is_hub_operator | is_region_of_hub
can_edit_targets = is_officer
can_write_report = is_hub_operator | is_officer
can_decide_report = is_officer
can_write_advice = is_committee_member
can_respond_advice = is_addressee
can_close_advice = is_committee_member | is_officer
can_record_visit = is_committee_member | is_officer
# The hub's own records of its work (issue 19): the hub, JST, the promotion committee and the
# ministries read them; the hub's operators (and officers) write them.
can_view_records = is_hub_operator | can_read_program
can_write_records = is_hub_operator | is_officer
# The coordinator desk: the hub's coordinators log consultations (officers may correct them);
# the hub's operators and officers appoint coordinators among the hub's operators.
can_write_consultations = is_hub_coordinator | is_officer
can_appoint_coordinators = is_hub_operator | is_officer

rules.add_perm("monitoring.view_hub_monitoring", can_view_monitoring)
rules.add_perm("monitoring.change_kpitarget", can_edit_targets)
rules.add_perm("monitoring.add_annualreport", can_write_report)
rules.add_perm("monitoring.decide_annualreport", can_decide_report)
rules.add_perm("monitoring.add_advice", can_write_advice)
rules.add_perm("monitoring.respond_advice", can_respond_advice)
rules.add_perm("monitoring.close_advice", can_close_advice)
rules.add_perm("monitoring.add_sitevisit", can_record_visit)
rules.add_perm("monitoring.view_hub_records", can_view_records)
rules.add_perm("monitoring.change_hub_records", can_write_records)
rules.add_perm("monitoring.add_consultation", can_write_consultations)
rules.add_perm("monitoring.appoint_coordinator", can_appoint_coordinators)
