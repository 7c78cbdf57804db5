"""Several app servers and schedulers on one PostgreSQL (issue 10 item 5), as production runs them:
two gunicorn instances (two workers each) and two `flask scheduler run` processes on one schema,
rate limits counted in one Redis.

Public intake goes through both servers at once; the first scheduler sweeps, the second waits
for the scheduler lock and takes over when the first stops. Checked: every 201 is one stored
complaint, every complaint escalated exactly once, the second scheduler waited, and the
intake limit is one budget across both servers (4 processes).
"""
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from supervision.audit import AuditEvent
from supervision.complaints.models import Complaint
from supervision.extensions import db
from supervision.jobruns import JobRun
from supervision.scheduler import SchedulerLock
from tests.conftest import DEFAULT_NOW

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/0"
BUDGET = 20          # INTAKE_RATE_LIMIT per client address, shared by both servers
PER_ADDRESS = 30     # intakes sent per client address: 10 over the budget
CLIENTS = 6          # threads per burst, alternating between the two servers
SWEEP_LATER = timedelta(days=40)  # the schedulers' clock: every complaint's first clock is missed
NET = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}"  # client addresses (X-Forwarded-For) of this run


def _postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://… (CI's PostgreSQL leg does)")
    return url


def _redis_reachable() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"needs Redis at {REDIS_URL} (`make redis` starts it; `make test-postgres` does)")


pytestmark = pytest.mark.slow


class Process:
    """A child process whose output goes to a file the test can wait on."""

    def __init__(self, name: str, args: list[str], env: dict, log_dir: Path, stop_signal=signal.SIGTERM):
        self.name, self.log, self.stop_signal = name, log_dir / f"{name}.log", stop_signal
        self._file = self.log.open("w")
        self.popen = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self._file, stderr=subprocess.STDOUT,
                                      start_new_session=True)

    def output(self) -> str:
        return self.log.read_text()

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if found := re.search(pattern, self.output()):
                return found
            if self.popen.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"{self.name}: no {pattern!r} within {timeout}s; its log:\n{self.output()[-3000:]}")

    def signal(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, self.stop_signal)  # its own session: gunicorn's workers too

    def stop(self, timeout: float = 15) -> None:
        self.signal()
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
        self._file.close()


@pytest.fixture
def cluster(app, database_url, tmp_path):
    """Starts processes on the test schema; stops them all afterwards (before the tables are emptied)."""
    _postgres_url()
    _redis_reachable()
    env = os.environ | {
        "DATABASE_URL": database_url, "SECRET_KEY": "scale-out-test-" + secrets.token_hex(8),
        "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": "scale-out-test-" + secrets.token_hex(4),
        "INTAKE_RATE_LIMIT": f"{BUDGET} per hour", "TRUSTED_PROXIES": "1", "SUPERVISION_SCHEDULER": "off",
        "SWEEP_INTERVAL_MINUTES": "600", "SCHEDULER_LOCK_RETRY_SECONDS": "0.3", "PYTHONUNBUFFERED": "1",
    }
    started: list[Process] = []

    def start(name: str, args: list[str], clock, **kw) -> Process:
        process = Process(name, args, env | {"TEST_CLOCK": clock.isoformat()}, tmp_path, **kw)
        started.append(process)
        return process

    def server(name: str) -> Process:
        # --preload: the app is imported once per server, not once per worker (a test's start-up time).
        return start(name, [sys.executable, "-m", "gunicorn", "--workers", "2", "--preload",
                            "--bind", "127.0.0.1:0", "tests.process_app:create()"], DEFAULT_NOW,
                     stop_signal=signal.SIGINT)  # gunicorn's quick shutdown; SIGTERM waits for idle workers

    def scheduler(name: str) -> Process:
        return start(name, [sys.executable, "-m", "flask", "--app", "tests.process_app:create()",
                            "scheduler", "run"], DEFAULT_NOW + SWEEP_LATER)

    try:
        yield server, scheduler
    finally:
        for process in started:  # all at once: gunicorn 27's master takes ~8 s to exit after its workers
            process.signal()
        for process in started:
            process.stop(timeout=2)  # the results are checked: a slow exit is cut short


def listening(server: Process) -> str:
    url = server.wait_for(r"Listening at: (http://127\.0\.0\.1:\d+)", timeout=90).group(1)
    server.wait_for(r"(?s)Booting worker.*Booting worker")
    return url


def file_through_both(servers: list[str], body: dict, address: str) -> list[tuple[int, dict]]:
    """PER_ADDRESS public intakes from one client address (behind the proxy), alternating servers."""
    answers: list[tuple[int, dict]] = []
    lock, barrier = threading.Lock(), threading.Barrier(CLIENTS)

    def client(index: int):
        with requests.Session() as http:
            barrier.wait(timeout=30)
            for n in range(index, PER_ADDRESS, CLIENTS):
                response = http.post(f"{servers[n % 2]}/api/v1/complaints", json=body, timeout=60,
                                     headers={"X-Forwarded-For": address})
                with lock:
                    answers.append((response.status_code, response.json()))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def references(answers) -> list[str]:
    return [json["reference"] for status, json in answers if status == 201]


def escalations() -> Counter:
    db.session.expire_all()
    return Counter(db.session.scalars(select(AuditEvent.entity_id).where(
        AuditEvent.entity_type == "complaint", AuditEvent.action == "escalate")))


def wait_for_leader(schedulers: list[Process], timeout: float = 30) -> Process:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        leaders = [process for process in schedulers if "took the scheduler lock" in process.output()]
        if leaders:
            assert len(leaders) == 1, "two schedulers took the lock at once"
            return leaders[0]
        time.sleep(0.1)
    raise AssertionError(f"no scheduler took the lock within {timeout}s")


def wait_for_sweeps(count: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        done = db.session.scalar(select(func.count()).select_from(JobRun).where(
            JobRun.job == "deadline_sweep", JobRun.outcome == "ok"))
        if done >= count:
            return
        time.sleep(0.2)
    raise AssertionError(f"fewer than {count} finished deadline sweeps after {timeout}s")


def test_two_servers_and_two_schedulers_on_one_postgresql(app, ctx, factory, cluster):
    started_at = time.monotonic()
    server, scheduler = cluster
    body = factory.complaint_body(factory.operator())
    db.session.commit()
    # The test holds the scheduler lock first, so both schedulers start (in parallel with the
    # servers: start-up is most of this test's time) and wait; then it lets them compete.
    held_by_test = SchedulerLock(db.engine.url)
    assert held_by_test.try_acquire()
    try:
        processes = [server("web-1"), server("web-2"), scheduler("scheduler-a"), scheduler("scheduler-b")]
        servers = [listening(process) for process in processes[:2]]
        schedulers = processes[2:]

        # Burst 1: one client address, 30 intakes over both servers: the shared budget lets 20 through.
        first = file_through_both(servers, body, f"{NET}.1")
        assert Counter(status for status, _ in first) == {201: BUDGET, 429: PER_ADDRESS - BUDGET}
        for process in schedulers:
            process.wait_for("waiting for the scheduler lock", timeout=90)
        assert escalations() == Counter()  # nobody swept while the lock was taken
    finally:
        held_by_test.release()

    # One scheduler takes the lock and sweeps burst 1; the other keeps waiting.
    leader = wait_for_leader(schedulers)
    follower = next(process for process in schedulers if process is not leader)
    wait_for_sweeps(1)
    assert escalations() == Counter(references(first))

    # Burst 2 from another address (its own budget): the leader has swept already, the follower waits.
    second = file_through_both(servers, body, f"{NET}.2")
    assert Counter(status for status, _ in second) == {201: BUDGET, 429: PER_ADDRESS - BUDGET}
    assert "took the scheduler lock" not in follower.output()
    assert escalations() == Counter(references(first))

    # The leader stops; the follower takes the lock over and sweeps burst 2.
    leader.stop()
    follower.wait_for("took the scheduler lock after waiting")
    wait_for_sweeps(2)

    filed = references(first) + references(second)
    db.session.expire_all()
    stored = Counter(db.session.scalars(select(Complaint.reference)))
    assert stored == Counter(set(filed)) and len(set(filed)) == len(filed) == 2 * BUDGET  # none lost, none twice
    assert escalations() == Counter(filed)                                         # each escalated once
    assert db.session.scalar(select(func.count()).select_from(JobRun).where(JobRun.job == "deadline_sweep")) == 2
    assert all(c.escalation is not None for c in db.session.scalars(select(Complaint)))
    print(f"\nintakes sent {2 * PER_ADDRESS}, answered 201: {len(filed)}, 429: {2 * (PER_ADDRESS - BUDGET)}, "
          f"stored {sum(stored.values())}; escalations expected {len(filed)}, found {sum(escalations().values())}; "
          f"{time.monotonic() - started_at:.1f} s")
