"""The outbox: written with its cause, sent once, retried through outages, failures shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction

from frontdoor.core.errors import InvalidInput
from frontdoor.notifications import actions, queries
from frontdoor.notifications.models import Message, Status
from frontdoor.notifications.recipients import Recipient
from frontdoor.notifications.tasks import send_message_task
from tests.notifications.conftest import ACK_DATA

pytestmark = pytest.mark.django_db


def _queue(recipient: Recipient, now, key: str = "ack:NN-2026-000123", **extra) -> Message:
    [message] = actions.queue_message(
        event="contact_acknowledged", recipient=recipient, data=ACK_DATA,
        idempotency_key=key, subject_ref=("case", "NN-2026-000123"), customer_ref=42, now=now,
        **extra,
    )
    return message


def _statuses(message: Message) -> list[str]:
    return [h.status for h in message.history.all()]


def test_acknowledgement_is_emailed_once_after_the_case_is_saved(
    ann, now, smtp, dummy_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = _queue(ann, now)
        assert dummy_tasks.results == []  # nothing goes before the caller's commit
    assert [r.args for r in dummy_tasks.results] == [[message.pk]]

    send_message_task.call(message.pk)
    send_message_task.call(message.pk)  # a duplicate task finds nothing to do

    assert len(smtp.received) == 1
    email = smtp.received[0]
    assert email["Subject"] == "We have your request NN-2026-000123"
    assert email["X-RcptTo"] == "ann.smith@example.com"
    assert "We will reply by Monday 12 January 2026." in email.get_payload()
    assert email["Message-ID"].startswith("<fd.")
    # so out-of-office replies and autoresponders do not answer it (RFC 3834)
    assert email["Auto-Submitted"] == "auto-generated"
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert _statuses(message) == ["queued", "sending", "sent"]
    shown = queries.messages_for_subject("case", "NN-2026-000123")
    assert [m.pk for m in shown] == [message.pk]
    assert [m.pk for m in queries.messages_for_customer(42)] == [message.pk]


def test_a_change_that_is_rolled_back_sends_nothing(ann, now, dummy_tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue(ann, now)
        raise RuntimeError("the case could not be saved")
    assert Message.objects.count() == 0
    assert dummy_tasks.results == []


def test_the_same_event_queued_twice_makes_one_message(ann, now):
    first = _queue(ann, now)
    again = _queue(ann, now + timedelta(minutes=5))
    assert again.pk == first.pk
    assert Message.objects.count() == 1


def test_data_missing_an_event_field_is_refused(ann, now):
    with pytest.raises(InvalidInput) as error:
        actions.queue_message(
            event="contact_acknowledged", recipient=ann, data={"reference": "NN-1"},
            idempotency_key="k", now=now,
        )
    assert "due_date" in error.value.message
    assert Message.objects.count() == 0


def test_mail_server_down_for_a_while_then_the_message_arrives_once(ann, now, smtp):
    message = _queue(ann, now)
    smtp.handler.reply_code = "451 4.3.0 Try again later"
    at = now
    delays = []
    for _ in range(4):
        actions.send_message(message_id=message.pk, now=at)
        message.refresh_from_db()
        assert message.status == Status.FAILED
        delays.append(message.next_attempt_at - at)
        # Not due yet: a worker that looks early does nothing.
        assert actions.send_message(message_id=message.pk, now=at + timedelta(seconds=1)) is None
        at = message.next_attempt_at
    assert delays == sorted(delays) and delays[-1] > delays[0] * 3  # backs off
    assert timedelta(seconds=30) <= delays[0] <= timedelta(minutes=1)

    smtp.handler.reply_code = None
    actions.send_message(message_id=message.pk, now=at)
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(smtp.received) == 1
    assert message.attempts == 5


def test_mail_server_unreachable_is_retried_not_lost(ann, now, smtp):
    message = _queue(ann, now)
    smtp.stop()
    actions.send_message(message_id=message.pk, now=now)
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "cannot reach the mail server" in message.last_error
    assert message.next_attempt_at > now


def test_an_outage_longer_than_three_days_is_shown_to_staff(ann, now, smtp):
    message = _queue(ann, now)
    smtp.handler.reply_code = "421 4.3.2 Service not available"
    at = now
    for _ in range(60):
        actions.send_message(message_id=message.pk, now=at)
        message.refresh_from_db()
        if message.status != Status.FAILED:
            break
        at = message.next_attempt_at
    assert message.status == Status.PERMANENTLY_FAILED
    assert at - now >= actions.RETRY_HORIZON
    assert list(queries.messages_needing_attention()) == [message]
    assert smtp.received == []


def test_a_refused_address_fails_permanently_and_is_shown_to_staff(ann, now, smtp):
    message = _queue(ann, now)
    smtp.handler.reply_code = "550 5.1.1 No such mailbox"
    actions.send_message(message_id=message.pk, now=now)
    message.refresh_from_db()
    assert message.status == Status.PERMANENTLY_FAILED
    assert "550" in message.last_error
    assert message in queries.messages_needing_attention()

    actions.abandon_message(message=message, by_label="Jo (team leader)", now=now,
                            reason="phoned Ann instead")
    assert list(queries.messages_needing_attention()) == []
    message.refresh_from_db()
    assert message.status == Status.CANCELLED


def test_a_reminder_waits_for_its_date_and_can_be_cancelled(ann, now, smtp):
    renew = now + timedelta(days=30)
    message = _queue(ann, now, key="renewal:1", send_after=renew)
    assert actions.send_due_messages(now=now) == {}
    second = _queue(ann, now, key="renewal:2", send_after=renew)
    actions.cancel_message(idempotency_key="renewal:2", by_label="case NN-1", now=now)
    assert actions.sweep_outbox(now=renew)["sent"] == {"sent": 1}
    message.refresh_from_db()
    second.refresh_from_db()
    assert (message.status, second.status) == (Status.SENT, Status.CANCELLED)
    assert len(smtp.received) == 1


def test_the_periodic_command_enqueues_the_outbox_sweep_and_every_configured_job(
    dummy_tasks, settings
):
    from django.core.management import call_command

    call_command("run_periodic", "--once", verbosity=0)
    enqueued = [r.task.name for r in dummy_tasks.results]
    configured = [path.rsplit(".", 1)[1] for path, _ in settings.FRONTDOOR_PERIODIC_TASKS]
    assert enqueued == ["sweep_outbox_task", *configured]
