"""Billing-record samples [M 17] (SPEC §4) pinned: what the operator's answer to each item records,
the messages that refuse a wrong answer, the findings an unproduced or late item raises, the audit
trail of each answer (SPEC §9) and the shape of the sample in the API (SPEC §10)."""
import hashlib
import io
from datetime import UTC, datetime

import pytest

from supervision.audit import events_of
from supervision.extensions import db
from supervision.obligations.retention_rules import draw_sample
from supervision.workflow.sweep import sweep_deadlines
from tests.api import test_billing_samples

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ACCOUNTS = [f"ACC-{n:04d}" for n in range(1, 21)]
# Drawn on Thursday 26 November 2026: the window runs from 26 June; due 10 working days later.
MONTHS = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
DUE = "2026-12-10"


# The operator, its staff and the Jiangsu officer of the billing-sample tests.
world = test_billing_samples.world


def draw(client, world, size=2):
    body = {"province": "32", "size": size, "accounts": ACCOUNTS, "seed": 2026}
    response = client.post(f"/api/v1/operators/{world['operator'].id}/billing-samples", json=body,
                           headers=world["h_officer"])
    assert response.status_code == 201, response.json
    return response.json


def answer(client, world, sample, item_id, headers="h_staff", **form):
    return client.post(f"/api/v1/billing-samples/{sample['id']}/items/{item_id}", data=form,
                       headers=world[headers])


def produce(client, world, sample, item_id):
    return answer(client, world, sample, item_id, produced="true", file=(io.BytesIO(PDF), "bill.pdf"))


def move_clock(world, factory, clock, when):
    """Later in time: fresh tokens (an API token lives one day)."""
    clock.current = when
    world["h_staff"], world["h_officer"] = factory.headers(world["staff"]), factory.headers(world["officer"])


def sample_findings(client, world):
    items = client.get("/api/v1/findings?source=sample", headers=world["h_officer"]).json["items"]
    return sorted(items, key=lambda f: f["details"]["item_id"])


def test_a_sample_answers_with_every_documented_field(client, world):
    """SPEC §10: the sample's JSON keys and values are interface (the seed and the pools make it replayable)."""
    sample = draw(client, world)
    expected_items = draw_sample(2026, ACCOUNTS, MONTHS, 2)
    seen = client.get(f"/api/v1/billing-samples/{sample['id']}", headers=world["h_staff"]).json
    assert seen == {
        "id": sample["id"], "operator_id": world["operator"].id, "province": "32", "seed": 2026, "size": 2,
        "months": MONTHS, "drawn_on": "2026-11-26", "status": "awaiting", "due": DUE, "deadline_state": "pending",
        "items": [{"id": item["id"], "account": account, "month": month, "produced": None, "late": False,
                   "note": None, "filename": None, "sha256": None}
                  for item, (account, month) in zip(sample["items"], expected_items, strict=True)]}


@pytest.mark.parametrize(("who", "item", "form", "status", "message", "errors"), [
    pytest.param("h_officer", "first", {"produced": "false", "note": "x"}, 403,
                 "Only the operator's staff answer its sample.", {}, id="an officer may not answer"),
    pytest.param("h_staff", "unknown", {"produced": "false", "note": "x"}, 404,
                 "No such item in this sample.", {}, id="an item of another sample"),
    pytest.param("h_staff", "first", {"produced": "false"}, 422,
                 "say why the records cannot be produced", {"note": ["say why the records cannot be produced"]},
                 id="a refusal without a reason"),
    pytest.param("h_staff", "first", {"produced": "true"}, 422,
                 "attach the billing records produced", {"file": ["attach the billing records produced"]},
                 id="a production without the file"),
])
def test_a_wrong_answer_is_refused_with_the_rule(client, world, who, item, form, status, message, errors):
    """SPEC §4: only the operator answers, each item of its own sample, with the records or a reason."""
    sample = draw(client, world)
    item_id = sample["items"][0]["id"] if item == "first" else sample["items"][-1]["id"] + 1000
    response = answer(client, world, sample, item_id, headers=who, **form)
    assert (response.status_code, response.json) == (status, {"code": status, "message": message, "errors": errors})
    untouched = client.get(f"/api/v1/billing-samples/{sample['id']}", headers=world["h_staff"]).json
    assert untouched["items"][0]["produced"] is None


def test_an_item_is_answered_once(client, world):
    """SPEC §4: a produced item cannot be taken back; the 409 names the state."""
    sample = draw(client, world)
    first = sample["items"][0]["id"]
    assert produce(client, world, sample, first).status_code == 200
    again = answer(client, world, sample, first, produced="false", note="Changed our mind.")
    assert (again.status_code, again.json) == (409, {"code": 409, "message": "This item was already answered.",
                                                     "errors": {}, "state": "answered"})


def test_the_answers_record_the_file_or_the_reason_and_complete_the_sample(client, world):
    """SPEC §4: a production keeps the file (name, SHA-256), a refusal its reason; once every item is
    answered the sample is complete and its production deadline met (it leaves the officer's due list)."""
    sample = draw(client, world)
    first, second = (item["id"] for item in sample["items"])
    produced = produce(client, world, sample, first).json
    assert produced["status"] == "awaiting" and produced["deadline_state"] == "pending"
    due = client.get("/api/v1/due?kind=billing_sample", headers=world["h_officer"]).json["items"]
    assert [(d["record_id"], d["clock"]) for d in due] == [(sample["id"], "sample_production")]
    done = answer(client, world, sample, second, produced="false", note="  Records purged in error.  ").json
    assert [{k: item[k] for k in ("produced", "late", "note", "filename", "sha256")} for item in done["items"]] == [
        {"produced": True, "late": False, "note": None, "filename": "bill.pdf",
         "sha256": hashlib.sha256(PDF).hexdigest()},
        {"produced": False, "late": False, "note": "Records purged in error.", "filename": None, "sha256": None}]
    assert (done["status"], done["deadline_state"]) == ("complete", "met")
    assert client.get("/api/v1/due?kind=billing_sample", headers=world["h_officer"]).json["items"] == []


@pytest.mark.parametrize(("answered_on", "late"), [
    (datetime(2026, 12, 10, 9, 0, tzinfo=UTC), False),    # the due day itself (17:00 in Shanghai)
    (datetime(2026, 12, 10, 16, 30, tzinfo=UTC), True),   # 00:30 on 11 December in Shanghai
])
def test_records_produced_after_the_due_day_are_late_and_a_finding(client, world, factory, clock, answered_on,
                                                                    late):
    """SPEC §4: the operator produces each item by the deadline (the due day counts); a late one is a finding."""
    sample = draw(client, world)
    item = sample["items"][0]
    move_clock(world, factory, clock, answered_on)
    answered = produce(client, world, sample, item["id"]).json
    assert answered["items"][0]["late"] is late
    expected = [{"source": "sample", "article": "M 17", "province": "32", "state": "open",
                 "facts": f"Billing-record sample {sample['id']}: records of account {item['account']} for "
                          f"{item['month']} produced late (due {DUE}).",
                 "details": {"sample_id": sample["id"], "item_id": item["id"], "account": item["account"],
                             "month": item["month"], "produced": True}}] if late else []
    findings = sample_findings(client, world)
    assert [{k: f[k] for k in ("source", "article", "province", "state", "facts", "details")}
            for f in findings] == expected


def test_a_refused_item_is_a_finding_and_a_produced_one_is_not(client, world):
    """SPEC §4: each unproduced item is a finding naming the account and month; an item produced on time is not."""
    sample = draw(client, world)
    first, second = sample["items"]
    produce(client, world, sample, first["id"])
    answer(client, world, sample, second["id"], produced="false", note="Records purged in error.")
    (finding,) = sample_findings(client, world)
    assert (finding["facts"], finding["details"]) == (
        f"Billing-record sample {sample['id']}: records of account {second['account']} for {second['month']} "
        f"not produced (due {DUE}).",
        {"sample_id": sample["id"], "item_id": second["id"], "account": second["account"],
         "month": second["month"], "produced": False})


def test_an_item_missed_at_the_deadline_and_produced_later_is_one_finding(client, world, factory, clock):
    """SPEC §4: one finding per unproduced item: the deadline sweep raises it, a late production adds none."""
    sample = draw(client, world, size=1)
    (item,) = sample["items"]
    move_clock(world, factory, clock, datetime(2026, 12, 11, 2, 0, tzinfo=UTC))
    sweep_deadlines(clock.now())
    db.session.commit()
    assert [f["details"]["produced"] for f in sample_findings(client, world)] == [None]
    late = produce(client, world, sample, item["id"]).json
    assert late["items"][0]["late"] is True and late["deadline_state"] == "missed"
    assert [f["details"]["item_id"] for f in sample_findings(client, world)] == [item["id"]]


def test_each_answer_is_an_audit_event_of_the_sample(client, world):
    """SPEC §9: every state change writes an event: who answered which item, produced or not, on time or not."""
    sample = draw(client, world)
    first, second = sample["items"]
    produce(client, world, sample, first["id"])
    answer(client, world, sample, second["id"], produced="false", note="Records purged in error.")
    events = events_of("billing_sample", sample["id"])
    assert [(e.action, e.actor_id, e.after) for e in events[1:]] == [
        ("produce", world["staff"].id, {"item": first["id"], "account": first["account"],
                                        "month": first["month"], "late": False,
                                        "sha256": hashlib.sha256(PDF).hexdigest()}),
        ("not_produced", world["staff"].id, {"item": second["id"], "account": second["account"],
                                             "month": second["month"], "late": False, "sha256": None})]
    assert events[0].action == "draw"
