"""The providers that carry messages: SMTP, GOV.UK Notify and the council's own post room.

Each provider's `send` either returns a `SendResult` or raises `ProviderError` saying whether
the failure is transient (try again later), permanent (this message can never go), or
leaves the outcome unknown (the provider may have accepted it: a person decides).

Settings come from the environment:
  FRONTDOOR_NOTIFY_API_KEY, FRONTDOOR_NOTIFY_BASE_URL (default https://api.notifications.service.gov.uk),
  FRONTDOOR_NOTIFY_EMAIL_TEMPLATE_ID, FRONTDOOR_NOTIFY_SMS_TEMPLATE_ID (a Notify template whose
  subject is ((subject)) and body ((body)): Front Door renders the words itself),
  FRONTDOOR_NOTIFY_EMAIL_REPLY_TO_ID (optional), FRONTDOOR_EMAIL_FROM, and Django's
  EMAIL_HOST / EMAIL_PORT / EMAIL_HOST_USER / EMAIL_HOST_PASSWORD / EMAIL_USE_TLS for SMTP.
"""

from __future__ import annotations

import hashlib
import os
import smtplib
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any, Literal, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from frontdoor.notifications.errors import ProviderError, ProviderFailure
from frontdoor.notifications.models import Message

NOTIFY_DEFAULT_BASE_URL = "https://api.notifications.service.gov.uk"

Outcome = Literal["sent", "not_sent", "unknown"]


@dataclass(frozen=True)
class SendResult:
    provider_reference: str = ""
    detail: str = ""


@dataclass(frozen=True)
class LookupResult:
    """What a provider knows about an earlier attempt with this message's reference."""

    outcome: Outcome
    provider_reference: str = ""
    detail: str = ""


class Provider(Protocol):
    name: str

    def send(self, message: Message) -> SendResult: ...

    def lookup(self, message: Message) -> LookupResult: ...

    def close(self) -> None: ...


def message_id_header(message: Message, domain: str) -> str:
    """A stable Message-ID made from the idempotency key: a resend carries the same one."""
    digest = hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:32]
    return f"<fd.{digest}@{domain}>"


# --------------------------------------------------------------------------------- SMTP


@dataclass
class SmtpProvider:
    """Email through the council's own mail server (Django's SMTP backend).

    The connection is opened once per batch. A failure before or while connecting means the
    message was not sent (try again); a 4xx reply is transient and a 5xx permanent; a lost
    connection after the message was handed over leaves the outcome unknown.
    """

    from_email: str = ""
    domain: str = "frontdoor.invalid"
    name: str = "smtp"
    _connection: Any = field(default=None, repr=False)

    def _open(self) -> Any:
        if self._connection is None:
            connection = get_connection(fail_silently=False)
            try:
                connection.open()
            except (OSError, smtplib.SMTPException) as exc:
                # Nothing was handed over: safe to try again later.
                raise ProviderError("transient", f"cannot reach the mail server: {exc}") from exc
            self._connection = connection
        return self._connection

    def send(self, message: Message) -> SendResult:
        recipient = message.recipient.get("email", "")
        if not recipient:
            raise ProviderError("permanent", "no email address")
        connection = self._open()
        headers = {
            "Message-ID": message_id_header(message, self.domain),
            "X-Front-Door-Idempotency-Key": message.idempotency_key,
            # RFC 3834: our messages are machine-sent, so other systems' auto-replies and
            # out-of-office notices must not answer them (no reply loops). A staff reply is
            # written by a person and is not marked.
            **({} if message.event == "staff_reply" else {"Auto-Submitted": "auto-generated"}),
        }
        unsubscribe = message.recipient.get("unsubscribe_url")
        if unsubscribe:
            headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=self.from_email or settings.DEFAULT_FROM_EMAIL,
            to=[recipient],
            headers=headers,
            connection=connection,
        )
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            soft = all(400 <= c < 500 for c in codes)
            kind: ProviderFailure = "transient" if soft else "permanent"
            raise ProviderError(kind, f"recipient refused: {exc.recipients}") from exc
        except smtplib.SMTPResponseException as exc:
            self.close()
            kind = "transient" if 400 <= exc.smtp_code < 500 else "permanent"
            said = f"mail server said {exc.smtp_code} {exc.smtp_error!r}"
            raise ProviderError(kind, said) from exc
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            # The server may have accepted the message before the line dropped.
            self._connection = None
            raise ProviderError("unknown", f"connection lost while sending: {exc}") from exc
        return SendResult(detail="accepted by the mail server")

    def lookup(self, message: Message) -> LookupResult:
        # SMTP has no way to ask "did you get this one?": a person decides.
        return LookupResult("unknown", detail="SMTP cannot tell whether it was accepted")

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None


# ------------------------------------------------------------------------------- Notify

# Notify statuses that mean "this attempt did not and will not arrive".
NOTIFY_FAILED = {
    "permanent-failure",
    "temporary-failure",
    "technical-failure",
    "validation-failed",
    "virus-scan-failed",
    "cancelled",
}


@dataclass
class NotifyProvider:
    """GOV.UK Notify for email, text messages and letters (the official Python client).

    Every request carries the message's idempotency key as Notify's `reference`. Notify does
    not refuse a second request with the same reference, so after a crash the sweep looks the
    reference up and resends only if Notify has no live notification for it.
    """

    api_key: str
    base_url: str = NOTIFY_DEFAULT_BASE_URL
    email_template_id: str = ""
    sms_template_id: str = ""
    email_reply_to_id: str = ""
    name: str = "notify"
    _client: Any = field(default=None, repr=False)

    @classmethod
    def from_environment(cls) -> NotifyProvider:
        return cls(
            api_key=os.environ.get("FRONTDOOR_NOTIFY_API_KEY", ""),
            base_url=os.environ.get("FRONTDOOR_NOTIFY_BASE_URL", NOTIFY_DEFAULT_BASE_URL),
            email_template_id=os.environ.get("FRONTDOOR_NOTIFY_EMAIL_TEMPLATE_ID", ""),
            sms_template_id=os.environ.get("FRONTDOOR_NOTIFY_SMS_TEMPLATE_ID", ""),
            email_reply_to_id=os.environ.get("FRONTDOOR_NOTIFY_EMAIL_REPLY_TO_ID", ""),
        )

    @property
    def client(self) -> Any:
        if self._client is None:
            if not self.api_key:
                raise ProviderError("transient", "FRONTDOOR_NOTIFY_API_KEY is not set")
            from notifications_python_client.notifications import NotificationsAPIClient

            self._client = NotificationsAPIClient(self.api_key, base_url=self.base_url)
        return self._client

    def send(self, message: Message) -> SendResult:
        from notifications_python_client.errors import HTTPError
        from requests import RequestException

        recipient = message.recipient
        personalisation = {"subject": message.subject, "body": message.body}
        try:
            if message.channel == "email":
                response = self.client.send_email_notification(
                    email_address=recipient.get("email", ""),
                    template_id=self.email_template_id,
                    personalisation=personalisation,
                    reference=message.idempotency_key,
                    email_reply_to_id=self.email_reply_to_id or None,
                )
            elif message.channel == "sms":
                response = self.client.send_sms_notification(
                    phone_number=recipient.get("phone_e164", ""),
                    template_id=self.sms_template_id,
                    personalisation={"body": message.body},
                    reference=message.idempotency_key,
                )
            else:
                pdf_path = message.attachments.get("pdf")
                if not pdf_path:
                    raise ProviderError("permanent", "the letter has no PDF")
                pdf = (Path(settings.MEDIA_ROOT) / pdf_path).read_bytes()
                response = self.client.send_precompiled_letter_notification(
                    reference=message.idempotency_key, pdf_file=BytesIO(pdf), postage="second"
                )
        except HTTPError as exc:
            if exc.response is None:
                # No answer at all: Notify may have taken it. Look the reference up first.
                raise ProviderError("unknown", f"no answer from Notify: {exc.message}") from exc
            status = exc.status_code
            kind: ProviderFailure
            if status == 400:  # bad address, number or template: this message can never go
                kind = "permanent"
            elif status >= 500:  # Notify's own fault: it may have stored it before failing
                kind = "unknown"
            else:  # 403 (key), 429 (rate limit): refused, so not sent; try again later
                kind = "transient"
            raise ProviderError(kind, f"Notify said {status}: {exc.message}") from exc
        except RequestException as exc:
            raise ProviderError("unknown", f"no answer from Notify: {exc}") from exc
        return SendResult(str(response.get("id", "")), "accepted by Notify")

    def lookup(self, message: Message) -> LookupResult:
        from notifications_python_client.errors import HTTPError
        from requests import RequestException

        try:
            found = self.client.get_all_notifications(reference=message.idempotency_key)
        except (HTTPError, RequestException) as exc:
            raise ProviderError("transient", f"cannot ask Notify: {exc}") from exc
        live = [n for n in found.get("notifications", []) if n.get("status") not in NOTIFY_FAILED]
        if live:
            return LookupResult("sent", str(live[0].get("id", "")), "Notify has it")
        return LookupResult("not_sent", detail="Notify has no live notification for it")

    def close(self) -> None:
        pass


# --------------------------------------------------------------------------- post room


@dataclass
class PrintProvider:
    """Letters for the council's post room: the PDF (and BRF) wait in a folder to be posted.

    Writing the same message twice overwrites the same file, so a resend is harmless.
    """

    name: str = "print"

    def send(self, message: Message) -> SendResult:
        if not message.attachments.get("pdf"):
            raise ProviderError("permanent", "the letter has no PDF")
        root = Path(settings.MEDIA_ROOT)
        batch = root / "notifications" / "post-room" / "outgoing"
        batch.mkdir(parents=True, exist_ok=True)
        for kind, relative in sorted(message.attachments.items()):
            target = batch / f"message-{message.pk}.{kind}"
            target.write_bytes((root / relative).read_bytes())
        return SendResult(
            provider_reference=f"post-room:{message.pk}", detail="ready for the post room"
        )

    def lookup(self, message: Message) -> LookupResult:
        return LookupResult("not_sent", detail="the post room copy is rewritten safely")

    def close(self) -> None:
        pass
