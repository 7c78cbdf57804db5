"""The notification outbox (supervision/notifications): queued with the change, delivered by a job,
retried with back-off, given up after OUTBOX_MAX_ATTEMPTS, re-claimed after a crash."""
import logging
import socket
import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select

from supervision.audit import Actor
from supervision.complaints.transitions import perform
from supervision.extensions import db
from supervision.notifications.models import Notification
from supervision.notifications.outbox import CLAIM_LEASE, deliver_due, queue


@contextmanager
def mail_config(app, **values):
    """Set MAIL_* for one test and put the old values back."""
    old = {key: app.config.get(key) for key in values}
    app.config.update(values)
    try:
        yield
    finally:
        app.config.update(old)


def one(key: str) -> Notification:
    db.session.expire_all()
    return db.session.scalar(select(Notification).where(Notification.dedupe_key == key))


def test_queuing_is_idempotent_per_key(factory):
    officer = factory.officer("32")
    assert queue("k1", "subject", "body", factory.now, user=officer) is True
    assert queue("k1", "subject", "body", factory.now, user=officer) is False
    message = one("k1")
    assert (message.status, message.recipient_email, message.attempts) == ("queued", officer.email, 0)


def test_without_a_mail_server_the_log_is_the_channel(app, factory, caplog, monkeypatch):
    # The migrations' logging.config.fileConfig disables loggers that existed before it ran.
    monkeypatch.setattr(logging.getLogger("supervision.notifications.outbox"), "disabled", False)
    queue("k1", "[TS-32-20261126-000001] accepted", "body", factory.now, email="citizen@example.com")
    with mail_config(app, MAIL_SERVER=None), caplog.at_level(logging.INFO, logger="supervision"):
        assert deliver_due(factory.now) == 1
    message = one("k1")
    assert (message.status, message.sent_at) == ("sent", factory.now)
    assert f"notification {message.id}: [TS-32-20261126-000001] accepted" in caplog.text
    assert "citizen@example.com" not in caplog.text
    assert deliver_due(factory.now) == 0  # sent once


def test_an_unreachable_server_is_retried_with_doubling_back_off_then_given_up(app, factory):
    queue("k1", "subject", "body", factory.now, email="citizen@example.com")
    now = factory.now
    waits = []
    with mail_config(app, MAIL_SERVER="127.0.0.1", MAIL_PORT=1):
        for attempt in range(1, app.config["OUTBOX_MAX_ATTEMPTS"]):
            assert deliver_due(now) == 0
            message = one("k1")
            assert (message.status, message.attempts) == ("queued", attempt)
            assert "ConnectionRefusedError" in message.last_error
            waits.append(message.next_attempt_at - now)
            # Not due again before its time.
            assert deliver_due(message.next_attempt_at - timedelta(seconds=1)) == 0
            assert one("k1").attempts == attempt
            now = message.next_attempt_at
        assert deliver_due(now) == 0
    base = app.config["OUTBOX_RETRY_BASE_MINUTES"]
    assert waits == [timedelta(minutes=base * 2 ** i) for i in range(app.config["OUTBOX_MAX_ATTEMPTS"] - 1)]
    message = one("k1")
    assert (message.status, message.attempts) == ("failed", app.config["OUTBOX_MAX_ATTEMPTS"])
    with mail_config(app, MAIL_SERVER=None):
        assert deliver_due(now + timedelta(days=1)) == 0  # a failed message stays failed


def test_a_message_without_an_address_fails_at_once_instead_of_retrying(app, factory):
    queue("k-none", "subject", "body", factory.now)  # a user without an e-mail address
    with mail_config(app, MAIL_SERVER="127.0.0.1", MAIL_PORT=1):
        assert deliver_due(factory.now) == 0
    message = one("k-none")
    assert (message.status, message.attempts) == ("failed", 0)
    assert "no e-mail address" in message.last_error


@pytest.mark.parametrize(("claimed_ago", "resent"), [(CLAIM_LEASE + timedelta(seconds=1), True),
                                                     (CLAIM_LEASE - timedelta(minutes=1), False)])
def test_a_message_left_sending_by_a_crash_is_reclaimed_after_the_lease(app, factory, claimed_ago, resent):
    queue("k1", "subject", "body", factory.now, email="citizen@example.com")
    message = one("k1")
    message.status, message.claimed_at = "sending", factory.now - claimed_ago
    db.session.commit()
    with mail_config(app, MAIL_SERVER=None):
        assert deliver_due(factory.now) == (1 if resent else 0)
    assert one("k1").status == ("sent" if resent else "sending")


def test_intake_and_actions_queue_messages_without_personal_data(factory):
    operator = factory.operator()
    officer = factory.officer("32")
    staff = factory.user("operator", operator=operator)
    complaint, _ = factory.complaint(operator)
    for action in ("accept", "transfer"):
        perform(complaint, action, {}, Actor.of(officer), factory.now)
    db.session.commit()
    messages = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    to_citizen = [m for m in messages if m.recipient_email == "wxm@example.com"]
    to_staff = [m for m in messages if m.recipient_user_id == staff.id]
    assert [m.subject for m in to_citizen] == [f"[{complaint.reference}] {action}"
                                               for action in ("submit", "accept", "transfer")]
    assert [m.subject for m in to_staff] == [f"[{complaint.reference}] transferred"]
    for message in messages:
        for secret in ("王小明", "13800138000", "南京市", "320102199001011234"):
            assert secret not in message.subject + message.body


class TinySMTPServer:
    """Just enough SMTP (RFC 5321) for smtplib to hand over messages; runs in a thread."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.messages: list[str] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn, conn.makefile("rb") as reader:
                self._session(conn, reader)

    def _session(self, conn, reader):
        conn.sendall(b"220 tiny ESMTP\r\n")
        while line := reader.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                conn.sendall(b"354 end with .\r\n")
                data = b"".join(iter(lambda: reader.readline(), b".\r\n"))
                self.messages.append(data.decode())
                conn.sendall(b"250 queued\r\n")
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:  # EHLO, HELO, MAIL, RCPT, RSET, NOOP
                conn.sendall(b"250 ok\r\n")

    def close(self):
        self.sock.close()


def test_messages_arrive_at_a_real_smtp_server(app, factory):
    server = TinySMTPServer()
    try:
        queue("k1", "[TS-32-20261126-000001] accept", "Your complaint is now: accepted.", factory.now,
              email="citizen@example.com")
        queue("k2", "[TS-32-20261126-000001] transfer", "Your complaint is now: transferred.", factory.now,
              email="citizen@example.com")
        with mail_config(app, MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port):
            assert deliver_due(factory.now) == 2
    finally:
        server.close()
    assert len(server.messages) == 2
    assert "To: citizen@example.com" in server.messages[0]
    assert "Subject: [TS-32-20261126-000001] accept" in server.messages[0]
    assert "now: accepted" in server.messages[0]
    assert (one("k1").status, one("k2").status) == ("sent", "sent")
