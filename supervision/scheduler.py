"""APScheduler wiring: in-process for `make run`, its own process for `flask scheduler run`.

On PostgreSQL the scheduler process first takes a session-level advisory lock on a connection
of its own and keeps that connection open while it runs: a second scheduler (another machine,
a restart overlapping the old process) waits for the lock instead of running the jobs twice,
and takes over when the first one stops. The lock belongs to the database session, so it is
released when the process dies, even by SIGKILL: its connection closes. On SQLite (one
machine) there is no lock: the jobs are compare-and-set updates, safe to run twice.
"""
import logging
import threading
import time
import zlib
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from supervision.jobs import registered_jobs, run_job

log = logging.getLogger(__name__)

# The first half of the advisory-lock key: this application's scheduler (an arbitrary constant).
LOCK_CLASS = zlib.crc32(b"supervision.scheduler") - 2**31


def _add_jobs(scheduler, app: Flask, runner=run_job) -> None:
    for job in registered_jobs(app):
        # Interval jobs run once at start too, so a restart never leaves misses unmarked for a while.
        first_run = {"next_run_time": datetime.now(UTC)} if job.trigger == "interval" else {}
        # coalesce + max_instances=1: a late or overlapping run never runs twice in one process.
        scheduler.add_job(runner, job.trigger, args=[app, job], id=job.name, name=job.name,
                          coalesce=True, max_instances=1, replace_existing=True, **job.trigger_args, **first_run)


def start_background_scheduler(app: Flask) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=app.config["SUPERVISION_TZ"])
    _add_jobs(scheduler, app)
    scheduler.start()
    app.extensions["scheduler"] = scheduler
    log.info("in-process scheduler started with %d jobs", len(scheduler.get_jobs()))
    return scheduler


class SchedulerLock:
    """The PostgreSQL advisory lock that makes one scheduler process run the jobs.

    The key is (LOCK_CLASS, the schema's crc32): advisory locks are per database, and two
    installations in two schemas of one database each have their own scheduler.
    """

    def __init__(self, url):
        # A connection outside the app's pool: it lives as long as the scheduler and is never
        # handed to a job (a job's rollback or a pool recycle would otherwise drop the lock).
        self._engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self._conn = None
        self._guard = threading.Lock()  # jobs run on several threads; one connection serves them
        self.key: tuple[int, int] | None = None
        self.lost = False
        self.schema = ""

    def _connect(self) -> None:
        self._conn = self._engine.connect()
        # The server notices a vanished machine within about a minute (not the system's 2 hours),
        # ends its session and so frees the lock for the waiting scheduler.
        for setting in ("tcp_keepalives_idle = 30", "tcp_keepalives_interval = 10", "tcp_keepalives_count = 3",
                        "idle_session_timeout = 0"):
            self._conn.execute(text(f"SET {setting}"))
        self.schema = self._conn.execute(text("SELECT current_schema()")).scalar_one()
        self.key = (LOCK_CLASS, zlib.crc32(self.schema.encode()) - 2**31)

    def try_acquire(self) -> bool:
        if self._conn is None:
            self._connect()
        with self._guard:
            return bool(self._conn.execute(text("SELECT pg_try_advisory_lock(:a, :b)"),
                                           {"a": self.key[0], "b": self.key[1]}).scalar_one())

    def acquire(self, retry_seconds: float) -> None:
        """Block until the lock is ours, asking again every `retry_seconds`."""
        waited = False
        while not self.try_acquire():
            if not waited:
                log.warning("waiting for the scheduler lock: another scheduler runs the jobs on this database "
                            "(schema %s); retrying every %ss", self.schema, retry_seconds)
                waited = True
            time.sleep(retry_seconds)
        log.info("took the scheduler lock%s (schema %s): this process runs the jobs",
                 " after waiting" if waited else "", self.schema)

    def held(self) -> bool:
        """Whether the session holding the lock is still alive (a dropped connection loses it)."""
        try:
            with self._guard:
                return bool(self._conn.execute(text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND pid = pg_backend_pid() AND classid::bigint = :a AND objid::bigint = :b AND objsubid = 2"),
                    # pg_locks shows the two int4 halves of the key as unsigned oids
                    {"a": self.key[0] & 0xFFFFFFFF, "b": self.key[1] & 0xFFFFFFFF}).scalar_one())
        except Exception:
            log.exception("the scheduler lock's connection failed")
            return False

    def release(self) -> None:
        if self._conn is not None:
            self._conn.close()  # ends the session, and with it the lock
            self._conn = None
        self._engine.dispose()


def _leader(lock: SchedulerLock, scheduler):
    """The job runner of a lock holder: a job runs only while the lock is still ours."""
    def run(app: Flask, job):
        if not lock.held():
            # Another scheduler may hold it by now: stop, and let the service manager restart us
            # (the new process waits for the lock like any second scheduler).
            log.error("lost the scheduler lock: stopping the scheduler without running %s", job.name)
            lock.lost = True
            scheduler.shutdown(wait=False)
            return None
        return run_job(app, job)
    return run


def run_blocking_scheduler(app: Flask) -> None:
    """The scheduler process: wait for the lock (PostgreSQL), then run the jobs until stopped."""
    scheduler = BlockingScheduler(timezone=app.config["SUPERVISION_TZ"])
    with app.app_context():
        from supervision.extensions import db

        url = db.engine.url
    if url.get_backend_name() != "postgresql":
        log.info("scheduler without a lock on %s: its jobs are compare-and-set updates, safe to run twice",
                 url.get_backend_name())
        _add_jobs(scheduler, app)
        log.info("scheduler process started with %d jobs", len(scheduler.get_jobs()))
        scheduler.start()
        return
    lock = SchedulerLock(url)
    try:
        lock.acquire(app.config["SCHEDULER_LOCK_RETRY_SECONDS"])
        _add_jobs(scheduler, app, runner=_leader(lock, scheduler))
        log.info("scheduler process started with %d jobs", len(scheduler.get_jobs()))
        scheduler.start()
    finally:
        lock.release()
    if lock.lost:
        raise SystemExit(1)
