"""Charter clocks on cases: start, pause, resume, restart, extend, stop, recompute (database)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from frontdoor.cases.models import Case
from frontdoor.charter.actions import (
    adopt_council_config,
    extend_clock,
    pause_clocks,
    recompute_open_clocks,
    record_clock_event,
    restart_clock,
    resume_clocks,
    start_clocks,
    stop_clocks,
)
from frontdoor.charter.errors import ClockNotPausable, ExtensionRefused
from frontdoor.charter.models import Clock
from frontdoor.charter.queries import clock_state, clocks_for_case
from frontdoor.core.time import isoformat_london, parse_instant

pytestmark = pytest.mark.django_db

_numbers = iter(range(1, 1_000_000))


def make_case(received: str = "2026-01-05T10:00") -> Case:
    received_at = parse_instant(received)
    return Case.objects.create(
        reference=f"NN-2026-{next(_numbers):06d}",
        case_type="enquiry",
        team_code="customer-services",
        channel="email",
        received_at=received_at,
        opened_at=received_at,
        title="A test case",
    )


def london(moment: datetime) -> str:
    return isoformat_london(moment)


def start(case: Case, case_type: str, channel: str = "email", stage: int | None = None) -> list:
    return start_clocks(
        case_id=case.pk,
        channel=channel,
        case_type=case_type,
        service_code=None,
        complaint_stage=stage,
        received_at=case.received_at,
        now=case.received_at,
    )


def test_email_enquiry_gets_one_written_reply_clock_due_in_5_working_days(council):
    case = make_case("2026-01-02T18:00")
    clocks = start(case, "enquiry")
    assert [c.standard_id for c in clocks] == ["written-reply"]
    assert london(clocks[0].due_at) == "2026-01-09T17:00:00+00:00"
    stored = Clock.objects.get(pk=clocks[0].pk)
    assert stored.snapshot["period"] == {"working_days": 5}
    assert stored.council_version is not None and not stored.provisional


def test_starting_clocks_twice_does_not_double_them(council):
    case = make_case()
    first = start(case, "enquiry")
    again = start(case, "enquiry")
    assert [c.pk for c in again] == [c.pk for c in first]
    assert Clock.objects.filter(case=case).count() == 1


def test_stage2_complaint_response_is_provisional_until_acknowledged(council):
    case = make_case("2026-01-05T10:00")
    clocks = {c.standard_id: c for c in start(case, "complaint", stage=2)}
    assert set(clocks) == {"complaint-stage2-ack", "complaint-stage2-response"}
    response = clocks["complaint-stage2-response"]
    assert response.provisional and london(response.due_at) == "2026-02-09T17:00:00+00:00"

    changed = record_clock_event(
        case_id=case.pk, event="acknowledged", at=parse_instant("2026-01-06T11:00")
    )
    assert {c.standard_id for c in changed} == set(clocks)
    response.refresh_from_db()
    ack = Clock.objects.get(pk=clocks["complaint-stage2-ack"].pk)
    assert not response.provisional and london(response.due_at) == "2026-02-03T17:00:00+00:00"
    assert ack.outcome == "met" and ack.stopped_at is not None


def test_pause_and_resume_moves_the_deadline_by_the_working_time_paused(council):
    # Received Mon 2 Mar 2026 10:00 -> due Mon 9 Mar 17:00; the brief's worked example.
    case = make_case("2026-03-02T10:00")
    (clock,) = start(case, "enquiry")
    assert london(clock.due_at) == "2026-03-09T17:00:00+00:00"
    pause_clocks(case_id=case.pk, at=parse_instant("2026-03-03T11:00"))
    clock.refresh_from_db()
    assert clock_state(clock, parse_instant("2026-03-04T10:00")) == "paused"
    (resumed,) = resume_clocks(case_id=case.pk, at=parse_instant("2026-03-05T15:00"))
    assert london(resumed.due_at) == "2026-03-12T17:00:00+00:00"
    clock.refresh_from_db()
    assert london(clock.due_at) == "2026-03-12T17:00:00+00:00"


def test_statutory_clocks_are_not_paused_but_restarted(council):
    case = make_case("2026-01-05T10:00")
    (foi,) = start(case, "foi")
    assert pause_clocks(case_id=case.pk, at=parse_instant("2026-01-06T10:00")) == []
    with pytest.raises(ClockNotPausable):
        restart_clock(
            clock=start(make_case(), "enquiry")[0],
            answer_received_at=parse_instant("2026-01-07T10:00"),
            now=parse_instant("2026-01-07T10:00"),
        )
    restarted = restart_clock(
        clock=foi,
        answer_received_at=parse_instant("2026-02-02T16:00"),
        now=parse_instant("2026-02-02T16:05"),
    )
    # 20 working days from Mon 2 Feb 2026 -> Mon 2 Mar 2026.
    assert london(restarted.due_at) == "2026-03-02T17:00:00+00:00"


def test_stage1_complaint_extended_once_then_second_extension_refused(council):
    case = make_case("2026-01-05T10:00")
    clocks = {c.standard_id: c for c in start(case, "complaint", stage=1)}
    response = clocks["complaint-response"]
    # 15 working days from Mon 5 Jan -> Mon 26 Jan; up to 10 more -> Mon 9 Feb.
    assert london(response.due_at) == "2026-01-26T17:00:00+00:00"
    now = parse_instant("2026-01-20T10:00")
    with pytest.raises(ExtensionRefused):
        extend_clock(
            clock=response,
            new_due_at=parse_instant("2026-02-10T17:00"),
            reason="Site visit",
            by_id=None,
            now=now,
        )
    extended = extend_clock(
        clock=response,
        new_due_at=parse_instant("2026-02-06T17:00"),
        reason="Site visit",
        by_id=None,
        now=now,
    )
    assert london(extended.due_at) == "2026-02-06T17:00:00+00:00"
    assert Clock.objects.get(pk=response.pk).extensions[0]["reason"] == "Site visit"
    with pytest.raises(ExtensionRefused) as refused:
        extend_clock(
            clock=extended,
            new_due_at=parse_instant("2026-02-09T17:00"),
            reason="More time",
            by_id=None,
            now=now,
        )
    assert refused.value.code == "too_many_extensions"


def test_stopping_clocks_marks_met_or_missed(council):
    case = make_case("2026-01-05T10:00")
    clocks = {c.standard_id: c for c in start(case, "complaint", stage=1)}
    stopped = stop_clocks(
        case_id=case.pk, at=parse_instant("2026-01-05T15:00"), clock_names={"acknowledge"}
    )
    assert [c.standard_id for c in stopped] == ["complaint-ack"]
    assert stopped[0].outcome == "missed"  # due 14:00 the same day
    stop_clocks(case_id=case.pk, at=parse_instant("2026-01-20T10:00"))
    response = Clock.objects.get(pk=clocks["complaint-response"].pk)
    assert response.outcome == "met"
    assert {
        clock_state(c, parse_instant("2026-02-01T10:00")) for c in clocks_for_case(case.pk)
    } == {
        "met",
        "missed",
    }


def test_clock_state_turns_at_risk_then_breached(council):
    case = make_case("2026-01-05T10:00")
    (clock,) = start(case, "enquiry")  # due Mon 12 Jan 17:00: 5 working days of 8 h
    assert clock_state(clock, parse_instant("2026-01-06T10:00")) == "on_track"
    assert clock_state(clock, parse_instant("2026-01-12T10:00")) == "at_risk"  # < 20% left
    assert clock_state(clock, parse_instant("2026-01-12T17:01")) == "breached"


def _council_file_with_closure(tmp_path: Path, day: str) -> str:
    from importlib import resources

    text = resources.files("frontdoor.council").joinpath("presets", "north-norfolk.toml")
    path = tmp_path / "north-norfolk-closed.toml"
    path.write_text(
        text.read_text().replace(
            "closure_days = []", f'closure_days = [{{ date = {day}, reason = "Staff training" }}]'
        )
    )
    return str(path)


def test_closure_day_recomputes_open_charter_clocks_but_not_statutory_or_stopped(council, tmp_path):
    enquiry = make_case("2026-01-05T10:00")
    (written,) = start(enquiry, "enquiry")  # due Mon 12 Jan
    foi_case = make_case("2026-01-05T10:00")
    (foi,) = start(foi_case, "foi")  # due Mon 2 Feb
    done = make_case("2026-01-05T10:00")
    (finished,) = start(done, "enquiry")
    stop_clocks(case_id=done.pk, at=parse_instant("2026-01-06T10:00"))

    version, recomputed = adopt_council_config(
        source=_council_file_with_closure(tmp_path, "2026-01-08"),
        now=parse_instant("2026-01-06T12:00"),
    )
    assert version.number == 2 and recomputed == 1
    written.refresh_from_db()
    foi.refresh_from_db()
    finished.refresh_from_db()
    assert london(written.due_at) == "2026-01-13T17:00:00+00:00"  # Thu 8 Jan closed
    assert london(foi.due_at) == "2026-02-02T17:00:00+00:00"
    assert london(finished.due_at) == "2026-01-12T17:00:00+00:00"


def test_extended_clock_keeps_its_promised_date_unless_that_day_closes(council, tmp_path):
    case = make_case("2026-01-05T10:00")
    clocks = {c.standard_id: c for c in start(case, "complaint", stage=1)}
    response = extend_clock(
        clock=clocks["complaint-response"],
        new_due_at=parse_instant("2026-02-04T17:00"),
        reason="Waiting for a contractor's report",
        by_id=None,
        now=parse_instant("2026-01-20T10:00"),
    )
    adopt_council_config(
        source=_council_file_with_closure(tmp_path, "2026-01-27"),
        now=parse_instant("2026-01-21T10:00"),
    )
    response.refresh_from_db()
    assert london(response.due_at) == "2026-02-04T17:00:00+00:00"  # promised day still open
    adopt_council_config(
        source=_council_file_with_closure(tmp_path, "2026-02-04"),
        now=parse_instant("2026-01-22T10:00"),
    )
    response.refresh_from_db()
    assert london(response.due_at) == "2026-02-05T17:00:00+00:00"  # moved to next working day


def test_recompute_without_a_calendar_change_writes_nothing(council):
    case = make_case("2026-01-05T10:00")
    start(case, "enquiry")
    assert recompute_open_clocks(now=parse_instant("2026-01-06T10:00")) == 0


def test_closure_day_after_a_pause_moves_the_paused_deadline_again(council, tmp_path):
    # The brief's example: due Mon 9 Mar, 20 working hours paused -> Thu 12 Mar 17:00.
    case = make_case("2026-03-02T10:00")
    start(case, "enquiry")
    pause_clocks(case_id=case.pk, at=parse_instant("2026-03-03T11:00"))
    (clock,) = resume_clocks(case_id=case.pk, at=parse_instant("2026-03-05T15:00"))
    # Wed 11 Mar closes: 20 h after Mon 9 Mar 17:00 is Tue 10 (8), Thu 12 (16), Fri 13 13:00
    # (20), rounded up to Fri 13 Mar 17:00.
    _, recomputed = adopt_council_config(
        source=_council_file_with_closure(tmp_path, "2026-03-11"),
        now=parse_instant("2026-03-06T10:00"),
    )
    clock.refresh_from_db()
    assert recomputed == 1 and london(clock.due_at) == "2026-03-13T17:00:00+00:00"
