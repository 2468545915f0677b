"""Audit trail: reads."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet

from frontdoor.audit.models import AuditEntry, EntryKind


def entries_for(object_type: str, object_id: object) -> QuerySet[AuditEntry]:
    """Every entry about one object, oldest first."""
    return AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by(
        "at", "id"
    )


def reads_by(actor: AbstractBaseUser) -> QuerySet[AuditEntry]:
    """Every record of personal data `actor` has looked at, oldest first."""
    return AuditEntry.objects.filter(actor_id=actor.pk, kind=EntryKind.READ).order_by("at", "id")


def latest_change(object_type: str, object_id: object, action: str) -> AuditEntry | None:
    """The most recent change entry with `action` for one object (e.g. the merge to undo)."""
    return (
        AuditEntry.objects.filter(
            object_type=object_type, object_id=str(object_id), kind=EntryKind.CHANGE, action=action
        )
        .order_by("-at", "-id")
        .first()
    )
