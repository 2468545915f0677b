"""Assisted digital: staff complete an online form with a customer and offer My Account."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from django.test import Client
from django.urls import get_resolver
from freezegun import freeze_time

from frontdoor.audit.models import AuditEntry
from frontdoor.cases.assisted_digital import (
    invitation_token,
    invite_customer_to_my_account,
    submit_form_for_customer,
)
from frontdoor.cases.models import Case, EventKind
from frontdoor.contacts.models import Contact
from frontdoor.core.errors import Forbidden, InvalidInput
from frontdoor.customers.models import CustomerEvent
from frontdoor.notifications.models import Message
from tests.factories import CustomerFactory, EmailAddressFactory, UserFactory
from tests.pagecheck import check_page, text_of

pytestmark = pytest.mark.django_db

ANSWERS = {"address": {"line1": "1 Church Street", "line2": "", "town": "Cromer",
                       "postcode": "NR27 9ES", "uprn": ""},
           "bin_type": "recycling", "collection_date": "2026-01-02", "put_out": "yes"}
PAGES = {
    "address": {"address-line1": "1 Church Street", "address-town": "Cromer",
                "address-postcode": "nr27 9es"},
    "bin": {"bin_type": "recycling"},
    "day": {"collection_date-day": "2", "collection_date-month": "1",
            "collection_date-year": "2026", "put_out": "yes"},
}


@pytest.fixture(autouse=True)
def frozen(now: datetime) -> Iterator[None]:
    get_resolver().url_patterns  # noqa: B018  (build the URLconf before freezegun)
    with freeze_time(now):
        yield


@pytest.fixture
def customer():
    return EmailAddressFactory(address="maggie@example.com").customer


@pytest.fixture
def agent(council):
    return UserFactory(role="agent", display_name="Ann Agent")


@pytest.fixture
def agent_client(client: Client, agent) -> Client:
    client.force_login(agent)
    return client


def base(customer) -> str:
    return f"/staff/customers/{customer.pk}/forms/"


def walk(client: Client, customer, *, channel: str = "phone") -> str:
    """Answer every page of the missed-bin form; returns the check page's URL."""
    form = f"{base(customer)}missed-bin/missed-bin/"
    response = client.post(form, {"channel": channel})
    assert response["Location"] == f"{form}address/"
    for page, data in PAGES.items():
        response = client.post(f"{form}{page}/", data)
        assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == f"{form}check/"
    return f"{form}check/"


# ---------------------------------------------------------------------------- who may


def urls(customer) -> list[str]:
    form = f"{base(customer)}missed-bin/missed-bin/"
    return [base(customer), form, f"{form}address/", f"{form}check/",
            f"{form}confirmation/", "/staff/customers/new-caller/"]


def test_signed_out_people_are_sent_to_sign_in(client: Client, council, customer) -> None:
    for url in [*urls(customer), f"/staff/customers/{customer.pk}/invite-to-my-account/"]:
        response = client.get(url) if "invite" not in url else client.post(url)
        assert response.status_code == 302 and "/staff/sign-in/" in response["Location"], url


@pytest.mark.parametrize("role", ["resident", "administrator", "api_client"])
def test_residents_and_administrators_get_403(client: Client, council, customer,
                                              role: str) -> None:
    client.force_login(UserFactory(role=role))
    for url in urls(customer):
        assert client.get(url).status_code == 403, url
    invite = f"/staff/customers/{customer.pk}/invite-to-my-account/"
    assert client.post(invite).status_code == 403
    assert not Message.objects.exists()


@pytest.mark.parametrize("role", ["agent", "case_officer", "team_leader", "manager"])
def test_front_and_back_office_staff_can_complete_a_form(client: Client, council, customer,
                                                         role: str) -> None:
    client.force_login(UserFactory(role=role))
    response = client.get(base(customer))
    assert response.status_code == 200
    assert "Report a missed bin collection" in response.content.decode()
    client.post(walk(client, customer))
    assert Case.objects.get().parties.get().customer == customer


def test_an_unknown_customer_or_form_is_404(agent_client: Client, customer) -> None:
    assert agent_client.get("/staff/customers/999999/forms/").status_code == 404
    assert agent_client.get(f"{base(customer)}missed-bin/nope/").status_code == 404
    assert agent_client.get(f"{base(customer)}missed-bin/missed-bin/nope/").status_code == 404


# ---------------------------------------------------------------------------- the journey


def test_the_case_is_for_the_customer_recorded_as_assisted_on_their_channel(
        agent_client: Client, agent, customer) -> None:
    check = walk(agent_client, customer, channel="phone")
    page = agent_client.get(check).content.decode()
    document = check_page(page)
    assert "Phone" in page and "1 Church Street" in page and "Recycling" in page
    response = agent_client.post(check)
    assert response.status_code == 302 and response["Location"].endswith("/confirmation/")

    case = Case.objects.get()
    assert case.parties.get().customer == customer
    assert case.channel == "phone" and case.account is None
    assert case.form_answers["bin_type"] == "recycling"
    assert case.promised_at is not None
    marker = case.events.get(kind=EventKind.OPENED)
    assert marker.data["assisted_by"] == agent.pk and marker.by == agent
    contact = Contact.objects.get()
    assert (contact.channel, contact.customer, contact.handled_by) == ("phone", customer, agent)
    assert "Completed with the customer by Ann Agent" in contact.summary

    document = check_page(agent_client.get(response["Location"]).content.decode())
    read_out = text_of(document.find(".//*[@id='read-out']"))
    assert case.reference in read_out and "Waste" in read_out
    # North Norfolk promises a call back by the end of the next working day (Tuesday).
    assert "We will reply by Tuesday 6 January 2026" in read_out
    assert "Invite them to My Account" in text_of(document)


def test_validation_errors_show_on_the_staff_page(agent_client: Client, customer) -> None:
    form = f"{base(customer)}missed-bin/missed-bin/"
    page = agent_client.post(form, {})
    assert page.status_code == 200
    assert check_page(page.content.decode()).find(".//*[@class='govuk-error-summary']") is not None
    agent_client.post(form, {"channel": "phone"})
    response = agent_client.post(f"{form}bin/", {})
    html = response.content.decode()
    document = check_page(html)
    assert text_of(document.find(".//{*}title")).startswith("Error: ")
    assert "Staff console" in html and "govuk-error-summary" in html
    assert 'href="#bin_type"' in html
    assert not Case.objects.exists()


def test_a_second_send_makes_no_second_case(agent_client: Client, customer) -> None:
    check = walk(agent_client, customer)
    first = agent_client.post(check)
    second = agent_client.post(check)  # a refresh of the sent form
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Case.objects.count() == 1 and Contact.objects.count() == 1


def test_the_action_is_idempotent_and_refuses_what_it_cannot_record(agent, customer,
                                                                      now) -> None:
    made = [submit_form_for_customer(customer=customer, service_code="missed-bin",
                                     form_code="missed-bin", answers=ANSWERS, channel="phone",
                                     by=agent, now=now, idempotency_key="k1")
            for _ in range(2)]
    assert made[0].pk == made[1].pk and Case.objects.count() == 1
    face_to_face = submit_form_for_customer(
        customer=customer, service_code="missed-bin", form_code="missed-bin", answers=ANSWERS,
        channel="face_to_face", by=agent, now=now, idempotency_key="k5")
    assert face_to_face.channel == "face_to_face" and Case.objects.count() == 2
    with pytest.raises(InvalidInput):
        submit_form_for_customer(customer=customer, service_code="missed-bin",
                                 form_code="missed-bin", answers=ANSWERS, channel="web_form",
                                 by=agent, now=now, idempotency_key="k2")
    with pytest.raises(InvalidInput):
        submit_form_for_customer(customer=customer, service_code="missed-bin",
                                 form_code="missed-bin", answers={"bin_type": "food"},
                                 channel="phone", by=agent, now=now, idempotency_key="k3")
    with pytest.raises(Forbidden):
        submit_form_for_customer(customer=customer, service_code="missed-bin",
                                 form_code="missed-bin", answers=ANSWERS, channel="phone",
                                 by=UserFactory(role="administrator"), now=now,
                                 idempotency_key="k4")
    assert Case.objects.count() == 2


def test_pages_pass_the_page_check(agent_client: Client, customer) -> None:
    plain = [base(customer), f"{base(customer)}missed-bin/missed-bin/",
             "/staff/customers/new-caller/", f"/staff/customers/{customer.pk}/"]
    check = walk(agent_client, customer)
    journey = [f"{check[:-len('check/')]}{page}/" for page in PAGES] + [check]
    for url in [*plain, *journey]:
        response = agent_client.get(url)
        assert response.status_code == 200, url
        check_page(response.content.decode())
    confirmation = agent_client.post(check)["Location"]
    check_page(agent_client.get(confirmation).content.decode(), title_contains="Request sent")


def test_a_new_caller_gets_a_record_then_chooses_the_form(agent_client: Client) -> None:
    response = agent_client.post("/staff/customers/new-caller/",
                                 {"given_name": "Maggie", "family_name": "Smith",
                                  "email": "not-an-email"})
    assert response.status_code == 200 and "#email" in response.content.decode()
    response = agent_client.post("/staff/customers/new-caller/",
                                 {"given_name": "Maggie", "family_name": "Smith",
                                  "email": "maggie@example.com"})
    assert response.status_code == 302 and response["Location"].endswith("/forms/")


# ---------------------------------------------------------------------------- My Account


def test_the_invitation_is_queued_once_and_recorded(agent_client: Client, customer) -> None:
    invite = f"/staff/customers/{customer.pk}/invite-to-my-account/"
    customer_page = f"/staff/customers/{customer.pk}/"
    before = agent_client.get(customer_page).content.decode()
    invite_form = before[before.index('id="my-account"'):]
    assert "Invite them to My Account" in invite_form
    assert 'name="csrfmiddlewaretoken"' in invite_form  # the button's form can be sent
    for _ in range(2):
        response = agent_client.post(invite, {"next": customer_page})
        assert response.status_code == 302 and response["Location"].startswith(customer_page)
    message = Message.objects.get(event="account_invitation")
    assert message.recipient["email"] == "maggie@example.com"
    assert "/account/register/?invitation=" in message.body
    assert "We have filled in your email address" in message.body
    assert CustomerEvent.objects.filter(customer=customer, action="account_invited").count() == 1
    assert AuditEntry.objects.filter(action="customer.account_invited").count() == 1
    page = agent_client.get(customer_page).content.decode()
    assert "Invited to set up My Account" in page and "Invite them to My Account" not in page


def test_no_invitation_without_an_email_or_with_an_account(agent, council, now) -> None:
    nobody = CustomerFactory()
    with pytest.raises(InvalidInput):
        invite_customer_to_my_account(customer=nobody, sign_up_url=str, by=agent, now=now)
    UserFactory(role="resident", email="taken@example.com")
    taken = EmailAddressFactory(address="taken@example.com").customer
    with pytest.raises(InvalidInput):
        invite_customer_to_my_account(customer=taken, sign_up_url=str, by=agent, now=now)
    assert not Message.objects.exists()


def test_the_register_page_fills_in_the_invited_email(client: Client, council, now) -> None:
    token = invitation_token(email="maggie@example.com", now=now)
    page = client.get(f"/account/register/?invitation={token}").content.decode()
    assert 'value="maggie@example.com"' in page
    forged = client.get("/account/register/?invitation=maggie@example.com").content.decode()
    assert "maggie@example.com" not in forged
