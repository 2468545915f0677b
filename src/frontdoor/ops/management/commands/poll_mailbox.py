"""`frontdoor poll-mailbox [--once] [--every SECONDS]`: take in the council mailbox's email.

Reads FRONTDOOR_IMAP_HOST/PORT/USER/PASSWORD/FOLDER/SSL (docs/email.md). Each unseen email
becomes a contact (and a case, or a reply on one); it is marked seen only once it is stored.
Without --once it polls every --every seconds until stopped (run_periodic can schedule it
instead: cases.tasks.poll_mailbox_task).
"""

from __future__ import annotations

import imaplib
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from frontdoor.cases.mailbox import ImapSettings, PollReport, poll_mailbox
from frontdoor.core.errors import FrontDoorError


class Command(BaseCommand):
    help = "Take in unseen email from the council's IMAP mailbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="poll once and exit")
        parser.add_argument("--every", type=float, default=60.0, help="seconds between polls")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            imap = ImapSettings.from_environment()
        except FrontDoorError as error:
            raise CommandError(error.message) from None
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        if not options["once"]:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while True:
            try:
                report = poll_mailbox(imap=imap, clock=timezone.now)
            except (OSError, imaplib.IMAP4.error) as error:
                problem = f"cannot read the mailbox {imap.host}:{imap.port}: {error}"
                if options["once"]:
                    raise CommandError(problem) from None
                self.stderr.write(problem + " (trying again)")
                report = PollReport()
            counts = ", ".join(f"{n} {status}" for status, n in sorted(report.counts().items()))
            self.stdout.write(f"took in {len(report.outcomes)} email(s)"
                              + (f": {counts}" if counts else ""))
            for problem in report.errors:
                self.stderr.write(problem)
            if options["once"]:
                if report.errors:
                    raise CommandError(f"{len(report.left_unseen)} email(s) left unseen")
                return
            slept = 0.0
            while slept < options["every"] and not stopping:
                time.sleep(1.0)
                slept += 1.0
            if stopping:
                return
