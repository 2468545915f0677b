"""The inbound webhook: raw MIME in, 202 out, only with the shared token."""

from __future__ import annotations

import pytest
from django.test import Client

from frontdoor.cases.models import Case
from frontdoor.contacts.models import InboundMessage
from tests.email.conftest import sample

pytestmark = pytest.mark.usefixtures("council")
TOKEN = "test-inbound-token-0123456789"


@pytest.fixture(autouse=True)
def _token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTDOOR_INBOUND_EMAIL_TOKEN", TOKEN)


def _post(client: Client, body: bytes, token: str = TOKEN) -> object:
    return client.post("/api/inbound-email", data=body, content_type="message/rfc822",
                       headers={"Authorization": f"Bearer {token}"})


def test_a_raw_email_posted_with_the_token_is_taken_in_and_answered_202(client: Client):
    response = _post(client, sample("attachments"))

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "processed"
    assert Case.objects.get(reference=body["case_reference"]).service_code == "fly-tipping"


def test_the_email_may_come_as_the_email_file_of_a_form_post(client: Client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/api/inbound-email",
                           data={"email": SimpleUploadedFile("m.eml", sample("latin1"))},
                           headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 202 and response.json()["status"] == "processed"


def test_without_the_right_token_nothing_is_stored(client: Client):
    assert _post(client, sample("plain"), token="wrong").status_code == 401
    assert client.post("/api/inbound-email", data=sample("plain"),
                       content_type="message/rfc822").status_code == 401
    assert not InboundMessage.objects.exists()


def test_a_bounce_is_accepted_and_ignored_and_a_broken_email_is_kept(client: Client):
    assert _post(client, sample("bounce")).json()["status"] == "ignored"
    assert _post(client, sample("malformed")).json()["status"] == "unprocessed"
    assert not Case.objects.exists()


def test_other_content_types_are_refused(client: Client):
    response = client.post("/api/inbound-email", data={"a": 1}, content_type="application/json",
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 415
