"""The step tables of the supervision workflows as reviewed matrices (SPEC §6, §7, §4, §8, §10).

For every workflow: each action × each kind of person × each state is allowed, refused for
the person (403) or refused in the state (409), as the tables below say. The tables are
written out from the SPEC, not derived from the code, so a role or a state added to a step,
or a step without a row, fails here.

Only who and when are measured: each step's effect is replaced by a no-op and guards are
satisfied by the stand-in record, so a missing figure or a pending reply does not hide a
role that should not be there. The effects themselves are tested with each workflow.
"""
from dataclasses import replace
from types import SimpleNamespace

import pytest

from supervision.audit import COMPLAINANT, SYSTEM, Actor
from supervision.errors import Conflict, Forbidden
from supervision.extensions import db
from supervision.inspections import transitions as inspections
from supervision.obligations import clauses, self_inspection
from supervision.orders import penalties
from supervision.orders import services as orders
from supervision.publications import services as publications
from supervision.workflow import steps

OFFICER, PUBLISHER, STAFF = {"officer"}, {"publisher"}, {"officer", "publisher"}
OPERATOR = {"operator"}

# workflow: (states, {action: (who may take it, from which states)})
MATRICES = {
    # SPEC §6: an inspection is planned, run, drafted, answered by the operator, made final,
    # published by a publisher (and corrected only by one), or cancelled before a result.
    "inspection": (inspections.INSPECTION_WORKFLOW,
                   ("planned", "in_progress", "draft_result", "final", "published", "cancelled"), {
                       "start": (STAFF, {"planned"}),
                       "issue_draft": (STAFF, {"in_progress"}),
                       "reply": (OPERATOR, {"draft_result"}),
                       "finalise": (STAFF, {"draft_result"}),
                       "publish": (PUBLISHER, {"final"}),
                       "correct": (PUBLISHER, {"published"}),
                       "cancel": (STAFF, {"planned", "in_progress"}),
                   }),
    # SPEC §7: the operator files a plan and reports completion; officers verify or reopen.
    "order": (orders.ORDER_WORKFLOW, ("issued", "plan_filed", "completion_reported", "reopened", "closed"), {
        "file_plan": (OPERATOR, {"issued", "reopened"}),
        "report_completion": (OPERATOR, {"plan_filed"}),
        "verify": (OFFICER, {"completion_reported"}),
        "reopen": (OFFICER, {"issued", "plan_filed", "completion_reported"}),
    }),
    # SPEC §7: a penalty decision is approved by a publisher (four-eyes), then published.
    "penalty": (penalties.PENALTY_WORKFLOW, ("draft", "approved", "published"), {
        "approve": (PUBLISHER, {"draft"}),
        "publish": (STAFF, {"approved"}),
    }),
    # SPEC §8: an officer or publisher prepares the figures, another publisher approves.
    "publication": (publications.PUBLICATION_WORKFLOW, ("draft", "published"), {
        "refresh": (STAFF, {"draft"}),
        "approve": (PUBLISHER, {"draft"}),
    }),
    # SPEC §4: the operator submits (again after a return); the officer accepts or returns.
    "self_inspection": (self_inspection.WORKFLOW, ("draft", "submitted", "returned", "accepted"), {
        "submit": (OPERATOR, {"draft", "returned"}),
        "accept": (OFFICER, {"submitted"}),
        "return": (OFFICER, {"submitted"}),
    }),
    # SPEC §4: format clauses filed by the operator are reviewed by an officer.
    "format_clause": (clauses.WORKFLOW, ("filed", "accepted", "changes_requested"), {
        "accept": (OFFICER, {"filed"}),
        "request_changes": (OFFICER, {"filed"}),
    }),
}
PARAMS = {"summary": "s", "reply": "r", "note": "n", "plan": "p", "report": "r", "deadline": "2027-01-29",
          "comment": "c"}


@pytest.fixture
def people(factory):
    """Each kind of person once; the matrix's role names are what each is to the record."""
    operator = factory.operator()
    publisher = factory.user("officer", authority="32", publisher=True)
    return {
        "officer": Actor.of(factory.officer("32")),
        "publisher": Actor.of(publisher),
        "other_province_publisher": Actor.of(factory.user("officer", authority="44", publisher=True)),
        "operator": Actor.of(factory.user("operator", operator=operator)),
        "admin": Actor.of(factory.admin()),
        "oversight": Actor.of(factory.user("oversight")),
        "complainant": COMPLAINANT,
        "system": SYSTEM,
    }


def roles_for(matrix_roles: set[str], workflow_name: str) -> dict[str, bool]:
    """Which people the matrix allows: a publisher is an officer too where officers may act."""
    allowed = {"officer": "officer" in matrix_roles, "publisher": bool(matrix_roles & {"officer", "publisher"}),
               "operator": "operator" in matrix_roles}
    # A province's publication is prepared and approved by that province only; other records are
    # scoped when loaded (404), which the API tests cover.
    allowed["other_province_publisher"] = (workflow_name != "publication" and allowed["publisher"])
    return allowed


def stand_in(state: str) -> SimpleNamespace:
    """A record in `state` whose guards all let the action through (no reply yet, prepared by a third person)."""
    return SimpleNamespace(id=1, status=state, authority_code="32", prepared_by=-1, operator_reply=None,
                           deadline=lambda clock: None, findings=[])


def who_and_when_only(workflow):
    """The workflow with no-op effects and no locks: the matrix measures roles and states."""
    return replace(workflow, lock=lambda record: None, after=None,
                   steps={name: replace(step, apply=lambda ctx: None) for name, step in workflow.steps.items()})


def outcome(workflow, state: str, action: str, actor: Actor) -> str:
    try:
        with db.session.begin_nested() as savepoint:
            steps.perform(workflow, stand_in(state), action, dict(PARAMS), actor, db_now(), internal=True)
            savepoint.rollback()
        return "allowed"
    except Forbidden:
        return "403"
    except Conflict:
        return "409"


def db_now():
    from supervision.clock import now_utc

    return now_utc()


@pytest.mark.parametrize("name", sorted(MATRICES))
def test_every_step_has_a_row_and_every_row_a_step(name):
    workflow, _, matrix = MATRICES[name]
    assert set(matrix) == set(workflow.steps), f"{name}: step table and reviewed matrix differ"


@pytest.mark.parametrize("name", sorted(MATRICES))
def test_actions_by_person_and_state(people, name):
    workflow, states, matrix = MATRICES[name]
    workflow = who_and_when_only(workflow)
    failures = []
    for action, (matrix_roles, from_states) in matrix.items():
        allowed_people = roles_for(matrix_roles, name)
        for state in states:
            for person, actor in people.items():
                got = outcome(workflow, state, action, actor)
                expected = ("allowed" if state in from_states else "409") if allowed_people.get(person) else "403"
                if got != expected:
                    failures.append(f"{name}.{action} by {person} in {state}: expected {expected}, got {got}")
    assert failures == []


@pytest.mark.parametrize("name, action", [("penalty", "approve"), ("publication", "approve")])
def test_the_preparer_may_not_approve_their_own_draft(people, name, action):
    """Four-eyes (SPEC §7, §8): the same publisher who prepared a draft is refused with 403."""
    workflow = who_and_when_only(MATRICES[name][0])
    record = stand_in("draft")
    record.prepared_by = people["publisher"].user_id
    with pytest.raises(Forbidden, match="four-eyes|Four-eyes"):
        steps.perform(workflow, record, action, dict(PARAMS), people["publisher"], db_now())
