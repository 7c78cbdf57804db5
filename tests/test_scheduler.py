"""Scheduler wiring: which jobs run, when, that the web process starts one scheduler only, and
that on PostgreSQL a second scheduler process waits for the scheduler lock."""
import logging
import threading
import time
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from supervision.app import register_scheduler
from supervision.scheduler import SchedulerLock, _add_jobs, _leader, run_blocking_scheduler


def test_the_registered_jobs_run_at_start_and_then_on_their_schedule(app):
    scheduler = BackgroundScheduler(timezone=app.config["SUPERVISION_TZ"])  # never started: no job runs here
    before = datetime.now(UTC)
    _add_jobs(scheduler, app)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"deadline_sweep", "notification_delivery", "operator_status_refresh", "publication_drafts",
                         "retention_check", "personal_data_erasure"}
    sweep = jobs["deadline_sweep"]
    assert sweep.trigger.interval.total_seconds() == app.config["SWEEP_INTERVAL_MINUTES"] * 60
    assert sweep.max_instances == 1 and sweep.coalesce
    assert before <= sweep.next_run_time <= datetime.now(UTC)   # first sweep right at start
    assert "hour='0'" in str(jobs["operator_status_refresh"].trigger)  # daily, just after midnight


def test_the_reloaders_watcher_process_does_not_start_a_second_scheduler(app, monkeypatch):
    monkeypatch.setitem(app.config, "SUPERVISION_SCHEDULER", True)
    monkeypatch.setattr(app, "testing", False)
    monkeypatch.setattr(app, "debug", True)
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    started = []
    monkeypatch.setattr("supervision.scheduler.start_background_scheduler", started.append)
    register_scheduler(app)
    assert started == []          # the watcher process: no scheduler
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    register_scheduler(app)
    assert started == [app]       # the serving child: exactly one


def test_scheduler_off_means_no_scheduler(app, monkeypatch):
    monkeypatch.setitem(app.config, "SUPERVISION_SCHEDULER", False)
    monkeypatch.setattr(app, "testing", False)
    started = []
    monkeypatch.setattr("supervision.scheduler.start_background_scheduler", started.append)
    register_scheduler(app)
    assert started == []


def _postgres_only(app):
    from supervision.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the scheduler lock is PostgreSQL's (TEST_DATABASE_URL=postgresql+psycopg://…)")
        return db.engine.url


def test_a_second_scheduler_waits_for_the_lock_and_takes_it_when_the_first_stops(app, caplog):
    url = _postgres_only(app)
    first, second = SchedulerLock(url), SchedulerLock(url)
    caplog.set_level(logging.INFO, logger="supervision.scheduler")
    try:
        first.acquire(retry_seconds=0.05)
        assert first.held() and not second.try_acquire()
        waiting = threading.Thread(target=second.acquire, kwargs={"retry_seconds": 0.05})
        waiting.start()
        time.sleep(0.3)
        assert waiting.is_alive() and "waiting for the scheduler lock" in caplog.text
        first.release()  # the first scheduler stops: its session, and the lock, end
        waiting.join(timeout=10)
        assert not waiting.is_alive() and second.held()
        assert "took the scheduler lock after waiting" in caplog.text
    finally:
        first.release()
        second.release()


def test_a_scheduler_that_lost_its_lock_connection_stops_without_running_the_job(app):
    from sqlalchemy import text

    from supervision.extensions import db
    from supervision.jobs import registered_jobs

    url = _postgres_only(app)
    lock = SchedulerLock(url)
    stopped = []
    try:
        lock.acquire(retry_seconds=0.05)
        with app.app_context():
            backend = lock._conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
            db.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
            db.session.commit()
        runner = _leader(lock, SimpleNamespace(shutdown=lambda wait: stopped.append(wait)))
        assert runner(app, registered_jobs(app)[0]) is None
        assert stopped == [False] and lock.lost and not lock.held()
    finally:
        lock.release()


def test_on_sqlite_the_scheduler_process_runs_its_jobs_without_a_lock(app, monkeypatch):
    from supervision.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the SQLite path")
    started = []

    class Recording(BackgroundScheduler):
        def start(self):
            started.append(sorted(job.id for job in self.get_jobs()))

    monkeypatch.setattr("supervision.scheduler.BlockingScheduler", Recording)
    monkeypatch.setattr("supervision.scheduler.SchedulerLock", None)  # never asked for
    run_blocking_scheduler(app)
    assert started == [["deadline_sweep", "notification_delivery", "operator_status_refresh",
                        "personal_data_erasure", "publication_drafts", "retention_check"]]
