"""Customers: bulk import for legacy-system migration and demo data: no per-row events.

Rows are mappings of field attname to value (`id` included where children refer to the row);
columns a row leaves out take the model's default. Nothing is validated, deduplicated or
audited here and no CustomerEvent is written: the caller builds valid rows (normalised
postcodes, E.164 phone numbers, lower-case emails) and runs the import in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from frontdoor.core.bulk import import_mappings, reserve_ids
from frontdoor.customers.models import (
    Address,
    Consent,
    Customer,
    EmailAddress,
    NameWord,
    PhoneNumber,
    WarningMarker,
)
from frontdoor.customers.validation import search_name_for

Rows = Iterable[Mapping[str, Any]]


def reserve_customer_ids(count: int) -> list[int]:
    """Primary keys for `count` customers written later by `import_customers`."""
    return reserve_ids(Customer, count)


def import_customers(rows: Rows) -> int:
    """Bulk import for legacy-system migration and demo data: no per-row events.

    Each row needs id, kind, created_at and updated_at; names, preferences, needs and
    ward_code as the model describes. `search_name` is worked out from the names when a row
    leaves it out, so imported customers can be found like any other.
    """
    words: set[str] = set()

    def with_search_name(row: Mapping[str, Any]) -> Mapping[str, Any]:
        if "search_name" not in row:
            row = {
                **row,
                "search_name": search_name_for(
                    row.get("given_name", ""),
                    row.get("family_name", ""),
                    row.get("organisation_name", ""),
                ),
            }
        words.update(str(row["search_name"]).split())
        return row

    written = import_mappings(Customer, (with_search_name(row) for row in rows))
    remember_name_words(words)
    return written


def remember_name_words(words: Iterable[str]) -> None:
    """Add words used in names to the list name search corrects typos against."""
    NameWord.objects.bulk_create(
        [NameWord(word=w[:100]) for w in sorted(set(words)) if w],
        ignore_conflicts=True,
        batch_size=5000,
    )


def import_email_addresses(rows: Rows) -> int:
    """Bulk import for legacy-system migration and demo data: no per-row events."""
    return import_mappings(EmailAddress, rows)


def import_phone_numbers(rows: Rows) -> int:
    """Bulk import for legacy-system migration and demo data: no per-row events."""
    return import_mappings(PhoneNumber, rows)


def import_addresses(rows: Rows) -> int:
    """Bulk import for legacy-system migration and demo data: no per-row events."""
    return import_mappings(Address, rows)


def import_consents(rows: Rows) -> int:
    """Bulk import for legacy-system migration and demo data: no per-row events."""
    return import_mappings(Consent, rows)


def import_warning_markers(rows: Rows) -> int:
    """Bulk import for legacy-system migration and demo data: no per-row events."""
    return import_mappings(WarningMarker, rows)


def any_customers_exist() -> bool:
    return Customer.objects.exists()
