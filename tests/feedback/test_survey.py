"""Satisfaction surveys: invited after resolution, answered once, feeding the measure."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from frontdoor.accounts.errors import InvalidInputs
from frontdoor.cases.actions import resolve_case
from frontdoor.core.errors import NotFound
from frontdoor.feedback.actions import invite_newly_resolved, submit_survey
from frontdoor.feedback.errors import AlreadyAnswered
from frontdoor.feedback.models import SurveyInvitation, SurveyResponse
from frontdoor.feedback.queries import satisfaction_share
from frontdoor.notifications.models import Message
from tests.cases.factories import open_waste_case
from tests.factories import CustomerFactory, EmailAddressFactory, UserFactory

pytestmark = pytest.mark.django_db
ANSWERS = {"ease_of_access": "satisfied", "resolved_first_time": "yes",
           "satisfaction_service": "very_satisfied", "satisfaction_staff": "satisfied",
           "channel_used": "web_form", "preferred_channel": "email", "comment": "Quick."}


def resolved_case(now, *, email: str = "sam@example.com", with_customer: bool = True):
    officer = UserFactory(role="case_officer", teams={"waste-services": "member"})
    customer = None
    if with_customer:
        customer = CustomerFactory(preferred_channel="email")
        EmailAddressFactory(customer=customer, address=email, is_primary=True)
    case = open_waste_case(by=officer, now=now, customer=customer)
    resolve_case(case=case, outcome="done", note="Cleared", by=officer,
                 now=now + timedelta(hours=2), expected_version=case.version)
    case.refresh_from_db()
    return case


def survey_token(case) -> str:
    body = Message.objects.get(event="survey_invitation", subject_id=case.reference).body
    return re.search(r"/survey/([A-Za-z0-9_-]+)/", body).group(1)


def test_the_periodic_task_invites_each_newly_resolved_case_once(council, now):
    case = resolved_case(now)
    nobody = resolved_case(now, with_customer=False)
    later = now + timedelta(hours=3)
    assert invite_newly_resolved(now=later) == 1
    assert invite_newly_resolved(now=later) == 0
    assert Message.objects.filter(event="survey_invitation").count() == 1
    assert survey_token(case)
    assert SurveyInvitation.objects.get(case=nobody).not_sent_reason


def test_old_resolutions_are_not_invited(council, now):
    resolved_case(now)
    assert invite_newly_resolved(now=now + timedelta(days=30)) == 0


def test_the_survey_link_works_once(council, now):
    case = resolved_case(now)
    invite_newly_resolved(now=now + timedelta(hours=3))
    token = survey_token(case)
    response = submit_survey(token=token, answers=ANSWERS, now=now + timedelta(hours=4))
    assert response.case_reference == case.reference
    with pytest.raises(AlreadyAnswered):
        submit_survey(token=token, answers=ANSWERS, now=now + timedelta(hours=5))
    assert SurveyResponse.objects.count() == 1


def test_unknown_tokens_are_refused(council, now):
    with pytest.raises(NotFound):
        submit_survey(token="A" * 43, answers=ANSWERS, now=now)
    with pytest.raises(NotFound):
        submit_survey(token="../../etc", answers=ANSWERS, now=now)


def test_missing_answers_are_all_reported(council, now):
    case = resolved_case(now)
    invite_newly_resolved(now=now + timedelta(hours=3))
    with pytest.raises(InvalidInputs) as problem:
        submit_survey(token=survey_token(case), answers={"ease_of_access": "brilliant"},
                      now=now)
    assert len(problem.value.errors) == 6
    assert not SurveyResponse.objects.exists()


def test_responses_feed_the_satisfaction_share(council, now):
    ratings = ["very_satisfied", "satisfied", "satisfied", "dissatisfied"]
    for number, rating in enumerate(ratings):
        case = resolved_case(now, email=f"p{number}@example.com")
        invite_newly_resolved(now=now + timedelta(hours=3))
        submit_survey(token=survey_token(case),
                      answers={**ANSWERS, "satisfaction_service": rating},
                      now=now + timedelta(days=1))
    result = satisfaction_share(now, now + timedelta(days=2))
    assert (result.count, result.met, result.share_met) == (4, 3, 0.75)
    assert result.target_share == 0.95 and result.holds is False
    staff = satisfaction_share(now, now + timedelta(days=2), question="staff")
    assert (staff.count, staff.met) == (4, 4)
    assert satisfaction_share(now + timedelta(days=2), now + timedelta(days=3)).count == 0
