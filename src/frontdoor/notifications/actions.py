"""Notifications: functions that change state.

Other flows call ONE function, `queue_message`, inside their own transaction. Everything
else here is the outbox's own machinery (sending, retries, the sweep, receipts), the staff
decisions on messages that need a person, templates and topic broadcasts.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q

from frontdoor.core.errors import InvalidInput, NotFound
from frontdoor.core.time import london_wall_time, require_aware, to_london
from frontdoor.council.config import Notifications
from frontdoor.notifications import letters
from frontdoor.notifications.council_settings import council_contact, notification_settings
from frontdoor.notifications.errors import NoChannel, ProviderError, WrongMessageState
from frontdoor.notifications.events import EventSpec, event_spec
from frontdoor.notifications.models import (
    CLAIMABLE,
    NEEDS_ATTENTION,
    Broadcast,
    BroadcastStatus,
    Channel,
    Message,
    MessageStatusChange,
    MessageTemplate,
    Status,
    Subscription,
    Topic,
)
from frontdoor.notifications.providers import (
    LookupResult,
    NotifyProvider,
    PrintProvider,
    Provider,
    SmtpProvider,
)
from frontdoor.notifications.readability import ReadabilityReport, check_readability
from frontdoor.notifications.recipients import Formats, Recipient
from frontdoor.notifications.templates import (
    CHANNELS,
    TemplateText,
    check_placeholders,
    default_template,
    out_of_office_notice,
    render,
    require_event_fields,
)

__all__ = ["Formats", "Recipient", "queue_message"]

log = logging.getLogger(__name__)

# Retries: exponential backoff with jitter from 1 minute, capped at 6 hours; after 72 hours
# of trying the message is permanently failed and shown to staff.
RETRY_FIRST = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=6)
RETRY_HORIZON = timedelta(hours=72)
# A message "sending" for longer than this was abandoned by a worker that died.
SENDING_LEASE = timedelta(minutes=10)
PRIORITY_EMERGENCY = 10
PRIORITY_PERSONAL = 5
PRIORITY_BULK = 0
FANOUT_CHUNK = 5000


def _per_minute_default() -> int:
    return int(os.environ.get("FRONTDOOR_SEND_PER_MINUTE", "3000"))  # Notify's default limit


# ------------------------------------------------------------------------ status changes


def _set_status(message: Message, status: str, at: datetime, detail: str = "") -> None:
    message.status = status
    message.status_changed_at = at
    if status in NEEDS_ATTENTION:
        message.staff_decided_at = None  # a new problem needs a new decision
    message.save()
    MessageStatusChange.objects.create(message=message, status=status, at=at, detail=detail)


# ------------------------------------------------------------------------ choosing where


def _usable(channel: str, recipient: Recipient, config: Notifications) -> bool:
    if channel == Channel.EMAIL:
        return bool(recipient.email)
    if channel == Channel.SMS:
        return bool(recipient.phone_e164) and config.sms_provider != "none"
    return bool(recipient.address_lines)


_FALLBACKS = {
    "email": ("email", "letter", "sms"),
    "sms": ("sms", "email", "letter"),
    "letter": ("letter", "email", "sms"),
}


def choose_channel(spec: EventSpec, recipient: Recipient, config: Notifications) -> str:
    """The person's preferred channel, else the next one we can reach them on."""
    order = _FALLBACKS.get(recipient.preferred_channel)
    if order is None:
        raise InvalidInput(
            "recipient.preferred_channel", "invalid", "preferred_channel is email, sms or letter"
        )
    allowed = spec.channels or CHANNELS
    for channel in order:
        if channel in allowed and _usable(channel, recipient, config):
            return channel
    raise NoChannel(
        f"{recipient.name or 'This person'} has no contact detail we can use for "
        f"“{spec.name}” (it can go by {', '.join(allowed)})."
    )


def choose_provider(channel: str, recipient: Recipient, config: Notifications) -> str:
    if channel == Channel.EMAIL:
        return config.email_provider
    if channel == Channel.SMS:
        return "notify"
    # Braille must be embossed by the council: the post room sends the print copy with it.
    if recipient.formats.braille:
        return "print"
    return config.letter_provider


def _quiet_hours_end(now: datetime, config: Notifications) -> datetime | None:
    """When the quiet hours around `now` end, or None if `now` is not in them."""
    local = to_london(now)
    quiet = config.quiet_hours
    if not quiet.contains(local.time().replace(tzinfo=None)):
        return None
    day = local.date() if local.time() < quiet.end else local.date() + timedelta(days=1)
    try:
        return london_wall_time(day, quiet.end)
    except InvalidInput:  # the end falls in a clock change: an hour later is safe
        return london_wall_time(day, quiet.end.replace(hour=(quiet.end.hour + 1) % 24))


# ------------------------------------------------------------------------------ templates


def current_template(event: str, channel: str, language: str) -> TemplateText:
    """The words in use now: the newest saved version, else English, else the default."""
    for lang in dict.fromkeys([language, "en"]):
        saved = MessageTemplate.objects.filter(
            event=event, channel=channel, language=lang, is_current=True
        ).first()
        if saved is not None:
            return TemplateText(saved.subject, saved.body, saved.version)
    return default_template(event, channel)


def _values(
    spec: EventSpec, data: Mapping[str, Any], recipient: Recipient, config: Notifications
) -> dict[str, Any]:
    contact = council_contact(recipient.language)
    values: dict[str, Any] = {
        "council_name": contact.name,
        "council_phone": contact.phone,
        "recipient_name": recipient.name,
        **{k: v for k, v in data.items() if k in spec.placeholders},
    }
    if "officer_name" in values and not config.show_officer_names:
        values["officer_name"] = "A member of our team"
    return values


def render_message(
    *,
    event: str,
    channel: str,
    language: str,
    data: Mapping[str, Any],
    recipient: Recipient,
    template: TemplateText | None = None,
) -> tuple[str, str, int | None]:
    """Subject, body and template version for one message, as the person will read it."""
    spec = event_spec(event)
    config = notification_settings()
    chosen = template or current_template(event, channel, language)
    values = _values(spec, data, recipient, config)
    subject = render(chosen.subject, values) if channel != Channel.SMS else ""
    body = render(chosen.body, values)
    notice = data.get("out_of_office")
    if notice and channel == Channel.EMAIL:
        officer = str(values.get("officer_name", ""))
        body = out_of_office_notice(notice, officer_name=officer) + "\n\n" + body
    return subject, body, chosen.version


def save_template_version(
    *, event: str, channel: str, language: str, subject: str, body: str, by_label: str,
    now: datetime,
) -> tuple[MessageTemplate, ReadabilityReport]:
    """Save new words for an event as the current version; unknown placeholders are refused."""
    require_aware(now)
    spec = event_spec(event)
    if channel not in CHANNELS:
        raise InvalidInput("channel", "invalid", "channel is email, sms or letter")
    if not body.strip():
        raise InvalidInput("body", "required", "Write the message.")
    check_placeholders(spec, subject=subject, body=body)
    report = template_readability(subject=subject, body=body)
    with transaction.atomic():
        existing = MessageTemplate.objects.select_for_update().filter(
            event=event, channel=channel, language=language
        )
        latest = existing.aggregate(v=Max("version"))["v"] or 0
        existing.filter(is_current=True).update(is_current=False)
        template = MessageTemplate.objects.create(
            event=event, channel=channel, language=language, version=latest + 1,
            subject=subject, body=body, created_by_label=by_label, created_at=now,
            is_current=True,
        )
    return template, report


def template_readability(*, subject: str, body: str) -> ReadabilityReport:
    config = notification_settings()
    return check_readability(
        f"{subject}.\n\n{body}" if subject else body,
        reading_age_max=config.reading_age_max,
        max_sentence_words=config.max_sentence_words,
        jargon=config.jargon,
        acronyms=config.acronyms,
    )


# ---------------------------------------------------------------------- the one interface


def queue_message(
    *,
    event: str,
    recipient: Recipient,
    data: Mapping[str, Any],
    idempotency_key: str,
    subject_ref: tuple[str, str] | None = None,
    customer_ref: int | None = None,
    now: datetime,
    send_after: datetime | None = None,
) -> list[Message]:
    """Write the message(s) for an event into the outbox; they are sent after the commit.

    Call inside the transaction of the change that caused the message. The same
    idempotency_key again returns the messages already written and writes nothing.
    `send_after` holds a reminder until a date (renewals, bills, appointment reminders).
    """
    require_aware(now)
    if send_after is not None:
        require_aware(send_after)
    if not idempotency_key or len(idempotency_key) > 200:
        raise InvalidInput("idempotency_key", "invalid", "give an idempotency key (1-200 chars)")
    existing = list(Message.objects.filter(idempotency_key=idempotency_key))
    if existing:
        return existing
    spec = require_event_fields(event, data)
    config = notification_settings()
    channel = choose_channel(spec, recipient, config)
    provider = choose_provider(channel, recipient, config)
    subject, body, version = render_message(
        event=event, channel=channel, language=recipient.language, data=data,
        recipient=recipient,
    )
    due = max(now, send_after) if send_after else now
    if channel == Channel.SMS and not recipient.sms_quiet_hours_ok:
        due = _quiet_hours_end(due, config) or due
    message = Message(
        idempotency_key=idempotency_key, event=event, channel=channel, provider=provider,
        language=recipient.language, recipient=recipient.snapshot(),
        formats={"large_print": recipient.formats.large_print,
                 "braille": recipient.formats.braille},
        subject=subject[:300], body=body, template_version=version,
        priority=PRIORITY_PERSONAL, next_attempt_at=due,
        subject_type=subject_ref[0] if subject_ref else "",
        subject_id=subject_ref[1] if subject_ref else "",
        customer_id=customer_ref, created_at=now, status_changed_at=now,
    )
    try:
        with transaction.atomic():
            message.save()
            detail = "queued" if due == now else f"held until {to_london(due):%-d %b %Y %H:%M}"
            MessageStatusChange.objects.create(
                message=message, status=Status.QUEUED, at=now, detail=detail
            )
    except IntegrityError:
        # Someone queued the same key at the same moment: theirs is the message.
        return list(Message.objects.filter(idempotency_key=idempotency_key))
    if due <= now:
        transaction.on_commit(partial(enqueue_send, message.pk))
    return [message]


def enqueue_send(message_id: int, run_after: datetime | None = None) -> None:
    """Ask a worker to send a message now (or after `run_after`); the sweep is the backstop."""
    from frontdoor.notifications.tasks import send_message_task

    try:
        task = send_message_task.using(run_after=run_after) if run_after else send_message_task
        task.enqueue(message_id)
    except Exception:  # the message row is safe; the sweep will find it due
        log.warning("could not enqueue message %s; the outbox sweep will send it", message_id,
                    exc_info=True)


def cancel_message(*, idempotency_key: str, by_label: str, now: datetime) -> Message | None:
    """Stop a message that has not gone yet (a reminder for a date that moved)."""
    require_aware(now)
    with transaction.atomic():
        message = _locked(Message.objects.filter(idempotency_key=idempotency_key)).first()
        if message is None or message.status not in CLAIMABLE:
            return message
        _set_status(message, Status.CANCELLED, now, f"cancelled by {by_label}")
    return message


# --------------------------------------------------------------------------------- sending


def _locked(queryset: Any) -> Any:
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset  # SQLite: the IMMEDIATE transaction already holds the write lock


def retry_delay(message: Message) -> timedelta:
    """Exponential backoff (1 min doubling to 6 h) with a jitter that spreads a burst."""
    base = min(RETRY_FIRST * (2 ** max(message.attempts - 1, 0)), RETRY_CAP)
    digest = hashlib.sha256(f"{message.pk}:{message.attempts}".encode()).digest()
    share = 0.5 + digest[0] / 510  # 0.5 .. 1.0, the same for the same attempt
    return base * share


def _claim(message_id: int, now: datetime, config: Notifications) -> Message | None:
    """Mark a due message "sending" and commit, so at most one worker talks to a provider."""
    with transaction.atomic():
        message = _locked(
            Message.objects.filter(
                pk=message_id, status__in=CLAIMABLE, next_attempt_at__lte=now
            )
        ).first()
        if message is None:
            return None
        if (
            message.channel == Channel.SMS
            and message.priority < PRIORITY_EMERGENCY
            and not message.recipient.get("sms_quiet_hours_ok")
        ):
            quiet_end = _quiet_hours_end(now, config)
            if quiet_end is not None:
                message.next_attempt_at = quiet_end
                message.save(update_fields=["next_attempt_at"])
                return None
        message.attempts += 1
        message.sending_started_at = now
        _set_status(message, Status.SENDING, now, f"attempt {message.attempts}")
    return message


def provider_named(name: str) -> Provider:
    if name == "smtp":
        return SmtpProvider(
            from_email=os.environ.get("FRONTDOOR_EMAIL_FROM", ""),
            domain=council_contact().email_domain,
        )
    if name == "notify":
        return NotifyProvider.from_environment()
    if name == "print":
        return PrintProvider()
    raise InvalidInput("provider", "unknown", f"unknown provider {name!r}")


def _prepare_letter(message: Message) -> None:
    """Make the letter's PDF (and BRF) once, from the words frozen at queue time."""
    if message.channel != Channel.LETTER or message.attachments.get("pdf"):
        return
    recipient = Recipient.from_snapshot(message.recipient)
    contact = council_contact(message.language)
    content = letters.LetterContent(
        council_name=contact.name, council_phone=contact.phone,
        address_lines=(recipient.name, *recipient.address_lines),
        subject=message.subject, body=message.body, language=message.language,
        dated=message.created_at,
    )
    folder = Path("notifications") / "letters" / str(message.pk)
    (Path(settings.MEDIA_ROOT) / folder).mkdir(parents=True, exist_ok=True)
    made = {"pdf": folder / "letter.pdf"}
    (Path(settings.MEDIA_ROOT) / made["pdf"]).write_bytes(
        letters.letter_pdf(content, large_print=recipient.formats.large_print)
    )
    if recipient.formats.braille:
        made["brf"] = folder / "letter.brf"
        (Path(settings.MEDIA_ROOT) / made["brf"]).write_bytes(letters.letter_brf(content))
    message.attachments = {k: str(v) for k, v in made.items()}
    Message.objects.filter(pk=message.pk).update(attachments=message.attachments)


def _record_failure(message: Message, error: ProviderError, now: datetime) -> None:
    with transaction.atomic():
        message.last_error = error.detail[:2000]
        if error.kind == "permanent":
            message.next_attempt_at = None
            _set_status(message, Status.PERMANENTLY_FAILED, now, error.detail)
        elif error.kind == "unknown" and message.provider == "smtp":
            message.next_attempt_at = None
            _set_status(message, Status.UNKNOWN, now, error.detail)
        elif now - message.created_at >= RETRY_HORIZON:
            message.next_attempt_at = None
            _set_status(
                message, Status.PERMANENTLY_FAILED, now,
                f"gave up after {message.attempts} attempts over "
                f"{RETRY_HORIZON.total_seconds() / 3600:g} hours: {error.detail}",
            )
        else:
            message.next_attempt_at = now + retry_delay(message)
            # An answer we never got: ask the provider before the next attempt.
            message.outcome_uncertain = error.kind == "unknown"
            _set_status(
                message, Status.FAILED, now,
                f"{error.detail}; next try {to_london(message.next_attempt_at):%-d %b %H:%M}",
            )
    if message.status == Status.FAILED:
        transaction.on_commit(partial(enqueue_send, message.pk, message.next_attempt_at))


def _apply_lookup(message: Message, found: LookupResult, now: datetime) -> bool:
    """Settle a message whose last attempt has no known outcome. True if it is settled."""
    if found.outcome == "not_sent":
        return False
    with transaction.atomic():
        if found.outcome == "sent":
            message.provider_reference = found.provider_reference
            message.outcome_uncertain = False
            _set_status(message, Status.SENT, now, f"found at the provider: {found.detail}")
        else:
            message.next_attempt_at = None
            _set_status(message, Status.UNKNOWN, now, found.detail)
    return True


def _deliver(message: Message, provider: Provider, now: datetime) -> Message:
    """Talk to the provider for a claimed message and record what happened."""
    try:
        if message.outcome_uncertain and _apply_lookup(message, provider.lookup(message), now):
            return message
        try:
            _prepare_letter(message)
        except Exception as exc:  # nothing was handed over: retry, and staff see the error
            raise ProviderError("transient", f"could not make the letter: {exc!r}") from exc
        result = provider.send(message)
    except ProviderError as error:
        _record_failure(message, error, now)
        return message
    with transaction.atomic():
        message.provider_reference = result.provider_reference
        message.last_error = ""
        message.outcome_uncertain = False
        _set_status(message, Status.SENT, now, result.detail)
    return message


def send_message(
    *, message_id: int, now: datetime, providers: dict[str, Provider] | None = None
) -> Message | None:
    """Send one due message if no other worker has it; None if it was not due or taken."""
    require_aware(now)
    message = _claim(message_id, now, notification_settings())
    if message is None:
        return None
    own = providers is None
    pool: dict[str, Provider] = {} if providers is None else providers
    if message.provider not in pool:
        pool[message.provider] = provider_named(message.provider)
    provider = pool[message.provider]
    try:
        return _deliver(message, provider, now)
    finally:
        if own:
            provider.close()


def due_message_ids(*, now: datetime, limit: int) -> list[int]:
    return list(
        Message.objects.filter(status__in=CLAIMABLE, next_attempt_at__lte=now)
        .order_by("-priority", "next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def send_due_messages(*, now: datetime, limit: int = 500) -> dict[str, int]:
    """Send up to `limit` due messages, one claim at a time; counts by resulting status."""
    require_aware(now)
    providers: dict[str, Provider] = {}
    counts: dict[str, int] = {}
    try:
        for message_id in due_message_ids(now=now, limit=limit):
            sent = send_message(message_id=message_id, now=now, providers=providers)
            if sent is not None:
                counts[sent.status] = counts.get(sent.status, 0) + 1
    finally:
        for provider in providers.values():
            provider.close()
    return counts


def recover_stuck_messages(*, now: datetime, lease: timedelta = SENDING_LEASE) -> dict[str, int]:
    """Settle messages left "sending" by a worker that died: ask the provider, else staff."""
    require_aware(now)
    counts = {"sent": 0, "resend": 0, "unknown": 0}
    stuck = Message.objects.filter(status=Status.SENDING, sending_started_at__lt=now - lease)
    providers: dict[str, Provider] = {}
    for message in stuck.order_by("id")[:1000]:
        if message.provider not in providers:
            providers[message.provider] = provider_named(message.provider)
        provider = providers[message.provider]
        try:
            found = provider.lookup(message)
        except ProviderError as error:
            log.warning("cannot settle message %s yet: %s", message.pk, error.detail)
            continue
        with transaction.atomic():
            locked = _locked(Message.objects.filter(pk=message.pk, status=Status.SENDING)).first()
            if locked is None:
                continue
            if found.outcome == "not_sent":
                locked.next_attempt_at = now
                locked.outcome_uncertain = False
                _set_status(locked, Status.FAILED, now,
                            f"the worker stopped mid-send; {found.detail}: sending again")
                counts["resend"] += 1
            elif found.outcome == "sent":
                locked.provider_reference = found.provider_reference
                _set_status(locked, Status.SENT, now,
                            f"the worker stopped mid-send; {found.detail}")
                counts["sent"] += 1
            else:
                locked.next_attempt_at = None
                _set_status(
                    locked, Status.UNKNOWN, now,
                    "the worker stopped while sending: we cannot tell whether it went. "
                    "Check with the person or the mail log, then resend or mark it sent.",
                )
                counts["unknown"] += 1
    return counts


def sweep_outbox(*, now: datetime, limit: int = 500) -> dict[str, Any]:
    """The periodic job: settle stuck messages, finish broadcasts' fan-out, send what is due."""
    recovered = recover_stuck_messages(now=now)
    for broadcast_id in Broadcast.objects.filter(
        status=BroadcastStatus.FANNING_OUT, created_at__lt=now - SENDING_LEASE
    ).values_list("id", flat=True):
        fan_out_broadcast(broadcast_id=broadcast_id, now=now)
    sent = send_due_messages(now=now, limit=limit)
    return {"recovered": recovered, "sent": sent}


# ------------------------------------------------------------------------ receipts, staff

# Notify's callback statuses (https://docs.notifications.service.gov.uk/python.html).
_RECEIPT_STATUSES = {
    "delivered": Status.DELIVERED,
    "permanent-failure": Status.PERMANENTLY_FAILED,
    "temporary-failure": Status.FAILED,
    "technical-failure": Status.FAILED,
}


def record_delivery_receipt(
    *, provider_reference: str, status: str, at: datetime, detail: str = ""
) -> Message:
    """Apply a provider's delivery receipt; a repeated receipt changes nothing."""
    require_aware(at)
    new_status = _RECEIPT_STATUSES.get(status)
    if new_status is None:
        raise InvalidInput("status", "invalid", f"unknown delivery status {status!r}")
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(
            provider_reference=provider_reference
        ).first()
        if message is None:
            raise NotFound(f"no message with provider reference {provider_reference!r}")
        if message.status in (Status.DELIVERED, Status.PERMANENTLY_FAILED, Status.CANCELLED):
            return message
        text = f"provider receipt: {status}" + (f" ({detail})" if detail else "")
        if new_status == Status.FAILED:
            message.last_error = text
            if at - message.created_at >= RETRY_HORIZON:
                message.next_attempt_at = None
                _set_status(message, Status.PERMANENTLY_FAILED, at, text)
                return message
            message.next_attempt_at = at + retry_delay(message)
        _set_status(message, new_status, at, text)
    return message


def _decide(message: Message, allowed: Iterable[str], by_label: str, now: datetime) -> Message:
    require_aware(now)
    locked = Message.objects.select_for_update().get(pk=message.pk)
    if locked.status not in allowed:
        raise WrongMessageState(
            f"This message is {locked.get_status_display().lower()}; nothing was changed."
        )
    locked.staff_decided_at = now
    locked.staff_decided_by = by_label
    return locked


def resend_unknown_message(*, message: Message, by_label: str, now: datetime) -> Message:
    """Staff decided a message with an unknown outcome should go again."""
    with transaction.atomic():
        locked = _decide(message, (Status.UNKNOWN, Status.PERMANENTLY_FAILED), by_label, now)
        locked.next_attempt_at = now
        locked.outcome_uncertain = False
        _set_status(locked, Status.QUEUED, now, f"{by_label} asked to send it again")
    transaction.on_commit(partial(enqueue_send, locked.pk))
    return locked


def mark_message_sent(*, message: Message, by_label: str, now: datetime, note: str) -> Message:
    """Staff confirmed (from the mail log or the person) that an unknown message arrived."""
    with transaction.atomic():
        locked = _decide(message, (Status.UNKNOWN,), by_label, now)
        _set_status(locked, Status.SENT, now, f"{by_label} confirmed it was sent: {note}")
    return locked


def abandon_message(*, message: Message, by_label: str, now: datetime, reason: str) -> Message:
    """Staff decided a message needing attention should not go (they told the person)."""
    with transaction.atomic():
        locked = _decide(
            message, (Status.UNKNOWN, Status.PERMANENTLY_FAILED, Status.FAILED), by_label, now
        )
        locked.next_attempt_at = None
        _set_status(locked, Status.CANCELLED, now, f"{by_label} abandoned it: {reason}")
    return locked


# ------------------------------------------------------------------------------ broadcasts


def create_topic(*, code: str, name: str) -> Topic:
    topic, _ = Topic.objects.get_or_create(code=code, defaults={"name": name})
    return topic


def subscribe(
    *, topic_code: str, recipient: Recipient, channel: str, now: datetime, area: str = "",
    customer_ref: int | None = None,
) -> Subscription:
    """Sign a person up for a topic (optionally only for one ward)."""
    require_aware(now)
    topic = Topic.objects.filter(code=topic_code).first()
    if topic is None:
        raise InvalidInput("topic", "unknown", f"unknown topic {topic_code!r}")
    if not _usable(channel, recipient, notification_settings()):
        raise NoChannel(f"{recipient.name} has no contact detail for {channel}")
    return Subscription.objects.create(
        topic=topic, customer_id=customer_ref, recipient=recipient.snapshot(), area=area,
        channel=channel, unsubscribe_token=secrets.token_urlsafe(32), created_at=now,
    )


def unsubscribe(*, token: str, now: datetime) -> Subscription:
    """Stop a subscription from the link in a topic message (a second click is harmless)."""
    require_aware(now)
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(
            unsubscribe_token=token
        ).first()
        if subscription is None:
            raise NotFound("This unsubscribe link is not valid.")
        if subscription.unsubscribed_at is None:
            subscription.unsubscribed_at = now
            subscription.save(update_fields=["unsubscribed_at"])
    return subscription


def unsubscribe_url(token: str) -> str:
    base = os.environ.get("FRONTDOOR_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/subscriptions/unsubscribe/{token}"


def _audience(broadcast: Broadcast) -> Any:
    audience = Subscription.objects.filter(topic=broadcast.topic, unsubscribed_at__isnull=True)
    if broadcast.area:
        audience = audience.filter(Q(area=broadcast.area) | Q(area=""))
    return audience


def start_broadcast(
    *, topic_code: str, subject: str, body: str, emergency: bool, by_label: str,
    now: datetime, area: str = "", per_minute: int | None = None,
) -> Broadcast:
    """Send news to every subscriber of a topic (in an area); written and sent by tasks."""
    require_aware(now)
    topic = Topic.objects.filter(code=topic_code).first()
    if topic is None:
        raise InvalidInput("topic", "unknown", f"unknown topic {topic_code!r}")
    if not subject.strip() or not body.strip():
        raise InvalidInput("body", "required", "Write a subject and a message.")
    rate = per_minute or _per_minute_default()
    if rate <= 0:
        raise InvalidInput("per_minute", "invalid", "per_minute must be positive")
    send_from = now
    if not emergency:
        # Queue behind broadcasts still going out, so together they keep to the limit.
        later = Message.objects.filter(
            broadcast__isnull=False, status__in=CLAIMABLE, next_attempt_at__gt=now
        ).aggregate(last=Max("next_attempt_at"))["last"]
        send_from = max(now, later) if later else now
    with transaction.atomic():
        broadcast = Broadcast.objects.create(
            topic=topic, area=area, subject=subject, body=body, emergency=emergency,
            created_by_label=by_label, created_at=now, send_from=send_from, per_minute=rate,
        )
        broadcast.total = _audience(broadcast).count()
        broadcast.save(update_fields=["total"])
    from frontdoor.notifications.tasks import fan_out_broadcast_task

    transaction.on_commit(partial(fan_out_broadcast_task.enqueue, broadcast.pk))
    return broadcast


def fan_out_broadcast(*, broadcast_id: int, now: datetime, chunk: int = FANOUT_CHUNK) -> Broadcast:
    """Write one message per subscriber in chunks, each slotted to keep to the send limit.

    Each chunk commits with the cursor, so a crash resumes where it stopped and never
    writes a subscriber twice (the idempotency key is broadcast:<id>:<subscription id>).
    """
    require_aware(now)
    config = notification_settings()
    spec = event_spec("topic_broadcast")
    templates: dict[tuple[str, str], TemplateText] = {}
    interval = timedelta(minutes=1) / Broadcast.objects.get(pk=broadcast_id).per_minute
    while True:
        with transaction.atomic():
            broadcast = _locked(Broadcast.objects.filter(pk=broadcast_id)).first()
            if broadcast is None or broadcast.status != BroadcastStatus.FANNING_OUT:
                return Broadcast.objects.get(pk=broadcast_id)
            batch = list(
                _audience(broadcast).filter(id__gt=broadcast.fanout_cursor).order_by("id")[:chunk]
            )
            if not batch:
                broadcast.status = BroadcastStatus.SENDING
                broadcast.save(update_fields=["status"])
                return broadcast
            messages = []
            for position, sub in enumerate(batch, start=broadcast.queued_count):
                recipient = Recipient.from_snapshot(sub.recipient)
                key = (sub.channel, recipient.language)
                if key not in templates:
                    templates[key] = current_template("topic_broadcast", *key)
                link = unsubscribe_url(sub.unsubscribe_token)
                values = _values(
                    spec,
                    {"subject": broadcast.subject, "message": broadcast.body,
                     "topic_name": broadcast.topic.name, "unsubscribe_url": link},
                    recipient, config,
                )
                messages.append(Message(
                    idempotency_key=f"broadcast:{broadcast.pk}:{sub.pk}",
                    event="topic_broadcast", channel=sub.channel,
                    provider=choose_provider(sub.channel, recipient, config),
                    language=recipient.language,
                    recipient={**sub.recipient, "unsubscribe_url": link},
                    subject=render(templates[key].subject, values)[:300]
                    if sub.channel != Channel.SMS else "",
                    body=render(templates[key].body, values),
                    template_version=templates[key].version,
                    priority=PRIORITY_EMERGENCY if broadcast.emergency else PRIORITY_BULK,
                    next_attempt_at=broadcast.send_from + interval * position,
                    customer_id=sub.customer_id, broadcast=broadcast,
                    created_at=now, status_changed_at=now,
                ))
            created = Message.objects.bulk_create(messages, batch_size=1000)
            MessageStatusChange.objects.bulk_create(
                [
                    MessageStatusChange(
                        message_id=m.pk, status=Status.QUEUED, at=now,
                        detail=f"broadcast {broadcast.pk}",
                    )
                    for m in created
                ],
                batch_size=2000,
            )
            broadcast.queued_count += len(batch)
            broadcast.fanout_cursor = batch[-1].pk
            broadcast.save(update_fields=["queued_count", "fanout_cursor"])
