"""Self-inspection reports [M 18] (SPEC §5, §10) pinned: the report's JSON as the API answers it, the
warning a billing error rate above the standard (1e-4) raises, and the audit trail of the decision."""
import pytest

from supervision.audit import events_of

URL = "/api/v1/self-inspections"
EN = {"Accept-Language": "en"}
ITEMS = ("hotline_published", "answers_in_time", "format_clauses_filed", "billing_records_kept", "charges_queryable")


@pytest.fixture
def world(factory):
    operator = factory.operator(province="32", name="Jiangsu Test Telecom")
    staff = factory.user("operator", operator=operator)
    officer = factory.officer("32")
    return {"operator": operator, "staff": staff, "h_staff": factory.headers(staff), "officer": officer,
            "h_officer": factory.headers(officer)}


def complete(rate):
    return {"checklist": [{"item": item, "result": "pass"} for item in ITEMS],
            "metrics": {"complaints_received": 0, "answered_in_time_share": 1.0, "billing_error_rate": rate}}


TEXTS = {
    "hotline_published": "A complaint hotline and channels are published and answered [M 16].",
    "answers_in_time": "User complaints are answered within the time limits [M 16, C 14].",
    "format_clauses_filed": "Format contract clauses are filed with the authority [M 15].",
    "billing_records_kept": "Raw billing records are kept for at least five months [M 17].",
    "charges_queryable": "Users can query their charges and billing details [M 17].",
}
PREFILLED = {"answered_in_time_share": None, "answers_judged": 0, "complaints_received": 0,
             "period_from": "2026-07-01", "period_to": "2026-12-31", "retention_findings": 0}


def test_a_new_report_answers_with_every_documented_field(client, world):
    """SPEC §5, §10: a new H2 draft names its operator, authority and due date (15 January), lists the checklist
    in the reader's language and what still blocks its submission."""
    report_id = client.post(URL, json={"period": "2026H2"}, headers=world["h_staff"]).json["id"]
    seen = client.get(f"{URL}/{report_id}", headers=world["h_staff"] | EN).json
    assert seen == {
        "id": report_id, "operator_id": world["operator"].id, "operator": "Jiangsu Test Telecom", "period": "2026H2",
        "authority": "32", "status": "draft", "due": "2027-01-15", "deadline_state": "pending", "overdue": False,
        "checklist": [{"item": item, "text": TEXTS[item], "result": None, "explanation": ""} for item in ITEMS],
        "metrics": {}, "prefilled": PREFILLED, "discrepancies": [], "warnings": [],
        "blocking_errors": {
            **{f"checklist.{item}": [f"answer pass, fail or NA for item {item}"] for item in ITEMS},
            **{f"metrics.{name}": [f"{name} is missing"]
               for name in ("answered_in_time_share", "billing_error_rate", "complaints_received")}},
        "problems": None, "corrective_actions": None, "return_comment": None, "submitted_at": None,
        "allowed_actions": ["submit"]}


def test_a_submitted_report_answers_with_the_operators_answers(client, world, clock):
    """SPEC §5: the checklist answers (with their explanation), the metrics and the texts are kept; once submitted
    nothing blocks it any more and the officer may accept or return it."""
    report_id = client.post(URL, json={"period": "2026H2"}, headers=world["h_staff"]).json["id"]
    answers = complete(0.00002)
    answers["checklist"][0] |= {"result": "fail", "explanation": "  The hotline page moved in October.  "}
    answers |= {"problems": "Hotline page moved.", "corrective_actions": "Link restored."}
    client.patch(f"{URL}/{report_id}", json=answers, headers=world["h_staff"])
    submitted = client.post(f"{URL}/{report_id}/actions/submit", json={}, headers=world["h_staff"])
    assert submitted.status_code == 200, submitted.json
    seen = client.get(f"{URL}/{report_id}", headers=world["h_officer"] | EN).json
    assert seen == {
        "id": report_id, "operator_id": world["operator"].id, "operator": "Jiangsu Test Telecom", "period": "2026H2",
        "authority": "32", "status": "submitted", "due": "2027-01-15", "deadline_state": "met", "overdue": False,
        "checklist": [{"item": "hotline_published", "text": TEXTS["hotline_published"], "result": "fail",
                       "explanation": "The hotline page moved in October."}]
        + [{"item": item, "text": TEXTS[item], "result": "pass", "explanation": ""} for item in ITEMS[1:]],
        "metrics": answers["metrics"], "prefilled": PREFILLED, "discrepancies": [], "warnings": [],
        "blocking_errors": {}, "problems": "Hotline page moved.", "corrective_actions": "Link restored.",
        "return_comment": None, "submitted_at": clock.now().isoformat(), "allowed_actions": ["accept", "return"]}


@pytest.mark.parametrize(("rate", "warnings"), [
    (0.0001, []),
    (0.0002, ["The billing error rate 0.0002 is above the standard 0.0001."]),
])
def test_a_billing_error_rate_above_the_standard_is_a_warning(client, world, rate, warnings):
    """SPEC §5: billing error rate — standard ≤ 1e-4; above it the report warns (it does not block)."""
    report_id = client.post(URL, json={"period": "2026H2"}, headers=world["h_staff"]).json["id"]
    edited = client.patch(f"{URL}/{report_id}", json=complete(rate), headers=world["h_staff"] | EN).json
    assert edited["warnings"] == warnings and edited["blocking_errors"] == {}


def test_the_officers_decision_is_audited_with_its_time(client, world, clock):
    """SPEC §9: accepting a report writes an event with the state change and the time of the decision."""
    report_id = client.post(URL, json={"period": "2026H2"}, headers=world["h_staff"]).json["id"]
    client.patch(f"{URL}/{report_id}", json=complete(0.00002), headers=world["h_staff"])
    assert client.post(f"{URL}/{report_id}/actions/submit", json={}, headers=world["h_staff"]).status_code == 200
    accepted = client.post(f"{URL}/{report_id}/actions/accept", json={}, headers=world["h_officer"])
    assert accepted.json["status"] == "accepted"
    last = events_of("self_inspection", report_id)[-1]
    assert (last.action, last.actor_id, last.before, last.after) == (
        "accept", world["officer"].id, {"status": "submitted", "decided_at": None},
        {"status": "accepted", "decided_at": clock.now().isoformat()})
