"""`frontdoor demo-data`: a realistic council, reproducible, refused where it would do harm."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import phonenumbers
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from frontdoor.accounts.models import TeamMembership, User
from frontdoor.cases.models import Case, CaseContact, CaseEvent
from frontdoor.charter.calendar import calendars_for
from frontdoor.charter.models import Clock
from frontdoor.contacts.models import Contact
from frontdoor.core.time import LONDON
from frontdoor.customers.models import Address, Customer, PhoneNumber
from frontdoor.ops.demo_data import (
    THURROCK_MONTHLY,
    apportion,
    expected_contacts,
    monthly_volumes,
    window_for,
)

END = date(2025, 12, 31)
CUSTOMERS = 2_000  # about 650 contacts a month: every channel turns up
POSTCODE = re.compile(r"^(NR\d{1,2}) \d[ABD-HJLNP-UW-Z]{2}$")


def run_demo_data(**options: object) -> None:
    call_command(
        "demo_data", customers=CUSTOMERS, months=1, end_date=END, quiet=True, **options
    )


def table_counts() -> Counter[str]:
    return Counter({
        "users": User.objects.count(), "customers": Customer.objects.count(),
        "contacts": Contact.objects.count(), "cases": Case.objects.count(),
        "clocks": Clock.objects.count(), "events": CaseEvent.objects.count(),
        "case_contacts": CaseContact.objects.count(),
        **{f"channel:{c}": n for c, n in Counter(
            Contact.objects.values_list("channel", flat=True)).items()},
    })


def test_volumes_are_thurrocks_scaled_by_customers_over_170000() -> None:
    full = monthly_volumes(105_000)  # North Norfolk's population: its whole monthly demand
    assert round(full["phone"]) == round(38_000 * 105_000 / 170_000)
    assert 34_000 < sum(full.values()) < 35_000
    small = expected_contacts(1_000, 12)
    assert small["phone"] == round(38_000 * 1_000 / 170_000 * 12)
    assert set(small) == set(THURROCK_MONTHLY)
    assert sum(apportion(101, [1.0, 2.0, 0.0, 3.5])) == 101


def test_the_window_is_the_months_before_the_end_date_in_london() -> None:
    now = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    start, end = window_for(date(2026, 6, 30), 3, now)
    assert start.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 3, 31, 0, 0)
    assert end.astimezone(LONDON).replace(tzinfo=None) == datetime(2026, 7, 1, 0, 0)
    _, capped = window_for(date(2026, 7, 1), 1, now)
    assert capped == now


@pytest.mark.django_db
def test_refuses_without_a_council_and_says_how_to_load_one() -> None:
    with pytest.raises(CommandError, match="frontdoor council load north-norfolk"):
        run_demo_data()
    assert Customer.objects.count() == 0


def test_a_small_run_makes_a_believable_council(council) -> None:  # type: ignore[no-untyped-def]
    run_demo_data()
    calendars = calendars_for(council)

    # Staff in every team, with the council's email domain and no usable password.
    assert User.objects.filter(role="agent").count() >= 10
    assert set(TeamMembership.objects.values_list("team_code", flat=True)) == {
        t.code for t in council.teams
    }
    staff = User.objects.exclude(email__endswith="@demo.frontdoor.test")
    assert all(u.email.endswith("@north-norfolk.gov.uk") for u in staff)
    assert not any(u.has_usable_password() for u in staff)

    # Customers: mostly people, some organisations, addresses in the council's wards.
    assert Customer.objects.count() == CUSTOMERS
    kinds = Counter(Customer.objects.values_list("kind", flat=True))
    assert 0.9 < kinds["person"] / CUSTOMERS < 0.99 and kinds["organisation"] > 0
    districts = {d for w in council.wards for d in w.postcode_districts}
    for postcode in Address.objects.values_list("postcode", flat=True):
        match = POSTCODE.match(postcode)
        assert match and match.group(1) in districts, postcode
    assert Address.objects.values("uprn").distinct().count() == CUSTOMERS
    for e164 in PhoneNumber.objects.values_list("e164", flat=True)[:500]:
        assert phonenumbers.is_valid_number(phonenumbers.parse(e164)), e164

    # Contacts on every channel, in the numbers the formula gives.
    channels = Counter(Contact.objects.values_list("channel", flat=True))
    assert set(channels) == set(THURROCK_MONTHLY)
    for channel, expected in expected_contacts(CUSTOMERS, 1).items():
        extra = 6 if channel in ("email", "letter", "web_form") else 0  # FOI and SAR requests
        assert expected <= channels[channel] <= expected + extra, channel
    window_start, window_end = window_for(END, 1, datetime.now(UTC))
    assert not Contact.objects.filter(received_at__lt=window_start).exists()
    assert not Contact.objects.filter(received_at__gte=window_end).exists()

    # Phones answered quickly most of the time; some abandoned; failure demand recorded.
    phone = Contact.objects.filter(channel="phone")
    answered = [c for c in phone if c.answered_at is not None]
    within_20 = sum((c.answered_at - c.offered_at).total_seconds() <= 20 for c in answered)
    assert 0.75 < within_20 / len(answered) < 0.95
    assert 0 < phone.filter(abandoned=True).count() < 0.08 * phone.count()
    handled = Contact.objects.exclude(outcome="abandoned").exclude(customer=None)
    failure = handled.filter(failure_demand=True).count() / handled.count()
    assert 0.08 < failure < 0.25
    assert handled.filter(failure_demand=True).exclude(failure_reason="").exists()
    spoken = Contact.objects.filter(channel__in=["phone", "face_to_face"]).exclude(
        outcome="abandoned"
    )
    fcr = spoken.filter(outcome="resolved_first_contact").count() / spoken.count()
    assert 0.6 < fcr < 0.85
    assert Contact.objects.filter(outcome="signposted").exists()

    # Cases from the contacts that need them, each with its history and charter clocks.
    created = Contact.objects.filter(outcome="case_created").count()
    assert Case.objects.count() == created > 0
    assert CaseEvent.objects.filter(kind="opened").count() == created
    assert set(Case.objects.values_list("status", flat=True)) >= {"closed", "in_progress"}
    for case in Case.objects.exclude(resolved_at=None)[:200]:
        assert case.events.filter(kind="resolved", at=case.resolved_at).exists()
    clocks = list(Clock.objects.all())
    assert clocks
    for clock in clocks:
        calendar = calendars[clock.calendar_kind]
        due_local = clock.due_at.astimezone(LONDON)
        assert calendar.is_working_day(due_local.date()), clock
        assert calendar.is_within_hours(clock.due_at), clock
        if "working_hours" not in clock.snapshot["period"]:
            assert due_local.time().strftime("%H:%M") == "17:00", clock
        if clock.stopped_at is not None:
            assert clock.outcome == ("met" if clock.stopped_at <= clock.due_at else "missed")
    outcomes = Counter(c.outcome for c in clocks if c.stopped_at is not None)
    assert outcomes["met"] > outcomes["missed"] > 0


def test_the_same_seed_gives_the_same_counts(council) -> None:  # type: ignore[no-untyped-def]
    run_demo_data(seed=7)
    first = table_counts()
    run_demo_data(seed=7, append=True)
    second = table_counts() - first
    assert second == first
    assert Case.objects.values("reference").distinct().count() == Case.objects.count()


def test_refuses_to_mix_with_existing_data_unless_appending(council) -> None:  # type: ignore[no-untyped-def]
    run_demo_data(seed=3)
    with pytest.raises(CommandError, match="--append"):
        run_demo_data(seed=3)


def test_contact_times_follow_opening_hours(council) -> None:  # type: ignore[no-untyped-def]
    run_demo_data()
    for received in Contact.objects.filter(channel="phone").values_list("received_at", flat=True):
        local = received.astimezone(LONDON)
        assert local.weekday() < 5 and timedelta(hours=8, minutes=30) <= timedelta(
            hours=local.hour, minutes=local.minute
        ) < timedelta(hours=17), local
    evening = sum(
        1 for r in Contact.objects.filter(channel="web_form").values_list("received_at", flat=True)
        if r.astimezone(LONDON).hour >= 18 or r.astimezone(LONDON).hour < 8
    )
    assert evening > 0  # online forms arrive around the clock
