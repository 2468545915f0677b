"""Emergency broadcast fan-out: time to write one outbox message per subscriber for
100,000 subscribers, and the throttled send schedule (not 100,000 real emails).

    .venv/bin/python benchmarks/broadcast_fanout.py [SUBSCRIBERS] [PER_MINUTE]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x \
        .venv/bin/python benchmarks/broadcast_fanout.py
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _scratch_db import scratch_database


def main(subscribers: int, per_minute: int) -> None:
    os.environ.update({"DJANGO_SETTINGS_MODULE": "frontdoor.settings",
                       "FRONTDOOR_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend"})
    with scratch_database() as url:
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        from frontdoor.notifications import actions, queries
        from frontdoor.notifications.models import Subscription

        call_command("council", "load", "north-norfolk", verbosity=0)
        now = timezone.now()
        topic = actions.create_topic(code="flood-warnings", name="Flood warnings")
        Subscription.objects.bulk_create(
            [Subscription(topic=topic, channel="email", area="cromer-town", created_at=now,
                          unsubscribe_token=secrets.token_urlsafe(32),
                          recipient={"name": f"Resident {i}", "email": f"r{i}@example.com"})
             for i in range(subscribers)],
            batch_size=5000,
        )
        started = time.perf_counter()
        broadcast = actions.start_broadcast(
            topic_code="flood-warnings", area="cromer-town", subject="Flood warning",
            body="The river may flood tonight. Move valuables upstairs and keep away from the "
                 "sea front.", emergency=True, by_label="benchmark", now=now,
            per_minute=per_minute,
        )
        actions.fan_out_broadcast(broadcast_id=broadcast.pk, now=now)
        elapsed = time.perf_counter() - started
        progress = queries.broadcast_progress(broadcast)
    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    assert progress.written == progress.total == subscribers, progress
    assert progress.planned_finish is not None
    span = progress.planned_finish - now
    print(f"database: {engine}; subscribers: {subscribers}")
    print(f"fan-out: {elapsed:.1f} s to write {progress.written} messages "
          f"({progress.written / elapsed:.0f} messages/s, with status history)")
    print(f"throttled schedule at {per_minute}/minute: last message due "
          f"{span.total_seconds() / 60:.1f} minutes after the start")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
         int(sys.argv[2]) if len(sys.argv) > 2 else 3000)
