"""Feedback: complaint dates, survey look-ups and the satisfaction measure."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from frontdoor.cases.models import Case, CaseType, Status
from frontdoor.charter.measures import Measure, MeasureResult, share_measure
from frontdoor.charter.queries import clocks_for_case
from frontdoor.core.errors import NotFound
from frontdoor.core.time import require_aware
from frontdoor.council.config import MeasureStandard
from frontdoor.council.queries import current_council
from frontdoor.feedback.models import SATISFIED, SurveyInvitation, SurveyResponse

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
SATISFACTION_QUESTIONS = {
    "service": "satisfaction_service",
    "staff": "satisfaction_staff",
    "ease": "ease_of_access",
}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class ComplaintDates:
    acknowledge_by: datetime | None
    respond_by: datetime | None
    respond_provisional: bool  # counted from the latest the acknowledgement may be sent


def complaint_dates(case: Case) -> ComplaintDates:
    """The dates the charter promised a complaint when its clocks started (its own clocks)."""
    acknowledge = respond = None
    provisional = False
    for clock in clocks_for_case(case.pk):
        if clock.clock_name == "acknowledge" and acknowledge is None:
            acknowledge = clock.due_at
        elif clock.clock_name == "respond" and respond is None:
            respond, provisional = clock.due_at, clock.provisional
    return ComplaintDates(acknowledge, respond, provisional)


def may_escalate(case: Case) -> bool:
    """A stage 1 complaint that has had its response and has no stage 2 review yet."""
    return (
        case.case_type == CaseType.COMPLAINT
        and case.complaint_stage == 1
        and case.status in (Status.RESOLVED, Status.CLOSED)
        and not Case.objects.filter(parent_id=case.pk, case_type=CaseType.COMPLAINT,
                                    complaint_stage=2).exists()
    )


def invitation_for_token(token: str) -> SurveyInvitation:
    """The survey invitation a private link is for; NotFound for any other token."""
    if not _TOKEN.match(token or ""):
        raise NotFound("No such survey", field="token")
    found = (SurveyInvitation.objects.select_related("case")
             .filter(token_hash=token_hash(token)).first())
    if found is None:
        raise NotFound("No such survey", field="token")
    return found


def survey_answered(invitation: SurveyInvitation) -> bool:
    return SurveyResponse.objects.filter(case_id=invitation.case_id).exists()


def satisfaction_share(start: datetime, end: datetime, *, question: str = "service",
                       standard_id: str | None = None) -> MeasureResult | None:
    """Share of survey responses in [start, end) satisfied or very satisfied, against the
    charter's satisfaction target (95% in North Norfolk's draft).

    `question`: "service" (satisfaction with the service: the headline figure), "staff" or
    "ease" (ease of access). None when the council has no satisfaction standard.
    """
    require_aware(start)
    require_aware(end)
    column = SATISFACTION_QUESTIONS[question]
    standard = _satisfaction_standard(standard_id)
    if standard is None:
        return None
    responses = SurveyResponse.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    count = responses.count()
    met = responses.filter(**{f"{column}__in": SATISFIED}).count()
    return share_measure(Measure.from_config(standard), met=met, count=count)


def _satisfaction_standard(standard_id: str | None) -> MeasureStandard | None:
    for standard in current_council().charter.measures:
        if standard_id is not None and standard.id != standard_id:
            continue
        if standard.measure == "share" and standard.metric == "satisfaction":
            return standard
    return None


def case_for_confirmation(reference: str) -> Case:
    """The case a confirmation page shows: its reference comes from the server-side session."""
    found = Case.objects.filter(reference=reference).first()
    if found is None:
        raise NotFound("No such request", field="reference")
    return found


def feedback_services(lang: str = "en") -> list[tuple[str, str]]:
    """(code, name) of the services feedback can be about: ours, not complaints/FOI/SAR."""
    return [(s.code, s.name.get(lang)) for s in current_council().services
            if s.provided_by is None and s.case_type not in ("complaint", "foi", "sar")]
