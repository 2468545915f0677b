"""Booking pages: the one-question-a-page journey, confirmation, change, cancel, access."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from frontdoor.appointments.models import Appointment
from frontdoor.notifications.models import Message
from tests.appointments.helpers import book
from tests.pagecheck import check_page
from tests.portal.account_support import make_resident

pytestmark = pytest.mark.django_db


def _radio_values(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" type="radio" value="([^"]+)"', html)


def _walk_to_check(client: Client, *, service: str = "housing-benefit",
                   where: str = "cromer:face_to_face", phone: str = "") -> None:
    assert client.get("/appointments/").status_code == 302
    page = client.get("/appointments/book/service/")
    check_page(page.content.decode())
    assert service in _radio_values(page.content.decode(), "service")
    client.post("/appointments/book/service/", {"service": service})
    page = client.get("/appointments/book/where/")
    check_page(page.content.decode())
    client.post("/appointments/book/where/", {"where": where})
    page = client.get("/appointments/book/day/")
    check_page(page.content.decode())
    day = _radio_values(page.content.decode(), "day")[0]
    client.post("/appointments/book/day/", {"day": day})
    page = client.get("/appointments/book/time/")
    check_page(page.content.decode())
    time = _radio_values(page.content.decode(), "time")[0]
    client.post("/appointments/book/time/", {"time": time})
    check_page(client.get("/appointments/book/details/").content.decode())
    response = client.post("/appointments/book/details/", {
        "name": "Gail Guest", "email": "gail@example.com", "phone": phone, "about": "My claim"})
    assert response["Location"] == "/appointments/book/check/"


def test_a_guest_books_and_sees_what_to_bring_and_a_private_link(client, council):
    _walk_to_check(client)
    check = client.get("/appointments/book/check/").content.decode()
    check_page(check)
    assert "Proof of your income" in check and "Gail Guest" in check
    response = client.post("/appointments/book/check/", {"confirm": "yes"})
    assert response["Location"] == "/appointments/booked/"
    page = client.get("/appointments/booked/").content.decode()
    check_page(page)
    appointment = Appointment.objects.get()
    assert appointment.reference in page and "What to bring" in page
    assert "Holt Road, Cromer" in page
    link = re.search(r'id="manage-link" href="([^"]+)"', page).group(1)
    manage = client.get(link)
    check_page(manage.content.decode())
    assert manage["Referrer-Policy"] == "same-origin"
    assert Message.objects.filter(event="appointment_booked").count() == 1


def test_each_step_insists_on_an_answer(client, council):
    response = client.post("/appointments/book/service/", {})
    html = response.content.decode()
    check_page(html)
    assert response.status_code == 400 and html.count("Choose what your appointment is about")
    assert "<title>Error: " in html and 'href="#service"' in html
    client.post("/appointments/book/service/", {"service": "housing-benefit"})
    client.post("/appointments/book/where/", {"where": "cromer:face_to_face"})
    response = client.post("/appointments/book/day/", {"day": "2099-01-01"})
    assert response.status_code == 400


def test_skipping_ahead_goes_back_to_the_first_unanswered_question(client, council):
    assert client.get("/appointments/book/time/")["Location"] == "/appointments/book/service/"
    assert client.get("/appointments/book/nonsense/").status_code == 404


def test_details_errors_link_to_their_fields(client, council):
    _walk_to_check(client)
    response = client.post("/appointments/book/details/", {"name": "", "email": "x"})
    html = response.content.decode()
    check_page(html)
    assert response.status_code == 400 and 'href="#name"' in html


def test_a_phone_call_back_asks_for_the_number(client, council):
    client.post("/appointments/book/service/", {"service": "missed-bin"})
    client.post("/appointments/book/where/", {"where": "cromer:phone"})
    day = _radio_values(client.get("/appointments/book/day/").content.decode(), "day")[0]
    client.post("/appointments/book/day/", {"day": day})
    time = _radio_values(client.get("/appointments/book/time/").content.decode(), "time")[0]
    client.post("/appointments/book/time/", {"time": time})
    response = client.post("/appointments/book/details/", {"name": "Pat", "email": "p@x.com"})
    assert response.status_code == 400 and 'href="#phone"' in response.content.decode()


def test_a_guest_changes_and_cancels_through_the_private_link(client, council):
    now = timezone.now()
    booked = book(now=now)
    base = f"/appointments/manage/{booked.token}/"
    days = client.get(f"{base}change/")
    check_page(days.content.decode())
    day = _radio_values(days.content.decode(), "day")[-1]
    times = client.get(f"{base}change/", {"day": day})
    check_page(times.content.decode())
    time = _radio_values(times.content.decode(), "time")[0]
    response = client.post(f"{base}change/", {"day": day, "time": time})
    assert response["Location"] == f"{base}?done=changed"
    check_page(client.get(response["Location"]).content.decode())
    assert Appointment.objects.get().status == "changed"
    bad = client.post(f"{base}change/", {"day": day, "time": "nonsense"})
    assert bad.status_code == 400
    check_page(bad.content.decode())
    check_page(client.get(f"{base}cancel/").content.decode())
    response = client.post(f"{base}cancel/", {"reason": ""})
    assert response["Location"] == f"{base}?done=cancelled"
    page = client.get(response["Location"]).content.decode()
    assert "has been cancelled" in page and "Change the time" not in page


def test_guessed_tokens_and_other_residents_references_are_404(client, council):
    now = timezone.now()
    rita = make_resident(now=now)
    olly = make_resident(now=now, email="olly@example.com", given="Olly")
    theirs = book(now=now, account=olly).appointment
    mine = book(now=now, account=rita).appointment
    assert client.get("/appointments/manage/" + "A" * 43 + "/").status_code == 404
    assert client.post("/appointments/manage/" + "A" * 43 + "/cancel/").status_code == 404
    client.force_login(rita)
    page = client.get("/appointments/mine/")
    check_page(page.content.decode())
    assert mine.reference in page.content.decode()
    assert theirs.reference not in page.content.decode()
    check_page(client.get(f"/appointments/mine/{mine.reference}/").content.decode())
    for suffix in ("", "change/", "cancel/"):
        assert client.get(f"/appointments/mine/{theirs.reference}/{suffix}").status_code == 404
    assert client.post(f"/appointments/mine/{theirs.reference}/cancel/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "booked"


def test_a_signed_in_resident_books_into_their_account(client, council):
    rita = make_resident(now=timezone.now())
    client.force_login(rita)
    _walk_to_check(client)
    client.post("/appointments/book/check/", {"confirm": "yes"})
    assert Appointment.objects.get().account_id == rita.pk


def test_my_appointments_needs_signing_in(client, council):
    assert client.get("/appointments/mine/").status_code == 302
