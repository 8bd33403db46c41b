import datetime as dt

import pytest
from django.utils import timezone

from kyoten.core.errors import DomainError, Forbidden
from kyoten.hubs.models import Hub
from kyoten.hubs.services import hub_create_from_proposal

DOC = {
    "title": "かながわ次世代ものづくり拠点",
    "lead_prefecture": "14",
    "prefectures": ["14", "13"],
    "representative": "governor",
    "signatories": {
        "governor": {"name": "神奈川 知事"},
        "university_head": {"name": "学長", "organization": "横浜国立大学"},
        "industry": {"name": "代表", "organization": "神奈川県経営者協会"},
    },
    "form": "new",
    "requested_yen": 2_500_000_000,
    "land": {"address": "横浜市保土ケ谷区常盤台79-1", "area_m2": 3000, "provided_by": "prefecture"},
    "operation_start_fy": 2011,
    "sections": {"purpose": "次世代ものづくり"},
    "goals": [{"kpi": "joint_research_projects", "fiscal_year": 2013, "target": 20}],
}


@pytest.fixture
def proposal(officer, make_user):
    from kyoten.calls.models import Program
    from kyoten.calls.services import call_create
    from kyoten.core.services import organisation_create
    from kyoten.proposals.models import Proposal, ProposalVersion

    organisation_create(name="横浜国立大学", kind="university", prefecture="14")
    now = timezone.now()
    call = call_create(
        program=Program.objects.get(fiscal_year=2009),
        by=officer,
        code="hubs-test",
        title="テスト公募",
        opens_at=now - dt.timedelta(days=10),
        deadline=now - dt.timedelta(days=1),
        designated_city_reference_date=dt.date(2009, 8, 1),
    )
    applicant = make_user("applicant", prefecture="14")
    p = Proposal.objects.create(
        call=call,
        title="working copy title",
        lead_prefecture_id="14",
        status="adopted",
        content=DOC | {"title": "later draft"},
        created_by=applicant,
    )
    for number in (1, 2):
        ProposalVersion.objects.create(
            proposal=p,
            number=number,
            title=DOC["title"],
            content=DOC,
            content_hash="x",
            requested_yen=DOC["requested_yen"],
            submitted_by=applicant,
        )
    return p


@pytest.mark.django_db
def test_hub_from_the_latest_submitted_version(proposal, officer):
    hub = hub_create_from_proposal(proposal=proposal, award_yen=2_000_000_000, by=officer)
    assert (
        hub.name,
        hub.proposal_id,
        hub.proposal_version,
        hub.award_yen,
        hub.form,
        hub.lead_prefecture_id,
        sorted(p.code for p in hub.prefectures.all()),
        [o.name for o in hub.host_organisations.all()],
        hub.representative_name,
        hub.operation_start_fy,
        (hub.land_address, hub.land_area_m2, hub.land_provided_by),
        hub.goals,
    ) == (
        "かながわ次世代ものづくり拠点",
        proposal.pk,
        2,
        2_000_000_000,
        "new",
        "14",
        ["13", "14"],
        ["横浜国立大学"],
        "神奈川 知事",
        2011,
        ("横浜市保土ケ谷区常盤台79-1", 3000, "prefecture"),
        [{"kpi": "joint_research_projects", "fiscal_year": 2013, "target": 20}],
    )
    assert proposal.hub == hub
    # Adopting again returns the same hub with the new award.
    again = hub_create_from_proposal(proposal=proposal, award_yen=1_800_000_000, by=officer)
    assert (again.pk, again.award_yen, Hub.objects.count()) == (hub.pk, 1_800_000_000, 1)


@pytest.mark.django_db
def test_from_proposal_checks_award_and_role(proposal, officer, make_user):
    for award in (0, -1, 1.5, "1"):
        with pytest.raises(DomainError) as excinfo:
            hub_create_from_proposal(proposal=proposal, award_yen=award, by=officer)
        assert excinfo.value.field == "award_yen"
    with pytest.raises(Forbidden):
        hub_create_from_proposal(proposal=proposal, award_yen=1, by=make_user("operator"))
    assert Hub.objects.count() == 0


@pytest.mark.django_db
def test_adoption_signal_receiver_creates_the_hub(proposal, officer):
    from django.dispatch import Signal

    from kyoten.hubs.receivers import on_awards_adopted

    awards_adopted = Signal()
    awards_adopted.connect(on_awards_adopted)
    awards_adopted.send(sender=None, awards=[(proposal, 900_000_000)], by=officer)
    assert list(Hub.objects.values_list("proposal_id", "award_yen")) == [(proposal.pk, 900_000_000)]


@pytest.mark.django_db
def test_hubs_from_the_adopted_decision(client, proposal, officer, make_user):
    applicant = make_user("applicant", prefecture="14")
    from kyoten.allocation.models import AllocationDecision, AllocationRun
    from kyoten.core.errors import DomainError
    from kyoten.hubs.services import hubs_create_for_decision

    with pytest.raises(DomainError) as excinfo:
        hubs_create_for_decision(call=proposal.call, by=officer)
    assert excinfo.value.field == "call"
    run = AllocationRun.objects.create(
        call=proposal.call,
        budget_yen=3_000_000_000,
        cap_yen=3_000_000_000,
        inputs={},
        inputs_sha256="0" * 64,
        proposal_map={"P14": proposal.pk},
        solver_name="test",
        solver_version="0",
        result={"awards": [{"id": "P14", "option": "full", "amount_yen": 1_900_000_000}]},
        status="optimal",
        objective=80.0,
        total_yen=1_900_000_000,
        run_by=officer,
    )
    AllocationDecision.objects.create(call=proposal.call, run=run, adopted_by=officer)
    client.force_login(make_user("operator"))
    assert client.post("/hubs/from-decision/", {"call": proposal.call.pk}).status_code == 403
    client.force_login(officer)
    assert "/hubs/from-decision/" in client.get("/hubs/board/").content.decode()
    assert client.post("/hubs/from-decision/", {"call": proposal.call.pk}).status_code == 302
    assert list(Hub.objects.values_list("proposal_id", "award_yen", "proposal_version")) == [
        (proposal.pk, 1_900_000_000, 2)
    ]
    # the prefecture's applicants hear that their hub exists, with a link to it
    from kyoten.notices.models import Notice

    hub = Hub.objects.get()
    assert list(Notice.objects.filter(recipient=applicant).values_list("kind", "url")) == [
        ("hub_created", f"/hubs/{hub.pk}/")
    ]
