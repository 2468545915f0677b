"""Contacts: bulk import for legacy-system migration and demo data: no per-row events.

Rows are mappings of field attname to value (`id` from `reserve_contact_ids` when cases link
to them); columns a row leaves out take the model's default. Nothing is validated or audited:
the caller builds valid rows and runs the import in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from frontdoor.contacts.models import Contact
from frontdoor.core.bulk import import_mappings, reserve_ids


def reserve_contact_ids(count: int) -> list[int]:
    """Primary keys for `count` contacts written later by `import_contacts`."""
    return reserve_ids(Contact, count)


def import_contacts(rows: Iterable[Mapping[str, Any]]) -> int:
    """Bulk import for legacy-system migration and demo data: no per-row events.

    Each row needs id, channel, received_at, logged_at and created_at; timings, handler,
    service, outcome and failure demand as the model describes.
    """
    return import_mappings(Contact, rows)


def any_contacts_exist() -> bool:
    return Contact.objects.exists()
