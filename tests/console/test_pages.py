"""Staff sign-in, sign-out and the console home: who may see what."""

from __future__ import annotations

import pytest
from django.test import Client

from frontdoor.council.config import CouncilConfig
from tests.factories import UserFactory
from tests.pagecheck import check_page, text_of

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_sign_in_page_asks_for_email_and_password(
    client: Client, north_norfolk: CouncilConfig
) -> None:
    response = client.get("/staff/sign-in/")
    assert response.status_code == 200
    html = response.content.decode()
    check_page(
        html, title_contains="Sign in \u2013 Staff console \u2013 North Norfolk District Council"
    )
    assert 'type="email"' in html and 'autocomplete="current-password"' in html


def test_anonymous_visitor_to_the_console_is_sent_to_sign_in(client: Client) -> None:
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/sign-in/?next=/staff/"


def test_staff_member_signs_in_and_sees_their_role_and_teams(
    client: Client, north_norfolk: CouncilConfig
) -> None:
    UserFactory(
        email="officer@example.gov.uk",
        display_name="Sam Officer",
        role="case_officer",
        password=PASSWORD,
        teams={"waste-services": "member"},
    )
    response = client.post(
        "/staff/sign-in/?next=/staff/",
        {"username": "Officer@example.gov.uk", "password": PASSWORD, "next": "/staff/"},
    )
    assert response.status_code == 302 and response["Location"] == "/staff/"
    page = client.get("/staff/")
    assert page.status_code == 200
    text = text_of(check_page(page.content.decode(), title_contains="Staff console"))
    assert "Sam Officer" in text
    assert "Case officer" in text
    assert north_norfolk.team("waste-services").name.en in text
    assert "Sign out" in text


def test_wrong_password_shows_an_error_summary_linked_to_the_field(
    client: Client, north_norfolk: CouncilConfig
) -> None:
    UserFactory(email="agent@example.gov.uk", role="agent", password=PASSWORD)
    response = client.post(
        "/staff/sign-in/", {"username": "agent@example.gov.uk", "password": "nope"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    page = check_page(html)
    assert text_of(page.find(".//{http://www.w3.org/1999/xhtml}title")).startswith("Error: Sign in")
    assert "govuk-error-summary" in html
    assert "Enter a correct email address and password" in html
    assert 'href="#username"' in html
    assert "_auth_user_id" not in client.session


def test_empty_form_asks_for_each_field(client: Client, north_norfolk: CouncilConfig) -> None:
    response = client.post("/staff/sign-in/", {"username": "", "password": ""})
    html = response.content.decode()
    check_page(html)
    assert "Enter your email address" in html and 'href="#username"' in html
    assert "Enter your password" in html and 'href="#password"' in html
    assert "govuk-form-group--error" in html


def test_a_resident_cannot_sign_in_to_the_console(
    client: Client, north_norfolk: CouncilConfig
) -> None:
    UserFactory(email="resident@example.com", role="resident", password=PASSWORD)
    response = client.post(
        "/staff/sign-in/", {"username": "resident@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "This sign-in is for council staff only" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_signed_in_resident_gets_forbidden_in_the_resident_layout(
    client: Client, north_norfolk: CouncilConfig
) -> None:
    client.force_login(UserFactory(role="resident"))
    response = client.get("/staff/")
    assert response.status_code == 403
    html = response.content.decode()
    check_page(html, title_contains="You do not have permission to see this page")
    assert "Council services" in html  # the resident service navigation, not the console's


def test_sign_out_is_a_post_and_ends_the_session(
    client: Client, north_norfolk: CouncilConfig
) -> None:
    client.force_login(UserFactory(role="manager"))
    assert client.get("/staff/sign-out/").status_code == 405
    response = client.post("/staff/sign-out/")
    assert response.status_code == 302 and response["Location"] == "/staff/sign-in/"
    assert client.get("/staff/").status_code == 302


@pytest.mark.parametrize(
    "role", ["agent", "case_officer", "team_leader", "manager", "administrator"]
)
def test_every_staff_role_reaches_the_console(
    client: Client, north_norfolk: CouncilConfig, role: str
) -> None:
    client.force_login(UserFactory(role=role))
    response = client.get("/staff/")
    assert response.status_code == 200
    check_page(response.content.decode())
