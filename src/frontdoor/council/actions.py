"""Council configuration: functions that change state.

Auditing: `frontdoor.audit` sits above `council` in the layers, so loading is recorded in the
audit trail by the caller (the `frontdoor council load` command), not here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max

from frontdoor.core.time import require_aware
from frontdoor.council.models import CouncilVersion
from frontdoor.council.queries import (
    checksum_of,
    document_of,
    forget_council_cache,
    note_council_load_started,
    read_council_file,
)


def load_council_config(*, source: str, now: datetime, by: Any = None) -> CouncilVersion:
    """Validate `source` (preset name or path) and make it the current version.

    Loading a configuration identical to the current one returns the current version
    unchanged. A file that fails validation raises CouncilConfigError and writes nothing.
    """
    require_aware(now)
    config = read_council_file(source)
    document = document_of(config)
    checksum = checksum_of(document)
    with transaction.atomic():
        current = CouncilVersion.objects.select_for_update().filter(is_current=True).first()
        if current is not None and current.checksum == checksum:
            return current
        highest = CouncilVersion.objects.aggregate(highest=Max("number"))["highest"] or 0
        if current is not None:
            CouncilVersion.objects.filter(pk=current.pk).update(is_current=False)
        version = CouncilVersion.objects.create(
            number=highest + 1,
            document=document,
            checksum=checksum,
            source=source,
            loaded_at=now,
            loaded_by=by,
            is_current=True,
        )
        # Readers in this process ask the database until the transaction ends, so they see
        # the new version at once, and the old one again if the transaction rolls back.
        note_council_load_started()
        transaction.on_commit(forget_council_cache)
    return version
