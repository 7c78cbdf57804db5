"""The outbox against a real SMTP server that refuses, then accepts (issue 11): every message is
delivered exactly once — none lost, none twice — retries come no sooner than the back-off says,
and two delivery workers at once never send the same message. The mails carry the reference,
never the access code or the complainant's personal data (SPEC §3, §9).

The server is aiosmtpd in a thread, on a port the test binds (port 0: a free port).
"""
import socket
import threading
from collections import Counter
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from supervision.extensions import db
from supervision.notifications.models import Notification
from supervision.notifications.outbox import deliver_due
from tests.api.test_notifications import mail_config

pytestmark = pytest.mark.slow
GREYLISTED = "451 4.7.1 Greylisted, please try again later"
SHUTTING_DOWN = "421 4.3.2 Service shutting down"


class Sink:
    """An aiosmtpd handler: answers the next DATA commands with the refusals given, then accepts."""

    def __init__(self):
        self.refusals: list[str] = []
        self.transactions = 0
        self.delivered: list = []  # email.message.Message, in arrival order

    async def handle_DATA(self, server, session, envelope):
        self.transactions += 1
        if self.refusals:
            return self.refusals.pop(0)
        self.delivered.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 2.0.0 Accepted"


class SinkController(Controller):
    """aiosmtpd's controller, listening on a socket bound to a free port beforehand."""

    def __init__(self, handler):
        self.sock = socket.create_server(("127.0.0.1", 0))
        super().__init__(handler, hostname="127.0.0.1", port=self.sock.getsockname()[1])

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self.sock)


@pytest.fixture
def sink(app):
    handler = Sink()
    controller = SinkController(handler)
    controller.start()
    try:
        with mail_config(app, MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port):
            yield handler
    finally:
        controller.stop()


def file(client, factory, operator, count: int) -> dict[str, str]:
    """Public intakes through the API; reference → access code."""
    filed = {}
    for _ in range(count):
        response = client.post("/api/v1/complaints", json=factory.complaint_body(operator))
        assert response.status_code == 201, response.json
        filed[response.json["reference"]] = response.json["access_code"]
    return filed


def outbox() -> dict[str, Notification]:
    db.session.expire_all()
    return {row.subject.split("]")[0][1:]: row for row in db.session.scalars(select(Notification))}


def test_refused_then_accepted_each_message_arrives_once_retries_spaced_by_the_back_off(
        app, client, factory, sink):
    filed = file(client, factory, factory.operator(), 3)
    base = timedelta(minutes=app.config["OUTBOX_RETRY_BASE_MINUTES"])
    t0 = factory.now

    sink.refusals = [GREYLISTED] * 3  # the first round: every message refused
    assert deliver_due(t0) == 0
    rows = outbox()
    assert [(r.status, r.attempts, r.next_attempt_at) for r in rows.values()] == [("queued", 1, t0 + base)] * 3
    assert all("451" in r.last_error for r in rows.values())

    assert deliver_due(t0 + base - timedelta(seconds=1)) == 0
    assert sink.transactions == 3  # nobody knocked before the retry was due

    sink.refusals = [SHUTTING_DOWN]  # the second round: the first message refused again
    assert deliver_due(t0 + base) == 2
    first = min(rows, key=lambda reference: rows[reference].id)
    assert (outbox()[first].attempts, outbox()[first].next_attempt_at) == (2, t0 + base + 2 * base)
    assert deliver_due(t0 + 3 * base - timedelta(seconds=1)) == 0
    assert deliver_due(t0 + 3 * base) == 1
    assert deliver_due(t0 + timedelta(days=1)) == 0  # nothing left, nothing sent again

    print(f"\nSMTP sink: {sink.transactions} transactions, {len(sink.delivered)} messages accepted "
          f"for {len(filed)} acknowledgements")
    assert sink.transactions == 3 + 3 + 1
    rows = outbox()
    assert {reference: (r.status, r.attempts) for reference, r in rows.items()} \
        == {reference: ("sent", 2 if reference == first else 1) for reference in filed}
    assert rows[first].sent_at == t0 + 3 * base
    arrived = Counter(message["Message-ID"] for message in sink.delivered)
    assert len(arrived) == 3 and set(arrived.values()) == {1}
    assert sorted(message["Subject"] for message in sink.delivered) == sorted(f"[{r}] submit" for r in filed)
    for message in sink.delivered:
        reference = message["Subject"][1:].split("]")[0]
        text = message.get_content()
        assert reference in text and message["To"] == "wxm@example.com"
        # The access code is shown once, on the screen (SPEC §3): never in a mail.
        for secret in (*filed.values(), "王小明", "13800138000", "南京市", "320102199001011234"):
            assert secret not in message.as_string()


def test_two_delivery_workers_at_once_send_each_message_once(app, client, factory, sink):
    filed = file(client, factory, factory.operator(), 8)
    db.session.commit()
    counts, barrier = [], threading.Barrier(2)

    def worker():
        with app.app_context():
            barrier.wait(timeout=30)
            counts.append(deliver_due(factory.now))

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=60)
    print(f"\ntwo workers sent {counts} of {len(filed)} messages; the sink received {len(sink.delivered)}")
    assert sum(counts) == len(filed) == len(sink.delivered)
    assert len({message["Message-ID"] for message in sink.delivered}) == len(filed)
    assert {row.status for row in outbox().values()} == {"sent"}
