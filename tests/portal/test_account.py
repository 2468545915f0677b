"""My Account: registering, confirming the email, signing in (with lock-out), resetting a
password, and the resident's own details, preferences, consents and subscriptions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client

from frontdoor.accounts.actions import SIGN_IN_MAX_FAILURES, confirm_resident_email
from frontdoor.accounts.models import ResidentAccount, User
from frontdoor.cases.models import Case, CaseType
from frontdoor.cases.portal_access import cases_for_account, change_my_address
from frontdoor.core.errors import Forbidden, InvalidInput
from frontdoor.customers.models import Consent, CustomerEvent, EmailAddress
from frontdoor.customers.self_service import (
    customer_for_account,
    link_account_to_customer,
    set_my_sharing,
)
from frontdoor.notifications.models import Message, Subscription
from tests.cases.factories import open_waste_case
from tests.factories import CustomerFactory, UserFactory
from tests.pagecheck import check_page, text_of
from tests.portal.account_support import (
    PASSWORD,
    clear_throttle,
    latest_link,
    linked_case,
    make_resident,
    path_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    clear_throttle()
    yield
    clear_throttle()


def _register(client: Client, email: str = "sam@example.com", password: str = PASSWORD):
    return client.post("/account/register/", {
        "given_name": "Sam", "family_name": "Smith", "email": email, "password": password})


def _sign_in(client: Client, email: str = "sam@example.com", password: str = PASSWORD):
    return client.post("/account/sign-in/", {"email": email, "password": password})


# ------------------------------------------------------------------- register and confirm


def test_a_resident_registers_confirms_their_email_and_signs_in(client, council):
    response = _register(client)
    assert response.status_code == 302 and response["Location"] == "/account/check-your-email/"
    page = client.get("/account/check-your-email/")
    assert "sam@example.com" in text_of(check_page(page.content.decode()))

    user = User.objects.get(email="sam@example.com")
    assert user.role == "resident" and not user.mfa_required
    assert customer_for_account(user) is None  # nothing is linked before the email is confirmed
    refused = _sign_in(client)
    assert "confirm your email address" in refused.content.decode()

    confirmed = client.get(path_of(latest_link("sam@example.com")))
    assert confirmed.status_code == 200
    assert "Email address confirmed" in text_of(check_page(confirmed.content.decode()))
    customer = customer_for_account(user)
    assert customer is not None and customer.display_name == "Sam Smith"
    assert EmailAddress.objects.get(customer=customer).verified_at is not None

    signed_in = _sign_in(client, email="SAM@example.com ")
    assert signed_in.status_code == 302 and signed_in["Location"] == "/account/"
    home = client.get("/account/")
    assert "Sam Smith" in text_of(check_page(home.content.decode()))


def test_registering_shows_every_problem_with_links_to_the_fields(client, council):
    response = client.post("/account/register/", {"given_name": "", "family_name": "",
                                                  "email": "not-an-email", "password": "password1"})
    assert response.status_code == 400
    page = check_page(response.content.decode())
    assert text_of(page.find(".//{http://www.w3.org/1999/xhtml}title")).startswith("Error: ")
    html = response.content.decode()
    for field in ("given_name", "family_name", "email", "password"):
        assert f'href="#{field}"' in html
    assert "too short" in html or "at least 10" in html
    assert not User.objects.filter(role="resident").exists()


def test_a_common_password_is_refused_but_no_composition_rules_apply(client, council):
    assert _register(client, password="password123").status_code == 400  # too common
    assert _register(client, password="correcthorsebatterystaple").status_code == 302


def test_registering_an_address_that_has_an_account_says_nothing_new(client, council, now):
    make_resident(now=now, email="taken@example.com")
    before = User.objects.count()
    response = _register(client, email="taken@example.com", password="another long password")
    assert response.status_code == 302  # the same "check your email" as anyone
    assert User.objects.count() == before
    # Its owner is told instead (a sign-in link), and the password did not change.
    assert latest_link("taken@example.com").endswith("/account/sign-in/")
    assert User.objects.get(email="taken@example.com").check_password(PASSWORD)


def test_a_tampered_or_expired_confirmation_link_is_refused(client, council, now):
    user = make_resident(now=now, email="late@example.com", confirmed=False)
    link = path_of(latest_link("late@example.com"))
    token = link.rstrip("/").rsplit("/", 1)[-1]
    tampered = client.get(link.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB")))
    assert tampered.status_code == 400
    with pytest.raises(InvalidInput, match="expired"):
        confirm_resident_email(token=token, now=now + timedelta(hours=25))
    assert not ResidentAccount.objects.get(user=user).is_verified


def test_an_unconfirmed_account_sees_no_cases_and_has_no_customer(council, now):
    user = make_resident(now=now, email="unconfirmed@example.com", confirmed=False)
    officer = UserFactory(role="case_officer", teams={"waste-services": "member"})
    case = open_waste_case(by=officer, now=now)
    Case.objects.filter(pk=case.pk).update(account=user)  # even a case made through it
    assert list(cases_for_account(user)) == []
    assert customer_for_account(user) is None


# ------------------------------------------------------------------------ sign in, lock-out


def test_sign_in_locks_after_repeated_failures_with_a_clear_message(client, council, now):
    make_resident(now=now, email="sam@example.com")
    for _ in range(SIGN_IN_MAX_FAILURES - 1):
        response = _sign_in(client, password="wrong password here")
        assert "Enter a correct email address and password" in response.content.decode()
    locked = _sign_in(client, password="wrong password here")
    assert "locked for 15 minutes" in locked.content.decode()
    # Now even the right password is refused until the lock-out ends.
    still = _sign_in(client)
    assert still.status_code == 400 and "locked" in still.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_addresses_count_towards_the_lock_out_too(client, council):
    for _ in range(SIGN_IN_MAX_FAILURES):
        response = _sign_in(client, email="nobody@example.com")
    assert "locked" in response.content.decode()


def test_staff_cannot_sign_in_to_my_account(client, council):
    UserFactory(email="ann@north-norfolk.gov.uk", role="agent", password=PASSWORD)
    response = _sign_in(client, email="ann@north-norfolk.gov.uk")
    assert response.status_code == 400
    assert "Enter a correct email address and password" in response.content.decode()


def test_sign_out_is_a_post_and_ends_the_session(client, council, now):
    user = make_resident(now=now)
    client.force_login(user)
    assert client.get("/account/sign-out/").status_code == 405
    assert client.post("/account/sign-out/").status_code == 302
    assert client.get("/account/")["Location"].startswith("/account/sign-in/")


def test_sign_in_never_redirects_to_another_site(client, council, now):
    make_resident(now=now)
    response = client.post("/account/sign-in/?next=https://evil.example/", {
        "email": "rita.resident@example.com", "password": PASSWORD})
    assert response["Location"] == "/account/"


# -------------------------------------------------------------------------- password reset


def test_password_reset_by_email_works_once(client, council, now):
    make_resident(now=now, email="forgetful@example.com")
    assert client.post("/account/forgot-password/",
                       {"email": "forgetful@example.com"}).status_code == 302
    link = path_of(latest_link("forgetful@example.com", event="password_reset"))
    assert client.get(link).status_code == 200
    weak = client.post(link, {"password": "short"})
    assert weak.status_code == 400 and 'href="#password"' in weak.content.decode()
    done = client.post(link, {"password": "a brand new long passphrase"})
    assert "Your password has been changed" in done.content.decode()
    assert client.get(link).status_code == 400  # used: the link no longer works
    signed_in = _sign_in(client, "forgetful@example.com", "a brand new long passphrase")
    assert signed_in.status_code == 302


def test_password_reset_for_an_unknown_address_sends_nothing(client, council):
    assert client.post("/account/forgot-password/",
                       {"email": "stranger@example.com"}).status_code == 302
    assert not Message.objects.filter(event="password_reset").exists()


# --------------------------------------------------------------------------- staff linking


def test_staff_link_an_account_to_an_existing_customer_after_an_identity_check(council, now):
    user = make_resident(now=now)
    agent = UserFactory(role="agent")
    existing = CustomerFactory(given_name="Rita", family_name="Resident")
    with pytest.raises(InvalidInput):
        link_account_to_customer(account=user, customer=existing, identity_check=" ", by=agent,
                                 now=now)
    link_account_to_customer(account=user, customer=existing,
                             identity_check="Council Tax bill and photo ID", by=agent, now=now)
    assert customer_for_account(user) == existing
    event = CustomerEvent.objects.get(customer=existing, action="account_linked")
    assert event.by == agent and "Council Tax bill" in event.summary


def test_a_resident_cannot_use_the_staff_link_action(council, now):
    user = make_resident(now=now)
    with pytest.raises(Forbidden, match=r"does not allow customer\.update"):
        link_account_to_customer(account=user, customer=CustomerFactory(),
                                 identity_check="I say so", by=user, now=now)


# ---------------------------------------------------------------- profile and preferences


def _signed_in(client: Client, now) -> User:
    user = make_resident(now=now)
    client.force_login(user)
    return user


def test_details_and_phone_are_saved_with_an_event(client, council, now):
    user = _signed_in(client, now)
    bad = client.post("/account/profile/details/", {"given_name": "Rita", "family_name": "",
                                                     "phone": "12"})
    assert bad.status_code == 400
    ok = client.post("/account/profile/details/", {"given_name": "Rita", "family_name": "Jones",
                                                    "phone": "07912 345678"})
    assert ok.status_code == 302
    customer = customer_for_account(user)
    assert customer.family_name == "Jones"
    assert customer.phones.get(is_primary=True).e164 == "+447912345678"
    assert CustomerEvent.objects.filter(customer=customer, by=user, action="updated").exists()
    page = client.get("/account/profile/")
    assert "Rita Jones" in text_of(check_page(page.content.decode()))


def test_an_address_needs_a_real_postcode(client, council, now):
    _signed_in(client, now)
    bad = client.post("/account/profile/address/", {"line1": "1 High Street", "town": "Cromer",
                                                     "postcode": "NOT A POSTCODE"})
    assert bad.status_code == 400 and 'href="#postcode"' in bad.content.decode()


def test_preferences_and_formats_are_saved(client, council, now):
    user = _signed_in(client, now)
    response = client.post("/account/preferences/", {
        "preferred_channel": "letter", "preferred_language": "cy",
        "alternative_formats": ["large_print", "braille", "easy_read", "audio"]})
    assert response.status_code == 302
    customer = customer_for_account(user)
    assert customer.preferred_channel == "letter" and customer.preferred_language == "cy"
    assert set(customer.alternative_formats) == {"large_print", "braille", "easy_read", "audio"}
    assert CustomerEvent.objects.filter(customer=customer, by=user,
                                        summary__contains="alternative_formats").exists()
    refused = client.post("/account/preferences/", {"preferred_channel": "pigeon",
                                                    "preferred_language": "en"})
    assert refused.status_code == 400 and 'href="#preferred_channel"' in refused.content.decode()


def test_consents_are_recorded_and_withdrawn_with_events(client, council, now):
    user = _signed_in(client, now)
    client.post("/account/sharing/", {"share": "yes",
                                      "tell_us_once": ["council-tax", "electoral-registration"]})
    customer = customer_for_account(user)
    active = Consent.objects.filter(customer=customer, withdrawn_at__isnull=True)
    assert {c.purpose for c in active} == {"share_between_services", "tell_us_once"}
    client.post("/account/sharing/", {"share": "no", "tell_us_once": ["council-tax"]})
    active = Consent.objects.filter(customer=customer, withdrawn_at__isnull=True)
    assert [(c.purpose, c.services) for c in active] == [("tell_us_once", ["council-tax"])]
    assert CustomerEvent.objects.filter(customer=customer, action="consent_withdrawn").count() == 2
    assert client.post("/account/sharing/", {"share": "no", "tell_us_once": ["made-up"]}
                       ).status_code == 400


def test_tell_us_once_opens_internal_cases_only_for_the_chosen_services(council, now):
    user = make_resident(now=now)
    set_my_sharing(account=user, share_between_services=False,
                   tell_us_once_services=["council-tax", "housing-benefit",
                                          "electoral-registration"], now=now)
    change = change_my_address(account=user, line1="4 Church Street", line2="", town="Cromer",
                               postcode="nr27 9es", now=now)
    assert change.address.postcode == "NR27 9ES"
    # council tax and housing benefit are one team: one case each for two teams.
    teams = sorted(c.team_code for c in change.told)
    assert teams == ["electoral-services", "revenues-and-benefits"]
    for case in change.told:
        assert case.case_type == CaseType.ENQUIRY
        assert case.title == "Change of address (tell us once)"
        assert "4 Church Street" in case.description
        assert case.account_id is None  # the council's own work, not the resident's request
    assert Case.objects.filter(title="Change of address (tell us once)").count() == 2
    assert not Message.objects.filter(subject_id__in=[c.reference for c in change.told]).exists()


def test_without_tell_us_once_an_address_change_tells_nobody(client, council, now):
    _signed_in(client, now)
    response = client.post("/account/profile/address/", {"line1": "4 Church Street",
                                                          "town": "Cromer", "postcode": "NR27 9ES"})
    assert response.status_code == 302
    assert not Case.objects.exists()


def test_subscriptions_are_made_and_stopped_through_the_outbox_actions(client, council, now):
    user = _signed_in(client, now)
    page = client.get("/account/subscriptions/")
    assert "Flood warnings" in text_of(check_page(page.content.decode()))
    client.post("/account/subscriptions/", {"topics": ["flood-warnings", "council-meetings"]})
    customer = customer_for_account(user)
    active = Subscription.objects.filter(customer_id=customer.pk, unsubscribed_at__isnull=True)
    assert {s.topic.code for s in active} == {"flood-warnings", "council-meetings"}
    client.post("/account/subscriptions/", {"topics": ["council-meetings"]})
    active = Subscription.objects.filter(customer_id=customer.pk, unsubscribed_at__isnull=True)
    assert [s.topic.code for s in active] == ["council-meetings"]
    changes = CustomerEvent.objects.filter(customer=customer, action="subscriptions_changed")
    assert changes.count() == 2


def test_the_unsubscribe_link_asks_first_then_stops_the_emails(client, council, now):
    user = _signed_in(client, now)
    client.post("/account/subscriptions/", {"topics": ["consultations"]})
    client.logout()
    subscription = Subscription.objects.get(customer_id=customer_for_account(user).pk)
    url = f"/subscriptions/unsubscribe/{subscription.unsubscribe_token}/"
    check_page(client.get(url).content.decode())
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None  # a mail scanner following the link changes nothing
    done = client.post(url)
    assert "Consultations" in text_of(check_page(done.content.decode()))
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert client.post("/subscriptions/unsubscribe/not-a-real-token/").status_code == 404


# ----------------------------------------------------------------- pages and permissions

SIGNED_IN_PAGES = ["/account/", "/account/requests/", "/account/profile/",
                   "/account/profile/details/", "/account/profile/address/",
                   "/account/preferences/", "/account/sharing/", "/account/subscriptions/"]
PUBLIC_PAGES = ["/account/register/", "/account/sign-in/", "/account/forgot-password/",
                "/account/check-your-email/", "/account/signed-out/",
                "/account/forgot-password/sent/"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_account_pages_are_valid(client, council, url):
    response = client.get(url)
    assert response.status_code == 200
    check_page(response.content.decode())


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_account_pages_are_valid_for_a_resident(client, council, now, url):
    _signed_in(client, now)
    response = client.get(url)
    assert response.status_code == 200
    check_page(response.content.decode())


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_signed_out_people_are_sent_to_sign_in(client, council, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/?next=")


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_staff_and_unconfirmed_residents_are_refused(client, council, now, url):
    client.force_login(UserFactory(role="agent"))
    assert client.get(url).status_code == 403
    client.force_login(make_resident(now=now, email="new@example.com", confirmed=False))
    assert client.get(url).status_code == 403


def test_the_navigation_offers_sign_in_or_your_account(client, council, now):
    assert "Sign in" in text_of(check_page(client.get("/").content.decode()))
    _signed_in(client, now)
    assert "Your account" in text_of(check_page(client.get("/").content.decode()))


def test_the_language_switcher_shows_welsh(client, council):
    response = client.get("/language/cy/?next=/account/sign-in/")
    assert response.status_code == 302 and response["Location"] == "/account/sign-in/"
    page = client.get("/account/sign-in/")
    html = page.content.decode()
    check_page(html)
    assert '<html lang="cy"' in html
    assert "Mewngofnodi i'ch cyfrif" in html or "Mewngofnodi i&#39;ch cyfrif" in html
    assert "Datganiad hygyrchedd" in html  # the footer
    assert client.get("/language/fr/").status_code == 404
    assert client.get("/language/en-gb/?next=https://evil.example/")["Location"] == "/"


def test_query_counts_do_not_grow_with_the_number_of_requests(
    client, council, now, django_assert_max_num_queries
):
    user = _signed_in(client, now)
    officer = UserFactory(role="case_officer", teams={"waste-services": "member"})
    linked_case(resident=user, by=officer, now=now)
    with django_assert_max_num_queries(12) as one:
        client.get("/account/requests/")
    for _ in range(8):
        linked_case(resident=user, by=officer, now=now)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/account/requests/")
    assert response.content.decode().count("NN-2026-") >= 9
