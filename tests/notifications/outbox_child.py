"""A separate process that queues and sends messages, so tests can kill it with SIGKILL.

Run as `python -m tests.notifications.outbox_child COMMAND` with DATABASE_URL and
FRONTDOOR_EMAIL_HOST/PORT in the environment:
  queue N          queue N acknowledgements in one transaction (send tasks enqueued on commit)
  send [--pause-before-claim K --ready FILE]   send everything due; optionally stop (and wait
                   to be killed) just before claiming the K-th message
  sweep            settle messages left "sending" (lease 0) and send what is due
  report           print {key: {"status", "attempts", "history"}} as JSON
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date, timedelta


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontdoor.settings")
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from frontdoor.notifications import actions
    from frontdoor.notifications.models import Message
    from frontdoor.notifications.recipients import Recipient

    parser = argparse.ArgumentParser()
    parser.add_argument("command")
    parser.add_argument("n", nargs="?", type=int, default=1)
    parser.add_argument("--pause-before-claim", type=int, default=0)
    parser.add_argument("--ready", default="")
    args = parser.parse_args()

    if args.command == "queue":
        with transaction.atomic():
            for i in range(args.n):
                actions.queue_message(
                    event="contact_acknowledged",
                    recipient=Recipient(name=f"Person {i}", email=f"person{i}@example.com"),
                    data={"reference": f"NN-2026-{i:06d}", "service_name": "Missed bin",
                          "what_happens_next": "We will look.", "due_date": date(2026, 1, 12)},
                    idempotency_key=f"ack:{i}", now=timezone.now(),
                )
    elif args.command == "send":
        if args.pause_before_claim:
            real_claim = actions._claim
            calls = {"n": 0}

            def claim_then_maybe_pause(*a, **kw):  # type: ignore[no-untyped-def]
                calls["n"] += 1
                if calls["n"] == args.pause_before_claim:
                    open(args.ready, "w").close()
                    time.sleep(120)  # the test kills us here
                return real_claim(*a, **kw)

            actions._claim = claim_then_maybe_pause  # type: ignore[assignment]
        print(json.dumps(actions.send_due_messages(now=timezone.now())))
    elif args.command == "sweep":
        now = timezone.now()
        print(json.dumps({
            "recovered": actions.recover_stuck_messages(now=now, lease=timedelta(0)),
            "sent": actions.send_due_messages(now=now),
        }))
    elif args.command == "report":
        print(json.dumps({
            m.idempotency_key: {
                "status": m.status, "attempts": m.attempts,
                "history": [h.status for h in m.history.all()],
            }
            for m in Message.objects.order_by("id")
        }))
    else:
        sys.exit(f"unknown command {args.command}")


if __name__ == "__main__":
    main()
