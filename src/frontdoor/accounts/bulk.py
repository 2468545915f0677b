"""Accounts: bulk import for legacy-system migration and demo data: no per-row events.

Rows are mappings of field attname to value (`id` included, from `reserve_user_ids`); columns a
row leaves out take the model's default. Nothing is validated or audited here: the caller
builds valid rows and runs the whole import in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from frontdoor.accounts.models import TeamMembership, User
from frontdoor.core.bulk import import_mappings, reserve_ids


def reserve_user_ids(count: int) -> list[int]:
    """Primary keys for `count` users written later by `import_users`."""
    return reserve_ids(User, count)


def import_users(rows: Iterable[Mapping[str, Any]]) -> int:
    """Bulk import for legacy-system migration and demo data: no per-row events.

    Each row needs id, email (lower case), password (an unusable one such as "!…" for
    people who sign in elsewhere), role and created_at.
    """
    return import_mappings(User, rows)


def import_team_memberships(rows: Iterable[Mapping[str, Any]]) -> int:
    """Bulk import for legacy-system migration and demo data: no per-row events.

    Each row needs user_id, team_code, role_in_team and since.
    """
    return import_mappings(TeamMembership, rows)


def user_emails_ending(suffix: str) -> set[str]:
    """The email addresses already taken that end with `suffix` (e.g. "@north-norfolk.gov.uk")."""
    return set(User.objects.filter(email__iendswith=suffix).values_list("email", flat=True))
