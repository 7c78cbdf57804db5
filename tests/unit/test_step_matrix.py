"""Every step table as a reviewed matrix (SPEC §10): each action × each role × each state is
allowed, refused for the role (403) or refused in the state (409), as the table below says.

The expectations are written out here, against SPEC §3 and §10 — not derived from the step
tables — so adding a role or a state to a step, or a step without a row, fails this test.
"""
import pytest

from supervision.audit import COMPLAINANT, SYSTEM, Actor
from supervision.complaints import transitions
from supervision.errors import Conflict, Forbidden
from supervision.extensions import db
from supervision.findings import services as findings
from supervision.workflow import steps

COMPLAINT_STATES = ("submitted", "accepted", "awaiting_info", "transferred", "operator_replied", "mediation",
                    "closed", "rejected", "withdrawn")
OPEN = {"submitted", "accepted", "awaiting_info", "transferred", "operator_replied", "mediation"}
AFTER_TRANSFER = {"transferred", "operator_replied", "mediation"}

# action: (who may take it, from which states) — SPEC §3 lifecycle and §10 actions.
COMPLAINT_MATRIX = {
    "accept": ({"officer"}, {"submitted"}),
    "reject": ({"officer"}, {"submitted", "accepted"}),
    "request_info": ({"officer"}, OPEN - {"awaiting_info"}),
    "provide_info": ({"officer", "complainant"}, {"awaiting_info"}),
    "transfer": ({"officer"}, {"accepted"}),
    "operator_reply": ({"operator"}, {"transferred"}),
    "supervise": ({"officer"}, AFTER_TRANSFER),
    "supervision_report": ({"operator"}, AFTER_TRANSFER),
    "mediate": ({"officer"}, {"accepted", "transferred", "operator_replied"}),
    "close": ({"officer"}, AFTER_TRANSFER | {"accepted"}),
    "withdraw": ({"officer", "complainant"}, OPEN),
    "rate": ({"complainant"}, {"closed"}),
    "respond_settlement": ({"complainant"}, {"operator_replied", "mediation"}),
}
# Parameters that satisfy every step's required fields, so only role and state decide.
PARAMS = {"reason": "r", "note": "n", "reply": "r", "report": "r", "outcome": "resolved", "score": 4,
          "decision": "accept", "proposed_settlement": "refund"}
ROLES = ("officer", "operator", "complainant", "admin", "oversight")


def test_every_complaint_step_has_a_row_and_no_row_lacks_a_step():
    assert set(COMPLAINT_MATRIX) == set(transitions.STEPS)


def _actor(role: str, users: dict) -> Actor:
    return COMPLAINANT if role == "complainant" else Actor.of(users[role])


def _outcome(workflow, record, action, params, actor) -> str:
    """allowed | 403 | 409-state | 409-guard, without changing the record (rolled back)."""
    try:
        with db.session.begin_nested() as savepoint:
            steps.perform(workflow, record, action, params, actor, db_now())
            savepoint.rollback()
        return "allowed"
    except Forbidden:
        return "403"
    except Conflict as conflict:
        return "409-state" if conflict.extra.get("state") not in _from_states(workflow, action) else "409-guard"
    finally:
        db.session.expire_all()


def _from_states(workflow, action):
    return workflow.steps[action].from_states


def db_now():
    from supervision.clock import now_utc

    return now_utc()


@pytest.fixture
def complaint_world(factory):
    operator = factory.operator()
    users = {"officer": factory.officer("32"), "operator": factory.user("operator", operator=operator),
             "admin": factory.admin(), "oversight": factory.user("oversight")}
    complaint, _ = factory.complaint(operator)
    return complaint, users


@pytest.mark.parametrize("action", sorted(COMPLAINT_MATRIX))
def test_complaint_actions_by_role_and_state(complaint_world, action):
    complaint, users = complaint_world
    roles, states = COMPLAINT_MATRIX[action]
    # Put the complaint where each guard would let the action through (a settlement proposed,
    # a report awaited or not), so the matrix measures roles and states only.
    complaint.proposed_settlement, complaint.settlement_response = "refund 30 yuan", None
    complaint.paused_on = complaint.received_at.date()
    failures = []
    for state in COMPLAINT_STATES:
        for role in ROLES:
            complaint.status = state
            complaint.resume_status = "accepted" if state == "awaiting_info" else None
            db.session.flush()
            got = _outcome(transitions.COMPLAINT_WORKFLOW, complaint, action, PARAMS, _actor(role, users))
            expected = ("allowed" if state in states else "409-state") if role in roles else "403"
            if got != expected and not (expected == "allowed" and got == "409-guard"):
                failures.append(f"{action} by {role} in {state}: expected {expected}, got {got}")
    assert failures == []


# The finding workflow (SPEC §10 findings): officers close; the system resolves; `order` only
# through an order (internal, never asked for directly).
FINDING_MATRIX = {
    "order": ({"officer"}, {"open"}),
    "close": ({"officer"}, {"open", "ordered"}),
    "resolve": ({"system"}, {"open"}),
}


def test_every_finding_step_has_a_row():
    assert set(FINDING_MATRIX) == set(findings.STEPS)


@pytest.mark.parametrize("action", sorted(FINDING_MATRIX))
def test_finding_actions_by_role_and_state(factory, action):
    officer, staff_operator = factory.officer("32"), factory.operator()
    actors = {"officer": Actor.of(officer), "operator": Actor.of(factory.user("operator", operator=staff_operator)),
              "system": SYSTEM, "admin": Actor.of(factory.admin())}
    finding, _ = findings.raise_finding(staff_operator, "32", "officer", "M 17", "gap", actors["officer"],
                                        factory.now)
    roles, states = FINDING_MATRIX[action]
    failures = []
    for state in ("open", "ordered", "closed"):
        for role, actor in actors.items():
            finding.state = state
            db.session.flush()
            try:
                with db.session.begin_nested() as savepoint:
                    findings.perform(finding, action, {"note": "n"}, actor, factory.now, internal=True)
                    savepoint.rollback()
                got = "allowed"
            except Forbidden:
                got = "403"
            except Conflict:
                got = "409"
            db.session.expire_all()
            expected = ("allowed" if state in states else "409") if role in roles else "403"
            if got != expected:
                failures.append(f"{action} by {role} in {state}: expected {expected}, got {got}")
    assert failures == []
