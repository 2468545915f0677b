"""Cases: background tasks."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from frontdoor.cases.mailbox import ImapSettings, poll_mailbox


@task()
def poll_mailbox_task() -> dict[str, Any]:
    """Take in the council mailbox's unseen email (run_periodic enqueues it; docs/email.md)."""
    report = poll_mailbox(imap=ImapSettings.from_environment(), clock=timezone.now)
    return {"taken_in": report.counts(), "left_unseen": report.left_unseen,
            "errors": report.errors}
