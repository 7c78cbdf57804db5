"""A server killed with SIGKILL in the middle of a stream of intakes (issue 11): every complaint
whose 201 reached its filer is there after the restart, and no complaint is half-written — each
has its clocks, its audit event and its acknowledgement in the outbox, or nothing of it exists.

The server is the production one (gunicorn, two workers with threads) in its own process
group, on the test's database (a SQLite file, or a PostgreSQL schema with TEST_DATABASE_URL);
the whole group is killed at once, as the kernel's OOM killer or a pulled plug would.
"""
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import select
from urllib3.exceptions import NewConnectionError

from supervision.audit import AuditEvent, verify_chain
from supervision.clock import today_local
from supervision.complaints.models import Complaint
from supervision.extensions import db
from supervision.notifications.models import Notification
from supervision.workflow.models import Deadline

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 6
KILL_AFTER_201 = 30  # the kill comes once this many filers have their 201
CLOCKS = {"acceptance", "answer"}  # the clocks every intake starts (SPEC §3)


class Server:
    """gunicorn on a socket the test binds (port 0: a free port), handed over as fd://."""

    def __init__(self, database_url: str, workdir: Path):
        sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        env = os.environ | {"DATABASE_URL": database_url, "RATELIMIT_ENABLED": "false",
                            "SECRET_KEY": "sigkill-test-secret", "UPLOAD_DIR": str(workdir / "uploads"),
                            "SUPERVISION_SCHEDULER": "off"}
        self.log = open(workdir / "gunicorn.log", "ab")  # noqa: SIM115  (closed in kill())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"fd://{sock.fileno()}", "--workers", "2",
             "--worker-class", "gthread", "--threads", "4", "--preload", "wsgi:app"],
            cwd=ROOT, env=env, pass_fds=(sock.fileno(),), start_new_session=True,
            stdout=self.log, stderr=subprocess.STDOUT)
        sock.close()  # only gunicorn holds it now: once killed, connections are refused
        self._wait_healthy()

    def _wait_healthy(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass  # not listening yet, or the workers still booting
            assert self.process.poll() is None, "gunicorn exited: see gunicorn.log"
            time.sleep(0.2)
        raise AssertionError("gunicorn did not answer /healthz in time")

    def kill(self) -> None:
        """SIGKILL to the master and its workers at once: no handler runs, nothing is flushed."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()


class Stream:
    """Filers sending intakes one after another until the server dies under them."""

    def __init__(self, url: str, body: dict):
        self.url, self.body = url, body
        self.lock = threading.Lock()
        self.sent = 0
        self.statuses: Counter = Counter()
        self.filed: dict[str, str] = {}  # reference → access code, for every 201 received
        self.threads = [threading.Thread(target=self._file) for _ in range(CLIENTS)]

    def _file(self) -> None:
        with requests.Session() as http:
            while True:
                with self.lock:
                    self.sent += 1
                try:
                    response = http.post(f"{self.url}/api/v1/complaints", json=self.body, timeout=60)
                except requests.RequestException as exc:
                    with self.lock:
                        self.statuses["refused" if _refused(exc) else "cut in flight"] += 1
                    return  # the server is gone
                with self.lock:
                    self.statuses[response.status_code] += 1
                    if response.status_code == 201:
                        self.filed[response.json()["reference"]] = response.json()["access_code"]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def wait_for(self, filed: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while len(self.filed) < filed:
            assert time.monotonic() < deadline, f"only {len(self.filed)} intakes filed in {seconds} s"
            time.sleep(0.02)

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=90)


def _refused(exc: requests.RequestException) -> bool:
    """Sent after the kill (nobody listening), rather than cut while the server had it."""
    return isinstance(getattr(exc.args[0] if exc.args else None, "reason", None), NewConnectionError)


def intake_body(factory) -> dict:
    """Dates relative to the server's real today (it runs on the system clock)."""
    today = today_local()
    return factory.complaint_body(factory.operator(), event_date=str(today - timedelta(days=30)),
                                  operator_complaint_date=str(today - timedelta(days=20)))


def missing_parts(complaint: Complaint) -> list[str]:
    """What a whole intake has and this complaint lacks."""
    clocks = set(db.session.scalars(select(Deadline.clock).where(
        Deadline.subject_type == Complaint.deadline_subject, Deadline.subject_id == complaint.id)))
    submitted = db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.entity_type == "complaint", AuditEvent.entity_id == complaint.reference,
        AuditEvent.action == "submit"))
    acknowledged = db.session.scalar(select(Notification.id).where(
        Notification.dedupe_key.like(f"complainant:{complaint.reference}:submit:%")))
    return ([f"clock {clock}" for clock in sorted(CLOCKS - clocks)] + ([] if submitted else ["submit event"])
            + ([] if acknowledged else ["acknowledgement"]))


def test_sigkill_in_a_stream_of_intakes_loses_no_201_and_leaves_nothing_half_written(
        app, factory, database_url, tmp_path):
    body = intake_body(factory)
    db.session.commit()
    started = time.monotonic()
    server = Server(database_url, tmp_path)
    stream = Stream(server.url, body)
    try:
        stream.start()
        stream.wait_for(KILL_AFTER_201)
        server.kill()
    finally:
        server.kill()
        stream.join()
    statuses = dict(stream.statuses)
    assert set(statuses) <= {201, 503, "cut in flight", "refused"}, statuses
    assert statuses.get("cut in flight", 0) >= 1, "the kill did not fall in the middle of a request"

    restarted = Server(database_url, tmp_path)
    try:
        db.session.expire_all()
        complaints = db.session.scalars(select(Complaint)).all()
        stored = {complaint.reference for complaint in complaints}
        half_written = {c.reference: missing for c in complaints if (missing := missing_parts(c))}
        print(f"\nSIGKILL on {db.engine.dialect.name}: {stream.sent} intakes sent, answers {statuses}, "
              f"{len(stream.filed)} 201 received, {len(stored)} complaints found after the kill, "
              f"{len(half_written)} half-written ({time.monotonic() - started:.1f} s)")
        assert set(stream.filed) <= stored, "a complaint answered 201 was lost"
        assert half_written == {}
        assert len(stored) <= len(stream.filed) + statuses["cut in flight"]  # nothing out of thin air
        assert list(verify_chain())[-1][1] is None  # the audit chains survived whole
        db.session.commit()  # on SQLite the test's transaction would hold the write lock
        # The restarted server serves the complainants of before the kill, and files anew.
        reference, code = next(iter(stream.filed.items()))
        tracked = requests.get(f"{restarted.url}/api/v1/complaints/{reference}", params={"access_code": code},
                               timeout=30)
        assert tracked.status_code == 200 and tracked.json()["reference"] == reference
        assert requests.post(f"{restarted.url}/api/v1/complaints", json=body, timeout=30).status_code == 201
    finally:
        restarted.kill()
