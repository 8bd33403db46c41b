"""Access matrix of the monitoring app (see core/tests/access.py).

Objects (monitoring/tests/access_world.py): an operating hub none of the matrix users operates
(its one operator is a coordinator made there) in a prefecture that is not the matrix
applicant's, with an accepted FY2011 report, a draft FY2012 report, open advice to the hub's
region, a joint-research project, a consultation and a patent application.

Rules (monitoring/rules.py, docs/monitoring.md): a hub's follow-up is for those who read the
program — officers, ministry observers and the promotion committee (`can_read_program`, R-15)
— and for the hub's operators and its prefecture (`can_view_monitoring`); to anyone else the
hub is missing (404). Drafts and returned reports are the hub's and the officers' only
(`reports_visible_to`), so a draft is missing to observers and the committee. Targets are set
by officers (`can_edit_targets`), reports written by the hub or officers and decided by
officers, advice written by the committee (R-13), answered by its addressee and closed or
reopened by the committee or officers, site visits recorded by the committee or officers. The
hub's records (joint research, the coordinator desk, the IP office) are read by the hub and the
program's readers and written by the hub's operators and officers (`can_write_records`,
`can_write_consultations`); the public research page is open to everyone. A ministry observer
reads all this and writes nothing: where it can see the object it is refused (403).
The overviews (dashboard, program PDF, block chart, workbook, advice list, alerts) are open to
every signed-in user and show only what the user may follow.
"""

from kyoten.core.tests.access import (
    ACTS,
    DENIED,
    HIDDEN,
    METHOD,
    OK,
    answers,
    api,
    only,
    page,
)
from kyoten.monitoring.tests.access_world import (
    ACCEPTED,
    ADVICE,
    CONSULTATION,
    COORDINATOR,
    DRAFT,
    MON_HUB,
    PATENT,
    PROJECT,
)

EVERYONE = answers(OK, anonymous=OK)
SIGNED_IN = answers(OK)
READERS = ("officer", "observer", "committee")  # can_read_program; no matrix user is the hub's
READ = only(READERS, OK, HIDDEN)
OFFICER_ONLY = only(["officer"], OK, HIDDEN)
# Writes on what the program's readers see: who may not write is refused (403), the others
# meet a missing object (404).
OFFICER_WRITES = only(["officer"], ACTS, HIDDEN, observer=DENIED, committee=DENIED)
OFFICER_FORM = only(["officer"], OK, HIDDEN, observer=DENIED, committee=DENIED)
COMMITTEE_OR_OFFICER = only(["officer", "committee"], ACTS, HIDDEN, observer=DENIED)
ADDRESSEE_ONLY = only(READERS, DENIED, HIDDEN)  # region advice: the hub's side answers
DRAFT_WRITES = only(["officer"], ACTS, HIDDEN)  # a draft is missing to all but hub and officers

H = {"pk": MON_HUB}
ADVICE_BODY = {
    "addressee": "jst", "title": "行列の助言", "body": "本文", "due_date": "2030-03-31",
}  # fmt: skip

ENTRIES = [
    # --- pages
    page("monitoring/", SIGNED_IN, why="every signed-in user; shows the hubs they follow"),
    page("monitoring/hubs/<int:pk>/", READ, objects=H),
    page(
        "monitoring/hubs/<int:pk>/",
        OFFICER_WRITES,
        objects=H,
        method="POST",
        body={"action": "take_over"},
        why="targets: officers only (can_edit_targets)",
    ),
    page(
        "monitoring/hubs/<int:pk>/",
        COMMITTEE_OR_OFFICER,
        objects=H,
        method="POST",
        body={"action": "visit", "visited_on": "2012-06-01", "visitors": "委員", "notes": "-"},
        why="site visits: the committee or officers (can_record_visit)",
    ),
    page(
        "monitoring/hubs/<int:pk>/charts/<str:kpi>.png",
        READ,
        objects={"pk": MON_HUB, "kpi": "joint_research_projects"},
    ),
    page(
        "monitoring/hubs/<int:pk>/reports/<int:fy>.pdf", READ, objects={"pk": MON_HUB, "fy": 2011}
    ),
    page("monitoring/reports/<int:pk>/", READ, objects={"pk": ACCEPTED}),
    page("monitoring/reports/<int:pk>/", OFFICER_ONLY, objects={"pk": DRAFT}),
    page(
        "monitoring/reports/<int:pk>/",
        OFFICER_WRITES,
        objects={"pk": ACCEPTED},
        method="POST",
        body={"action": "accept"},
        why="reports are decided by officers (can_decide_report)",
    ),
    page(
        "monitoring/reports/<int:pk>/",
        DRAFT_WRITES,
        objects={"pk": DRAFT},
        method="POST",
        body={"action": "refresh"},
    ),
    page("monitoring/annual/<int:fy>.pdf", SIGNED_IN, objects={"fy": 2011}),
    page("monitoring/annual/<int:fy>/blocks.png", SIGNED_IN, objects={"fy": 2011}),
    page("monitoring/export.xlsx", SIGNED_IN),
    page("monitoring/advice/", SIGNED_IN),
    page(
        "monitoring/advice/",
        only(["committee"], ACTS, DENIED),
        method="POST",
        body=ADVICE_BODY,
        why="R-13: the promotion committee writes advice",
    ),
    page("monitoring/advice/<int:pk>/", READ, objects={"pk": ADVICE}),
    page(
        "monitoring/advice/<int:pk>/",
        ADDRESSEE_ONLY,
        objects={"pk": ADVICE},
        method="POST",
        body={"action": "respond", "body": "対応します"},
        why="advice to the region is answered by the hub's operators and prefecture",
    ),
    page(
        "monitoring/advice/<int:pk>/",
        COMMITTEE_OR_OFFICER,
        objects={"pk": ADVICE},
        method="POST",
        body={"action": "reopen", "reason": "再検討"},
    ),
    page("monitoring/hubs/<int:pk>/research/", READ, objects=H),
    page("monitoring/hubs/<int:pk>/research/new/", OFFICER_FORM, objects=H),
    page(
        "monitoring/hubs/<int:pk>/research/new/",
        OFFICER_WRITES,
        objects=H,
        method="POST",
        body={},
        why="the hub's records: its operators and officers write (can_write_records)",
    ),
    page("monitoring/hubs/<int:pk>/research/public/", EVERYONE, objects=H),
    page(
        "monitoring/hubs/<int:pk>/research/<int:project_id>/",
        READ,
        objects={"pk": MON_HUB, "project_id": PROJECT},
    ),
    page(
        "monitoring/hubs/<int:pk>/research/<int:project_id>/",
        OFFICER_WRITES,
        objects={"pk": MON_HUB, "project_id": PROJECT},
        method="POST",
        body={"title": ""},
    ),
    page("monitoring/hubs/<int:pk>/desk/", READ, objects=H),
    page("monitoring/hubs/<int:pk>/desk/new/", OFFICER_FORM, objects=H),
    page(
        "monitoring/hubs/<int:pk>/desk/new/",
        OFFICER_WRITES,
        objects=H,
        method="POST",
        body={},
        why="the desk: the hub's coordinators and officers (can_write_consultations)",
    ),
    page(
        "monitoring/hubs/<int:pk>/desk/coordinators/",
        answers(METHOD),
        objects=H,
        why="a POST-only action: GET is 405 (after the login)",
    ),
    page(
        "monitoring/hubs/<int:pk>/desk/coordinators/",
        OFFICER_WRITES,
        objects=H,
        method="POST",
        body={"user": COORDINATOR, "action": "release"},
        why="coordinators: appointed by the hub's operators and officers",
    ),
    page(
        "monitoring/hubs/<int:pk>/desk/<int:consultation_id>/",
        READ,
        objects={"pk": MON_HUB, "consultation_id": CONSULTATION},
    ),
    page(
        "monitoring/hubs/<int:pk>/desk/<int:consultation_id>/",
        OFFICER_WRITES,
        objects={"pk": MON_HUB, "consultation_id": CONSULTATION},
        method="POST",
        body={},
    ),
    page("monitoring/hubs/<int:pk>/patents/", READ, objects=H),
    page("monitoring/hubs/<int:pk>/patents/new/", OFFICER_FORM, objects=H),
    page(
        "monitoring/hubs/<int:pk>/patents/new/",
        OFFICER_WRITES,
        objects=H,
        method="POST",
        body={},
    ),
    page(
        "monitoring/hubs/<int:pk>/patents/<int:patent_id>/",
        READ,
        objects={"pk": MON_HUB, "patent_id": PATENT},
    ),
    page(
        "monitoring/hubs/<int:pk>/patents/<int:patent_id>/",
        OFFICER_WRITES,
        objects={"pk": MON_HUB, "patent_id": PATENT},
        method="POST",
        body={},
    ),
    # --- API
    api("GET", "/api/v1/kpis", EVERYONE, why="the KPI catalogue is public"),
    api("GET", "/api/v1/hubs/{hub_id}/kpis", READ, objects={"hub_id": MON_HUB}),
    api("GET", "/api/v1/hubs/{hub_id}/targets", READ, objects={"hub_id": MON_HUB}),
    api(
        "POST",
        "/api/v1/hubs/{hub_id}/targets",
        OFFICER_WRITES,
        objects={"hub_id": MON_HUB},
        body={"targets": []},
    ),
    api(
        "POST",
        "/api/v1/hubs/{hub_id}/targets/take-over",
        OFFICER_WRITES,
        objects={"hub_id": MON_HUB},
    ),
    api("GET", "/api/v1/hubs/{hub_id}/site-visits", READ, objects={"hub_id": MON_HUB}),
    api(
        "POST",
        "/api/v1/hubs/{hub_id}/site-visits",
        COMMITTEE_OR_OFFICER,
        objects={"hub_id": MON_HUB},
        body={"visited_on": "2012-06-01", "visitors": "委員", "notes": "-"},
    ),
    api("GET", "/api/v1/reports", SIGNED_IN, why="the reports the user may see"),
    api(
        "POST",
        "/api/v1/reports",
        OFFICER_WRITES,
        body={"hub": MON_HUB, "fiscal_year": 2013},
        why="reports are written by the hub or officers; readers see the hub but may not write",
    ),
    api("GET", "/api/v1/reports/{report_id}", READ, objects={"report_id": ACCEPTED}),
    api("GET", "/api/v1/reports/{report_id}", OFFICER_ONLY, objects={"report_id": DRAFT}),
    api("GET", "/api/v1/reports/{report_id}/pdf", READ, objects={"report_id": ACCEPTED}),
    api("GET", "/api/v1/reports/{report_id}/pdf", OFFICER_ONLY, objects={"report_id": DRAFT}),
    api(
        "PATCH",
        "/api/v1/reports/{report_id}",
        OFFICER_WRITES,
        objects={"report_id": ACCEPTED},
        body={},
        why="observers and the committee see the accepted report but may not write it",
    ),
    api(
        "PATCH", "/api/v1/reports/{report_id}", DRAFT_WRITES, objects={"report_id": DRAFT}, body={}
    ),
    api("POST", "/api/v1/reports/{report_id}/refresh", DRAFT_WRITES, objects={"report_id": DRAFT}),
    api("POST", "/api/v1/reports/{report_id}/submit", DRAFT_WRITES, objects={"report_id": DRAFT}),
    api(
        "POST",
        "/api/v1/reports/{report_id}/return",
        OFFICER_WRITES,
        objects={"report_id": ACCEPTED},
        body={"reason": "差し戻し"},
    ),
    api(
        "POST",
        "/api/v1/reports/{report_id}/accept",
        OFFICER_WRITES,
        objects={"report_id": ACCEPTED},
    ),
    api("GET", "/api/v1/advice", SIGNED_IN, why="the advice the user may see"),
    api(
        "POST",
        "/api/v1/advice",
        only(["committee"], ACTS, DENIED),
        body=ADVICE_BODY,
        why="R-13: the promotion committee writes advice",
    ),
    api("GET", "/api/v1/advice/{advice_id}", READ, objects={"advice_id": ADVICE}),
    api(
        "POST",
        "/api/v1/advice/{advice_id}/responses",
        ADDRESSEE_ONLY,
        objects={"advice_id": ADVICE},
        body={"body": "対応します"},
    ),
    api(
        "POST",
        "/api/v1/advice/{advice_id}/close",
        COMMITTEE_OR_OFFICER,
        objects={"advice_id": ADVICE},
        body={"note": ""},
        why="not answered yet: 409 to those who may close it, after the permission check",
    ),
    api(
        "POST",
        "/api/v1/advice/{advice_id}/reopen",
        COMMITTEE_OR_OFFICER,
        objects={"advice_id": ADVICE},
        body={"reason": "再検討"},
    ),
    api("GET", "/api/v1/monitoring/dashboard", SIGNED_IN, query="fiscal_year=2011"),
    api("GET", "/api/v1/monitoring/alerts", SIGNED_IN),
]
