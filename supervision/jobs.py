"""Scheduled jobs: thin wrappers over services, each one run = one transaction + a run-log row.

Every job is idempotent and safe when two scheduler processes run it at once: the
services they call change a row only with a conditional UPDATE (compare-and-set), so the
second process finds nothing left to do. On PostgreSQL a second process does not even try:
it waits for the scheduler lock (supervision/scheduler.py).
"""
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from supervision.clock import local_date, now_utc
from supervision.extensions import db
from supervision.jobruns import JobRun

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], str]
    trigger: str          # APScheduler trigger: "interval" or "cron"
    trigger_args: dict


def _sweep() -> str:
    from supervision.complaints.sweep import sweep_deadlines

    return str(sweep_deadlines(now_utc()))


def _deliver() -> str:
    from supervision.notifications.outbox import deliver_due

    return str(deliver_due(now_utc()))


def _refresh_operators() -> str:
    from supervision.operators.services import refresh_operator_statuses

    now = now_utc()
    return f"{refresh_operator_statuses(now, local_date(now))} operator statuses changed"


def _prepare_publications() -> str:
    from supervision.publications.schedule import prepare_quarter_drafts

    return f"{prepare_quarter_drafts(now_utc())} publication drafts prepared"


def _check_retention() -> str:
    from supervision.obligations.retention_check import check_retention
    from supervision.obligations.self_inspection import flag_missing_reports

    now = now_utc()
    return f"{check_retention(now)}; {flag_missing_reports(now)} missing self-inspection reports flagged"


def _erase_personal_data() -> str:
    from flask import current_app

    from supervision.complaints.erasure import erase_due, retention_cutoff

    now = now_utc()
    cutoff = retention_cutoff(now, current_app.config["PERSONAL_DATA_RETENTION_YEARS"])
    erased = erase_due(cutoff, now, current_app.config["PERSONAL_DATA_ERASURE_BATCH"])
    return f"personal data erased from {erased} complaints ended before {cutoff.date().isoformat()}"


def registered_jobs(app: Flask) -> list[Job]:
    every = app.config["SWEEP_INTERVAL_MINUTES"]
    tz = app.config["SUPERVISION_TZ"]
    return [
        Job("deadline_sweep", _sweep, "interval", {"minutes": every}),
        Job("notification_delivery", _deliver, "interval", {"minutes": 1}),
        Job("operator_status_refresh", _refresh_operators, "cron", {"hour": 0, "minute": 10, "timezone": tz}),
        # Daily, so the first run after a quarter ends prepares its drafts (idempotent).
        Job("publication_drafts", _prepare_publications, "cron", {"hour": 1, "minute": 30, "timezone": tz}),
        # After the status refresh: only operators active today are checked [M 17].
        Job("retention_check", _check_retention, "cron", {"hour": 0, "minute": 30, "timezone": tz}),
        # 个人信息保护法 art. 47: personal data of complaints past the retention period (config).
        Job("personal_data_erasure", _erase_personal_data, "cron", {"hour": 2, "minute": 15, "timezone": tz}),
    ]


def run_job(app: Flask, job: Job) -> JobRun:
    """Run one job inside the app, commit its work, and log the run (job, started, finished, outcome)."""
    with app.app_context():
        run = JobRun(job=job.name, started_at=now_utc(), outcome="running")
        db.session.add(run)
        db.session.commit()
        run_id = run.id
        try:
            detail = job.run()
            db.session.commit()
            outcome = "ok"
        except Exception:
            db.session.rollback()
            detail, outcome = traceback.format_exc(limit=5)[-2000:], "error"
            log.exception("job %s failed", job.name)
        run = db.session.get(JobRun, run_id)
        run.finished_at, run.outcome, run.detail = now_utc(), outcome, detail
        db.session.commit()
        db.session.refresh(run)
        db.session.expunge(run)  # usable by the caller after this app context ends
        return run
