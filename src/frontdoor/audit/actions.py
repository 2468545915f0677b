"""Audit trail: functions that add entries (there are no functions that change or remove them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from frontdoor.audit.models import SYSTEM_LABEL, AuditEntry, EntryKind
from frontdoor.core.errors import InvalidInput
from frontdoor.core.time import require_aware


def actor_label_for(actor: AbstractBaseUser | None) -> str:
    """The name kept with an entry so it still says who it was after the user is deleted."""
    if actor is None:
        return SYSTEM_LABEL
    name = getattr(actor, "display_name", "") or ""
    username = actor.get_username()
    return f"{name} <{username}>" if name else username


def record_change(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    object_type: str,
    object_id: object,
    summary: str,
    data: dict[str, Any] | None = None,
    at: datetime,
    request_id: str = "",
    ip: str | None = None,
) -> AuditEntry:
    """Add an entry saying `actor` (None: the system) changed the object (data: before/after)."""
    return _record(
        kind=EntryKind.CHANGE,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        data=data or {},
        at=at,
        request_id=request_id,
        ip=ip,
    )


def record_read(
    *,
    actor: AbstractBaseUser | None,
    object_type: str,
    object_id: object,
    purpose: str,
    at: datetime,
    data: dict[str, Any] | None = None,
    request_id: str = "",
    ip: str | None = None,
) -> AuditEntry:
    """Add an entry saying `actor` saw the object's personal data, and why."""
    purpose = purpose.strip()
    if not purpose:
        raise InvalidInput("purpose", "required", "Say why you are looking at this record")
    return _record(
        kind=EntryKind.READ,
        actor=actor,
        action=f"{object_type}.viewed",
        object_type=object_type,
        object_id=object_id,
        summary=purpose,
        data={"purpose": purpose, **(data or {})},
        at=at,
        request_id=request_id,
        ip=ip,
    )


def _record(
    *,
    kind: str,
    actor: AbstractBaseUser | None,
    action: str,
    object_type: str,
    object_id: object,
    summary: str,
    data: dict[str, Any],
    at: datetime,
    request_id: str,
    ip: str | None,
) -> AuditEntry:
    require_aware(at)
    return AuditEntry.objects.create(
        at=at,
        actor_id=actor.pk if actor is not None else None,
        actor_label=actor_label_for(actor),
        kind=kind,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary,
        data=data,
        request_id=request_id,
        ip=ip,
    )
