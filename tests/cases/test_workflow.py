"""The status workflow, charter clocks through it, extensions and optimistic concurrency."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from frontdoor.audit.models import AuditEntry
from frontdoor.cases.actions import (
    assign_case,
    change_status,
    close_case,
    extend_deadline,
    reopen_case,
    resolve_case,
)
from frontdoor.cases.models import ALLOWED_TRANSITIONS, Case, CaseEvent, EventKind, Status
from frontdoor.cases.queries import case_due_state, case_history
from frontdoor.charter.models import Clock
from frontdoor.core.errors import Conflict, InvalidInput
from tests.cases.factories import open_waste_case

OPEN_MOVES = [Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING_ON_CUSTOMER]


def _case_in(status: str, *, officer, leader, now) -> Case:
    """A Waste Services case brought to `status` through the actions."""
    case = open_waste_case(by=officer, now=now)
    if status == Status.NEW:
        return case
    assign_case(case=case, owner=officer, by=officer, now=now, expected_version=case.version)
    if status == Status.ASSIGNED:
        return case
    if status in (Status.RESOLVED, Status.CLOSED):
        resolve_case(case=case, outcome="done", note="Cleared", by=officer, now=now,
                     expected_version=case.version)
        if status == Status.CLOSED:
            close_case(case=case, by=officer, now=now, expected_version=case.version)
        return case
    change_status(case=case, status=status, by=officer, now=now, expected_version=case.version)
    return case


@pytest.mark.parametrize("start", OPEN_MOVES)
@pytest.mark.parametrize("target", OPEN_MOVES)
def test_officers_move_open_cases_only_along_the_allowed_transitions(
    council, officer, leader, now, start, target
):
    case = _case_in(start, officer=officer, leader=leader, now=now)
    version = case.version
    # Assigning needs an owner, so it goes through assign_case, never change_status.
    allowed = target in ALLOWED_TRANSITIONS[start] and target != Status.ASSIGNED

    if allowed:
        change_status(case=case, status=target, by=officer, now=now, expected_version=version)
        assert Case.objects.get(pk=case.pk).status == target
    else:
        with pytest.raises(InvalidInput):
            change_status(case=case, status=target, by=officer, now=now, expected_version=version)
        assert Case.objects.get(pk=case.pk).status == start
        assert Case.objects.get(pk=case.pk).version == version


@pytest.mark.parametrize(
    ("target", "code"),
    [(Status.RESOLVED, "needs_outcome"), (Status.CLOSED, "needs_outcome"),
     (Status.ASSIGNED, "needs_owner")],
)
def test_change_status_sends_resolving_closing_and_assigning_to_their_own_actions(
    council, officer, now, target, code
):
    case = open_waste_case(by=officer, now=now)
    with pytest.raises(InvalidInput) as caught:
        change_status(case=case, status=target, by=officer, now=now, expected_version=1)
    assert caught.value.code == code


def test_an_open_case_cannot_be_closed_before_it_is_resolved(council, officer, now):
    case = open_waste_case(by=officer, now=now)
    with pytest.raises(InvalidInput):
        close_case(case=case, by=officer, now=now, expected_version=case.version)


def test_waiting_on_the_customer_pauses_the_clock_and_resuming_moves_the_due_date(
    council, officer
):
    # BRIEF.md: due Mon 9 Mar 17:00, paused Tue 3 Mar 11:00, resumed Thu 5 Mar 15:00
    # -> 20 working hours paused -> due Thu 12 Mar 17:00.
    received = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    case = open_waste_case(by=officer, now=received)
    assert case.promised_at == datetime(2026, 3, 9, 17, 0, tzinfo=UTC)

    change_status(case=case, status=Status.WAITING_ON_CUSTOMER, by=officer,
                  now=datetime(2026, 3, 3, 11, 0, tzinfo=UTC), expected_version=case.version)
    assert Clock.objects.get(case=case).is_paused
    change_status(case=case, status=Status.IN_PROGRESS, by=officer,
                  now=datetime(2026, 3, 5, 15, 0, tzinfo=UTC), expected_version=case.version)

    moved = datetime(2026, 3, 12, 17, 0, tzinfo=UTC)
    assert case.due_at == moved
    assert case.promised_at == moved
    assert Case.objects.get(pk=case.pk).promised_at == moved
    kinds = [e.kind for e in case_history(case)]
    assert EventKind.CLOCK_PAUSED in kinds and EventKind.CLOCK_RESUMED in kinds
    resumed = CaseEvent.objects.get(case=case, kind=EventKind.CLOCK_RESUMED)
    assert resumed.customer_visible and "Thursday 12 March 2026" in resumed.summary


def test_resolving_in_time_meets_the_clock_and_late_misses_it(council, officer, now):
    on_time = open_waste_case(by=officer, now=now)
    late = open_waste_case(by=officer, now=now)
    before_due = datetime(2026, 1, 9, 12, 0, tzinfo=UTC)
    after_due = datetime(2026, 1, 13, 9, 0, tzinfo=UTC)

    resolve_case(case=on_time, outcome="done", note="Cleared the lane", by=officer,
                 now=before_due, expected_version=on_time.version)
    resolve_case(case=late, outcome="done", note="Cleared", by=officer, now=after_due,
                 expected_version=late.version)

    assert Clock.objects.get(case=on_time).outcome == "met"
    assert Clock.objects.get(case=late).outcome == "missed"
    assert on_time.status == Status.RESOLVED and on_time.resolved_at == before_due
    assert on_time.due_at is None  # nothing left to run: it drops out of deadline ordering
    resolved = CaseEvent.objects.get(case=on_time, kind=EventKind.RESOLVED)
    assert resolved.customer_visible and "Cleared the lane" in resolved.summary


def test_an_outcome_that_does_not_fit_the_case_type_is_refused(council, officer, now):
    case = open_waste_case(by=officer, now=now)
    with pytest.raises(InvalidInput) as caught:
        resolve_case(case=case, outcome="upheld", note="", by=officer, now=now,
                     expected_version=case.version)
    assert caught.value.field == "outcome"


def test_reopening_keeps_the_clock_history_and_records_why(council, officer, leader, now):
    case = _case_in(Status.CLOSED, officer=officer, leader=leader, now=now)
    reopen_case(case=case, reason="Customer says the bags are still there", by=leader,
                now=now, expected_version=case.version)

    assert case.status == Status.IN_PROGRESS
    assert case.outcome == "" and case.closed_at is None
    assert Clock.objects.get(case=case).outcome == "met"
    reopened = CaseEvent.objects.get(case=case, kind=EventKind.REOPENED)
    assert reopened.data["before"]["status"] == Status.CLOSED


def test_a_case_officer_cannot_reopen_a_case(council, officer, leader, now):
    from frontdoor.core.errors import Forbidden

    case = _case_in(Status.RESOLVED, officer=officer, leader=leader, now=now)
    with pytest.raises(Forbidden):
        reopen_case(case=case, reason="Again", by=officer, now=now, expected_version=case.version)


def test_an_extension_tells_the_customer_the_new_date_and_why(council, officer, now):
    # Complaint stage 1 (north-norfolk): respond in 15 working days, one extension of up to 10.
    case = open_waste_case(by=officer, now=now, case_type="complaint")
    assert case.promised_at == datetime(2026, 1, 26, 17, 0, tzinfo=UTC)
    new_due = datetime(2026, 2, 2, 17, 0, tzinfo=UTC)

    extend_deadline(case=case, new_due_at=new_due, reason="We need the crew's vehicle records",
                    by=officer, now=now, expected_version=case.version)

    assert case.promised_at == new_due
    assert Clock.objects.get(case=case, clock_name="respond").due_at == new_due
    shown = case_history(case, customer_visible_only=True).filter(
        kind=EventKind.DEADLINE_EXTENDED).get()
    assert "Monday 2 February 2026" in shown.summary
    assert "We need the crew's vehicle records" in shown.summary


def test_a_stale_version_gets_a_conflict_and_nothing_changes(council, officer, leader, now):
    case = open_waste_case(by=officer, now=now)
    seen_by_officer = case.version
    other_copy = Case.objects.get(pk=case.pk)
    assign_case(case=other_copy, owner=officer, by=leader, now=now,
                expected_version=other_copy.version)
    events_before = CaseEvent.objects.filter(case=case).count()
    audit_before = AuditEntry.objects.count()

    with pytest.raises(Conflict) as caught:
        resolve_case(case=case, outcome="done", note="Cleared", by=officer, now=now,
                     expected_version=seen_by_officer)

    assert "reload" in caught.value.message
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.status == Status.ASSIGNED
    assert fresh.version == seen_by_officer + 1
    assert Clock.objects.get(case=case).stopped_at is None
    assert CaseEvent.objects.filter(case=case).count() == events_before
    assert AuditEntry.objects.count() == audit_before


def test_due_state_turns_at_risk_then_breached_as_the_deadline_nears(council, officer, now):
    case = open_waste_case(by=officer, now=now)  # due Mon 12 Jan 17:00
    assert case_due_state(case, now) == "on_track"
    assert case_due_state(case, datetime(2026, 1, 12, 12, 0, tzinfo=UTC)) == "at_risk"
    assert case_due_state(case, datetime(2026, 1, 12, 17, 1, tzinfo=UTC)) == "breached"
