"""`flask --app wsgi privacy erase [--dry-run]`: the retention erasure by hand (complaints/erasure.py).

The dry run prints counts only, never a name or a reference: its output may be pasted into a
ticket or a report to the data-protection officer.
"""
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from supervision.clock import now_utc
from supervision.extensions import db

privacy_cli = AppGroup("privacy", help="Personal information (个人信息保护法): retention erasure.")


@privacy_cli.command("erase")
@click.option("--dry-run", is_flag=True, help="count what would be erased; change nothing")
@click.option("--years", type=click.IntRange(min=1, max=100),
              help="retention period in years (default: PERSONAL_DATA_RETENTION_YEARS)")
def erase_command(dry_run, years):
    """Erase the personal data of complaints that ended more than the retention period ago."""
    from supervision.complaints.erasure import erase_due, erasure_report, retention_cutoff

    now = now_utc()
    years = years or current_app.config["PERSONAL_DATA_RETENTION_YEARS"]
    cutoff = retention_cutoff(now, years)
    report = erasure_report(cutoff)
    db.session.rollback()  # the report only read: end its snapshot before erasing
    click.echo(f"retention period: {years} years; complaints that ended before {cutoff.isoformat()}")
    click.echo(f"complaints to erase: {report.complaints}"
               + "".join(f"\n  {status}: {count}" for status, count in sorted(report.by_status.items())))
    if report.complaints:
        click.echo(f"ended between {report.oldest_ended.date().isoformat()} and {report.newest_ended.date().isoformat()}")
    click.echo(f"evidence files to remove: {report.attachments} ({report.attachment_bytes} bytes)")
    click.echo(f"notification email addresses to remove: {report.notifications}")
    if dry_run or not report.complaints:
        click.echo("dry run: nothing changed" if dry_run else "nothing to erase")
        return
    batch = current_app.config["PERSONAL_DATA_ERASURE_BATCH"]
    with click.progressbar(length=report.complaints, label="erasing", file=sys.stderr) as bar:
        erased = erase_due(cutoff, now, batch, progress=bar.update)
    click.echo(f"personal data erased from {erased} complaints; one audit event each")
