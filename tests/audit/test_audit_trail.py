"""The audit trail: entries are added, never changed or removed, and survive the user."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from frontdoor.audit.actions import record_change, record_read
from frontdoor.audit.errors import AppendOnlyViolation
from frontdoor.audit.models import AuditEntry
from frontdoor.audit.queries import entries_for, reads_by
from frontdoor.core.errors import InvalidInput
from tests.factories import UserFactory


def test_an_audit_entry_cannot_be_edited_or_deleted(db, now):
    entry = record_change(
        actor=None,
        action="customer.merged",
        object_type="customer",
        object_id=7,
        summary="Merged",
        at=now,
    )
    entry.summary = "Nothing happened"
    with pytest.raises(AppendOnlyViolation):
        entry.save()
    with pytest.raises(AppendOnlyViolation):
        entry.delete()
    with pytest.raises(AppendOnlyViolation):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="Nothing happened")
    with pytest.raises(AppendOnlyViolation):
        AuditEntry.objects.all().delete()
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.summary == "Merged"


def test_entries_for_an_object_come_oldest_first_and_only_for_that_object(db, now):
    user = UserFactory(role="manager", display_name="Sam Lee", email="sam@example.gov.uk")
    later = record_change(
        actor=user,
        action="customer.updated",
        object_type="customer",
        object_id="5",
        summary="Changed family_name",
        data={"before": {"family_name": "A"}},
        at=now,
    )
    earlier = record_change(
        actor=None,
        action="customer.created",
        object_type="customer",
        object_id=5,
        summary="Created",
        at=now - timedelta(hours=1),
    )
    record_change(
        actor=user,
        action="customer.created",
        object_type="customer",
        object_id=6,
        summary="Created",
        at=now,
    )
    assert list(entries_for("customer", 5)) == [earlier, later]
    assert earlier.actor_label == "system"
    assert later.actor_label == "Sam Lee <sam@example.gov.uk>"


def test_a_read_records_who_looked_and_why(db, now):
    officer = UserFactory(role="case_officer")
    other = UserFactory(role="case_officer")
    record_read(actor=officer, object_type="customer", object_id=3, purpose="Phone call", at=now)
    record_read(actor=other, object_type="customer", object_id=3, purpose="Case work", at=now)
    [read] = reads_by(officer)
    assert (read.kind, read.action, read.summary) == ("read", "customer.viewed", "Phone call")
    assert read.data["purpose"] == "Phone call"


def test_a_read_without_a_purpose_is_refused(db, now):
    with pytest.raises(InvalidInput) as refused:
        record_read(actor=UserFactory(), object_type="customer", object_id=1, purpose=" ", at=now)
    assert refused.value.field == "purpose"
    assert not AuditEntry.objects.exists()


def test_entries_keep_who_it_was_after_the_user_is_deleted(db, now):
    user = UserFactory(display_name="Pat Kay", email="pat@example.gov.uk")
    entry = record_change(
        actor=user,
        action="user.created",
        object_type="user",
        object_id=user.pk,
        summary="Created",
        at=now,
    )
    user.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor is None
    assert entry.actor_label == "Pat Kay <pat@example.gov.uk>"


def test_a_naive_time_is_refused(db):
    with pytest.raises(ValueError, match="naive"):
        record_change(
            actor=None,
            action="x.y",
            object_type="x",
            object_id=1,
            summary="s",
            at=datetime(2026, 1, 5, 10, 0),
        )
