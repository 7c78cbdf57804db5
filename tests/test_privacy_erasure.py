"""Retention erasure (个人信息保护法 arts. 19, 47): complaints that ended more than the retention
period ago lose their personal data and evidence; statistics and the audit chain stay; a dry run
counts first; the job is idempotent and safe in two processes."""
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from supervision.audit import Actor, events_of, verify_chain
from supervision.complaints.attachments import attachment_path, store_attachment
from supervision.complaints.erasure import erase_due, erasure_report, retention_cutoff
from supervision.complaints.models import Attachment, Complaint
from supervision.complaints.transitions import perform
from supervision.extensions import db
from supervision.notifications.models import Notification
from tests.web.test_officer_pages import PDF, new_browser

SECRETS = ("王小明", "13800138000", "wxm@example.com", "中山路", "320102199001011234", "No mobile signal")


def test_the_cutoff_is_the_same_moment_years_before_and_29_february_falls_back():
    now = datetime(2028, 2, 29, 12, 0, tzinfo=UTC)
    assert retention_cutoff(now, 3) == datetime(2025, 2, 28, 12, 0, tzinfo=UTC)
    assert retention_cutoff(now, 4) == datetime(2024, 2, 29, 12, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        retention_cutoff(now, 0)


@pytest.fixture
def ended(factory):
    """A complaint closed today with evidence and a notification email, plus an open one."""
    operator = factory.operator()
    officer = factory.officer("32")
    closed, _ = factory.complaint(operator)
    evidence = store_attachment(closed, "id-card.pdf", PDF, Actor.of(officer), factory.now)
    for action, params in (("accept", {}), ("close", {"outcome": "resolved"})):
        perform(closed, action, params, Actor.of(officer), factory.now)
    still_open, _ = factory.complaint(operator)
    db.session.commit()
    assert attachment_path(evidence).exists()
    assert db.session.scalar(select(Notification.id).where(Notification.recipient_email == "wxm@example.com"))
    return closed, still_open, officer, attachment_path(evidence)


def cutoff_after(clock, years=3, **delta):
    clock.advance(days=365 * years + 1, **delta)  # three years to the day (2028 has 29 February)
    return retention_cutoff(clock.now(), years)


def test_nothing_is_due_before_the_period_ends(factory, ended, clock):
    clock.advance(days=365 * 3 - 1)
    assert erasure_report(retention_cutoff(clock.now(), 3)).complaints == 0


def test_a_dry_run_counts_and_changes_nothing(app, factory, ended, clock):
    closed, *_ = ended
    cutoff = cutoff_after(clock, hours=1)
    report = erasure_report(cutoff)
    emails = len(db.session.scalars(select(Notification).where(
        Notification.dedupe_key.startswith(f"complainant:{closed.reference}:"))).all())
    assert emails >= 2  # filed and closed
    assert (report.complaints, report.by_status, report.attachments, report.attachment_bytes,
            report.notifications) == (1, {"closed": 1}, 1, len(PDF), emails)
    db.session.rollback()
    result = app.test_cli_runner().invoke(args=["privacy", "erase", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "complaints to erase: 1" in result.output and "closed: 1" in result.output
    assert "evidence files to remove: 1" in result.output and "dry run: nothing changed" in result.output
    for secret in SECRETS + (closed.reference,):
        assert secret not in result.output
    db.session.expire_all()
    assert db.session.get(Complaint, closed.id).complainant_name == "王小明"


def test_erasure_keeps_the_statistics_and_removes_the_person(app, factory, ended, clock):
    closed, still_open, officer, evidence = ended
    kept = {c: getattr(closed, c) for c in ("reference", "operator_id", "province", "category", "subcategory",
                                            "status", "outcome", "received_at", "closed_at", "event_date", "channel")}
    cutoff_after(clock, hours=1)
    result = app.test_cli_runner().invoke(args=["privacy", "erase"])
    assert result.exit_code == 0, result.output
    assert "personal data erased from 1 complaints" in result.output
    db.session.expire_all()
    erased = db.session.get(Complaint, closed.id)
    assert {c: getattr(erased, c) for c in kept} == kept
    assert (erased.complainant_name, erased.complainant_phone, erased.complainant_email, erased.complainant_address,
            erased.complainant_id_number, erased.description, erased.request) == ("", "", None, None, None, "", "")
    assert erased.personal_data_erased_at == clock.now()
    assert not evidence.exists() and db.session.scalars(select(Attachment)).all() == []
    def emails_kept(complaint):
        return db.session.scalars(select(Notification.recipient_email).where(
            Notification.dedupe_key.startswith(f"complainant:{complaint.reference}:"))).all()

    assert set(emails_kept(closed)) == {None}
    assert None not in emails_kept(still_open) and emails_kept(still_open)  # its acknowledgement still goes out
    [event] = [e for e in events_of("complaint", closed.reference) if e.action == "erase_personal_data"]
    assert event.after["attachments_removed"] == 1 and "complainant_name" in event.after["fields"]
    assert event.role == "system" and not any(s in str(event.after) for s in SECRETS)
    assert all(broken is None for _, broken in verify_chain())
    assert db.session.get(Complaint, still_open.id).complainant_name == "王小明"  # still open: kept


def test_staff_see_when_the_data_were_erased_and_read_nothing(app, client, factory, ended, clock):
    from supervision.access.personal_data import PersonalDataRead

    closed, _, officer, _ = ended
    cutoff = cutoff_after(clock, hours=1)
    erase_due(cutoff, clock.now(), batch_size=10)
    page = new_browser(app, officer).get(f"/officer/complaints/{closed.reference}").get_data(as_text=True)
    assert 'id="erased"' in page and "Erased on 2029-11-26 11:00" in page
    assert "Personal data erased (retention period over)" in page  # the timeline's event
    for secret in SECRETS:
        assert secret not in page
    officer_headers = factory.headers(officer)
    answer = client.get(f"/api/v1/complaints/{closed.reference}", headers=officer_headers).json
    assert answer["personal_data_erased_at"] == clock.now().isoformat()
    assert set(answer["complainant"].values()) == {None}
    assert db.session.scalars(select(PersonalDataRead)).all() == []  # nothing personal was shown


def test_a_second_run_finds_nothing_and_two_processes_erase_each_complaint_once(app, factory, clock):
    operator, officer = factory.operator(), factory.officer("32")
    for _ in range(12):
        complaint, _ = factory.complaint(operator)
        perform(complaint, "withdraw", {}, Actor.of(officer), factory.now)
    db.session.commit()
    cutoff = cutoff_after(clock, minutes=1)
    counts, errors = [], []

    def worker():
        try:
            with app.app_context():
                counts.append(erase_due(cutoff, clock.now(), batch_size=3))
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and sum(counts) == 12
    db.session.expire_all()
    events = [e for c in db.session.scalars(select(Complaint)) for e in events_of("complaint", c.reference)
              if e.action == "erase_personal_data"]
    assert len(events) == 12
    assert erase_due(cutoff, clock.now() + timedelta(minutes=1), batch_size=3) == 0


def test_the_job_is_registered_and_uses_the_configured_period(app, factory, ended, clock):
    from supervision.jobs import registered_jobs, run_job

    job = {j.name: j for j in registered_jobs(app)}["personal_data_erasure"]
    clock.advance(days=365 * 2)
    app.config["PERSONAL_DATA_RETENTION_YEARS"] = 1
    db.session.commit()  # the job runs in an app context of its own: end this test's transaction
    try:
        run = run_job(app, job)
    finally:
        app.config["PERSONAL_DATA_RETENTION_YEARS"] = 3
    assert run.outcome == "ok" and run.detail.startswith("personal data erased from 1 complaints")
