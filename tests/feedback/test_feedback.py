"""Compliments, comments and complaints open cases; complaints get charter dates; stage 2."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontdoor.accounts.errors import InvalidInputs
from frontdoor.cases.actions import resolve_case
from frontdoor.cases.models import Case
from frontdoor.charter.queries import due_for
from frontdoor.core.errors import NotFound
from frontdoor.feedback.actions import PersonDetails, escalate_complaint, give_feedback
from frontdoor.feedback.errors import AlreadyEscalated
from frontdoor.feedback.queries import complaint_dates, may_escalate
from tests.factories import UserFactory
from tests.portal.account_support import linked_case, make_resident

pytestmark = pytest.mark.django_db
GUEST = PersonDetails(name="Gail Guest", email="gail@example.com")


def _give(now, **kw):
    args = {"kind": "complaint", "service_code": "missed-bin",
            "what_happened": "Missed three weeks running.", "remedy": "Collect it and say sorry",
            "account": None, "details": GUEST, "now": now, "idempotency_key": "k1"}
    return give_feedback(**{**args, **kw})


def test_a_complaint_opens_a_stage_1_case_for_the_complaints_team_with_charter_dates(
        council, now):
    given = _give(now)
    case = given.case
    assert (case.case_type, case.complaint_stage, case.team_code) == ("complaint", 1,
                                                                     "complaints")
    assert case.service_code == "missed-bin"
    assert "What would put it right: Collect it and say sorry" in case.description
    dates = complaint_dates(case)
    assert dates.acknowledge_by == due_for(standard_id="complaint-ack", config=council,
                                           received_at=now)
    assert dates.respond_by == due_for(standard_id="complaint-response", config=council,
                                       received_at=now)
    assert given.tracking_token  # a guest can follow it


def test_a_compliment_goes_to_the_services_team_and_may_be_anonymous(council, now):
    given = _give(now, kind="compliment", service_code="missed-bin", remedy="ignored",
                  details=PersonDetails(), idempotency_key="k2")
    case = given.case
    assert (case.case_type, case.team_code, case.complaint_stage) == (
        "compliment", "waste-services", None)
    assert "put it right" not in case.description
    assert not case.parties.exists()


def test_a_comment_about_no_service_goes_to_customer_services(council, now):
    case = _give(now, kind="comment", service_code="", idempotency_key="k3").case
    assert (case.service_code, case.team_code) == ("general-enquiry", "customer-services")


def test_every_problem_is_reported_at_once_and_nothing_is_stored(council, now):
    with pytest.raises(InvalidInputs) as problem:
        _give(now, kind="", what_happened=" ", service_code="nope",
              details=PersonDetails(email="bad"))
    assert {p.field for p in problem.value.errors} == {"kind", "service", "what_happened",
                                                       "email", "name"}
    assert not Case.objects.exists()


def test_a_complaint_needs_a_way_to_reply(council, now):
    with pytest.raises(InvalidInputs) as problem:
        _give(now, details=PersonDetails(name="Gail"))
    assert [p.field for p in problem.value.errors] == ["email"]


def test_feedback_from_a_case_links_to_it_and_takes_its_service(council, now):
    rita = make_resident(now=now)
    agent = UserFactory(role="agent")
    request = linked_case(resident=rita, by=agent, now=now)
    given = _give(now, kind="comment", service_code="", about_case=request, account=rita,
                  details=PersonDetails(), idempotency_key="k4")
    assert given.case.parent_id == request.pk and given.case.service_code == "fly-tipping"
    assert given.case.account_id == rita.pk and given.tracking_token == ""


def _resolved_complaint(now, rita):
    officer = UserFactory(role="case_officer", teams={"complaints": "member"})
    case = _give(now, account=rita, details=PersonDetails(), idempotency_key="c1").case
    assert not may_escalate(case)  # not answered yet
    resolve_case(case=case, outcome="not_upheld", note="We collected on time", by=officer,
                 now=now + timedelta(days=3), expected_version=case.version)
    case.refresh_from_db()
    return case


def test_an_answered_complaint_can_go_to_stage_2_once(council, now):
    rita = make_resident(now=now)
    first = _resolved_complaint(now, rita)
    later = now + timedelta(days=5)
    stage2 = escalate_complaint(case=first, reason="You did not look at my photos",
                                access=rita, now=later).case
    assert (stage2.case_type, stage2.complaint_stage, stage2.parent_id) == ("complaint", 2,
                                                                            first.pk)
    assert stage2.account_id == rita.pk
    assert complaint_dates(stage2).acknowledge_by == due_for(
        standard_id="complaint-stage2-ack", config=council, received_at=later)
    with pytest.raises(AlreadyEscalated):
        escalate_complaint(case=first, reason="Again", access=rita, now=later)


def test_nobody_else_can_escalate_a_residents_complaint(council, now):
    rita = make_resident(now=now)
    first = _resolved_complaint(now, rita)
    olly = make_resident(now=now, email="olly@example.com")
    with pytest.raises(NotFound):
        escalate_complaint(case=first, reason="Not mine", access=olly, now=now)
    with pytest.raises(NotFound):
        escalate_complaint(case=first, reason="Guessing", access="x" * 43, now=now)
