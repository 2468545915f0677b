"""The single customer view, merging duplicate records and keeping warning markers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from freezegun import freeze_time

from frontdoor.accounts.models import User
from frontdoor.audit.models import AuditEntry
from frontdoor.cases.models import Case, CaseParty
from frontdoor.charter.models import Clock
from frontdoor.contacts.actions import log_contact
from frontdoor.contacts.models import Contact
from frontdoor.customers.actions import (
    add_representative,
    add_warning_marker,
    create_customer,
    erase_customer,
    record_consent,
)
from frontdoor.customers.models import Customer, WarningMarker
from frontdoor.notifications.models import Message, MessageStatusChange
from tests.cases.factories import open_waste_case
from tests.factories import UserFactory
from tests.pagecheck import check_page, text_of

pytestmark = pytest.mark.django_db


def person(now: datetime, given: str, family: str, **details: Any) -> Customer:
    return create_customer(
        kind="person", given_name=given, family_name=family, by=None, now=now, **details
    )


@pytest.fixture
def agent() -> User:
    return UserFactory(role="agent", display_name="Ann Agent")


@pytest.fixture
def leader() -> User:
    return UserFactory(role="team_leader", teams={"waste-services": "leader"})


@pytest.fixture
def john(council: Any, now: datetime) -> Customer:
    john = person(
        now,
        "John",
        "Smith",
        date_of_birth="1970-03-31",
        emails=["john@example.com"],
        phones=["07400 123456"],
        preferred_channel="email",
        preferred_language="pl",
        alternative_formats=["large_print"],
        vulnerability_flags=["hearing_impairment"],
        needs="Uses a hearing loop at reception",
        addresses=[
            {
                "line1": "1 Church Street",
                "town": "Cromer",
                "postcode": "NR27 9EN",
                "uprn": "100091234567",
            }
        ],
    )
    record_consent(customer=john, purpose="share_between_services", by=None, now=now)
    add_representative(customer=john, name="Cllr Ada Brown", role="councillor", by=None, now=now)
    return john


@pytest.fixture
def twin(john: Customer, now: datetime) -> Customer:
    """The same man entered again by someone else: same phone, a slip in the name."""
    return person(
        now,
        "Jon",
        "Smith",
        phones=["+44 7400 123456"],
        addresses=[{"line1": "1 Church St", "postcode": "NR27 9EN"}],
    )


def page_of(client: Client, customer: Customer) -> str:
    response = client.get(f"/staff/customers/{customer.pk}/")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_warning_markers_come_before_anything_else_on_the_page(client, agent, john, now):
    add_warning_marker(
        customer=john,
        category="violence",
        by=None,
        now=now,
        description="Threatened a housing officer with a dog. Visit in pairs.",
    )
    client.force_login(agent)
    html = page_of(client, john)
    check_page(html, title_contains="John Smith")
    main = html[html.index("<main") :]
    assert main.index("govuk-warning-text") < main.index("<h1")
    assert "Violence or threat of violence" in main and "Visit in pairs" in main


def test_a_removed_marker_is_not_shown_as_a_warning(client, agent, john, now):
    marker = add_warning_marker(
        customer=john, category="animal", description="Dog", by=None, now=now
    )
    WarningMarker.objects.filter(pk=marker.pk).update(removed_at=now)
    client.force_login(agent)
    assert "govuk-warning-text" not in page_of(client, john).split("<h1")[0]


def test_the_page_shows_who_the_customer_is_and_how_to_reach_them(client, agent, john):
    client.force_login(agent)
    text = text_of(check_page(page_of(client, john)))
    for expected in (
        "31 March 1970",
        "1 Church Street, Cromer, NR27 9EN",
        "UPRN 100091234567",
        "john@example.com",
        "07400 123456",
        "Email; language: pl",
        "Large print",
        "Deaf or hard of hearing",
        "Uses a hearing loop",
        "Share my details between council services: given",
        "Cllr Ada Brown (Councillor)",
    ):
        assert expected in text, expected


def test_viewing_a_customer_is_recorded_in_the_audit_trail(client, agent, john):
    client.force_login(agent)
    page_of(client, john)
    entry = AuditEntry.objects.get(action="customer.viewed", object_id=str(john.pk))
    assert entry.actor_id == agent.pk and entry.data["purpose"] == "single customer view"


def test_cases_show_status_team_owner_due_date_and_due_state(client, agent, john, now):
    on_track = open_waste_case(by=agent, now=now, customer=john)
    late = open_waste_case(
        by=agent, now=now - timedelta(days=30), customer=john, received_at=now - timedelta(days=30)
    )
    closed = open_waste_case(
        by=agent, now=now - timedelta(days=60), customer=john, received_at=now - timedelta(days=60)
    )
    Case.objects.filter(pk=closed.pk).update(status="closed", closed_at=now - timedelta(days=50))
    Clock.objects.filter(case=closed).update(stopped_at=now - timedelta(days=50))
    client.force_login(agent)
    with freeze_time(now):
        html = page_of(client, john)
    text = text_of(check_page(html))
    assert "Open cases (2)" in text and "Closed cases (1)" in text
    open_part = html[html.index('id="open-cases"') : html.index('id="closed-cases"')]
    assert on_track.reference in open_part and late.reference in open_part
    assert closed.reference not in open_part
    late_row = next(r for r in open_part.split("<tr") if late.reference in r)
    assert "Breached" in late_row
    on_track_row = next(r for r in open_part.split("<tr") if on_track.reference in r)
    assert (
        "On track" in on_track_row
        and "Waste" in on_track_row
        and "Not assigned yet" in on_track_row
    )


def test_contacts_appear_on_a_timeline_newest_first(client, agent, john, now):
    log_contact(
        channel="phone",
        customer=john,
        received_at=now - timedelta(days=2),
        summary="Asked about bin day",
        handled_by=agent,
        now=now,
    )
    log_contact(
        channel="email",
        customer=john,
        received_at=now - timedelta(hours=1),
        summary="Sent a photo of the fly-tipping",
        handled_by=agent,
        now=now,
    )
    client.force_login(agent)
    html = page_of(client, john)
    timeline = html[html.index("moj-timeline") :]
    assert timeline.index("Sent a photo") < timeline.index("Asked about bin day")
    assert "by Ann Agent" in timeline


def test_messages_sent_show_their_status_history(client, agent, john, now):
    message = Message.objects.create(
        idempotency_key="m1",
        event="case_acknowledged",
        channel="email",
        provider="smtp",
        recipient={"email": "john@example.com"},
        subject="We have your request",
        body="…",
        status="delivered",
        customer_id=john.pk,
        created_at=now,
        status_changed_at=now,
    )
    MessageStatusChange.objects.create(message=message, status="sent", at=now)
    MessageStatusChange.objects.create(
        message=message,
        status="delivered",
        at=now + timedelta(minutes=1),
        detail="Provider confirmed",
    )
    client.force_login(agent)
    messages = page_of(client, john).split('id="messages"')[1]
    assert "We have your request" in messages and "Provider confirmed" in messages


def test_the_page_needs_a_fixed_number_of_queries_however_long_the_history(
    client, agent, john, now, django_assert_max_num_queries
):
    add_warning_marker(customer=john, category="animal", description="Dog", by=None, now=now)
    for day in range(6):
        open_waste_case(
            by=agent,
            now=now - timedelta(days=day),
            customer=john,
            received_at=now - timedelta(days=day),
        )
        log_contact(
            channel="phone",
            customer=john,
            received_at=now - timedelta(days=day),
            summary=f"Call {day}",
            handled_by=agent,
            now=now,
        )
    client.force_login(agent)
    with django_assert_max_num_queries(30):
        page_of(client, john)


def test_possible_duplicates_are_flagged_with_compare_and_merge_for_team_leaders(
    client, agent, leader, john, twin
):
    client.force_login(agent)
    html = page_of(client, john)
    assert 'id="possible-duplicates"' in html and f"record {twin.pk}" in html
    assert "Compare and merge" not in html
    client.force_login(leader)
    html = page_of(client, john)
    assert f'href="/staff/customers/{john.pk}/merge/{twin.pk}/"' in html


def test_the_merge_page_shows_both_records_side_by_side(client, leader, john, twin):
    client.force_login(leader)
    response = client.get(f"/staff/customers/{john.pk}/merge/{twin.pk}/")
    assert response.status_code == 200
    text = text_of(check_page(response.content.decode(), title_contains="Merge customer records"))
    assert "Record to keep" in text and "Record to merge into it" in text
    assert "John Smith" in text and "Jon Smith" in text and "1 Church St, NR27 9EN" in text


def test_merging_moves_contacts_and_cases_and_the_old_address_redirects(
    client, leader, agent, john, twin, now
):
    contact = log_contact(
        channel="phone",
        customer=twin,
        received_at=now,
        summary="Reported a missed bin",
        handled_by=agent,
        now=now,
    )
    case = open_waste_case(by=agent, now=now, customer=twin)
    client.force_login(leader)
    response = client.post(f"/staff/customers/{john.pk}/merge/{twin.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/staff/customers/{john.pk}/"
    assert Contact.objects.get(pk=contact.pk).customer_id == john.pk
    assert CaseParty.objects.get(case=case).customer_id == john.pk
    html = page_of(client, john)
    assert f"Customer record {twin.pk} was merged into this record" in html
    assert case.reference in html and "Reported a missed bin" in html
    old = client.get(f"/staff/customers/{twin.pk}/")
    assert old.status_code == 302 and old["Location"] == f"/staff/customers/{john.pk}/"


def test_unmerging_puts_contacts_and_cases_back(client, leader, agent, john, twin, now):
    contact = log_contact(
        channel="phone",
        customer=twin,
        received_at=now,
        summary="Reported a missed bin",
        handled_by=agent,
        now=now,
    )
    case = open_waste_case(by=agent, now=now, customer=twin)
    client.force_login(leader)
    client.post(f"/staff/customers/{john.pk}/merge/{twin.pk}/")
    assert f"Separate record {twin.pk} again" in page_of(client, john)
    response = client.post(f"/staff/customers/{john.pk}/unmerge/{twin.pk}/")
    assert response.status_code == 302
    assert Contact.objects.get(pk=contact.pk).customer_id == twin.pk
    assert CaseParty.objects.get(case=case).customer_id == twin.pk
    assert f"Customer record {twin.pk} is a separate record again" in page_of(client, john)
    assert client.get(f"/staff/customers/{twin.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["agent", "case_officer"])
def test_only_team_leaders_and_managers_may_merge(client, role, john, twin):
    client.force_login(UserFactory(role=role))
    assert client.get(f"/staff/customers/{john.pk}/merge/{twin.pk}/").status_code == 403
    assert client.post(f"/staff/customers/{john.pk}/merge/{twin.pk}/").status_code == 403
    assert Customer.objects.get(pk=twin.pk).merged_into_id is None


def test_only_team_leaders_and_managers_may_unmerge(client, leader, john, twin):
    client.force_login(leader)
    client.post(f"/staff/customers/{john.pk}/merge/{twin.pk}/")
    client.force_login(UserFactory(role="agent"))
    assert client.post(f"/staff/customers/{john.pk}/unmerge/{twin.pk}/").status_code == 403
    assert Customer.objects.get(pk=twin.pk).merged_into_id == john.pk


def test_merging_a_record_into_itself_or_an_unknown_one_is_not_found(client, leader, john):
    client.force_login(leader)
    assert client.get(f"/staff/customers/{john.pk}/merge/{john.pk}/").status_code == 404
    assert client.get(f"/staff/customers/{john.pk}/merge/999999/").status_code == 404


def test_a_team_leader_adds_and_removes_a_warning_marker(client, leader, john):
    client.force_login(leader)
    form = client.get(f"/staff/customers/{john.pk}/warning-markers/")
    check_page(form.content.decode(), title_contains="Warning markers")
    response = client.post(
        f"/staff/customers/{john.pk}/warning-markers/",
        {
            "action": "add",
            "category": "lone_worker_risk",
            "review": "6",
            "description": "Aggressive when visited alone",
        },
    )
    assert response.status_code == 302
    marker = WarningMarker.objects.get(customer=john)
    assert marker.added_by_id == leader.pk and marker.review_at is not None
    assert "Do not visit alone" in page_of(client, john).split("<h1")[0]
    client.post(
        f"/staff/customers/{john.pk}/warning-markers/",
        {"action": "remove", "marker": marker.pk, "reason": "Reviewed: no incidents in a year"},
    )
    marker.refresh_from_db()
    assert marker.removed_at is not None and marker.removed_by_id == leader.pk


def test_a_marker_without_a_description_shows_an_error_linked_to_the_field(client, leader, john):
    client.force_login(leader)
    response = client.post(
        f"/staff/customers/{john.pk}/warning-markers/",
        {"action": "add", "category": "violence", "review": "6", "description": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    check_page(html)
    assert 'href="#description"' in html and "Say what happened" in html
    assert not WarningMarker.objects.filter(customer=john).exists()


@pytest.mark.parametrize("role", ["agent", "case_officer"])
def test_agents_and_case_officers_may_not_keep_warning_markers(client, role, john):
    client.force_login(UserFactory(role=role))
    url = f"/staff/customers/{john.pk}/warning-markers/"
    assert client.get(url).status_code == 403
    assert (
        client.post(
            url, {"action": "add", "category": "violence", "review": "6", "description": "x"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize("role", ["agent", "case_officer", "team_leader", "manager"])
def test_staff_who_serve_customers_may_open_the_customer(client, role, john):
    client.force_login(UserFactory(role=role))
    assert client.get(f"/staff/customers/{john.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["resident", "administrator"])
def test_residents_and_administrators_may_not_open_a_customer(client, role, john):
    client.force_login(UserFactory(role=role))
    assert client.get(f"/staff/customers/{john.pk}/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, john):
    response = client.get(f"/staff/customers/{john.pk}/")
    assert response.status_code == 302 and "/staff/sign-in/" in response["Location"]
    post = client.post(f"/staff/customers/{john.pk}/merge/{john.pk}/")
    assert post.status_code == 302 and "/staff/sign-in/" in post["Location"]


def test_unknown_and_erased_customers_are_not_found(client, agent, john, now):
    client.force_login(agent)
    assert client.get("/staff/customers/999999/").status_code == 404
    erase_customer(customer=john, by=None, now=now, reason="Erasure request")
    assert client.get(f"/staff/customers/{john.pk}/").status_code == 404


def test_a_case_officer_sees_only_the_cases_of_their_teams(client, agent, john, now):
    waste = open_waste_case(by=agent, now=now, customer=john)
    officer = UserFactory(role="case_officer", teams={"revenues-and-benefits": "member"})
    client.force_login(officer)
    html = page_of(client, john)
    assert "Open cases (0)" in text_of(check_page(html))
    assert f">{waste.reference}</a>" not in html
    client.force_login(agent)
    assert f">{waste.reference}</a>" in page_of(client, john)
