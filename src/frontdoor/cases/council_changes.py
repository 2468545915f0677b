"""Adopting a new council configuration: the version, the charter clocks and the case queues.

The council file is the source of truth for the working calendar. Loading a version that adds
a closure day moves open charter clocks (charter.actions.adopt_council_config); the cases
those clocks belong to are re-ordered in their queues by refreshing `Case.due_at`, in the
same transaction, so no queue shows a due date the clocks disagree with. The date already
promised to a customer (`Case.promised_at`) is left as it was told to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Min, OuterRef, Subquery

from frontdoor.audit.actions import record_change
from frontdoor.cases.models import OPEN_STATUSES, Case
from frontdoor.charter import actions as charter
from frontdoor.charter.models import Clock
from frontdoor.council.models import CouncilVersion
from frontdoor.council.queries import read_council_file

if TYPE_CHECKING:
    from frontdoor.accounts.models import User


@dataclass(frozen=True)
class Adoption:
    version: CouncilVersion
    changed: bool  # False: the file was the same as the current version
    clocks_recomputed: int
    cases_reordered: int


def adopt_council_config(*, source: str, now: datetime, by: User | None = None) -> Adoption:
    """Make `source` the current council configuration; clocks and queue order follow it."""
    read_council_file(source)  # a bad file is refused before anything is read or written
    with transaction.atomic():
        current_before = CouncilVersion.objects.filter(is_current=True).values_list(
            "pk", flat=True
        ).first()
        version, recomputed = charter.adopt_council_config(source=source, now=now, by=by)
        changed = version.pk != current_before
        reordered = refresh_case_due_dates() if recomputed else 0
        if changed:
            record_change(
                actor=by,
                action="council.loaded",
                object_type="council_version",
                object_id=version.pk,
                summary=f"Loaded council configuration version {version.number} from {source}",
                data={"source": source, "number": version.number, "checksum": version.checksum,
                      "clocks_recomputed": recomputed, "cases_reordered": reordered},
                at=now,
            )
    return Adoption(version=version, changed=changed, clocks_recomputed=recomputed,
                    cases_reordered=reordered)


def refresh_case_due_dates() -> int:
    """Set every open case's due_at to its earliest open clock (one UPDATE); rows changed."""
    earliest = (
        Clock.objects.filter(case=OuterRef("pk"), stopped_at__isnull=True)
        .order_by()
        .values("case")
        .annotate(first=Min("due_at"))
        .values("first")
    )
    stale = Case.objects.filter(status__in=OPEN_STATUSES).exclude(due_at=Subquery(earliest))
    return stale.update(due_at=Subquery(earliest))
