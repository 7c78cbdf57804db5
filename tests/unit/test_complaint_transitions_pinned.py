"""What each complaint step leaves on the clocks, the escalation and the outbox (SPEC §3), checked
on the domain's `perform`: a stopped clock records when it stopped, a closed complaint leaves the
escalation queues, and the operator and the complainant hear of the steps that concern them.

Clock: Thu 26 Nov 2026, 10:00 Shanghai.
"""
from datetime import timedelta

import pytest
from sqlalchemy import select

from supervision.audit import COMPLAINANT, Actor
from supervision.complaints.transitions import perform, role_of
from supervision.extensions import db
from supervision.notifications.models import Notification


@pytest.fixture
def case(factory):
    """A Jiangsu complaint (with an email for its complainant), its officer and its operator's staff."""
    operator = factory.operator()
    complaint, _ = factory.complaint(operator)
    officer = Actor.of(factory.officer("32"))
    staff_user = factory.user("operator", operator=operator)
    return complaint, officer, Actor.of(staff_user), staff_user, factory.now


def stopped(complaint) -> dict:
    return {d.clock: (d.state, d.stopped_at) for d in complaint.deadlines if d.stopped_at is not None}


def subjects(**where) -> list[str]:
    stmt = select(Notification.subject).order_by(Notification.id)
    for column, value in where.items():
        stmt = stmt.where(getattr(Notification, column) == value)
    return list(db.session.scalars(stmt))


def test_accepting_stops_the_acceptance_clock_at_that_moment(case):
    complaint, officer, _, _, now = case
    later = now + timedelta(hours=3)
    perform(complaint, "accept", {}, officer, later)
    assert stopped(complaint) == {"acceptance": ("met", later)}


def test_the_operators_reply_stops_its_clock_at_that_moment(case):
    complaint, officer, staff, _, now = case
    perform(complaint, "accept", {}, officer, now)
    perform(complaint, "transfer", {}, officer, now)
    replied = now + timedelta(days=2)
    perform(complaint, "operator_reply", {"reply": "We looked into it"}, staff, replied)
    assert stopped(complaint)["operator_reply"] == ("met", replied)


@pytest.mark.parametrize(("action", "params", "actor"), [
    ("reject", {"reason": "already settled"}, "officer"),
    ("withdraw", {}, "complainant"),
])
def test_ending_a_complaint_stops_every_running_clock_at_that_moment(case, action, params, actor):
    complaint, officer, _, _, now = case
    running = {d.clock for d in complaint.deadlines if d.running}
    assert running  # the acceptance and answer clocks run from intake
    ended = now + timedelta(hours=1)
    perform(complaint, action, params, officer if actor == "officer" else COMPLAINANT, ended)
    assert {clock: moment for clock, (_, moment) in stopped(complaint).items()} == dict.fromkeys(running, ended)
    assert complaint.closed_at == ended


@pytest.mark.parametrize(("action", "params"), [("close", {"outcome": "resolved"}), ("withdraw", {})])
def test_a_closed_or_withdrawn_complaint_leaves_the_escalation_queues(case, action, params):
    """An escalated complaint that ends is no longer waiting on anybody (SPEC §3 queues)."""
    complaint, officer, _, _, now = case
    perform(complaint, "accept", {}, officer, now)
    complaint.escalation = "head"
    perform(complaint, action, params, officer, now + timedelta(hours=1))
    assert complaint.escalation is None
    assert all(d.stopped_at == now + timedelta(hours=1) for d in complaint.deadlines if d.clock != "acceptance")


@pytest.mark.parametrize("score", [1, 5])
def test_the_ends_of_the_rating_scale_are_accepted(case, score):
    complaint, officer, _, _, now = case
    perform(complaint, "accept", {}, officer, now)
    perform(complaint, "close", {"outcome": "resolved"}, officer, now)
    perform(complaint, "rate", {"score": score}, COMPLAINANT, now)
    assert complaint.rating_score == score


def test_the_operators_staff_are_told_of_a_transfer_and_of_supervision(case):
    complaint, officer, _, staff_user, now = case
    perform(complaint, "accept", {}, officer, now)
    perform(complaint, "transfer", {}, officer, now)
    perform(complaint, "supervise", {}, officer, now + timedelta(days=1))
    ref = complaint.reference
    assert subjects(recipient_user_id=staff_user.id) == [f"[{ref}] transferred", f"[{ref}] supervised"]
    bodies = list(db.session.scalars(select(Notification.body).where(Notification.recipient_user_id == staff_user.id)
                                     .order_by(Notification.id)))
    assert bodies == [
        f"Complaint {ref} was transferred to your company. Reply within the deadline shown in the operator portal.",
        f"The regulator is supervising (督办) complaint {ref}. File your supervision report within the deadline "
        "shown in the operator portal."]


def test_the_complainant_hears_of_acceptance_transfer_and_public_steps_only(case):
    """Accept and transfer are news to the complainant; so is every step with a public note. Supervision,
    a word between regulator and operator is not mailed."""
    complaint, officer, staff, _, now = case
    ref = complaint.reference
    before = subjects(recipient_email="wxm@example.com")
    perform(complaint, "accept", {}, officer, now)
    perform(complaint, "transfer", {}, officer, now)
    perform(complaint, "supervise", {}, officer, now)
    perform(complaint, "operator_reply", {"reply": "Fixed the mast"}, staff, now + timedelta(days=1))
    mailed = subjects(recipient_email="wxm@example.com")[len(before):]
    assert mailed == [f"[{ref}] accept", f"[{ref}] transfer", f"[{ref}] operator reply"]


@pytest.mark.parametrize(("role", "expected"), [("officer", "officer"), ("operator", "operator"),
                                                 ("admin", None), ("oversight", None)])
def test_who_acts_in_which_role_on_a_complaint(factory, role, expected):
    users = {"officer": lambda: factory.officer("32"), "operator": lambda: factory.user(
        "operator", operator=factory.operator()), "admin": factory.admin, "oversight": lambda: factory.user(
        "oversight")}
    assert role_of(Actor.of(users[role]())) == expected
    assert role_of(COMPLAINANT) == "complainant"
