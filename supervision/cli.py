"""Command-line interface (SPEC §10): `flask --app wsgi users|demo|scheduler|audit|jobs …`."""
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import func, inspect, select

from supervision.access.models import Role
from supervision.clock import now_utc
from supervision.errors import ValidationFailed
from supervision.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")
demo_cli = AppGroup("demo", help="Demonstration data.")
scheduler_cli = AppGroup("scheduler", help="The job scheduler.")
audit_cli = AppGroup("audit", help="The audit trail.")
jobs_cli = AppGroup("jobs", help="Run scheduled jobs by hand.")
surveys_cli = AppGroup("surveys", help="Satisfaction surveys: import and demo files.")
retention_cli = AppGroup("retention", help="Billing-record retention [M 17].")


@retention_cli.command("sample")
@click.option("--replay", "sample_id", type=int, required=True, help="id of a drawn billing-record sample")
def replay_sample_command(sample_id):
    """Draw a billing-record sample again from its stored seed and check it matches."""
    from supervision.obligations.models import BillingSample
    from supervision.obligations.samples import replay

    sample = db.session.get(BillingSample, sample_id)
    if sample is None:
        raise click.ClickException(f"no billing-record sample {sample_id}")
    drawn = replay(sample)
    stored = sorted((i.account_ref, i.month) for i in sample.items)
    click.echo(f"sample {sample.id}: seed {sample.seed}, {len(drawn)} items, months {', '.join(sample.months)}")
    for account, month in drawn:
        click.echo(f"  {account}\t{month}")
    if drawn != stored:
        raise click.ClickException("the replay differs from the stored sample")
    click.echo("identical to the stored sample")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(Role.ALL))
@click.option("--authority", help="authority code: CN or a GB/T 2260 province code (officers)")
@click.option("--operator", "operator_licence", help="licence number of the operator (operator staff)")
@click.option("--publisher", is_flag=True, help="officer may approve publications (four-eyes)")
@click.option("--head", is_flag=True, help="officer heads the authority (receives officer escalations)")
@click.option("--credential", help="enforcement-credential number (officers)")
@click.option("--name", "display_name")
@click.option("--email")
@click.option("--password-stdin", is_flag=True, required=True, help="read the password from standard input")
def create_user_command(username, role, authority, operator_licence, publisher, head, credential,
                        display_name, email, password_stdin):
    """Create a user; the password comes from standard input, never the command line."""
    from supervision.access.services import create_user
    from supervision.operators.models import Operator

    password = sys.stdin.readline().rstrip("\n")
    operator_id = None
    if operator_licence:
        operator_id = db.session.scalar(select(Operator.id).where(Operator.licence_no == operator_licence))
        if operator_id is None:
            raise click.ClickException(f"no operator with licence number {operator_licence}")
    try:
        user = create_user(username, password, role, now_utc(), authority=authority, operator_id=operator_id,
                           publisher=publisher, head=head, credential=credential,
                           display_name=display_name, email=email)
    except ValidationFailed as exc:
        raise click.ClickException("; ".join(f"{f}: {m[0]}" for f, m in exc.errors.items())) from None
    db.session.commit()
    click.echo(f"created {user.role} {user.username} (id {user.id})")


@demo_cli.command("load")
def demo_load_command():
    """Load demonstration operators, users and complaints (idempotent); prints the log-ins."""
    from supervision.demo import load_demo

    logins = load_demo(now_utc(), echo=click.echo)
    db.session.commit()
    click.echo("\nDemo log-ins (username / password / role):")
    for username, password, description in logins:
        click.echo(f"  {username:<18} {password:<24} {description}")


@demo_cli.command("generate")
@click.option("--complaints", type=click.IntRange(min=0), default=100_000, show_default=True)
@click.option("--surveys", type=click.IntRange(min=0), default=0, show_default=True,
              help="survey responses, spread over the last four ended quarters")
@click.option("--seed", type=int, default=2026, show_default=True)
def demo_generate_command(complaints, surveys, seed):
    """Bulk-insert generated complaints (with their clocks) and survey responses, for scale tests;
    loads the demo operators and users first when missing."""
    from supervision.demo import load_demo_reference
    from supervision.demo_generate import generate

    now = now_utc()
    load_demo_reference(now, echo=lambda *args: None)
    db.session.commit()
    with click.progressbar(length=complaints + surveys, label="generating", file=sys.stderr) as bar:
        made = generate(complaints, surveys, now, seed, progress=bar.update)
    click.echo(f"generated {made['complaints']:,} complaints ({made['clocks']:,} clocks) and "
               f"{made['survey_responses']:,} survey responses")


@demo_cli.command("publish")
def demo_publish_command():
    """After `demo load`: import the demo survey of the last two ended quarters and publish their
    figures (prepared and approved by two Jiangsu officers); idempotent."""
    from supervision.publications.demo import publish_demo_quarters

    publish_demo_quarters(now_utc(), echo=click.echo)
    db.session.commit()


@scheduler_cli.command("run")
def scheduler_run_command():
    """Run the scheduler in this process (production: its own process beside the web server).

    On PostgreSQL it first waits for the scheduler lock, so extra schedulers only stand by."""
    import logging

    from supervision.scheduler import run_blocking_scheduler

    # The process's own log (lock, job runs) on stderr, unless the host configured logging.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")

    run_blocking_scheduler(current_app._get_current_object())


@jobs_cli.command("run")
@click.argument("name")
def jobs_run_command(name):
    """Run one scheduled job now (deadline_sweep, notification_delivery, operator_status_refresh)."""
    from supervision.jobruns import JobRun
    from supervision.jobs import registered_jobs, run_job

    app = current_app._get_current_object()
    jobs = {job.name: job for job in registered_jobs(app)}
    if name not in jobs:
        raise click.ClickException(f"unknown job {name}; known: {', '.join(jobs)}")
    # run_job works in an app context of its own (as under the scheduler), so its row comes back
    # detached: read it again in this command's session.
    run = db.session.get(JobRun, inspect(run_job(app, jobs[name])).identity[0])
    click.echo(f"{run.job}: {run.outcome} — {run.detail}")
    if run.outcome != "ok":
        sys.exit(1)


@audit_cli.command("verify")
def audit_verify_command():
    """Check every hash chain; exit 1 naming the first broken event."""
    from supervision.audit import AuditEvent, verify_chain

    total = db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    checked, broken = 0, None
    with click.progressbar(length=total, label="verifying audit events", file=sys.stderr) as bar:
        for checked_now, found in verify_chain():
            bar.update(checked_now - checked)
            checked, broken = checked_now, found
    if broken:
        click.echo(f"BROKEN: event id {broken.event_id} ({broken.entity} #{broken.seq}): {broken.reason}", err=True)
        sys.exit(1)
    click.echo(f"audit trail intact: {checked} events verified")


@click.command("backup")
@click.argument("archive", type=click.Path(dir_okay=False, writable=True))
def backup_command(archive):
    """Write the database and the uploaded evidence to ARCHIVE (tar.gz)."""
    from pathlib import Path

    from supervision.backup import BackupError, create_backup

    try:
        manifest = create_backup(Path(archive), Path(current_app.config["UPLOAD_DIR"]), now_utc())
    except BackupError as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"backup of the {manifest['database']} database (revision {manifest['revision']}) and "
               f"{len(manifest['sha256']) - 1} files written to {archive}")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
def restore_command(archive):
    """Load ARCHIVE into this fresh, empty database and upload folder; then run `audit verify`."""
    from pathlib import Path

    from supervision.backup import BackupError, restore_backup

    try:
        manifest = restore_backup(Path(archive), Path(current_app.config["UPLOAD_DIR"]))
    except BackupError as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"restored the backup of {manifest['created_at']} (revision {manifest['revision']}); "
               "check it with `flask --app wsgi audit verify`")


@surveys_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--officer", "officer_username",
              help="import as this officer (rows limited to their jurisdiction); default: the command line, all provinces")
def surveys_import_command(path, officer_username):
    """Import a survey CSV, all or nothing; errors are listed by line and column."""
    import os

    from supervision.access.models import User
    from supervision.surveys.imports import SurveyImportRefused, import_survey_file

    user = None
    if officer_username:
        user = db.session.scalar(select(User).where(User.username == officer_username))
        if user is None:
            raise click.ClickException(f"no user {officer_username}")
    size = os.path.getsize(path)
    with open(path, "rb") as binary, click.progressbar(length=2 * size, label="validating, then importing",
                                                        file=sys.stderr) as bar:
        done = 0

        def progress(position: int) -> None:
            nonlocal done
            bar.update(position - done)
            done = position

        try:
            survey_import = import_survey_file(binary, os.path.basename(path), user, now_utc(), progress)
        except SurveyImportRefused as refused:
            db.session.rollback()
            bar.render_finish()
            for error in refused.row_errors:
                click.echo(f"line {error.line}" + (f", {error.column}" if error.column else "") + f": {error.message}",
                           err=True)
            raise click.ClickException(f"nothing imported: {refused.error_count} error(s)"
                                       + (" (the first 100 shown)" if refused.error_count > 100 else "")) from None
        db.session.commit()
    click.echo(f"imported {survey_import.rows} rows (import {survey_import.id}, sha256 {survey_import.sha256})")


@surveys_cli.command("generate")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--rows", type=click.IntRange(min=1, max=100_000_000), default=5_000, show_default=True)
@click.option("--period", help="quarter like 2026Q3; default: the last complete quarter")
@click.option("--seed", type=int, default=2026, show_default=True)
def surveys_generate_command(path, rows, period, seed):
    """Write a deterministic demo survey CSV for the demo operators (fictional data)."""
    from supervision.clock import today_local
    from supervision.operators.rules import parse_quarter, previous_quarter, quarter_of
    from supervision.surveys.demo_data import write_demo_survey

    period = period or previous_quarter(quarter_of(today_local()))
    try:
        parse_quarter(period)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    with open(path, "w", encoding="utf-8", newline="") as out:
        write_demo_survey(out, period, rows, seed)
    click.echo(f"wrote {rows} rows for {period} to {path}")


def register_commands(app: Flask) -> None:
    from supervision.complaints.erasure_cli import privacy_cli
    from supervision.inspections.cli import inspections_cli

    for group in (users_cli, demo_cli, scheduler_cli, audit_cli, jobs_cli, surveys_cli, inspections_cli,
                  retention_cli, privacy_cli):
        app.cli.add_command(group)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
