"""Rectification orders pinned (SPEC §7, §10 POST /orders): what each PDCA step records and shows,
the order's fixed deadline stopping at the completion report and restarting on a reopen, and the
operator's evidence of rectification (who may add it, until when, how many, kept with its SHA-256).

Clock: Thu 26 Nov 2026, 10:00 Shanghai.
"""
import hashlib
import io
from datetime import date

import pytest

from supervision.audit import Actor, events_of
from supervision.errors import ValidationFailed
from supervision.extensions import db
from supervision.orders import services
from supervision.orders.models import RectificationOrder
from supervision.uploads import stored_path
from supervision.workflow.sweep import sweep_deadlines
from tests.api.inspection_parties import Parties, at

PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture
def p(factory, client):
    return Parties(factory, client)


def act(p, user, order_id, action, **body):
    return p.post(user, f"/orders/{order_id}/actions/{action}", body)


def attach(p, user, order_id, content=PDF, name="hotline-roster.pdf"):
    return p.client.post(f"/api/v1/orders/{order_id}/evidence", data={"file": (io.BytesIO(content), name)},
                         headers=p.h(user), content_type="multipart/form-data")


def due_orders(p) -> list[str]:
    return [item["label"] for item in p.get(p.lead, "/due?kind=order").get_json()["items"]]


def test_the_completion_report_is_kept_and_stops_the_orders_deadline(p):
    """[M 13] the operator reports completion by the deadline: the report is on the order, the clock
    is met and the order leaves the officers' "what is due" list."""
    order = p.order()
    assert due_orders(p) == [order["number"]]
    act(p, p.staff, order["id"], "file_plan", plan="Hire 4 agents")
    body = act(p, p.staff, order["id"], "report_completion", report="  All 4 hired.  ").get_json()
    assert (body["state"], body["completion_report"]) == ("completion_reported", "All 4 hired.")
    assert [(d["clock"], d["state"]) for d in body["deadlines"]] == [("order_deadline", "met")]
    assert due_orders(p) == []


def test_verification_closes_the_order_with_its_note_even_if_a_cited_finding_was_closed_before(p, factory):
    """SPEC §7: verified → closed; the findings it cites close with it, and one an officer already
    closed (e.g. not a breach after all) does not block the verification."""
    first, second = p.finding(), p.finding(article="M 17", facts="Records missing")
    order = p.order([first, second])
    assert p.post(p.lead, f"/findings/{first}/actions/close", {"note": "not a breach"}).status_code == 200
    act(p, p.staff, order["id"], "file_plan", plan="Hire 4 agents")
    act(p, p.staff, order["id"], "report_completion", report="All 4 hired")
    verified = act(p, p.lead, order["id"], "verify", note="  Verified by 12 test calls  ")
    assert verified.status_code == 200, verified.get_json()
    body = verified.get_json()
    assert (body["state"], body["verification_note"], body["closed_at"]) == (
        "closed", "Verified by 12 test calls", factory.now.isoformat())
    assert {f["id"]: f["state"] for f in body["findings"]} == {first: "closed", second: "closed"}
    assert [e.note for e in events_of("finding", second)][-1] == f"rectified: {order['number']}"


def test_a_reopen_clears_the_overdue_flag_and_the_old_report_and_keeps_the_officers_note(p, factory):
    """Not rectified: a new round with a new deadline; the order is no longer overdue, the previous
    completion report no longer stands, the officer's reason is on the order."""
    order = p.order(deadline="2026-12-10")
    act(p, p.staff, order["id"], "file_plan", plan="Hire 4 agents")
    factory.clock.current = at(2026, 12, 11)
    assert sweep_deadlines(factory.now).missed == 1
    assert p.get(p.lead, f"/orders/{order['id']}").get_json()["overdue"] is True
    act(p, p.staff, order["id"], "report_completion", report="Hired 2")
    reopened = act(p, p.lead, order["id"], "reopen", note="  Only 2 of 4 hired  ", deadline="2027-01-29")
    assert reopened.status_code == 200, reopened.get_json()
    body = reopened.get_json()
    assert (body["state"], body["round"], body["deadline"], body["overdue"]) == ("reopened", 2, "2027-01-29", False)
    assert (body["completion_report"], body["verification_note"]) == (None, "Only 2 of 4 hired")
    assert p.get(p.lead, "/orders?overdue=true").get_json()["items"] == []


def test_a_reopen_deadline_given_as_text_is_read_as_a_date_and_a_non_date_is_refused(p, factory):
    """The reopen step takes the new deadline as a date or as YYYY-MM-DD text; other text is a 422
    naming the field (SPEC §10: a 422 names the field and the rule)."""
    order = db.session.get(RectificationOrder, p.order()["id"])
    officer = Actor.of(p.lead)
    with pytest.raises(ValidationFailed) as refused:
        services.perform(order, "reopen", {"note": "late", "deadline": "29/01/2027"}, officer, factory.now)
    assert refused.value.errors == {"deadline": ["deadline must be a date YYYY-MM-DD"]}
    services.perform(order, "reopen", {"note": "late", "deadline": "2027-01-29"}, officer, factory.now)
    assert (order.status, order.deadline_on, order.round) == ("reopened", date(2027, 1, 29), 2)


def test_only_the_operator_adds_evidence_and_only_before_the_completion_report(p):
    order = p.order()
    by_officer = attach(p, p.lead, order["id"])
    assert by_officer.status_code == 403
    assert by_officer.get_json()["message"] == "Only the operator adds evidence of rectification."
    assert attach(p, p.staff, order["id"], name="issued.pdf").status_code == 201  # issued
    act(p, p.staff, order["id"], "file_plan", plan="Hire 4 agents")
    assert attach(p, p.staff, order["id"], name="planned.pdf").status_code == 201  # plan filed
    act(p, p.staff, order["id"], "report_completion", report="Hired 2")
    late = attach(p, p.staff, order["id"])
    assert late.status_code == 409
    assert late.get_json()["message"] == "Evidence can be added only before the completion report is filed."
    act(p, p.lead, order["id"], "reopen", note="Only 2 of 4 hired", deadline="2027-01-29")
    assert attach(p, p.staff, order["id"], name="round2.pdf").status_code == 201  # reopened: round 2
    evidence = p.get(p.lead, f"/orders/{order['id']}").get_json()["evidence"]
    assert [(e["filename"], e["round"]) for e in evidence] == [("issued.pdf", 1), ("planned.pdf", 1),
                                                               ("round2.pdf", 2)]


def test_evidence_is_kept_with_its_sha256_and_audited(p, factory):
    """SPEC §6/§9: the file is stored outside the web root with its SHA-256; adding it is an event
    on the order's chain."""
    order = p.order()
    response = attach(p, p.staff, order["id"], content=PDF, name="roster.pdf")
    assert response.status_code == 201
    digest = hashlib.sha256(PDF).hexdigest()
    assert response.get_json() == {"filename": "roster.pdf", "content_type": "application/pdf", "size": len(PDF),
                                   "sha256": digest, "round": 1}
    [stored] = db.session.get(RectificationOrder, order["id"]).evidence
    assert stored_path(stored["storage_key"]).read_bytes() == PDF
    assert stored["uploaded_at"] == factory.now.isoformat()
    [attached] = [e for e in p.get(p.lead, f"/orders/{order['id']}").get_json()["timeline"]
                  if e["action"] == "attach"]
    assert attached["after"] == {"filename": "roster.pdf", "sha256": digest, "size": len(PDF)}


def test_at_most_twenty_evidence_files_per_order(p):
    order = p.order()
    for n in range(20):
        assert attach(p, p.staff, order["id"], name=f"file{n}.pdf").status_code == 201
    refused = attach(p, p.staff, order["id"], name="file20.pdf")
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"file": ["at most 20 files per order"]}


def test_each_party_is_offered_exactly_the_steps_it_may_take_now(p):
    """SPEC §7 PDCA: the operator files a plan and reports completion, the officer verifies or
    reopens; the order page offers each party only its own next steps."""
    order = p.order()

    def offered():
        return {who: p.get(user, f"/orders/{order['id']}").get_json()["allowed_actions"]
                for who, user in (("officer", p.lead), ("operator", p.staff))}

    assert offered() == {"officer": ["reopen"], "operator": ["file_plan"]}
    act(p, p.staff, order["id"], "file_plan", plan="Hire 4 agents")
    assert offered() == {"officer": ["reopen"], "operator": ["report_completion"]}
    act(p, p.staff, order["id"], "report_completion", report="All 4 hired")
    assert offered() == {"officer": ["verify", "reopen"], "operator": []}
    act(p, p.lead, order["id"], "verify", note="Verified")
    assert offered() == {"officer": [], "operator": []}
