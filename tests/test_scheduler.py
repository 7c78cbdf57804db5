"""Scheduler wiring: which jobs run, when, and that the web process starts one scheduler only."""
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from supervision.app import register_scheduler
from supervision.scheduler import _add_jobs


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
