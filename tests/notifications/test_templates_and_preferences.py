"""Templates (versions, placeholders, plain English) and the person's channel preferences."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from frontdoor.core.errors import InvalidInput
from frontdoor.notifications import actions, queries
from frontdoor.notifications.admin import MessageTemplateForm
from frontdoor.notifications.errors import NoChannel
from frontdoor.notifications.events import EVENTS
from frontdoor.notifications.models import Message, Status
from frontdoor.notifications.readability import check_readability
from frontdoor.notifications.recipients import Recipient
from frontdoor.notifications.templates import CHANNELS, default_template, placeholders_in
from tests.notifications.conftest import ACK_DATA

pytestmark = pytest.mark.django_db


def test_every_event_has_plain_english_defaults_for_every_channel(council_notifications):
    council_notifications()
    for event, spec in EVENTS.items():
        for channel in CHANNELS:
            words = default_template(event, channel)
            assert placeholders_in(words.subject + words.body) <= spec.placeholders, event
            report = actions.template_readability(subject=words.subject, body=words.body)
            assert report.longest_sentence_words <= 25, (event, channel)


def test_a_template_naming_a_field_the_event_lacks_cannot_be_saved(now):
    with pytest.raises(InvalidInput) as error:
        actions.save_template_version(
            event="handed_off", channel="email", language="en", subject="Update",
            body="Your bin is due on ((collection_day)).", by_label="admin", now=now,
        )
    assert "((collection_day))" in error.value.message
    form = MessageTemplateForm(data={"event": "handed_off", "channel": "email", "language": "en",
                                     "subject": "Update", "body": "Due ((collection_day))."})
    assert not form.is_valid()
    assert "collection_day" in str(form.errors)


def test_a_new_template_version_is_used_for_new_messages_not_queued_ones(ann, now):
    [before] = actions.queue_message(event="contact_acknowledged", recipient=ann, data=ACK_DATA,
                                     idempotency_key="a1", now=now)
    actions.save_template_version(
        event="contact_acknowledged", channel="email", language="en",
        subject="Thank you: ((reference))", body="We will reply by ((due_date)).",
        by_label="Priya (admin)", now=now,
    )
    second, _ = actions.save_template_version(
        event="contact_acknowledged", channel="email", language="en",
        subject="Thanks: ((reference))", body="We will reply by ((due_date)).",
        by_label="Priya (admin)", now=now + timedelta(minutes=1),
    )
    [after] = actions.queue_message(event="contact_acknowledged", recipient=ann, data=ACK_DATA,
                                    idempotency_key="a2", now=now)
    before.refresh_from_db()
    assert before.subject == "We have your request NN-2026-000123"
    assert (after.subject, after.template_version) == ("Thanks: NN-2026-000123", 2)
    versions = queries.template_versions("contact_acknowledged", "email")
    assert [(v.version, v.is_current) for v in versions] == [(2, True), (1, False)]
    preview = queries.template_preview(event="contact_acknowledged", channel="email",
                                       language="en", subject=second.subject, body=second.body)
    assert "Monday 12 January 2026" in preview


def test_the_editor_is_warned_about_jargon_acronyms_and_long_sentences(council_notifications, now):
    council_notifications(jargon=["liaise", "utilise"], acronyms=["CTR"], max_sentence_words=12,
                          reading_age_max=9)
    _, report = actions.save_template_version(
        event="case_update", channel="email", language="en", subject="Update",
        body="We will liaise with the relevant departmental stakeholders to utilise the "
             "appropriate procedural mechanisms regarding your CTR application ((reference)).",
        by_label="admin", now=now,
    )
    assert report.jargon_found == ("liaise", "utilise")
    assert "CTR" in report.acronyms_found
    assert report.longest_sentence_words > 12
    assert report.reading_age > 9
    assert len(report.warnings) == 4
    plain = check_readability("We got your form. We will call you on Monday.",
                              reading_age_max=9, max_sentence_words=12)
    assert plain.warnings == ()


def test_texts_wait_until_quiet_hours_end(council_notifications):
    council_notifications(sms_provider="notify")
    late = datetime(2026, 7, 1, 21, 30, tzinfo=UTC)  # 22:30 in London (BST)
    sam = Recipient(name="Sam", phone_e164="+447400123456", preferred_channel="sms")
    [message] = actions.queue_message(event="contact_acknowledged", recipient=sam,
                                      data=ACK_DATA, idempotency_key="q1", now=late)
    assert message.next_attempt_at == datetime(2026, 7, 2, 7, 0, tzinfo=UTC)  # 08:00 BST
    night_owl = Recipient(name="Nia", phone_e164="+447400123457", preferred_channel="sms",
                          sms_quiet_hours_ok=True)
    [now_msg] = actions.queue_message(event="contact_acknowledged", recipient=night_owl,
                                      data=ACK_DATA, idempotency_key="q2", now=late)
    assert now_msg.next_attempt_at == late


def test_the_preferred_channel_is_used_and_falls_back_when_it_cannot_be(council_notifications,
                                                                        now):
    council_notifications(sms_provider="none")
    texter = Recipient(name="T", email="t@example.com", phone_e164="+447400123456",
                       preferred_channel="sms")
    [m] = actions.queue_message(event="case_update", recipient=texter,
                                data={"reference": "R", "update": "U"}, idempotency_key="c1",
                                now=now)
    assert m.channel == "email"  # the council sends no texts
    poster = Recipient(name="P", address_lines=("1 Road",), preferred_channel="letter")
    [m] = actions.queue_message(event="case_update", recipient=poster,
                                data={"reference": "R", "update": "U"}, idempotency_key="c2",
                                now=now)
    assert (m.channel, m.provider) == ("letter", "print")
    with pytest.raises(NoChannel):
        actions.queue_message(event="password_reset", recipient=poster,
                              data={"reset_url": "u", "expires_in_minutes": "5"},
                              idempotency_key="c3", now=now)
    assert Message.objects.count() == 2


def test_a_reply_from_an_officer_who_is_away_carries_their_out_of_office_notice(ann, now, smtp):
    data = {"reference": "NN-1", "officer_name": "Sam Patel", "reply": "Thanks for the photo.",
            "out_of_office": {"return_date": date(2026, 1, 19),
                              "urgent_contacts": [{"name": "Waste team", "phone": "01263 516000"}]}}
    [message] = actions.queue_message(event="staff_reply", recipient=ann, data=data,
                                      idempotency_key="r1", now=now)
    actions.send_message(message_id=message.pk, now=now)
    body = smtp.received[0].get_payload()
    assert "Sam Patel is away and back on Monday 19 January 2026." in body
    assert "Waste team, 01263 516000" in body
    del data["out_of_office"]
    [present] = actions.queue_message(event="staff_reply", recipient=ann, data=data,
                                      idempotency_key="r2", now=now)
    assert "is away" not in present.body


def test_staff_can_resend_a_message_whose_outcome_was_unknown(ann, now, smtp):
    [message] = actions.queue_message(event="contact_acknowledged", recipient=ann, data=ACK_DATA,
                                      idempotency_key="u1", now=now)
    from frontdoor.notifications.council_settings import notification_settings

    assert actions._claim(message.pk, now, notification_settings()) is not None  # worker died
    later = now + actions.SENDING_LEASE * 2
    actions.recover_stuck_messages(now=later)
    message.refresh_from_db()
    assert message.status == Status.UNKNOWN
    assert list(queries.messages_needing_attention()) == [message]
    actions.sweep_outbox(now=later + timedelta(hours=1))
    assert smtp.received == []  # never resent blindly
    actions.resend_unknown_message(message=message, by_label="Jo", now=later)
    actions.send_due_messages(now=later)
    message.refresh_from_db()
    assert message.status == Status.SENT and len(smtp.received) == 1
    assert list(queries.messages_needing_attention()) == []
