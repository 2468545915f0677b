"""Feedback: background tasks (registered in settings.FRONTDOOR_PERIODIC_TASKS)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from frontdoor.feedback.actions import invite_newly_resolved


@task()
def invite_to_surveys_task() -> int:
    """Invite customers of newly resolved cases to the satisfaction survey."""
    return invite_newly_resolved(now=timezone.now())
