"""Email in: every email to the council becomes a contact, and a case or a reply on one.

`take_in_email(raw=…, source="imap"|"webhook", now=…)` is the one action the mailbox poller
and the inbound webhook call. In order:

1. The raw bytes are stored as an `InboundMessage` and committed before anything else, so a
   crash or a bug later can never lose the email. The same Message-ID again is a duplicate.
2. Automatic mail (RFC 3834 Auto-Submitted, X-Autoreply/X-Autorespond, Precedence
   bulk/junk/list, List-Id, bounces from <> / MAILER-DAEMON / postmaster, multipart/report,
   out-of-office subjects, and anything from our own addresses) is "ignored": no contact, no
   case and never a reply, so two robots cannot write to each other for ever.
3. A reply joins its case: the subject carries the case reference (NN-2026-000123), or
   In-Reply-To/References name a Message-ID we sent (the outbox makes it from the message's
   idempotency key). A resolved or closed case is not reopened (a staff decision): the reply
   is linked and flagged. So is a reply from someone who is not on the case.
4. Anything else opens a case for the likely service (`cases.routing`): the team mailbox it
   was sent to, the catalogue's keywords and past cases. `open_case` queues the charter's
   acknowledgement through the outbox.
5. What cannot be read (no sender, broken MIME, over MAX_EMAIL_BYTES) stays raw and
   "unprocessed" for staff: `unprocessed_messages()`, `retry_inbound_message`,
   `dismiss_inbound_message`.

The sender is matched to a customer by exact email address only (never by name), or created.
Attachments go through `check_upload`; refused ones are listed on the contact, not fatal.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser, BytesParser
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from frontdoor.accounts.permissions import require
from frontdoor.audit.actions import record_change
from frontdoor.cases.actions import add_attachment, open_case
from frontdoor.cases.models import Case, CaseContact, CaseEvent, CaseType, EventKind, Status
from frontdoor.cases.routing import RoutingGuess, route_to_service
from frontdoor.cases.uploads import CheckedFile, check_upload
from frontdoor.contacts.actions import log_contact, record_contact_outcome
from frontdoor.contacts.models import Contact, InboundMessage, InboundSource, InboundStatus
from frontdoor.contacts.models import Outcome as ContactOutcome
from frontdoor.core.errors import FrontDoorError, InvalidInput
from frontdoor.core.time import require_aware
from frontdoor.council.queries import current_council
from frontdoor.customers.actions import create_customer
from frontdoor.customers.models import Customer
from frontdoor.customers.queries import live_customers, normalise_email
from frontdoor.notifications.models import Message as OutboxMessage

if TYPE_CHECKING:
    from frontdoor.accounts.models import User

log = logging.getLogger(__name__)

# Larger emails are kept raw for staff rather than taken apart automatically.
MAX_EMAIL_BYTES = 25 * 1024 * 1024
SUMMARY_CHARS = 4000
# Case types an email may open without a person deciding; others only when the email went
# to the owning team's own mailbox (foi@ for an FOI request, complaints@ for a complaint).
EMAIL_CASE_TYPES = frozenset({CaseType.ENQUIRY, CaseType.SERVICE_REQUEST})
BOUNCE_SENDERS = ("mailer-daemon", "postmaster")
AUTO_SUBJECTS = re.compile(
    r"^\s*(automatic reply|auto[- ]?reply|autoreply|out of (the )?office( autoreply)?|"
    r"undeliverable|undelivered mail returned to sender|delivery status notification)\s*:",
    re.IGNORECASE,
)
# The outbox's Message-ID: <fd.<32 hex of sha256(idempotency key)>@domain>.
OUR_MESSAGE_ID = re.compile(r"<?fd\.([0-9a-f]{32})@[^>\s]+>?", re.IGNORECASE)


@dataclass(frozen=True)
class InboundOutcome:
    """What became of one email: its stored row, status and the contact/case made or joined."""

    inbound_id: int
    status: str
    reason: str
    contact_id: int | None = None
    case_reference: str = ""
    opened_case: bool = False
    needs_attention: bool = False


@dataclass
class ParsedEmail:
    message_id: str
    from_address: str
    from_name: str
    recipients: list[str]
    subject: str
    in_reply_to: list[str]
    body: str
    html_only: bool
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Unreadable(Exception):
    """The email cannot be taken in automatically; the message says why (shown to staff)."""


# ============================================================================ the action


def take_in_email(
    *, raw: bytes, source: str, now: datetime, received_at: datetime | None = None
) -> InboundOutcome:
    """Store the email raw, then make it a contact on a new or existing case (or ignore it).

    `received_at` is when our mail server got it (IMAP INTERNALDATE); default `now`.
    Never raises for a bad email: it is kept as "unprocessed" with the reason.
    """
    require_aware(now)
    if source not in InboundSource.values:
        raise InvalidInput("source", "invalid", f"{source!r} is not a source of email")
    received_at = min(received_at or now, now)
    require_aware(received_at)
    digest = hashlib.sha256(raw).hexdigest()
    headers = _headers_only(raw)
    message_id = _message_id(headers, digest)
    earlier = InboundMessage.objects.filter(message_id=message_id).first()
    if earlier is not None:
        return _record_duplicate(earlier, raw=raw, digest=digest, source=source,
                                 received_at=received_at, now=now)
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                source=source, message_id=message_id, raw=raw, raw_size=len(raw),
                raw_sha256=digest, received_at=received_at,
                from_address=_clean(_header(headers, "From"))[:320],
                to_address=_clean(_header(headers, "To"))[:320],
                subject=_clean(_decoded_subject(headers))[:500],
                status=InboundStatus.UNPROCESSED, reason="received, not yet taken in",
                created_at=now, updated_at=now,
            )
    except IntegrityError:
        # A second poller or a webhook retry stored it a moment ago.
        earlier = InboundMessage.objects.get(message_id=message_id)
        return _record_duplicate(earlier, raw=raw, digest=digest, source=source,
                                 received_at=received_at, now=now)
    if len(raw) > MAX_EMAIL_BYTES:
        size = len(raw) / (1024 * 1024)
        return _finish(inbound, InboundStatus.UNPROCESSED, now=now,
                       reason=f"Too big to take in automatically ({size:.1f} MB; the limit is "
                              f"{MAX_EMAIL_BYTES // (1024 * 1024)} MB): kept raw for staff")
    return _take_in_stored(inbound, now=now)


def retry_inbound_message(*, inbound: InboundMessage, by: User, now: datetime) -> InboundOutcome:
    """Staff try an unprocessed email again (after a fix, or to take in a big one)."""
    require(by, "contact.log")
    if inbound.status != InboundStatus.UNPROCESSED:
        raise InvalidInput("status", "not_unprocessed",
                           f"This email is {inbound.get_status_display().lower()}")
    record_change(actor=by, action="inbound_email.retried", object_type="inbound_email",
                  object_id=inbound.pk, summary="Tried again to take in an email", at=now)
    return _take_in_stored(inbound, now=now)


def dismiss_inbound_message(
    *, inbound: InboundMessage, reason: str, by: User, now: datetime
) -> InboundMessage:
    """Staff decide an unprocessed email needs nothing (spam, dealt with by hand); recorded."""
    require(by, "contact.log")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("reason", "required", "Say why nothing needs doing with this email")
    if inbound.status != InboundStatus.UNPROCESSED and not inbound.needs_attention:
        raise InvalidInput("status", "nothing_to_dismiss", "This email needs nothing from staff")
    with transaction.atomic():
        before = {"status": inbound.status, "needs_attention": inbound.needs_attention}
        if inbound.status == InboundStatus.UNPROCESSED:
            inbound.status = InboundStatus.IGNORED
        inbound.needs_attention = False
        inbound.reason = f"{inbound.reason}\nDismissed by staff: {reason}".strip()
        inbound.updated_at = now
        inbound.save(update_fields=["status", "needs_attention", "reason", "updated_at"])
        record_change(actor=by, action="inbound_email.dismissed", object_type="inbound_email",
                      object_id=inbound.pk, summary=f"Dismissed an email: {reason}"[:1000],
                      data={"before": before, "reason": reason}, at=now)
    return inbound


# ============================================================================== queries


def unprocessed_messages() -> QuerySet[InboundMessage]:
    """Emails kept raw that a person must look at, oldest first."""
    return InboundMessage.objects.filter(status=InboundStatus.UNPROCESSED).order_by(
        "received_at", "id")


def messages_needing_attention() -> QuerySet[InboundMessage]:
    """Taken in, but a person must decide (a reply to a resolved case, a stranger's reply)."""
    return InboundMessage.objects.filter(needs_attention=True).order_by("received_at", "id")


def case_for_reply(parsed: ParsedEmail) -> tuple[Case | None, str]:
    """The case an email answers, and how we know: thread headers first, then the subject."""
    digests = [m.group(1).lower() for ref in parsed.in_reply_to
               for m in [OUR_MESSAGE_ID.search(ref)] if m]
    if digests:
        reference = _case_of_outbox_digests(digests, parsed.from_address)
        if reference:
            case = Case.objects.filter(reference=reference).first()
            if case is not None:
                return case, "it answers a message we sent about the case"
    prefix = current_council().council.reference_prefix
    for match in re.finditer(rf"\b{re.escape(prefix)}-(\d{{4}})-(\d{{6,}})\b", parsed.subject,
                             re.IGNORECASE):
        case = Case.objects.filter(reference=match.group(0).upper()).first()
        if case is not None:
            return case, "its subject names the case reference"
    return None, ""


# ============================================================================== parsing


def parse_email(raw: bytes) -> ParsedEmail:
    """The parts of an email we use; Unreadable when it cannot be taken in automatically."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as error:  # the parser is lenient; anything it raises is a broken email
        raise Unreadable(f"The email could not be read as MIME: {error}") from error
    assert isinstance(message, EmailMessage)
    name, address = _sender(message)
    notes: list[str] = []
    body, html_only = _body_text(message, notes)
    attachments = _attachments(message, notes)
    structural = [d for d in message.defects
                  if type(d).__name__ in {"StartBoundaryNotFoundDefect",
                                          "NoBoundaryInMultipartDefect",
                                          "MultipartInvariantViolationDefect"}]
    if structural and not body.strip():
        raise Unreadable("The email's MIME structure is broken ("
                         + ", ".join(type(d).__name__ for d in structural) + ")")
    recipients = [
        a.lower() for _, a in getaddresses(
            [_clean(_header(message, h)) for h in ("To", "Cc", "Delivered-To", "X-Original-To")])
        if "@" in a
    ]
    thread = " ".join(_clean(_header(message, h)) for h in ("In-Reply-To", "References"))
    return ParsedEmail(
        message_id=_clean(_header(message, "Message-ID")).strip(),
        from_address=address, from_name=name, recipients=recipients,
        subject=_clean(_decoded_subject(message)).strip(),
        in_reply_to=thread.split(), body=body, html_only=html_only,
        attachments=attachments, notes=notes,
    )


def automatic_reason(raw_or_headers: Message, parsed_sender: str = "") -> str | None:
    """Why this is automatic mail we must not answer (RFC 3834 and common practice), or None."""
    h = raw_or_headers
    auto_submitted = _clean(_header(h, "Auto-Submitted")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"automatic message (Auto-Submitted: {auto_submitted})"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply", "X-Autogenerated"):
        if _header(h, name):
            return f"automatic reply ({name} header)"
    precedence = _clean(_header(h, "Precedence")).strip().lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"bulk or list mail (Precedence: {precedence})"
    if _header(h, "List-Id"):
        return "mailing-list mail (List-Id header)"
    if _header(h, "X-Front-Door-Idempotency-Key"):
        return "one of our own messages came back"
    return_path = _clean(_header(h, "Return-Path")).strip()
    if return_path in {"<>", "<<>>"}:
        return "bounce or delivery report (empty Return-Path)"
    sender = (parsed_sender or parseaddr(_clean(_header(h, "From")))[1]).lower()
    if sender.split("@", 1)[0] in BOUNCE_SENDERS:
        return f"bounce or delivery report (from {sender})"
    content_type = _clean(_header(h, "Content-Type")).lower()
    if content_type.startswith("multipart/report"):
        kind = re.search(r"report-type\s*=\s*\"?([a-z-]+)", content_type)
        return f"delivery or read report (multipart/report; {kind.group(1) if kind else '?'})"
    if AUTO_SUBJECTS.match(_clean(_decoded_subject(h))):
        return "automatic reply (out-of-office or delivery subject)"
    return None


def html_to_text(html: str) -> str:
    """Readable plain text from HTML: no tags, scripts or styles; paragraphs kept."""
    parser = _TextFromHtml()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser copes with most things; never fail an email on it
        return re.sub(r"<[^>]*>", " ", html)
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def trim_quoted(text: str) -> str:
    """The new words of a reply: quoted history and signatures cut (the raw keeps them)."""
    kept: list[str] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(">"):
            # The quote itself, and the "On … wrote:" line that introduced it.
            if kept and re.search(r"wrote:\s*$", kept[-1].strip()):
                kept.pop()
            break
        if re.match(r"^on\b.{0,200}\bwrote:\s*$", stripped, re.IGNORECASE) or (
            re.match(r"^on\b", stripped, re.IGNORECASE) and index + 1 < len(lines)
            and re.search(r"wrote:\s*$", lines[index + 1])):
            break
        if re.match(r"^-{2,}\s*original message\s*-{2,}$", stripped, re.IGNORECASE):
            break
        if re.match(r"^_{10,}$", stripped):
            break
        if re.match(r"^from:\s", stripped, re.IGNORECASE) and any(
                re.match(r"^(sent|date):\s", lines[j].strip(), re.IGNORECASE)
                for j in range(index + 1, min(index + 4, len(lines)))):
            break
        if line.rstrip() == "--" or line == "-- ":
            break
        kept.append(line)
    result = "\n".join(kept).strip()
    return result or text.strip()


# ============================================================================ internals


def _take_in_stored(inbound: InboundMessage, *, now: datetime) -> InboundOutcome:
    raw = bytes(inbound.raw)
    inbound.attempts += 1
    inbound.save(update_fields=["attempts"])
    headers = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    reason = automatic_reason(headers)
    if reason is None and _is_our_address(parseaddr(_clean(_header(headers, "From")))[1]):
        reason = "sent from one of our own addresses"
    if reason is not None:
        return _finish(inbound, InboundStatus.IGNORED, now=now,
                       reason=f"Ignored: {reason}. No contact, no case, no reply.")
    try:
        parsed = parse_email(raw)
        if not parsed.from_address:
            raise Unreadable("There is no sender address we could reply to")
        try:
            sender = normalise_email(parsed.from_address, field="from")
        except InvalidInput:
            raise Unreadable(f"The sender address {parsed.from_address!r} is not valid") from None
        if _is_our_address(sender):
            return _finish(inbound, InboundStatus.IGNORED, now=now,
                           reason="Ignored: sent from one of our own addresses.")
        with transaction.atomic():
            outcome = _make_contact(inbound, parsed, sender=sender, now=now)
    except Unreadable as error:
        return _finish(inbound, InboundStatus.UNPROCESSED, now=now, reason=str(error))
    except FrontDoorError as error:
        return _finish(inbound, InboundStatus.UNPROCESSED, now=now,
                       reason=f"Could not be taken in: {error.message}")
    except Exception as error:  # never lose the email to a bug: keep it for staff
        log.exception("inbound email %s could not be taken in", inbound.pk)
        return _finish(inbound, InboundStatus.UNPROCESSED, now=now,
                       reason=f"Could not be taken in ({type(error).__name__}): {error}")
    return outcome


def _make_contact(
    inbound: InboundMessage, parsed: ParsedEmail, *, sender: str, now: datetime
) -> InboundOutcome:
    customer = _customer_for(sender, parsed.from_name, now=now)
    case, why_joined = case_for_reply(parsed)
    checked, refused = _check_attachments(parsed.attachments)
    body = trim_quoted(parsed.body)
    summary_parts = [parsed.subject or "(no subject)", body or "(no text)"]
    if parsed.html_only:
        summary_parts.append("[Sent as HTML only: shown here as plain text]")
    if refused:
        summary_parts.append("Attachments not kept: " + "; ".join(refused))
    summary = "\n\n".join(summary_parts)[:SUMMARY_CHARS]
    key = f"email:{hashlib.sha256(inbound.message_id.encode()).hexdigest()[:40]}" \
        if inbound.message_id else None
    received_at = inbound.received_at
    to_address = _our_recipient(parsed.recipients) or (parsed.recipients[:1] or [""])[0]
    if case is not None:
        contact = log_contact(channel="email", customer=customer, received_at=received_at,
                              service_code=case.service_code or None, summary=summary,
                              handled_by=None, now=now, idempotency_key=key)
        attention = _join_case(case, contact, customer, why_joined, now=now)
        for upload in checked:
            add_attachment(case=case, upload=upload, source="email", by=None, now=now,
                           contact=contact)
        reason = f"Joined {case.reference}: {why_joined}." + _notes(parsed)
        if attention:
            reason += " " + attention
        return _finish(inbound, InboundStatus.PROCESSED, now=now, reason=reason,
                       contact=contact, case_reference=case.reference,
                       needs_attention=bool(attention))
    guess = route_to_service(text=f"{parsed.subject}\n{body}", to_address=to_address)
    contact = log_contact(channel="email", customer=customer, received_at=received_at,
                          service_code=guess.service_code, summary=summary, handled_by=None,
                          now=now, idempotency_key=key)
    new_case = open_case(
        case_type=_case_type_for(guess, to_address), service_code=guess.service_code,
        customer=customer, contact=contact,
        title=parsed.subject or "Email without a subject",
        description=body or parsed.subject, received_at=received_at, channel="email",
        by=None, now=now, idempotency_key=key,
    )
    CaseEvent.objects.create(
        case=new_case, at=now, by=None, kind=EventKind.NOTE_ADDED,
        summary=f"Routed from email to {guess.service_code} ({guess.confidence:.0%} sure): "
                + "; ".join(guess.reasons),
        data={"routing": guess.as_dict(), "inbound_email_id": inbound.pk,
              "to_address": to_address},
    )
    for upload in checked:
        add_attachment(case=new_case, upload=upload, source="email", by=None, now=now,
                       contact=contact)
    return _finish(inbound, InboundStatus.PROCESSED, now=now, contact=contact,
                   case_reference=new_case.reference, opened=True,
                   reason=f"New case {new_case.reference} for {guess.service_code} "
                          f"({guess.confidence:.0%} sure)." + _notes(parsed))


def _notes(parsed: ParsedEmail) -> str:
    return "".join(f" Note: {note}." for note in parsed.notes)


def _join_case(
    case: Case, contact: Contact, customer: Customer, why: str, *, now: datetime
) -> str:
    """Link the reply to the case (system, not a person); what a person must decide, if any."""
    CaseContact.objects.get_or_create(case=case, contact=contact, defaults={"linked_at": now})
    on_case = case.parties.filter(customer=customer).exists()
    CaseEvent.objects.create(
        case=case, at=now, by=None, kind=EventKind.INFORMATION_ADDED,
        summary="The customer replied by email" if on_case else
        "An email about this case arrived from someone who is not on it",
        data={"contact_id": contact.pk, "matched_by": why}, customer_visible=on_case,
    )
    record_change(actor=None, action="case.contact_linked", object_type="case",
                  object_id=case.pk, summary=f"{case.reference}: email contact linked",
                  data={"contact_id": contact.pk, "matched_by": why}, at=now)
    record_contact_outcome(contact=contact, outcome=ContactOutcome.CASE_LINKED,
                           note=case.reference, by=None, now=now)
    attention = []
    if not on_case:
        attention.append("The sender is not on the case: check before sharing anything.")
    if case.status in (Status.RESOLVED, Status.CLOSED):
        attention.append(f"The case is {case.get_status_display().lower()}: reopening it is a "
                         "staff decision.")
    elif case.status == Status.WAITING_ON_CUSTOMER:
        attention.append("The case is waiting on the customer: restart its clock if this is "
                         "what was needed.")
    if attention:
        CaseEvent.objects.create(case=case, at=now, by=None, kind=EventKind.NOTE_ADDED,
                                 summary="Email reply needs a decision: " + " ".join(attention),
                                 data={"contact_id": contact.pk})
    return " ".join(attention)


def _customer_for(address: str, name: str, *, now: datetime) -> Customer:
    """The live customer with exactly this email address (oldest first), or a new one."""
    match = (live_customers().filter(emails__address=address)
             .order_by("-emails__is_primary", "pk").first())
    if match is not None:
        return match
    given, family = _split_name(name, address)
    return create_customer(kind="person", given_name=given, family_name=family,
                           emails=[address], preferred_channel="email", by=None, now=now)


def _split_name(name: str, address: str) -> tuple[str, str]:
    name = re.sub(r"[\"<>@]", " ", name or "").strip()
    if not name or "@" in (name or ""):
        return "", address.split("@", 1)[0][:100]
    if "," in name:  # "Smith, Jane"
        family, _, given = name.partition(",")
        return given.strip()[:100], family.strip()[:100]
    parts = name.split()
    return " ".join(parts[:-1])[:100], parts[-1][:100]


def _check_attachments(files: list[tuple[str, bytes]]) -> tuple[list[CheckedFile], list[str]]:
    checked: list[CheckedFile] = []
    refused: list[str] = []
    for name, content in files:
        try:
            checked.append(check_upload(name=name, content=content, field="attachment"))
        except InvalidInput as error:
            refused.append(f"{name} ({error.message})")
    return checked, refused


def _case_type_for(guess: RoutingGuess, to_address: str) -> str:
    council = current_council()
    service = council.service(guess.service_code)
    if service.case_type in EMAIL_CASE_TYPES:
        return str(service.case_type)
    team = council.team(service.team)
    if service.case_type != CaseType.CALLBACK and to_address and \
            team.email.strip().lower() == to_address and \
            to_address != council.council.email.strip().lower():
        return str(service.case_type)
    return CaseType.ENQUIRY


def _case_of_outbox_digests(digests: list[str], sender: str) -> str:
    """The case of an outbox message whose Message-ID digest is one of `digests`.

    The outbox stores the idempotency key, not the header, so we hash candidates: first the
    messages we sent to this sender, then the most recent case messages.
    """
    wanted = set(digests)
    candidates = OutboxMessage.objects.filter(subject_type="case")
    mine = candidates.filter(recipient__email=sender.lower()) if sender else candidates.none()
    for query in (mine, candidates.order_by("-id")[:50_000]):
        for key, subject_id in query.values_list("idempotency_key", "subject_id").iterator():
            if hashlib.sha256(key.encode()).hexdigest()[:32] in wanted:
                return str(subject_id)
    return ""


def _our_addresses() -> set[str]:
    council = current_council()
    ours = {council.council.email.strip().lower()}
    ours |= {t.email.strip().lower() for t in council.teams if t.email}
    for configured in (getattr(settings, "DEFAULT_FROM_EMAIL", ""),):
        ours.add(parseaddr(configured)[1].lower())
    return {a for a in ours if a and not a.endswith("@localhost")}


def _is_our_address(address: str) -> bool:
    return bool(address) and address.strip().lower() in _our_addresses()


def _our_recipient(recipients: list[str]) -> str:
    ours = _our_addresses()
    general = current_council().council.email.strip().lower()
    # A team mailbox says more than the council's general address.
    for address in recipients:
        if address in ours and address != general:
            return address
    return general if general in recipients else ""


def _finish(
    inbound: InboundMessage, status: str, *, now: datetime, reason: str,
    contact: Contact | None = None, case_reference: str = "", opened: bool = False,
    needs_attention: bool = False,
) -> InboundOutcome:
    inbound.status = status
    inbound.reason = reason
    inbound.contact = contact
    inbound.case_reference = case_reference
    inbound.needs_attention = needs_attention
    inbound.updated_at = now
    inbound.save(update_fields=["status", "reason", "contact", "case_reference",
                                "needs_attention", "updated_at"])
    return InboundOutcome(inbound_id=inbound.pk, status=status, reason=reason,
                          contact_id=contact.pk if contact else None,
                          case_reference=case_reference, opened_case=opened,
                          needs_attention=needs_attention)


def _record_duplicate(
    earlier: InboundMessage, *, raw: bytes, digest: str, source: str, received_at: datetime,
    now: datetime,
) -> InboundOutcome:
    same = earlier.raw_sha256 == digest
    reason = (f"Duplicate of inbound email {earlier.pk} (same Message-ID"
              + (", same content)." if same else
                 ", DIFFERENT content: kept raw, check it by hand)."))
    duplicate = InboundMessage.objects.create(
        source=source, message_id=None, raw=b"" if same else raw, raw_size=len(raw),
        raw_sha256=digest, received_at=received_at, from_address=earlier.from_address,
        to_address=earlier.to_address, subject=earlier.subject,
        status=InboundStatus.DUPLICATE, reason=reason, needs_attention=not same,
        contact=earlier.contact, case_reference=earlier.case_reference,
        created_at=now, updated_at=now,
    )
    return InboundOutcome(inbound_id=duplicate.pk, status=InboundStatus.DUPLICATE,
                          reason=reason, contact_id=earlier.contact_id,
                          case_reference=earlier.case_reference, needs_attention=not same)


def _headers_only(raw: bytes) -> Message:
    return BytesHeaderParser(policy=policy.compat32).parsebytes(raw)


def _message_id(headers: Message, digest: str) -> str:
    value = _clean(_header(headers, "Message-ID")).strip().strip("<>").strip()
    if not value or len(value) > 250 or any(c.isspace() for c in value):
        return f"sha256:{digest}"
    return value


def _header(message: Message, name: str) -> str:
    """A header as text; a header the parser cannot make sense of comes back raw, not raised."""
    try:
        value = message.get(name)
    except Exception:
        raw_values = [v for k, v in message.raw_items() if k.lower() == name.lower()] \
            if hasattr(message, "raw_items") else []
        return str(raw_values[0]) if raw_values else ""
    return "" if value is None else str(value)


def _decoded_subject(message: Message) -> str:
    """The subject with RFC 2047 encoded words decoded, whatever the parser's policy."""
    from email.header import decode_header

    text = _header(message, "Subject")
    if "=?" not in text:
        return text
    try:
        pieces = decode_header(text)
    except Exception:
        return text
    out = []
    for value, charset in pieces:
        if isinstance(value, bytes):
            out.append(_decode_bytes(value, charset))
        else:
            out.append(value)
    return "".join(out)


def _decode_bytes(data: bytes, charset: str | None) -> str:
    for candidate in (charset, "utf-8"):
        if not candidate or candidate.lower() in {"unknown-8bit", "x-unknown"}:
            continue
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    # Most unlabelled 8-bit email in the UK is Windows-1252; nothing fails to decode there.
    return data.decode("windows-1252", errors="replace")


def _clean(text: str) -> str:
    """Text safe to store: stray undecoded bytes decoded as Windows-1252, no NULs."""
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        text = _decode_bytes(text.encode("utf-8", "surrogateescape"), "utf-8")
    return text.replace("\x00", "")


def _sender(message: EmailMessage) -> tuple[str, str]:
    try:
        header = message["From"]
        addresses: tuple[Address, ...] = getattr(header, "addresses", ()) if header else ()
    except Exception:
        addresses = ()
    for address in addresses:
        if address.addr_spec and "@" in address.addr_spec:
            return _clean(address.display_name or ""), _clean(address.addr_spec)
    name, addr = parseaddr(_clean(_header(message, "From")))
    if addr and re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", addr):
        return name, addr
    return "", ""


def _body_text(message: EmailMessage, notes: list[str]) -> tuple[str, bool]:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", False
    text = _part_text(part, notes)
    if part.get_content_subtype() == "html":
        return _clean(html_to_text(text)), True
    return _clean(text), False


def _part_text(part: Message, notes: list[str]) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except (LookupError, UnicodeError, AssertionError, KeyError, ValueError):
        pass
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(payload or "")
    charset = part.get_content_charset()
    text = _decode_bytes(payload, charset)
    notes.append(f"text in an unknown character set ({charset or 'none'}): read as best we can")
    return text


def _attachments(message: EmailMessage, notes: list[str]) -> list[tuple[str, bytes]]:
    files: list[tuple[str, bytes]] = []
    body = message.get_body(preferencelist=("plain", "html"))
    for part in message.walk():
        if part.is_multipart() or part is body:
            continue
        disposition = part.get_content_disposition()
        try:
            filename = part.get_filename()
        except Exception:
            filename = None
        if disposition != "attachment" and not (
                filename and part.get_content_maintype() not in {"text", "message"}):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            notes.append(f"attachment {filename or '(unnamed)'} could not be decoded")
            continue
        files.append((_clean(filename or "attachment"), payload))
    return files


class _TextFromHtml(HTMLParser):
    _SKIP = {"script", "style", "head", "title", "template", "noscript"}
    _BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
              "blockquote", "ul", "ol", "section", "article", "header", "footer", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        self._quoting = 0  # inside <blockquote>: written as "> " lines so trim_quoted cuts it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")
        if tag == "blockquote":
            self._quoting += 1
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")
        if tag == "blockquote":
            self._quoting = max(0, self._quoting - 1)

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._quoting and data.strip():
            data = "\n".join(f"> {line}" for line in data.splitlines())
        self.parts.append(data)
