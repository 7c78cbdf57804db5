"""The demo data behind `make run` (supervision/demo.py): idempotent, valid, usable log-ins."""
from sqlalchemy import func, select

from supervision.access.models import Role, User
from supervision.access.scoping import load_complaint_for_complainant
from supervision.access.services import authenticate
from supervision.audit import AuditEvent, verify_chain
from supervision.complaints.models import Complaint, Deadline, PreservationHold
from supervision.complaints.sweep import sweep_deadlines
from supervision.demo import COMPLAINTS, QUARTERS, load_demo
from supervision.extensions import db
from supervision.findings.models import Finding
from supervision.notifications.models import Notification
from supervision.obligations.models import BillingSample, RetentionAttestation, SelfInspection
from supervision.operators.models import Operator, SubscriberCount
from supervision.operators.rules import uscc_problem

COUNTED = (User, Operator, SubscriberCount, Complaint, Deadline, PreservationHold, Notification, AuditEvent,
           RetentionAttestation, SelfInspection, Finding, BillingSample)


def load(clock) -> tuple[list, list[str]]:
    lines: list[str] = []
    logins = load_demo(clock.now(), echo=lines.append)
    db.session.commit()
    return logins, lines


def counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in COUNTED}


def test_loading_twice_creates_nothing_and_prints_the_same_logins(ctx, clock):
    first_logins, first_lines = load(clock)
    before = counts()
    second_logins, second_lines = load(clock)
    assert counts() == before
    assert second_logins == first_logins
    def tracking(lines: list[str]) -> list[str]:
        return [line for line in lines if "tracking" in line]

    assert tracking(second_lines) == tracking(first_lines) != []
    tallies = [line for line in second_lines if "new)" in line]
    assert len(tallies) == 6 and all("(0 new)" in line for line in tallies)
    assert before["Complaint"] == len(COMPLAINTS) >= 12


def test_every_role_has_a_user_and_every_printed_login_authenticates(ctx, clock):
    logins, _ = load(clock)
    users = [authenticate(username, password) for username, password, _ in logins]
    assert None not in users
    assert {u.role for u in users} == set(Role.ALL)
    officers = [u for u in users if u.role == Role.OFFICER]
    assert {u.authority_code for u in officers} >= {"CN", "32", "33", "44"}
    assert all(u.credential_no for u in officers)
    assert any(u.is_head and u.authority_code == "32" for u in officers)
    assert {u.authority_code for u in officers if u.is_publisher} >= {"CN", "32"}
    assert len({u.operator_id for u in users if u.role == Role.OPERATOR}) >= 3
    assert all(len(password) >= 10 for _, password, _ in logins)


def test_operators_are_valid_national_and_provincial_with_subscriber_counts(ctx, clock):
    load(clock)
    operators = db.session.scalars(select(Operator)).all()
    assert len(operators) >= 8
    assert [o.name for o in operators if uscc_problem(o.uscc)] == []
    national = [o for o in operators if o.scope == "national"]
    assert {o.primary_hotline for o in national} >= {"10086", "10010", "10000", "10099"}
    assert {o.province for o in operators if o.scope == "provincial"} >= {"32", "33", "44"}
    assert all({"phone", "web"} <= {h.kind for h in o.hotlines} for o in operators)
    assert [o.status for o in operators].count("expired") == 1
    cells = {(c.operator_id, c.province, c.quarter) for c in db.session.scalars(select(SubscriberCount))}
    for operator in national:
        assert all((operator.id, p, q) in cells for p in ("32", "33", "44") for q in QUARTERS)
    for operator in (o for o in operators if o.scope == "provincial" and o.status == "active"):
        assert all((operator.id, operator.province, q) in cells for q in QUARTERS)


def test_complaints_cover_the_lifecycle_and_the_first_sweep_escalates_misses(ctx, clock):
    load(clock)
    complaints = db.session.scalars(select(Complaint)).all()
    assert {c.province for c in complaints} == {"32", "33", "44"}
    assert {c.status for c in complaints} >= {"submitted", "accepted", "transferred", "operator_replied",
                                              "closed", "awaiting_info", "mediation", "rejected", "withdrawn"}
    assert any(c.status == "closed" and c.rating_score for c in complaints)
    assert any(c.supervised for c in complaints)
    assert db.session.scalar(select(func.count()).select_from(PreservationHold)
                             .where(PreservationHold.released_at.is_(None))) >= 1
    result = sweep_deadlines(clock.now())
    assert result.missed >= 3 and result.escalated >= 3
    escalations = {c.escalation for c in db.session.scalars(select(Complaint))}
    assert {"officer", "head"} <= escalations
    assert list(verify_chain())[-1][1] is None


def test_tracking_codes_open_the_complainant_view_and_no_personal_data_is_printed(ctx, clock):
    _, lines = load(clock)
    tracking = [line for line in lines if "tracking" in line]
    assert tracking
    for line in tracking:
        reference, code = line.split("reference ")[1].split(", access code ")
        complaint = load_complaint_for_complainant(reference, code.split()[0])
        assert complaint.reference == reference
    people = db.session.execute(select(Complaint.complainant_name, Complaint.complainant_phone)).all()
    printed = "\n".join(lines)
    assert not any(name in printed or phone in printed for name, phone in people)


def test_the_demo_shows_a_retention_gap_its_open_finding_and_a_returned_report(ctx, clock):
    load(clock)
    gapped = db.session.scalars(select(RetentionAttestation).where(RetentionAttestation.compliant.is_(False))).all()
    assert len(gapped) == 1 and len(gapped[0].gaps) == 1
    findings = db.session.scalars(select(Finding).where(Finding.source == "retention", Finding.state == "open")).all()
    assert [(f.province, f.details["missing_days"]) for f in findings] == [("32", 1)]
    (report,) = db.session.scalars(select(SelfInspection)).all()
    assert report.status == "returned" and report.return_comment
    (sample,) = db.session.scalars(select(BillingSample)).all()
    assert sample.status == "awaiting" and len(sample.items) == 6
