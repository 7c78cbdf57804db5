"""What each complaint step leaves behind and what it says when it refuses (SPEC §3, §10), checked
on the domain's `perform` itself: the API's schema validates some fields first, but the domain's
own guard must hold for every other caller (the web form, a job, a future endpoint). What a step
leaves includes the clocks (a stopped clock records when it stopped), the escalation queues and
the outbox (the operator and the complainant hear of the steps that concern them).

Clock: Thu 26 Nov 2026, 10:00 Shanghai.
"""
from datetime import timedelta

import pytest
from sqlalchemy import select

from supervision.audit import COMPLAINANT, Actor
from supervision.complaints.transitions import perform, role_of
from supervision.errors import Conflict, ValidationFailed
from supervision.extensions import db
from supervision.notifications.models import Notification


@pytest.fixture
def case(factory):
    """A Jiangsu complaint, its officer and the staff of its operator."""
    operator = factory.operator()
    complaint, _ = factory.complaint(operator)
    officer = Actor.of(factory.officer("32"))
    staff = Actor.of(factory.user("operator", operator=operator))
    return complaint, officer, staff, factory.now


def _replied(case, settlement="Refund 30 yuan"):
    complaint, officer, staff, now = case
    perform(complaint, "accept", {}, officer, now)
    perform(complaint, "transfer", {}, officer, now)
    perform(complaint, "operator_reply", {"reply": "We looked into it", "proposed_settlement": settlement},
            staff, now)
    return complaint


def _refusal(error) -> tuple:
    return error.value.errors, error.value.message


def test_a_rejected_settlement_is_recorded_as_rejected(case):
    """The complainant's "no" to a settlement must never be read as a "yes" (the officer mediates on it)."""
    complaint = _replied(case)
    perform(complaint, "respond_settlement", {"decision": "reject"}, COMPLAINANT, case[3])
    assert complaint.settlement_response == "rejected"


@pytest.mark.parametrize("decision", ["maybe", "Reject", "", None])
def test_a_settlement_answer_is_accept_or_reject_and_says_so(case, decision):
    complaint = _replied(case)
    with pytest.raises(ValidationFailed) as error:
        perform(complaint, "respond_settlement", {"decision": decision}, COMPLAINANT, case[3])
    message = "decision must be 'accept' or 'reject'"
    assert _refusal(error) in (({"decision": [message]}, message),
                               ({"decision": ["decision is required for respond_settlement"]},
                                "Missing: decision"))
    assert complaint.settlement_response is None


def test_without_a_proposal_there_is_nothing_to_answer(case):
    complaint = _replied(case, settlement=None)
    with pytest.raises(Conflict) as error:
        perform(complaint, "respond_settlement", {"decision": "accept"}, COMPLAINANT, case[3])
    assert error.value.message == "The operator has not proposed a settlement."


def test_a_settlement_is_answered_once(case):
    complaint = _replied(case)
    perform(complaint, "respond_settlement", {"decision": "accept"}, COMPLAINANT, case[3])
    with pytest.raises(Conflict) as error:
        perform(complaint, "respond_settlement", {"decision": "reject"}, COMPLAINANT, case[3])
    assert error.value.message == "You have already answered the proposed settlement."
    assert complaint.settlement_response == "accepted"


@pytest.mark.parametrize("outcome", ["happy", "withdrawn", ""])
def test_a_closing_outcome_is_one_of_the_three_and_says_which(case, outcome):
    complaint, officer, _, now = case
    perform(complaint, "accept", {}, officer, now)
    with pytest.raises(ValidationFailed) as error:
        perform(complaint, "close", {"outcome": outcome}, officer, now)
    message = "outcome must be one of resolved, partly_resolved, unresolved"
    assert _refusal(error) in (({"outcome": [message]}, message),
                               ({"outcome": ["outcome is required for close"]}, "Missing: outcome"))
    assert complaint.status == "accepted"


@pytest.mark.parametrize("score", [0, 6, 3.5, "5", True])
def test_a_rating_is_a_whole_number_from_1_to_5(case, score):
    complaint, officer, _, now = case
    perform(complaint, "accept", {}, officer, now)
    perform(complaint, "close", {"outcome": "resolved"}, officer, now)
    with pytest.raises(ValidationFailed) as error:
        perform(complaint, "rate", {"score": score}, COMPLAINANT, now)
    message = "score must be a whole number from 1 to 5"
    assert _refusal(error) == ({"score": [message]}, message)
    assert complaint.rating_score is None


def test_information_provided_ends_the_pause_and_leaves_no_trace_of_it(case):
    """After provide_info the complaint is back where it was and carries no pause (SPEC §3)."""
    complaint, officer, _, now = case
    perform(complaint, "accept", {}, officer, now)
    perform(complaint, "request_info", {"note": "Send the bill"}, officer, now)
    assert (complaint.status, complaint.resume_status, complaint.paused_on) == (
        "awaiting_info", "accepted", now.date())
    perform(complaint, "provide_info", {}, COMPLAINANT, now)
    db.session.flush()
    assert (complaint.status, complaint.resume_status, complaint.paused_on) == ("accepted", None, None)


def stopped(complaint) -> dict:
    return {d.clock: (d.state, d.stopped_at) for d in complaint.deadlines if d.stopped_at is not None}


def subjects(**where) -> list[str]:
    stmt = select(Notification.subject).order_by(Notification.id)
    for column, value in where.items():
        stmt = stmt.where(getattr(Notification, column) == value)
    return list(db.session.scalars(stmt))


def test_accepting_stops_the_acceptance_clock_at_that_moment(case):
    complaint, officer, _, now = case
    later = now + timedelta(hours=3)
    perform(complaint, "accept", {}, officer, later)
    assert stopped(complaint) == {"acceptance": ("met", later)}


def test_the_operators_reply_stops_its_clock_at_that_moment(case):
    complaint, officer, staff, now = case
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
    complaint, officer, _, now = case
    running = {d.clock for d in complaint.deadlines if d.running}
    assert running  # the acceptance and answer clocks run from intake
    ended = now + timedelta(hours=1)
    perform(complaint, action, params, officer if actor == "officer" else COMPLAINANT, ended)
    assert {clock: moment for clock, (_, moment) in stopped(complaint).items()} == dict.fromkeys(running, ended)
    assert complaint.closed_at == ended


@pytest.mark.parametrize(("action", "params"), [("close", {"outcome": "resolved"}), ("withdraw", {})])
def test_a_closed_or_withdrawn_complaint_leaves_the_escalation_queues(case, action, params):
    """An escalated complaint that ends is no longer waiting on anybody (SPEC §3 queues)."""
    complaint, officer, _, now = case
    perform(complaint, "accept", {}, officer, now)
    complaint.escalation = "head"
    perform(complaint, action, params, officer, now + timedelta(hours=1))
    assert complaint.escalation is None
    assert all(d.stopped_at == now + timedelta(hours=1) for d in complaint.deadlines if d.clock != "acceptance")


@pytest.mark.parametrize("score", [1, 5])
def test_the_ends_of_the_rating_scale_are_accepted(case, score):
    complaint, officer, _, now = case
    perform(complaint, "accept", {}, officer, now)
    perform(complaint, "close", {"outcome": "resolved"}, officer, now)
    perform(complaint, "rate", {"score": score}, COMPLAINANT, now)
    assert complaint.rating_score == score


def test_the_operators_staff_are_told_of_a_transfer_and_of_supervision(case):
    complaint, officer, staff, now = case
    perform(complaint, "accept", {}, officer, now)
    perform(complaint, "transfer", {}, officer, now)
    perform(complaint, "supervise", {}, officer, now + timedelta(days=1))
    ref = complaint.reference
    assert subjects(recipient_user_id=staff.user_id) == [f"[{ref}] transferred", f"[{ref}] supervised"]
    bodies = list(db.session.scalars(select(Notification.body).where(Notification.recipient_user_id == staff.user_id)
                                     .order_by(Notification.id)))
    assert bodies == [
        f"Complaint {ref} was transferred to your company. Reply within the deadline shown in the operator portal.",
        f"The regulator is supervising (督办) complaint {ref}. File your supervision report within the deadline "
        "shown in the operator portal."]


def test_the_complainant_hears_of_acceptance_transfer_and_public_steps_only(case):
    """Accept and transfer are news to the complainant; so is every step with a public note. Supervision,
    a word between regulator and operator is not mailed."""
    complaint, officer, staff, now = case
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
