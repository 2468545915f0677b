"""Polling the council's mailbox over IMAP: each unseen email is taken in, then marked seen.

An email is flagged \\Seen (or moved to FRONTDOOR_IMAP_DONE_FOLDER) only after
`take_in_email` has stored it, so a crash, a lost connection or a database outage leaves it
unseen and the next poll takes it again (the Message-ID makes that a duplicate, never a
second case). BODY.PEEK fetches never set \\Seen by themselves.

Environment: FRONTDOOR_IMAP_HOST, FRONTDOOR_IMAP_PORT (993 with SSL, else 143),
FRONTDOOR_IMAP_USER, FRONTDOOR_IMAP_PASSWORD, FRONTDOOR_IMAP_FOLDER (INBOX),
FRONTDOOR_IMAP_SSL (1), FRONTDOOR_IMAP_DONE_FOLDER (optional), FRONTDOOR_IMAP_BATCH (200).
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from frontdoor.cases.inbound_email import InboundOutcome, take_in_email
from frontdoor.core.errors import InvalidInput


@dataclass(frozen=True)
class ImapSettings:
    host: str
    user: str
    password: str
    port: int = 993
    folder: str = "INBOX"
    ssl: bool = True
    done_folder: str = ""
    batch: int = 200
    timeout: float = 60.0

    @classmethod
    def from_environment(cls) -> ImapSettings:
        host = os.environ.get("FRONTDOOR_IMAP_HOST", "")
        if not host:
            raise InvalidInput("FRONTDOOR_IMAP_HOST", "required",
                               "Set FRONTDOOR_IMAP_HOST (and _USER, _PASSWORD) to poll a mailbox")
        ssl = os.environ.get("FRONTDOOR_IMAP_SSL", "1").lower() in {"1", "true", "yes", "on"}
        return cls(
            host=host,
            port=int(os.environ.get("FRONTDOOR_IMAP_PORT", "993" if ssl else "143")),
            user=os.environ.get("FRONTDOOR_IMAP_USER", ""),
            password=os.environ.get("FRONTDOOR_IMAP_PASSWORD", ""),
            folder=os.environ.get("FRONTDOOR_IMAP_FOLDER", "INBOX"),
            ssl=ssl,
            done_folder=os.environ.get("FRONTDOOR_IMAP_DONE_FOLDER", ""),
            batch=int(os.environ.get("FRONTDOOR_IMAP_BATCH", "200")),
        )


@dataclass
class PollReport:
    """What one poll did: outcomes per email and the UIDs left unseen (to try again)."""

    outcomes: list[InboundOutcome] = field(default_factory=list)
    left_unseen: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for outcome in self.outcomes:
            totals[outcome.status] = totals.get(outcome.status, 0) + 1
        return totals


def poll_mailbox(*, imap: ImapSettings, clock: Callable[[], datetime]) -> PollReport:
    """Take in up to `imap.batch` unseen emails; each is marked seen only once it is stored."""
    report = PollReport()
    client = _connect(imap)
    try:
        _ok(client.select(_quoted(imap.folder)), "select the folder")
        status, data = client.uid("SEARCH", "UNSEEN")
        _ok((status, data), "search for unseen email")
        uids = [u.decode() for u in (data[0] or b"").split()][: imap.batch]
        for uid in uids:
            status, parts = client.uid("FETCH", uid, "(INTERNALDATE BODY.PEEK[])")
            raw, received_at = _fetched(parts)
            if status != "OK" or raw is None:
                report.left_unseen.append(uid)
                report.errors.append(f"UID {uid}: could not fetch ({status})")
                continue
            try:
                outcome = take_in_email(raw=raw, source="imap", now=clock(),
                                        received_at=received_at)
            except Exception as error:  # the database is down: leave it unseen, stop here
                report.left_unseen.append(uid)
                report.errors.append(f"UID {uid}: not stored ({type(error).__name__}: {error})")
                break
            report.outcomes.append(outcome)
            _mark_done(client, uid, imap)
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            client.logout()
    return report


def _connect(imap: ImapSettings) -> imaplib.IMAP4:
    client: imaplib.IMAP4
    if imap.ssl:
        client = imaplib.IMAP4_SSL(imap.host, imap.port, timeout=imap.timeout)
    else:
        client = imaplib.IMAP4(imap.host, imap.port, timeout=imap.timeout)
    client.login(imap.user, imap.password)
    return client


def _mark_done(client: imaplib.IMAP4, uid: str, imap: ImapSettings) -> None:
    client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    if imap.done_folder:
        status, _ = client.uid("COPY", uid, _quoted(imap.done_folder))
        if status == "OK":
            client.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
            client.expunge()


def _fetched(parts: list[object]) -> tuple[bytes | None, datetime | None]:
    """The raw email and the server's INTERNALDATE ("05-Jan-2026 10:00:00 +0000")."""
    for part in parts or []:
        if isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], bytes):
            meta = part[0].decode(errors="replace") if isinstance(part[0], bytes) else ""
            stamp = re.search(r'INTERNALDATE "([^"]+)"', meta)
            received = None
            if stamp:
                try:
                    received = datetime.strptime(stamp.group(1).strip(), "%d-%b-%Y %H:%M:%S %z")
                except ValueError:
                    received = None  # an odd server: "now" will do
            return part[1], received
    return None, None


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ok(result: tuple[str, Sequence[object]], doing: str) -> None:
    status, data = result
    if status != "OK":
        raise imaplib.IMAP4.error(f"could not {doing}: {status} {data!r}")
