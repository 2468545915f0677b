"""Logging a contact in the console: what the agent sees, what is refused, who may do it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from django.test import Client
from django.urls import get_resolver
from freezegun import freeze_time

from frontdoor.catalogue.actions import (
    ArticleContent,
    SignpostDetails,
    add_signpost_organisation,
    create_article,
)
from frontdoor.contacts.models import Contact
from tests.factories import CustomerFactory, EmailAddressFactory, UserFactory
from tests.pagecheck import check_page, text_of

pytestmark = pytest.mark.django_db

NEW = "/staff/contacts/new/"
STEP1 = {"channel": "phone", "when": "now", "service_code": "missed-bin",
         "summary": "Bin not emptied on Church Street"}


@pytest.fixture(autouse=True)
def frozen(now: datetime) -> Iterator[None]:
    # Load the URLconf first: modules it imports build pydantic models from `date`, which
    # freezegun would have replaced.
    get_resolver().url_patterns  # noqa: B018
    with freeze_time(now):  # Monday 5 January 2026, 10:00
        yield


@pytest.fixture
def agent_client(client: Client, council) -> Client:
    client.force_login(UserFactory(role="agent", display_name="Ann Agent"))
    return client


def outcome_url(client: Client, data: dict[str, str] | None = None) -> str:
    response = client.post(NEW, data or STEP1)
    assert response.status_code == 303, response.content.decode()[:2000]
    return str(response["Location"])


def article(now, **changes):
    values = {"service_code": "missed-bin", "title": "Report a missed bin collection",
              "summary": "Check the collection day first.", "body": "Log it.",
              "what_we_need": ("Address, with postcode",),
              "script": "I'm sorry your bin was missed."}
    values.update(changes)
    return create_article(content=ArticleContent(**values), by=None, now=now, published=True)


# ------------------------------------------------------------------------- who may


@pytest.mark.parametrize("method", ["get", "post"])
def test_signed_out_people_are_sent_to_sign_in(client: Client, council, method: str) -> None:
    response = getattr(client, method)(NEW)
    assert response.status_code == 302 and response["Location"].startswith("/staff/sign-in/")
    response = getattr(client, method)("/staff/contacts/new/abc/")
    assert response.status_code == 302
    assert client.get("/staff/contacts/1/result/").status_code == 302


@pytest.mark.parametrize("role", ["resident", "administrator"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_residents_and_administrators_cannot_log_contacts(
    client: Client, council, role: str, method: str
) -> None:
    client.force_login(UserFactory(role=role))
    assert getattr(client, method)(NEW, STEP1 if method == "post" else None).status_code == 403
    assert getattr(client, method)("/staff/contacts/new/abc/").status_code == 403
    assert client.get("/staff/contacts/1/result/").status_code == 403
    assert not Contact.objects.exists()


def test_another_agents_contact_in_progress_and_result_are_not_found(
    agent_client: Client, council, now
) -> None:
    url = outcome_url(agent_client)
    agent_client.post(url, {"outcome": "callback", "callback_note": "Call after 2pm"})
    contact = Contact.objects.get()
    other = Client()
    other.force_login(UserFactory(role="agent"))
    assert other.get(url).status_code == 404
    assert other.post(url, {"outcome": "callback", "callback_note": "x"}).status_code == 404
    assert other.get(f"/staff/contacts/{contact.pk}/result/").status_code == 404


# ------------------------------------------------------------------------- step 1


def test_the_form_starts_on_phone_and_now_with_focus_on_the_first_field(
    agent_client: Client, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(6):
        response = agent_client.get(NEW)
    page = check_page(response.content.decode(), title_contains="Log a contact")
    html = response.content.decode()
    assert re.search(r'<input[^>]*id="channel"[^>]*value="phone"[^>]*checked', html)
    assert re.search(r'<input[^>]*id="channel"[^>]*autofocus', html)
    assert re.search(r'value="now"[^>]*checked', html)
    assert 'value="5"' in html and 'value="2026"' in html and 'value="10:00"' in html
    assert "Report a missed bin collection" in text_of(page)


def test_logging_for_a_known_customer_names_them_and_records_the_read(
    agent_client: Client, council
) -> None:
    rita = CustomerFactory(given_name="Rita", family_name="Reed")
    response = agent_client.get(f"{NEW}?customer={rita.pk}")
    assert "Rita Reed" in text_of(check_page(response.content.decode()))
    from frontdoor.audit.models import AuditEntry

    assert AuditEntry.objects.filter(object_type="customer", object_id=str(rita.pk)).exists()
    assert agent_client.get(f"{NEW}?customer=99999").status_code == 404


def test_missing_answers_are_listed_in_an_error_summary_linked_to_each_field(
    agent_client: Client,
) -> None:
    response = agent_client.post(NEW, {"channel": "phone", "when": "now"})
    html = response.content.decode()
    page = check_page(html)
    assert text_of(page.find(".//{http://www.w3.org/1999/xhtml}title")).startswith("Error: ")
    assert 'href="#service_code"' in html and "Choose the service the customer asked about" in html
    assert 'href="#summary"' in html and "Say what the customer asked about" in html
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("day", "month", "year", "at", "field", "message"),
    [
        ("6", "1", "2026", "09:00", "received_at-day", "cannot be in the future"),
        ("31", "2", "2026", "09:00", "received_at-day", "must be a real date"),
        ("", "", "", "09:00", "received_at-day", "Enter the date the customer contacted us"),
        ("2", "1", "2026", "25:00", "received_time", "Enter a real time"),
        ("30", "3", "2025", "01:30", "received_time", "the clocks went forward"),
        ("26", "10", "2025", "01:30", "received_time", "happened twice"),
    ],
    ids=["future", "not-a-date", "no-date", "not-a-time", "clocks-forward", "clocks-back"],
)
def test_a_back_dated_time_that_cannot_be_right_is_refused_clearly(
    agent_client: Client, day, month, year, at, field, message
) -> None:
    response = agent_client.post(NEW, {**STEP1, "when": "earlier", "received_at-day": day,
                                       "received_at-month": month, "received_at-year": year,
                                       "received_time": at})
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    assert f'href="#{field}"' in html and message in html


def test_a_back_dated_letter_keeps_the_day_it_arrived(agent_client: Client) -> None:
    url = outcome_url(agent_client, {**STEP1, "channel": "letter", "when": "earlier",
                                     "received_at-day": "2", "received_at-month": "1",
                                     "received_at-year": "2026", "received_time": "9am",
                                     "service_code": "fly-tipping"})
    page = agent_client.get(url)
    assert "Letter, 2 January 2026 at 9:00am" in text_of(check_page(page.content.decode()))
    response = agent_client.post(url, {"outcome": "handed_off",
                                       "handed_off_note": "Mattresses in the Holt Road lay-by"})
    assert response.status_code == 303
    contact = Contact.objects.get()
    assert contact.channel == "letter"
    assert contact.received_at.isoformat() == "2026-01-02T09:00:00+00:00"


# ------------------------------------------------------------------------- step 2


def test_the_outcome_step_shows_the_services_articles_in_few_queries(
    agent_client: Client, now, django_assert_max_num_queries
) -> None:
    article(now)
    url = outcome_url(agent_client)
    with django_assert_max_num_queries(9) as first:
        response = agent_client.get(url)
    text = text_of(check_page(response.content.decode(), title_contains="What happened?"))
    assert "Report a missed bin collection" in text and "Address, with postcode" in text
    assert "I'm sorry your bin was missed." in text
    for n in range(5):
        article(now, title=f"Another article {n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        agent_client.get(url)


def test_resolving_from_an_article_records_it_and_says_what_next(agent_client: Client,
                                                                  now) -> None:
    used = article(now)
    url = outcome_url(agent_client)
    response = agent_client.post(url, {"outcome": "resolved", "resolved_note": "Re-booked it",
                                       "knowledge_article": str(used.pk)})
    assert response.status_code == 303
    contact = Contact.objects.get()
    assert contact.outcome == "resolved_first_contact"
    assert contact.knowledge_article_id == str(used.pk)
    result = agent_client.get(response["Location"])
    assert "Contact recorded" in text_of(check_page(result.content.decode()))
    # The back button and a second click do not log it twice.
    assert agent_client.post(url, {"outcome": "resolved", "resolved_note": "x"}).status_code == 303
    assert Contact.objects.count() == 1


def test_an_outcome_without_its_note_is_refused_with_the_field_linked(
    agent_client: Client,
) -> None:
    url = outcome_url(agent_client)
    response = agent_client.post(url, {"outcome": "handed_off", "handed_off_note": ""})
    html = response.content.decode()
    check_page(html)
    assert 'href="#handed_off_note"' in html and "Write a note for the team" in html
    response = agent_client.post(url, {})
    assert 'href="#outcome"' in response.content.decode()
    assert not Contact.objects.exists()


def test_a_hand_off_result_tells_the_agent_the_team_date_and_reference(
    agent_client: Client,
) -> None:
    url = outcome_url(agent_client)
    response = agent_client.post(url, {"outcome": "handed_off",
                                       "handed_off_note": "Whole street missed"})
    result = agent_client.get(response["Location"])
    text = text_of(check_page(result.content.decode(), title_contains="Handed to"))
    assert ("Tell the customer Our Waste and Environmental Services team will contact you by "
            "Tuesday 6 January 2026. Your reference is NN-2026-000001.") in text


def test_a_named_owner_is_read_out_by_name(agent_client: Client) -> None:
    owen = UserFactory(role="case_officer", display_name="Owen Officer",
                       teams={"waste-services": "member"})
    url = outcome_url(agent_client)
    assert "Owen Officer" in agent_client.get(url).content.decode()
    response = agent_client.post(url, {"outcome": "handed_off", "owner": str(owen.pk),
                                       "handed_off_note": "Whole street missed"})
    text = text_of(check_page(agent_client.get(response["Location"]).content.decode()))
    assert "Owen Officer in our Waste and Environmental Services team will contact you" in text


def test_a_callback_result_says_when_we_will_call(agent_client: Client) -> None:
    url = outcome_url(agent_client)
    response = agent_client.post(url, {"outcome": "callback", "callback_note": "After 2pm"})
    text = text_of(check_page(agent_client.get(response["Location"]).content.decode()))
    assert "We will call you back by Tuesday 6 January 2026." in text


def test_signposting_can_send_the_details_to_a_customer_with_an_email(
    agent_client: Client, now
) -> None:
    org = add_signpost_organisation(
        details=SignpostDetails(name="StepChange Debt Charity", help_with="Debt advice.",
                                phone="0800 138 1111", service_codes=("council-tax",)),
        by=None, now=now)
    rita = CustomerFactory(given_name="Rita", family_name="Reed")
    EmailAddressFactory(customer=rita)
    url = outcome_url(agent_client, {**STEP1, "service_code": "council-tax",
                                     "customer": str(rita.pk)})
    html = agent_client.get(url).content.decode()
    assert "Send these details to the customer" in html and "(suggested for this service)" in html
    response = agent_client.post(url, {"outcome": "signposted", "signpost": str(org.pk),
                                       "send_signpost": "yes"})
    text = text_of(check_page(agent_client.get(response["Location"]).content.decode()))
    assert ("StepChange Debt Charity can help you with this: call them on 0800 138 1111. "
            "We have sent you their details too.") in text
