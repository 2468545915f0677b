"""`frontdoor poll-mailbox` against a real Dovecot IMAP server holding the real samples."""

from __future__ import annotations

import imaplib
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from frontdoor.cases import mailbox
from frontdoor.cases.models import Attachment, Case, EventKind
from frontdoor.contacts.models import InboundMessage
from frontdoor.notifications.models import Message
from frontdoor.notifications.providers import message_id_header
from tests.email.conftest import sample
from tests.email.dovecot import Imap, available, dovecot_server

pytestmark = [
    pytest.mark.usefixtures("council"),
    pytest.mark.skipif(not available(), reason="needs /usr/sbin/dovecot (Debian dovecot-imapd) "
                                               "and root to run a private IMAP server"),
]

NEW_EMAILS = ["plain", "html_only", "attachments", "windows1252", "latin1", "rfc2047_subject",
              "unknown_charset"]
ROBOTS = ["out_of_office", "bounce"]


@pytest.fixture
def imap(monkeypatch: pytest.MonkeyPatch) -> Iterator[Imap]:
    # Not tmp_path: its parent is private to root, and Dovecot writes mail as "nobody".
    with tempfile.TemporaryDirectory(prefix="fd-dovecot-") as root, \
            dovecot_server(Path(root)) as server:
        for name, value in {"HOST": server.host, "PORT": str(server.port), "USER": server.user,
                            "PASSWORD": server.password, "SSL": "0",
                            "FOLDER": "INBOX"}.items():
            monkeypatch.setenv(f"FRONTDOOR_IMAP_{name}", value)
        yield server


def _client(imap: Imap) -> imaplib.IMAP4:
    client = imaplib.IMAP4(imap.host, imap.port)
    client.login(imap.user, imap.password)
    return client


def _deliver(imap: Imap, raws: list[bytes], at: datetime) -> None:
    client = _client(imap)
    for raw in raws:
        status, _ = client.append("INBOX", None, at, raw)
        assert status == "OK"
    client.logout()


def _unseen(imap: Imap) -> list[bytes]:
    client = _client(imap)
    client.select("INBOX")
    _, data = client.uid("SEARCH", "UNSEEN")
    client.logout()
    return (data[0] or b"").split()


def test_poll_mailbox_turns_the_mailbox_into_cases_and_marks_each_email_seen(imap: Imap):
    delivered_at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=2)
    _deliver(imap, [sample(n) for n in NEW_EMAILS + ROBOTS + ["malformed"]], delivered_at)

    call_command("poll_mailbox", "--once")

    assert _unseen(imap) == []
    by_subject = {m.subject: m for m in InboundMessage.objects.all()}
    assert len(by_subject) == len(NEW_EMAILS) + len(ROBOTS) + 1
    assert Case.objects.count() == len(NEW_EMAILS)
    services = set(Case.objects.values_list("service_code", flat=True))
    assert {"missed-bin", "fly-tipping", "council-tax", "noise-nuisance", "licensing",
            "homelessness"} <= services
    plain = Case.objects.get(title="Bin not emptied on Monday")
    assert plain.received_at == delivered_at  # the server's INTERNALDATE, not the Date header
    assert Attachment.objects.filter(case__title__startswith="Fly-tipping").count() == 2
    assert Message.objects.filter(event="contact_acknowledged").count() == len(NEW_EMAILS)
    statuses = sorted(InboundMessage.objects.values_list("status", flat=True))
    assert statuses.count("ignored") == len(ROBOTS)
    assert statuses.count("unprocessed") == 1

    # The resident replies to our acknowledgement; the reply joins the case.
    ack = Message.objects.get(event="contact_acknowledged", subject_id=plain.reference)
    reply = sample("reply_quoted", IN_REPLY_TO=message_id_header(ack, "north-norfolk.gov.uk"))
    auto = sample("auto_reply", REFERENCE=plain.reference)
    _deliver(imap, [reply, auto], delivered_at + timedelta(minutes=1))

    call_command("poll_mailbox", "--once")

    assert _unseen(imap) == []
    assert Case.objects.count() == len(NEW_EMAILS)
    assert plain.events.filter(kind=EventKind.INFORMATION_ADDED).count() == 1
    assert Message.objects.filter(event="contact_acknowledged").count() == len(NEW_EMAILS)


def test_an_email_that_could_not_be_stored_stays_unseen_for_the_next_poll(
    imap: Imap, monkeypatch: pytest.MonkeyPatch
):
    _deliver(imap, [sample("plain")], datetime.now(UTC) - timedelta(minutes=1))

    def database_down(**_: object) -> None:
        raise OSError("could not connect to the database")

    monkeypatch.setattr(mailbox, "take_in_email", database_down)
    with pytest.raises(CommandError, match="left unseen"):
        call_command("poll_mailbox", "--once")
    assert len(_unseen(imap)) == 1
    assert not InboundMessage.objects.exists()

    monkeypatch.undo()
    for name, value in {"HOST": imap.host, "PORT": str(imap.port), "USER": imap.user,
                        "PASSWORD": imap.password, "SSL": "0"}.items():
        monkeypatch.setenv(f"FRONTDOOR_IMAP_{name}", value)
    call_command("poll_mailbox", "--once")
    assert _unseen(imap) == [] and Case.objects.count() == 1


def test_a_second_poll_of_a_message_already_taken_in_is_a_duplicate_not_a_second_case(
    imap: Imap,
):
    _deliver(imap, [sample("plain"), sample("plain")], datetime.now(UTC) - timedelta(minutes=1))

    call_command("poll_mailbox", "--once")

    assert Case.objects.count() == 1
    assert sorted(InboundMessage.objects.values_list("status", flat=True)) == [
        "duplicate", "processed"]
