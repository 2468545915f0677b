"""Cases: bulk import for legacy-system migration and demo data: no per-row events.

Rows are mappings of field attname to value (`id` from `reserve_case_ids`); columns a row
leaves out take the model's default. The caller writes the history it wants as CaseEvent rows
(`import_case_events`); nothing else is recorded and no notification is sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from frontdoor.cases.models import Case, CaseContact, CaseEvent, CaseParty, CaseSequence
from frontdoor.core.bulk import import_mappings, reserve_ids

Rows = Iterable[Mapping[str, Any]]


def reserve_case_ids(count: int) -> list[int]:
    """Primary keys for `count` cases written later by `import_cases`."""
    return reserve_ids(Case, count)


def claim_case_numbers(*, year: int, count: int) -> int:
    """Take `count` consecutive reference numbers of `year`; returns the first of them."""
    with transaction.atomic():
        CaseSequence.objects.get_or_create(year=year)
        sequence = CaseSequence.objects.select_for_update().get(year=year)
        first = sequence.last + 1
        sequence.last += count
        sequence.save(update_fields=["last"])
    return first


def import_cases(rows: Rows) -> int:
    """Bulk import for legacy-system migration and demo data: no per-row events.

    Each row needs id, reference (from `claim_case_numbers`), case_type, team_code, channel,
    received_at, opened_at and title.
    """
    return import_mappings(Case, rows)


def import_case_parties(rows: Rows) -> int:
    """Bulk import for legacy-system migration and demo data: no per-row events."""
    return import_mappings(CaseParty, rows)


def import_case_contacts(rows: Rows) -> int:
    """Bulk import for legacy-system migration and demo data: no per-row events."""
    return import_mappings(CaseContact, rows)


def import_case_events(rows: Rows) -> int:
    """Bulk import for legacy-system migration and demo data: the history rows given, no more."""
    return import_mappings(CaseEvent, rows)
