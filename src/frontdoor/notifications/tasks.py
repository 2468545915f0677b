"""Notifications: background tasks (Django's Tasks API; arguments are ids, never objects).

The Tasks framework neither retries nor schedules: the outbox keeps its own retry times
(`Message.next_attempt_at`) and `frontdoor run_periodic` enqueues `sweep_outbox_task`,
which sends whatever is due and settles messages a dead worker left "sending".
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from frontdoor.notifications import actions


@task()
def send_message_task(message_id: int) -> str:
    message = actions.send_message(message_id=message_id, now=timezone.now())
    return message.status if message is not None else "not due or already taken"


@task()
def sweep_outbox_task() -> dict[str, Any]:
    return actions.sweep_outbox(now=timezone.now())


@task()
def fan_out_broadcast_task(broadcast_id: int) -> int:
    broadcast = actions.fan_out_broadcast(broadcast_id=broadcast_id, now=timezone.now())
    return broadcast.queued_count
