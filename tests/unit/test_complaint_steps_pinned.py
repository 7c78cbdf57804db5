"""What each complaint step leaves behind and what it says when it refuses (SPEC §3, §10), checked
on the domain's `perform` itself: the API's schema validates some fields first, but the domain's
own guard must hold for every other caller (the web form, a job, a future endpoint).

Clock: Thu 26 Nov 2026, 10:00 Shanghai.
"""
import pytest

from supervision.audit import COMPLAINANT, Actor
from supervision.complaints.transitions import perform
from supervision.errors import Conflict, ValidationFailed
from supervision.extensions import db


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
