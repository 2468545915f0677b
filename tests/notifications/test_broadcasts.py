"""Topic broadcasts: every subscriber in the area, throttled, with progress and unsubscribe."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontdoor.core.errors import NotFound
from frontdoor.notifications import actions, queries
from frontdoor.notifications.models import Broadcast, Message, Status
from frontdoor.notifications.recipients import Recipient

pytestmark = pytest.mark.django_db


@pytest.fixture
def flood_topic(now):
    actions.create_topic(code="flood-warnings", name="Flood warnings")
    subs = []
    for i in range(7):
        area = "cromer-town" if i < 5 else "holt"
        subs.append(actions.subscribe(
            topic_code="flood-warnings", channel="email", area=area, now=now,
            recipient=Recipient(name=f"Resident {i}", email=f"r{i}@example.com"),
        ))
    return subs


def test_an_emergency_broadcast_reaches_every_subscriber_in_the_area_within_the_limit(
    flood_topic, now, smtp, django_capture_on_commit_callbacks
):
    actions.unsubscribe(token=flood_topic[0].unsubscribe_token, now=now)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        broadcast = actions.start_broadcast(
            topic_code="flood-warnings", area="cromer-town", subject="Flood warning",
            body="The river may flood tonight. Move valuables upstairs.", emergency=True,
            by_label="Duty officer", now=now, per_minute=2,
        )
    assert len(callbacks) == 1  # the fan-out task is enqueued after commit
    actions.fan_out_broadcast(broadcast_id=broadcast.pk, now=now, chunk=3)
    progress = queries.broadcast_progress(broadcast)
    assert (progress.total, progress.written, progress.waiting, progress.sent) == (4, 4, 4, 0)
    # 2 a minute: the 4th message's slot is 1.5 minutes after the first.
    assert progress.planned_finish == now + timedelta(seconds=90)

    actions.send_due_messages(now=now + timedelta(seconds=30))
    assert queries.broadcast_progress(broadcast).sent == 2
    actions.send_due_messages(now=now + timedelta(minutes=2))
    progress = queries.broadcast_progress(broadcast)
    assert progress.sent == 4 and progress.percent_sent == 100.0
    addresses = sorted(m["X-RcptTo"] for m in smtp.received)
    assert addresses == ["r1@example.com", "r2@example.com", "r3@example.com", "r4@example.com"]
    first = smtp.received[0]
    assert "/subscriptions/unsubscribe/" in first.get_payload()
    assert first["List-Unsubscribe"].strip().startswith("<http")


def test_fanning_out_again_after_a_crash_writes_no_duplicates(flood_topic, now):
    broadcast = actions.start_broadcast(
        topic_code="flood-warnings", subject="Bins", body="Collections move by a day.",
        emergency=False, by_label="Waste", now=now,
    )
    actions.fan_out_broadcast(broadcast_id=broadcast.pk, now=now, chunk=4)
    actions.fan_out_broadcast(broadcast_id=broadcast.pk, now=now, chunk=4)
    Broadcast.objects.filter(pk=broadcast.pk).update(status="fanning_out")  # as if mid-way
    actions.fan_out_broadcast(broadcast_id=broadcast.pk, now=now, chunk=4)
    assert Message.objects.filter(broadcast=broadcast).count() == 7
    assert all(m.history.get().status == Status.QUEUED
               for m in Message.objects.filter(broadcast=broadcast))


def test_an_unsubscribe_link_stops_further_broadcasts(flood_topic, now):
    token = flood_topic[6].unsubscribe_token
    actions.unsubscribe(token=token, now=now)
    actions.unsubscribe(token=token, now=now)  # a second click is harmless
    broadcast = actions.start_broadcast(
        topic_code="flood-warnings", area="holt", subject="S", body="B", emergency=False,
        by_label="x", now=now,
    )
    assert broadcast.total == 1
    with pytest.raises(NotFound):
        actions.unsubscribe(token="not-a-token", now=now)
