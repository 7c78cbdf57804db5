"""APScheduler wiring: in-process for `make run`, its own process for `flask scheduler run`."""
import logging
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from supervision.jobs import registered_jobs, run_job

log = logging.getLogger(__name__)


def _add_jobs(scheduler, app: Flask) -> None:
    for job in registered_jobs(app):
        # Interval jobs run once at start too, so a restart never leaves misses unmarked for a while.
        first_run = {"next_run_time": datetime.now(UTC)} if job.trigger == "interval" else {}
        # coalesce + max_instances=1: a late or overlapping run never runs twice in one process.
        scheduler.add_job(run_job, job.trigger, args=[app, job], id=job.name, name=job.name,
                          coalesce=True, max_instances=1, replace_existing=True, **job.trigger_args, **first_run)


def start_background_scheduler(app: Flask) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=app.config["SUPERVISION_TZ"])
    _add_jobs(scheduler, app)
    scheduler.start()
    app.extensions["scheduler"] = scheduler
    log.info("in-process scheduler started with %d jobs", len(scheduler.get_jobs()))
    return scheduler


def run_blocking_scheduler(app: Flask) -> None:
    scheduler = BlockingScheduler(timezone=app.config["SUPERVISION_TZ"])
    _add_jobs(scheduler, app)
    log.info("scheduler process started with %d jobs", len(scheduler.get_jobs()))
    scheduler.start()
