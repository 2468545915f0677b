"""REST API background tasks (Django's Tasks API): forget Idempotency-Keys after 24 hours.

Enqueued by `frontdoor run_periodic` (settings.FRONTDOOR_PERIODIC_TASKS).
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from frontdoor.accounts.actions import prune_idempotency_records


@task()
def prune_idempotency_keys_task() -> int:
    return prune_idempotency_records(now=timezone.now())
