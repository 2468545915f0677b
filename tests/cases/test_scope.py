"""Who may see and change which cases; every action leaves a case event and an audit entry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdoor.audit.models import AuditEntry
from frontdoor.cases import actions
from frontdoor.cases.models import Case, CaseEvent, Status
from frontdoor.cases.queries import (
    QueueFilters,
    cases_visible_to,
    get_case_for_staff,
    team_queue,
)
from frontdoor.contacts.actions import log_contact
from frontdoor.core.errors import Forbidden, NotFound
from tests.cases.factories import open_waste_case
from tests.factories import UserFactory


def test_a_case_officer_of_another_team_cannot_find_the_case(council, officer, other_officer, now):
    case = open_waste_case(by=officer, now=now)

    with pytest.raises(NotFound):
        get_case_for_staff(user=other_officer, reference=case.reference, now=now)
    assert not cases_visible_to(other_officer).filter(pk=case.pk).exists()
    assert not AuditEntry.objects.filter(kind="read", actor=other_officer).exists()


@pytest.mark.parametrize(
    "attempt",
    [
        lambda case, by, now: actions.change_status(
            case=case, status="in_progress", by=by, now=now, expected_version=case.version),
        lambda case, by, now: actions.resolve_case(
            case=case, outcome="done", note="", by=by, now=now, expected_version=case.version),
        lambda case, by, now: actions.assign_case(
            case=case, owner=by, by=by, now=now, expected_version=case.version),
        lambda case, by, now: actions.add_customer_update(case=case, text="Hi", by=by, now=now),
        lambda case, by, now: actions.add_internal_note(case=case, text="Hi", by=by, now=now),
    ],
    ids=["change_status", "resolve", "assign", "customer_update", "note"],
)
def test_a_case_officer_of_another_team_cannot_change_the_case(
    council, officer, other_officer, now, attempt: Callable[..., Any]
):
    case = open_waste_case(by=officer, now=now)
    events_before = CaseEvent.objects.filter(case=case).count()

    with pytest.raises(Forbidden):
        attempt(case, other_officer, now)

    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version) == (Status.NEW, 1)
    assert CaseEvent.objects.filter(case=case).count() == events_before


def test_agents_see_every_case_but_cannot_work_team_queues(council, agent, officer, now):
    case = open_waste_case(by=officer, now=now)

    assert get_case_for_staff(user=agent, reference=case.reference, now=now).pk == case.pk
    with pytest.raises(Forbidden):
        actions.change_status(case=case, status="in_progress", by=agent, now=now,
                              expected_version=case.version)
    with pytest.raises(Forbidden):
        team_queue(user=agent, team_code="waste-services")


def test_looking_up_a_case_is_recorded_in_the_audit_trail(council, officer, now):
    case = open_waste_case(by=officer, now=now)
    get_case_for_staff(user=officer, reference=case.reference.lower(), now=now)
    read = AuditEntry.objects.get(kind="read", actor=officer)
    assert (read.object_type, read.object_id) == ("case", str(case.pk))


def test_a_case_officer_cannot_hand_someone_elses_case_to_a_colleague(
    council, officer, leader, now
):
    colleague = UserFactory(role="case_officer", teams={"waste-services": "member"})
    case = open_waste_case(by=officer, now=now)
    with pytest.raises(Forbidden):
        actions.assign_case(case=case, owner=colleague, by=officer, now=now, expected_version=1)
    # The team leader can.
    actions.assign_case(case=case, owner=colleague, by=leader, now=now, expected_version=1)
    assert case.owner == colleague and case.status == Status.ASSIGNED


def _every_action(
    case: Case, *, officer, leader, agent, now: datetime
) -> list[tuple[str, Callable[[], Any]]]:
    """Each action once, on `case` and two more cases, in an order the workflow allows."""
    later = now + timedelta(hours=1)
    other = open_waste_case(by=officer, now=now)
    third = open_waste_case(by=officer, now=now)
    chase = log_contact(channel="phone", received_at=later, summary="Chasing",
                        service_code="fly-tipping", handled_by=agent, now=later)
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("assigned", lambda: actions.assign_case(
            case=case, owner=officer, by=officer, now=later, expected_version=case.version)),
        ("note_added", lambda: actions.add_internal_note(
            case=case, text="Crew booked", by=officer, now=later)),
        ("message_sent", lambda: actions.add_customer_update(
            case=case, text="Crew booked for Thursday", by=officer, now=later)),
        ("status_changed", lambda: actions.change_status(
            case=case, status="in_progress", by=officer, now=later,
            expected_version=case.version)),
        ("contact_linked", lambda: actions.link_contact(
            case=case, contact=chase, by=agent, now=later)),
        ("linked_duplicate", lambda: actions.link_duplicate(
            case=other, of_case=case, by=officer, now=later)),
        ("transferred", lambda: actions.transfer_case(
            case=third, to_team="environmental-health", note="Hazardous waste",
            by=officer, now=later, expected_version=third.version)),
        ("acknowledged", lambda: actions.record_acknowledgement(case=case, at=later)),
        ("resolved", lambda: actions.resolve_case(
            case=case, outcome="done", note="Cleared", by=officer, now=later,
            expected_version=case.version)),
        ("closed", lambda: actions.close_case(
            case=case, by=officer, now=later, expected_version=case.version)),
        ("reopened", lambda: actions.reopen_case(
            case=case, reason="Still there", by=leader, now=later,
            expected_version=case.version)),
        ("bulk_assigned", lambda: actions.bulk_assign(
            cases=[other], owner=officer, by=leader, now=later)),
    ]
    return steps


def test_every_case_action_records_a_case_event_and_an_audit_entry(
    council, officer, leader, agent, now
):
    case = open_waste_case(by=officer, now=now)
    for name, run in _every_action(case, officer=officer, leader=leader, agent=agent, now=now):
        events_before = CaseEvent.objects.count()
        audit_before = AuditEntry.objects.filter(object_type="case").count()
        run()
        assert CaseEvent.objects.count() > events_before, name
        assert AuditEntry.objects.filter(object_type="case").count() > audit_before, name


def test_the_team_queue_takes_the_same_few_queries_however_long_the_page(
    council, officer, leader, now
):
    for day in range(12):
        received = now - timedelta(days=day)
        case = open_waste_case(by=officer, now=now, received_at=received)
        actions.assign_case(case=case, owner=officer, by=officer, now=now, expected_version=1)

    counts = []
    for page_size in (2, 12):
        with CaptureQueriesContext(connection) as queries:
            page = team_queue(user=leader, team_code="waste-services", page_size=page_size)
            for case in page.cases:  # what the queue page shows of each case
                _ = (case.owner.display_name if case.owner else "", list(case.parties.all()),
                     [c.due_at for c in case.clocks.all()])
        assert len(page.cases) == page_size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 5


def test_the_team_queue_puts_the_soonest_due_first_and_filters(council, officer, leader, now):
    older = open_waste_case(by=officer, now=now, received_at=now - timedelta(days=3))
    newer = open_waste_case(by=officer, now=now)
    actions.assign_case(case=newer, owner=officer, by=officer, now=now, expected_version=1)

    page = team_queue(user=leader, team_code="waste-services")
    assert [c.pk for c in page.cases] == [older.pk, newer.pk]
    mine = team_queue(user=officer, team_code="waste-services",
                      filters=QueueFilters(owner="me"))
    assert [c.pk for c in mine.cases] == [newer.pk]
    unassigned = team_queue(user=officer, team_code="waste-services",
                            filters=QueueFilters(owner="unassigned"))
    assert [c.pk for c in unassigned.cases] == [older.pk]


def test_a_team_queue_of_another_team_is_forbidden(council, other_officer):
    with pytest.raises(Forbidden):
        team_queue(user=other_officer, team_code="waste-services")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cases_opened_at_the_same_moment_never_share_a_reference(council, now):
    import threading

    from django.db import connections

    officer = UserFactory(role="case_officer", teams={"waste-services": "member"})
    references: list[str] = []
    failures: list[BaseException] = []
    start = threading.Barrier(8)

    def open_some() -> None:
        try:
            start.wait()
            for _ in range(5):
                references.append(open_waste_case(by=officer, now=now).reference)
        except BaseException as exc:  # reported below; a thread cannot raise into the test
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_some) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert len(references) == 40
    assert len(set(references)) == 40
    assert sorted(references) == [f"NN-2026-{n:06d}" for n in range(1, 41)]


def test_a_long_queue_says_more_than_the_count_and_still_pages_to_the_end(
    council, officer, leader, now, monkeypatch
):
    from frontdoor.cases import queries

    monkeypatch.setattr(queries, "QUEUE_COUNT_CAP", 5)
    for day in range(12):
        open_waste_case(by=officer, now=now, received_at=now - timedelta(days=day))

    first = team_queue(user=leader, team_code="waste-services", page_size=2)
    # Counted up to 3 pages past this one (8 cases): "more than 8", not all 12.
    assert (first.total, first.total_is_exact, len(first.cases)) == (8, False, 2)
    last = team_queue(user=leader, team_code="waste-services", page_size=2, page=6)
    assert (last.total, last.total_is_exact, len(last.cases)) == (12, True, 2)
    past_the_end = team_queue(user=leader, team_code="waste-services", page_size=2, page=40)
    assert (past_the_end.page, past_the_end.total_is_exact) == (6, True)
