"""Every page of the staff console and the resident portal, scanned with axe-core (WCAG 2.2
A/AA) in a real browser, with the error states of the main forms (PostgreSQL, Playwright).

The URL patterns come from the resolver: a new `console:` or `portal:` pattern that this
sweep does not know how to fill in makes it fail, so every future page is scanned too.
POST-only endpoints (405 on GET) and file downloads are listed in the output, not scanned.
One browser context per role: a guest, a signed-in resident, a member of staff.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from frontdoor.accounts.actions import email_confirmation_token, request_password_reset
from frontdoor.appointments.actions import BookingDetails, book_appointment
from frontdoor.appointments.queries import available_slots, places_for
from frontdoor.cases.actions import (
    CaseLocation,
    add_customer_update,
    add_internal_note,
    resolve_case,
)
from frontdoor.cases.models import Attachment
from frontdoor.cases.portal_access import add_information
from frontdoor.cases.web_forms import save_form_draft
from frontdoor.catalogue.models import KnowledgeArticle
from frontdoor.catalogue.seed import seed_knowledge
from frontdoor.customers.actions import create_customer
from frontdoor.customers.self_service import customer_for_account, set_my_subscriptions
from frontdoor.feedback.actions import PersonDetails, give_feedback, invite_to_survey
from frontdoor.notifications.models import Message, Subscription
from tests.axe import assert_accessible
from tests.factories import UserFactory
from tests.portal.account_support import (
    PASSWORD,
    clear_throttle,
    latest_link,
    linked_case,
    make_resident,
    path_of,
)
from tests.portal.form_helpers import small_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_PASSWORD = "correct horse 42"
CROMER = (52.9312, 1.3011)  # behind Cromer library: the fly-tipping walk reports near here


# ------------------------------------------------------------------------------ the world


@dataclass
class World:
    """Everything the pages need, made through the real actions."""

    case: Any
    resolved: Any
    complaint: Any
    attachment_id: int
    message_id: int
    customer_id: int
    other_customer_id: int
    article_id: int
    appointment_ref: str
    manage_token: str
    survey_token: str
    guest_complaint_token: str
    confirm_token: str
    unsubscribe_token: str
    resume_token: str
    # found while walking journeys in the browser
    found: dict[str, str] = field(default_factory=dict)


def build_world(tmp_path: Any) -> World:
    now = timezone.now()
    UserFactory(email="maya@north-norfolk.gov.uk", display_name="Maya Manager", role="manager",
                password=STAFF_PASSWORD,
                teams={"waste-services": "leader", "complaints": "leader"})
    officer = UserFactory(role="case_officer", display_name="Owen Officer",
                          teams={"waste-services": "member", "complaints": "member"})
    rita = make_resident(now=now)
    make_resident(now=now, email="una@example.com", given="Una", confirmed=False)
    una = type(rita).objects.get(email="una@example.com")
    customer = customer_for_account(rita)
    other = create_customer(kind="person", given_name="Rita", family_name="Resident",
                            phones=["07400 123456"], by=None, now=now)

    case = linked_case(resident=rita, by=officer, now=now, channel="phone",
                       location=CaseLocation(latitude=CROMER[0], longitude=CROMER[1],
                                             address="Canadas Lane, Cromer"))
    add_internal_note(case=case, text="Crew booked for Tuesday", by=officer, now=now)
    add_customer_update(case=case, text="A crew will clear it on Tuesday.", by=officer, now=now)
    add_information(case=case, text="Here is a photo.", files=[("tip.jpg", small_jpeg())],
                    account_or_token=rita, now=now)
    case.refresh_from_db()

    resolved = linked_case(resident=rita, by=officer, now=now, service_code="missed-bin")
    resolve_case(case=resolved, outcome="done", note="Emptied", by=officer, now=now,
                 expected_version=resolved.version)
    invite_to_survey(case=resolved, now=now)

    complaint = give_feedback(kind="complaint", service_code="missed-bin",
                              what_happened="Missed three weeks running.", account=rita,
                              details=PersonDetails(), now=now, idempotency_key="rita").case
    guest = give_feedback(kind="complaint", service_code="missed-bin",
                          what_happened="Missed again.", account=None,
                          details=PersonDetails(name="Gail Guest", email="gail@example.com"),
                          now=now, idempotency_key="gail")
    for answered in (complaint, guest.case):
        answered.refresh_from_db()
        resolve_case(case=answered, outcome="not_upheld", note="Collected on time",
                     by=officer, now=now, expected_version=answered.version)

    place = places_for("housing-benefit")[0]
    slots = available_slots(place=place, now=now)
    booked = [book_appointment(service_code="housing-benefit", place_key=place.key,
                               starts_at=slot.starts_at, account=account,
                               details=BookingDetails(name="Rita Resident",
                                                      email="rita.resident@example.com"),
                               manage_url=lambda token: f"http://testserver/{token}/",
                               now=now, idempotency_key=key)
              for slot, account, key in ((slots[0], rita, "mine"), (slots[1], None, "link"))]

    set_my_subscriptions(account=rita, topic_codes=["bin-collection-changes"], now=now)
    save_form_draft(token="resume-" + "r" * 30, service_code="missed-bin",
                    form_code="missed-bin", email="rita.resident@example.com", name="Rita",
                    answers={}, now=now)
    seed_knowledge(now=now)
    survey = Message.objects.get(event="survey_invitation").body
    return World(
        case=case, resolved=resolved, complaint=complaint,
        attachment_id=Attachment.objects.get(case=case).pk,
        message_id=Message.objects.filter(subject_id=case.reference).latest("pk").pk,
        customer_id=customer.pk, other_customer_id=other.pk,
        article_id=KnowledgeArticle.objects.order_by("pk").first().pk,
        appointment_ref=booked[0].appointment.reference, manage_token=booked[1].token,
        survey_token=re.search(r"/survey/([A-Za-z0-9_-]+)/", survey).group(1),
        guest_complaint_token=guest.tracking_token,
        confirm_token=email_confirmation_token(user=una, now=now),
        unsubscribe_token=Subscription.objects.filter(unsubscribed_at__isnull=True).first().unsubscribe_token,
        resume_token="resume-" + "r" * 30,
    )


# ------------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Visit:
    """How to reach one URL pattern: who, where, and what to expect."""

    role: str  # "guest", "resident" or "staff"
    url: Callable[[World], str]
    kind: str = "page"  # "page", "redirect" (lands elsewhere), "download", "walked"
    empty_submit: str = ""  # a button that, pressed with nothing filled in, shows errors


def at(path: str) -> Callable[[World], str]:
    return lambda _w: path


def ref(name: str, **args: Callable[[World], Any]) -> Callable[[World], str]:
    return lambda w: reverse(name, kwargs={k: v(w) for k, v in args.items()})


def case_ref(w: World) -> str:
    return w.case.reference


CONSOLE: dict[str, Visit] = {
    "home": Visit("staff", at("/staff/")),
    "sign-in": Visit("guest", at("/staff/sign-in/"), empty_submit="Sign in"),
    "sign-out": Visit("staff", at("/staff/sign-out/")),
    "queues": Visit("staff", at("/staff/queues/")),
    "queue": Visit("staff", at("/staff/queues/waste-services/"),
                   empty_submit="Assign selected cases"),
    "queue-assign": Visit("staff", at("/staff/queues/waste-services/assign/")),
    "my-cases": Visit("staff", at("/staff/my-cases/")),
    "case": Visit("staff", ref("console:case", reference=case_ref), empty_submit="Add note"),
    "case-file": Visit("staff", ref("console:case-file", reference=case_ref,
                                    attachment_id=lambda w: w.attachment_id), kind="download"),
    "case-message-resend": Visit("staff", ref("console:case-message-resend",
                                              reference=case_ref,
                                              message_id=lambda w: w.message_id)),
    "case-message-abandon": Visit("staff", ref("console:case-message-abandon",
                                               reference=case_ref,
                                               message_id=lambda w: w.message_id)),
    "case-change": Visit("staff", ref("console:case-change", reference=case_ref,
                                      change=lambda w: "note")),
    "customer-search": Visit("staff", at("/staff/customers/?q=Rita+Resident")),
    "customer": Visit("staff", ref("console:customer", customer_id=lambda w: w.customer_id)),
    "customer-merge": Visit("staff", ref("console:customer-merge",
                                         customer_id=lambda w: w.customer_id,
                                         other_id=lambda w: w.other_customer_id)),
    "customer-unmerge": Visit("staff", ref("console:customer-unmerge",
                                           customer_id=lambda w: w.customer_id,
                                           other_id=lambda w: w.other_customer_id)),
    "customer-markers": Visit("staff", ref("console:customer-markers",
                                           customer_id=lambda w: w.customer_id),
                              empty_submit="Add warning marker"),
    "log-contact": Visit("staff", at("/staff/contacts/new/"), kind="walked"),
    "contact-outcome": Visit("staff", at(""), kind="walked"),
    "contact-result": Visit("staff", at(""), kind="walked"),
    "knowledge": Visit("staff", at("/staff/knowledge/?q=council+tax")),
    "knowledge-new": Visit("staff", at("/staff/knowledge/new/"), empty_submit="Save"),
    "knowledge-article": Visit("staff", ref("console:knowledge-article",
                                            article_id=lambda w: w.article_id)),
    "knowledge-edit": Visit("staff", ref("console:knowledge-edit",
                                         article_id=lambda w: w.article_id)),
    "knowledge-publish": Visit("staff", ref("console:knowledge-publish",
                                            article_id=lambda w: w.article_id)),
    "knowledge-history": Visit("staff", ref("console:knowledge-history",
                                            article_id=lambda w: w.article_id)),
    "signposting": Visit("staff", at("/staff/signposting/?q=debt")),
    # assisted digital: staff complete an online form with the customer
    "assisted-new-caller": Visit("staff", at("/staff/customers/new-caller/"),
                                 empty_submit="Continue"),
    "assisted-forms": Visit("staff", lambda w: f"/staff/customers/{w.customer_id}/forms/"),
    "assisted-invite": Visit("staff", lambda w:
                             f"/staff/customers/{w.customer_id}/invite-to-my-account/"),
    "assisted-start": Visit("staff", at(""), kind="walked"),
    "assisted-page": Visit("staff", at(""), kind="walked"),
    "assisted-check": Visit("staff", at(""), kind="walked"),
    "assisted-confirmation": Visit("staff", at(""), kind="walked"),
}


def resident_case(name: str, **more: Callable[[World], Any]) -> Visit:
    return Visit("resident", ref(f"portal:{name}", reference=case_ref, **more))


PORTAL: dict[str, Visit] = {
    "home": Visit("guest", at("/")),
    "services": Visit("guest", at("/services/")),
    "accessibility": Visit("guest", at("/accessibility/")),
    "privacy": Visit("guest", at("/privacy/")),
    # My Account
    "account-home": Visit("resident", at("/account/")),
    "account-register": Visit("guest", at("/account/register/"), empty_submit="Create account"),
    "account-check-email": Visit("guest", at("/account/check-your-email/")),
    "account-confirm-email": Visit("guest", ref("portal:account-confirm-email",
                                                token=lambda w: w.confirm_token)),
    "account-sign-in": Visit("guest", at("/account/sign-in/"), empty_submit="Sign in"),
    "account-sign-out": Visit("resident", at("/account/sign-out/")),
    "account-signed-out": Visit("guest", at("/account/signed-out/")),
    "account-forgot-password": Visit("guest", at("/account/forgot-password/"),
                                     empty_submit="Send the link"),
    "account-reset-sent": Visit("guest", at("/account/forgot-password/sent/")),
    "account-reset-password": Visit("guest", lambda w: w.found["reset"],
                                    empty_submit="Save password"),
    "account-requests": Visit("resident", at("/account/requests/")),
    "account-request": resident_case("account-request"),
    "account-request-add-information": Visit(
        "resident", ref("portal:account-request-add-information", reference=case_ref),
        empty_submit="Send"),
    "account-request-reopen": Visit(
        "resident", ref("portal:account-request-reopen", reference=lambda w: w.resolved.reference),
        empty_submit="Reopen request"),
    "account-request-file": Visit("resident", ref("portal:account-request-file",
                                                  reference=case_ref,
                                                  attachment_id=lambda w: w.attachment_id),
                                  kind="download"),
    "account-profile": Visit("resident", at("/account/profile/")),
    "account-profile-details": Visit("resident", at("/account/profile/details/")),
    "account-profile-address": Visit("resident", at("/account/profile/address/")),
    "account-preferences": Visit("resident", at("/account/preferences/")),
    "account-sharing": Visit("resident", at("/account/sharing/")),
    "account-subscriptions": Visit("resident", at("/account/subscriptions/")),
    "unsubscribe": Visit("guest", ref("portal:unsubscribe", token=lambda w: w.unsubscribe_token)),
    "language": Visit("guest", at("/language/en-gb/?next=/services/"), kind="redirect"),
    # a guest's private link
    "track": Visit("guest", lambda w: f"/track/{w.found['track']}/"),
    "track-add-information": Visit("guest", lambda w: f"/track/{w.found['track']}/add-information/",
                                   empty_submit="Send"),
    "track-reopen": Visit("guest", lambda w: f"/track/{w.found['track']}/reopen/"),
    "track-file": Visit("guest", lambda w: f"/track/{w.found['track']}/files/{w.found['file']}/",
                        kind="download"),
    # appointments
    "appointments": Visit("guest", at("/appointments/"), kind="walked"),
    "appointments-book": Visit("guest", at(""), kind="walked"),
    "appointments-booked": Visit("guest", at(""), kind="walked"),
    "appointments-mine": Visit("resident", at("/appointments/mine/")),
    "appointment-mine": Visit("resident", ref("portal:appointment-mine",
                                              reference=lambda w: w.appointment_ref)),
    "appointment-mine-change": Visit("resident", ref("portal:appointment-mine-change",
                                                     reference=lambda w: w.appointment_ref),
                                     empty_submit="Continue"),
    "appointment-mine-cancel": Visit("resident", ref("portal:appointment-mine-cancel",
                                                     reference=lambda w: w.appointment_ref)),
    "appointment-manage": Visit("guest", ref("portal:appointment-manage",
                                             token=lambda w: w.manage_token)),
    "appointment-manage-change": Visit("guest", ref("portal:appointment-manage-change",
                                                    token=lambda w: w.manage_token)),
    "appointment-manage-cancel": Visit("guest", ref("portal:appointment-manage-cancel",
                                                    token=lambda w: w.manage_token)),
    # feedback and surveys
    "feedback": Visit("resident", lambda w: f"/feedback/?case={w.case.reference}",
                      empty_submit="Send feedback"),
    "feedback-sent": Visit("guest", at(""), kind="walked"),
    "feedback-review": Visit("resident", ref("portal:feedback-review",
                                             reference=lambda w: w.complaint.reference),
                             empty_submit="Ask for a review"),
    "feedback-review-link": Visit("guest", ref("portal:feedback-review-link",
                                               token=lambda w: w.guest_complaint_token)),
    "survey": Visit("guest", ref("portal:survey", token=lambda w: w.survey_token),
                    empty_submit="Send answers"),
    "survey-thanks": Visit("guest", at("/survey/thanks/")),
    # service pages and online forms
    "service": Visit("guest", at("/services/missed-bin/")),
    "form_start": Visit("guest", at(""), kind="walked"),
    "form_page": Visit("guest", at(""), kind="walked"),
    "form_nearby": Visit("guest", at(""), kind="walked"),
    "form_check": Visit("guest", at(""), kind="walked"),
    "form_confirmation": Visit("guest", at(""), kind="walked"),
    "form_resume": Visit("guest", ref("portal:form_resume", service_code=lambda w: "missed-bin",
                                      form_code=lambda w: "missed-bin",
                                      token=lambda w: w.resume_token), kind="redirect"),
}

# One form page of each kind of question (address, radios, date, yes/no, select, text,
# long text, number, location, file), beyond those the fly-tipping walk visits.
MORE_FORM_PAGES = [
    "/services/missed-bin/missed-bin/address/", "/services/missed-bin/missed-bin/day/",
    "/services/licensing/licensing-enquiry/licence/",
    "/services/bulky-waste/bulky-waste-request/count/",
]


def pattern_names(namespace: str) -> set[str]:
    """Every named URL pattern in the namespace (a pattern without a name is a failure)."""
    _prefix, resolver = get_resolver().namespace_dict[namespace]
    names: set[str] = set()

    def walk(patterns: list[Any]) -> None:
        for item in patterns:
            if isinstance(item, URLResolver):
                walk(item.url_patterns)
            elif isinstance(item, URLPattern):
                assert item.name, f"{namespace}: the pattern {item.pattern} has no name"
                names.add(item.name)

    walk(resolver.url_patterns)
    return names


# ------------------------------------------------------------------------------ the sweep


class Sweep:
    def __init__(self, base: str) -> None:
        self.base = base
        self.scanned: list[str] = []
        self.post_only: list[str] = []
        self.downloads: list[str] = []

    def scan(self, page: Page, label: str) -> None:
        assert_accessible(page)
        self.scanned.append(label)

    def visit(self, context: BrowserContext, name: str, visit: Visit, world: World) -> None:
        path = visit.url(world)
        if visit.kind == "download":
            response = context.request.get(self.base + path)
            assert response.ok, f"{name}: {path} answered {response.status}"
            assert "attachment" in response.headers.get("content-disposition", ""), name
            self.downloads.append(f"{name} {path}")
            return
        page = context.pages[0]
        try:
            response = page.goto(self.base + path)
        except PlaywrightError as failure:
            # Chromium will not show an empty error response (a 405 has no body): ask for
            # the status without the browser, where nothing has run (405 comes first).
            status = context.request.get(self.base + path, max_redirects=0).status
            page.close()  # it is left on Chromium's error page: start afresh
            context.new_page()
            if status == 405:
                self.post_only.append(f"{name} {path}")
                return
            raise AssertionError(f"{name}: {path} answered {status}") from failure
        assert response is not None
        assert response.ok, f"{name}: {path} answered {response.status}"
        if visit.kind == "page":
            assert urlsplit(page.url).path == urlsplit(path).path, (
                f"{name}: {path} went to {page.url}")
        self.scan(page, f"{name} {path}")
        if visit.empty_submit:
            self.submit_empty(page, visit.empty_submit, f"{name} (errors)")

    def submit_empty(self, page: Page, button: str, label: str) -> None:
        page.get_by_role("button", name=button, exact=True).first.click()
        expect(page).to_have_title(re.compile(r"^Error: "))
        self.scan(page, label)


def walk_fly_tipping_report(sweep: Sweep, page: Page, world: World, tmp_path: Any) -> None:
    """form_start, form_page (each kind), form_nearby, form_check, form_confirmation."""
    base = sweep.base
    page.goto(f"{base}/services/fly-tipping/report/start/")
    sweep.scan(page, "portal:form_start → about-you")
    sweep.submit_empty(page, "Continue", "form_page about-you (errors)")
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Email address (optional)").fill("ada@example.com")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Describe where it is")).to_be_visible()
    sweep.scan(page, "portal:form_page where (location)")
    sweep.submit_empty(page, "Continue", "form_page where (errors)")
    page.get_by_label("Describe where it is").fill("Canadas Lane car park")
    page.get_by_text("I know the map coordinates").click()
    page.get_by_label("Latitude (optional)").fill(str(CROMER[0]))
    page.get_by_label("Longitude (optional)").fill(str(CROMER[1]))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("What has been dumped?")).to_be_visible()
    sweep.scan(page, "portal:form_page what (long text, radios)")
    page.get_by_label("What has been dumped?").fill("Two tyres")
    page.get_by_label("A car boot load").check()
    page.get_by_role("button", name="Continue").click()
    photo = tmp_path / "tyres.jpg"
    photo.write_bytes(small_jpeg())
    expect(page.get_by_label("Add a photo (optional)")).to_be_attached()
    sweep.scan(page, "portal:form_page photo (file)")
    page.get_by_label("Add a photo (optional)").set_input_files(str(photo))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/nearby/$"))
    sweep.scan(page, "portal:form_nearby")
    page.get_by_role("button", name="No, mine is a different problem").click()
    expect(page.locator("h1")).to_have_text("Check your answers before sending")
    sweep.scan(page, "portal:form_check")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#tracking-link")).to_be_visible()
    sweep.scan(page, "portal:form_confirmation")
    tracking = page.locator("#tracking-link").get_attribute("href") or ""
    world.found["track"] = tracking.strip("/").split("/")[-1]
    reference = page.locator("#reference").inner_text()
    world.found["file"] = str(Attachment.objects.get(case__reference=reference).pk)
    for path in MORE_FORM_PAGES:
        page.goto(base + path)
        assert urlsplit(page.url).path == path, f"{path} went to {page.url}"
        sweep.scan(page, f"portal:form_page {path}")
    page.goto(f"{base}/feedback/")
    sweep.submit_empty(page, "Send feedback", "feedback as a guest (errors)")
    page.get_by_label("A compliment").check()
    page.get_by_label("Your feedback").fill("The crew were quick and polite")
    page.get_by_role("button", name="Send feedback").click()
    expect(page).to_have_url(re.compile(r"/feedback/sent/$"))
    sweep.scan(page, "portal:feedback-sent")


def walk_booking(sweep: Sweep, page: Page) -> None:
    """appointments, appointments-book (every step, with errors), appointments-booked."""
    page.goto(f"{sweep.base}/appointments/")
    sweep.scan(page, "portal:appointments → book service")
    sweep.submit_empty(page, "Continue", "appointments-book service (errors)")
    page.get_by_label("Apply for Housing Benefit").check()
    page.get_by_role("button", name="Continue").click()
    for step, choose in (("where", lambda: page.get_by_label(
                             "Face to face at Council Offices, Cromer").check()),
                         ("day", lambda: page.locator("input[name=day]").last.check()),
                         ("time", lambda: page.locator("input[name=time]").last.check())):
        expect(page).to_have_url(re.compile(f"/book/{step}/$"))
        sweep.scan(page, f"portal:appointments-book {step}")
        sweep.submit_empty(page, "Continue", f"appointments-book {step} (errors)")
        choose()
        page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/book/details/$"))
    sweep.scan(page, "portal:appointments-book details")
    sweep.submit_empty(page, "Continue", "appointments-book details (errors)")
    page.get_by_label("Full name", exact=True).fill("Gail Guest")
    page.get_by_label("Email address", exact=True).fill("gail@example.com")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your booking")
    sweep.scan(page, "portal:appointments-book check")
    page.get_by_role("button", name="Book appointment").click()
    expect(page.locator("h1")).to_contain_text("Appointment booked")
    sweep.scan(page, "portal:appointments-booked")


def walk_logging_a_contact(sweep: Sweep, page: Page, world: World) -> None:
    """log-contact, contact-outcome and contact-result, each with its errors."""
    page.goto(f"{sweep.base}/staff/contacts/new/?customer={world.customer_id}")
    sweep.scan(page, "console:log-contact")
    sweep.submit_empty(page, "Continue", "log-contact (errors)")
    page.get_by_label("Which service is it about?").select_option(
        label="Report a missed bin collection")
    page.get_by_label("What did they ask?").fill("Bin not emptied on Church Street")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("What happened?")
    sweep.scan(page, "console:contact-outcome")
    sweep.submit_empty(page, "Save and continue", "contact-outcome (errors)")
    page.get_by_label("Resolved: I answered it now").check()
    page.get_by_label("How did you help?").fill("Explained the new collection day")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Contact recorded")
    sweep.scan(page, "console:contact-result")


def walk_assisted_form(sweep: Sweep, page: Page, world: World) -> None:
    """assisted-start, assisted-page, assisted-check and assisted-confirmation."""
    page.goto(f"{sweep.base}/staff/customers/{world.customer_id}/forms/"
              "licensing/licensing-enquiry/")
    sweep.scan(page, "console:assisted-start")
    sweep.submit_empty(page, "Continue", "assisted-start (errors)")
    page.locator("input[name=channel]").first.check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/licence/$"))
    sweep.scan(page, "console:assisted-page licence")
    sweep.submit_empty(page, "Continue", "assisted-page licence (errors)")
    page.locator("select[name=licence_type]").select_option("taxi")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/existing/$"))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/question/$"))
    page.locator("textarea[name=question]").fill("How long does a taxi licence take?")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/check/$"))
    sweep.scan(page, "console:assisted-check")
    page.get_by_role("button", name="Send").click()
    expect(page).to_have_url(re.compile(r"/confirmation/$"))
    sweep.scan(page, "console:assisted-confirmation")


def signed_in_context(browser: Any, base: str, *, sign_in: str, email: str,
                      password: str) -> BrowserContext:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + sign_in)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).not_to_have_text(re.compile("Sign in"))
    return context


def test_every_console_and_portal_page_is_accessible(council, live_server, browser, tmp_path):
    unknown = {"console": pattern_names("console") - CONSOLE.keys(),
               "portal": pattern_names("portal") - PORTAL.keys()}
    assert not any(unknown.values()), (
        f"URL patterns the accessibility sweep cannot fill in yet: {unknown}. "
        "Add each to CONSOLE or PORTAL in this file, so the new page is scanned.")
    gone = {"console": CONSOLE.keys() - pattern_names("console"),
            "portal": PORTAL.keys() - pattern_names("portal")}
    assert not any(gone.values()), f"the sweep names patterns that no longer exist: {gone}"

    clear_throttle()
    world = build_world(tmp_path)
    base = live_server.url
    sweep = Sweep(base)
    contexts = {
        "guest": browser.new_context(),
        "resident": signed_in_context(browser, base, sign_in="/account/sign-in/",
                                      email="rita.resident@example.com", password=PASSWORD),
        "staff": signed_in_context(browser, base, sign_in="/staff/sign-in/",
                                   email="maya@north-norfolk.gov.uk", password=STAFF_PASSWORD),
    }
    contexts["guest"].new_page()
    # Signing in spoils earlier reset links (on purpose): ask for one now.
    request_password_reset(email="rita.resident@example.com", now=timezone.now(),
                           reset_url=lambda uid, token:
                           f"http://testserver/account/reset-password/{uid}/{token}/")
    world.found["reset"] = path_of(latest_link("rita.resident@example.com", "password_reset"))

    walk_fly_tipping_report(sweep, contexts["guest"].pages[0], world, tmp_path)
    walk_booking(sweep, contexts["guest"].pages[0])
    walk_logging_a_contact(sweep, contexts["staff"].pages[0], world)
    walk_assisted_form(sweep, contexts["staff"].pages[0], world)
    # Sign-out pages come last in each context: they end the session.
    for names in (CONSOLE, PORTAL):
        prefix = "console" if names is CONSOLE else "portal"
        ordered = sorted(names.items(), key=lambda item: "sign-out" in item[0])
        for name, visit in ordered:
            if visit.kind != "walked":
                sweep.visit(contexts[visit.role], f"{prefix}:{name}", visit, world)
    for context in contexts.values():
        context.close()
    clear_throttle()

    print(f"\nScanned {len(sweep.scanned)} pages with axe-core:")
    print("\n".join(f"  {label}" for label in sweep.scanned))
    print(f"POST-only endpoints (405 on GET, not scanned): {len(sweep.post_only)}")
    print("\n".join(f"  {label}" for label in sweep.post_only))
    print(f"File downloads (200 as attachments, not pages): {len(sweep.downloads)}")
    print("\n".join(f"  {label}" for label in sweep.downloads))
    reached = {label.split()[0] for label in
               [*sweep.scanned, *sweep.post_only, *sweep.downloads]}
    expected = {f"console:{name}" for name in CONSOLE} | {f"portal:{name}" for name in PORTAL}
    assert expected <= reached, f"never reached: {sorted(expected - reached)}"
