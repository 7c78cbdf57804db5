"""Self-inspection reports [M 18] (SPEC §5) pinned: starting one (which half-year, once, by whom), editing a
draft, submitting, returning, and the figures the authority pre-fills from its own records. Each refusal
answers with the rule (SPEC §10) and each change is an audit event (SPEC §9)."""
from datetime import UTC, datetime, timedelta

import pytest

from supervision.audit import SYSTEM, Actor, events_of
from supervision.complaints import transitions
from supervision.extensions import db
from supervision.findings.services import raise_finding
from supervision.workflow.sweep import sweep_deadlines
from tests.web.test_officer_pages import new_browser, text

URL = "/api/v1/self-inspections"
ITEMS = ("hotline_published", "answers_in_time", "format_clauses_filed", "billing_records_kept", "charges_queryable")
METRICS = {"complaints_received": 0, "answered_in_time_share": 1.0, "billing_error_rate": 0.00002}
NOT_SAVED = "The report was not saved: correct the fields named."


@pytest.fixture
def world(factory):
    operator = factory.operator(province="32")
    staff = factory.user("operator", operator=operator)
    officer = factory.officer("32")
    return {"operator": operator, "staff": staff, "h_staff": factory.headers(staff), "officer": officer,
            "h_officer": factory.headers(officer)}


def start(client, world, period="2026H2"):
    response = client.post(URL, json={"period": period}, headers=world["h_staff"])
    assert response.status_code == 201, response.json
    return response.json["id"]


def patch(client, world, report_id, body, who="h_staff"):
    return client.patch(f"{URL}/{report_id}", json=body, headers=world[who])


def act(client, world, report_id, action, who, **body):
    return client.post(f"{URL}/{report_id}/actions/{action}", json=body, headers=world[who])


def complete():
    return {"checklist": [{"item": item, "result": "pass"} for item in ITEMS], "metrics": METRICS}


# --- starting a report ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "period", "status", "message"), [
    pytest.param("h_staff", "1999H1", 422, "period must look like 2026H1 or 2026H2", id="a year before 2000"),
    pytest.param("h_staff", "2027H1", 422, "the half-year 2027H1 has not begun", id="a half-year to come"),
    pytest.param("h_officer", "2026H2", 403, "Only operator staff file self-inspection reports.", id="an officer"),
])
def test_starting_a_report_is_refused_with_the_rule(client, world, who, period, status, message):
    """SPEC §5: the operator's staff report on a half-year that has begun."""
    response = client.post(URL, json={"period": period}, headers=world[who])
    errors = {"period": [message]} if status == 422 else {}
    assert (response.status_code, response.json) == (status, {"code": status, "message": message, "errors": errors})


def test_a_half_year_may_be_reported_on_from_its_first_day(client, world, factory, clock):
    """SPEC §5: the H2 report can be started on 1 July (the half-year has begun)."""
    clock.current = datetime(2026, 6, 30, 16, 30, tzinfo=UTC)       # 00:30 on 1 July in Shanghai
    response = client.post(URL, json={"period": "2026H2"}, headers=factory.headers(world["staff"]))
    assert response.status_code == 201 and response.json["due"] == "2027-01-15"


def test_one_report_per_half_year_and_the_409_names_the_existing_one(client, world, factory):
    """SPEC §5: one report per operator and half-year; another operator starts its own."""
    report_id = start(client, world)
    again = client.post(URL, json={"period": "2026H2"}, headers=world["h_staff"])
    assert (again.status_code, again.json) == (409, {
        "code": 409, "message": f"A report for 2026H2 already exists (id {report_id}): edit it instead.",
        "errors": {}, "state": "draft", "id": report_id})
    other = factory.headers(factory.user("operator", operator=factory.operator(province="32")))
    assert client.post(URL, json={"period": "2026H2"}, headers=other).status_code == 201
    assert client.post(URL, json={"period": "2026H1"}, headers=world["h_staff"]).status_code == 201


def test_starting_a_report_is_audited(client, world):
    """SPEC §9: the report's chain starts with who created it, for which operator, half-year and authority."""
    report_id = start(client, world)
    (event,) = events_of("self_inspection", report_id)
    assert (event.action, event.actor_id, event.after) == ("create", world["staff"].id, {
        "operator_id": world["operator"].id, "period": "2026H2", "authority": "32", "status": "draft"})


# --- editing a draft -----------------------------------------------------------------------------------------

def test_edits_are_merged_into_the_draft(client, world):
    """SPEC §5: the operator fills its report in several sittings: each edit changes only what it names;
    a metric left empty keeps its figure; a blank text clears it; explanations are trimmed."""
    report_id = start(client, world)
    patch(client, world, report_id, {"checklist": [{"item": "answers_in_time", "result": "fail",
                                                    "explanation": "  Two answers late.  "}],
                                     "metrics": {"complaints_received": 3}, "problems": "  Late answers.  ",
                                     "corrective_actions": "Roster fixed."})
    patch(client, world, report_id, {"checklist": [{"item": "answers_in_time", "result": "pass"},
                                                   {"item": "hotline_published", "result": None,
                                                    "explanation": "Checked in June."}],
                                     "metrics": {"complaints_received": None, "billing_error_rate": 0.00002},
                                     "problems": "   "})
    seen = client.get(f"{URL}/{report_id}", headers=world["h_staff"]).json
    rows = {row["item"]: (row["result"], row["explanation"]) for row in seen["checklist"]}
    assert rows["answers_in_time"] == ("pass", "Two answers late.")
    assert rows["hotline_published"] == (None, "Checked in June.")
    assert seen["metrics"] == {"complaints_received": 3, "billing_error_rate": 0.00002}
    assert (seen["problems"], seen["corrective_actions"]) == (None, "Roster fixed.")


def test_each_edit_is_audited_with_the_fields_it_changed(client, world):
    """SPEC §9: an edit's event names the parts of the report it touched."""
    report_id = start(client, world)
    patch(client, world, report_id, {"metrics": {"complaints_received": 3}, "problems": "Late answers."})
    patch(client, world, report_id, {"checklist": [{"item": "answers_in_time", "result": "pass"}],
                                     "corrective_actions": "Roster fixed."})
    edits = [(e.action, e.actor_id, e.before, e.after) for e in events_of("self_inspection", report_id)[1:]]
    staff = world["staff"].id
    assert edits == [("edit", staff, {"fields": ["metrics", "problems"]}, {"fields": ["metrics", "problems"]}),
                     ("edit", staff, {"fields": ["checklist", "corrective_actions"]},
                      {"fields": ["checklist", "corrective_actions"]})]


def test_a_bad_edit_names_each_wrong_field_and_saves_nothing(client, world):
    """SPEC §10: a 422 names every field and its rule; nothing of the edit is kept."""
    report_id = start(client, world)
    response = patch(client, world, report_id, {
        "checklist": [{"item": "answers_in_time", "result": "pass"}, {"item": "nope", "result": "pass"}],
        "metrics": {"complaints_received": 4}, "problems": "Kept?"})
    assert (response.status_code, response.json) == (422, {
        "code": 422, "message": NOT_SAVED, "errors": {"checklist": ["unknown checklist item 'nope'"]}})
    seen = client.get(f"{URL}/{report_id}", headers=world["h_staff"]).json
    assert (seen["metrics"], seen["problems"], seen["checklist"][1]["result"]) == ({}, None, None)
    assert [e.action for e in events_of("self_inspection", report_id)] == ["create"]


@pytest.mark.parametrize(("who", "state", "status", "body"), [
    pytest.param("h_officer", "draft", 403, {"code": 403, "message": "Only the operator's staff edit its report.",
                                            "errors": {}}, id="an officer"),
    pytest.param("h_staff", "submitted", 409, {"code": 409, "message": "A submitted report cannot be edited.",
                                              "errors": {}, "state": "submitted"}, id="a submitted report"),
])
def test_only_the_operator_edits_its_draft(client, world, who, state, status, body):
    """SPEC §5: the operator edits while a draft (or returned); the officer reads it."""
    report_id = start(client, world)
    if state == "submitted":
        patch(client, world, report_id, complete())
        assert act(client, world, report_id, "submit", "h_staff").status_code == 200
    response = patch(client, world, report_id, {"problems": "late edit"}, who=who)
    assert (response.status_code, response.json) == (status, body)


# --- submit, return, resubmit ---------------------------------------------------------------------------------

def test_an_incomplete_report_cannot_be_submitted_and_says_how_many_problems(client, world):
    """SPEC §5: every item answered (a failed one explained) and every metric given before submission."""
    report_id = start(client, world)
    patch(client, world, report_id, {"checklist": [{"item": item, "result": "pass"} for item in ITEMS[1:]]
                                     + [{"item": "hotline_published", "result": "fail"}],
                                     "metrics": {"complaints_received": 0, "answered_in_time_share": 1.0}})
    response = act(client, world, report_id, "submit", "h_staff")
    assert (response.status_code, response.json) == (422, {
        "code": 422, "message": "The report cannot be submitted yet: 2 problem(s).",
        "errors": {"checklist.hotline_published": ["explain the failed item hotline_published"],
                   "metrics.billing_error_rate": ["billing_error_rate is missing"]}})
    assert client.get(f"{URL}/{report_id}", headers=world["h_staff"]).json["status"] == "draft"


def test_the_figures_compared_are_those_of_the_day_of_submission(client, world, factory, clock):
    """SPEC §5: the officer compares the declared figures with the authority's records on submission."""
    report_id = start(client, world)
    clock.current += timedelta(hours=2)
    factory.complaint(world["operator"], "32")
    patch(client, world, report_id, complete(), who="h_staff")
    submitted = act(client, world, report_id, "submit", "h_staff").json
    assert submitted["prefilled"]["complaints_received"] == 1
    assert submitted["discrepancies"] == [{"metric": "complaints_received", "declared": 0, "prefilled": 1}]


def test_a_returned_report_keeps_the_comment_and_the_decision_is_audited(client, world, clock):
    """SPEC §5: returned (with comments) → the operator edits and resubmits; SPEC §9: the return is an event."""
    report_id = start(client, world)
    patch(client, world, report_id, complete())
    act(client, world, report_id, "submit", "h_staff")
    returned = act(client, world, report_id, "return", "h_officer", comment="  We counted 1 complaint.  ").json
    assert (returned["status"], returned["return_comment"]) == ("returned", "We counted 1 complaint.")
    event = events_of("self_inspection", report_id)[-1]
    assert (event.action, event.actor_id, event.note, event.after) == (
        "return", world["officer"].id, "  We counted 1 complaint.  ",
        {"status": "returned", "decided_at": clock.now().isoformat(), "return_comment": "We counted 1 complaint."})
    assert patch(client, world, report_id, {"metrics": {"complaints_received": 1}}).status_code == 200
    assert act(client, world, report_id, "submit", "h_staff").json["status"] == "submitted"


# --- the figures the authority pre-fills ---------------------------------------------------------------------

SHANGHAI = timedelta(hours=8)


def local(*args) -> datetime:
    """A Shanghai wall-clock time as an aware UTC datetime."""
    return datetime(*args, tzinfo=UTC) - SHANGHAI


def receive(factory, clock, operator, province, when, officer, staff=None):
    """A complaint received at `when`, accepted and transferred at once; answered at once when `staff` is given."""
    clock.current = when
    day = (when + SHANGHAI).date()
    complaint, _ = factory.complaint(operator, province, event_date=(day - timedelta(days=40)).isoformat(),
                                     operator_complaint_date=(day - timedelta(days=30)).isoformat())
    for action in ("accept", "transfer"):
        transitions.perform(complaint, action, {}, Actor.of(officer), factory.now)
    if staff is not None:
        transitions.perform(complaint, "operator_reply", {"reply": "Fixed."}, Actor.of(staff), factory.now)
    db.session.commit()


def test_the_prefilled_figures_count_the_half_year_in_shanghai_time(client, world, factory, clock):
    """SPEC §5: complaints received in the half-year (1 January 00:00 to 30 June 24:00, Asia/Shanghai), the share
    of the operator's answers in time (met / met + missed, 4 decimals) and the retention findings raised."""
    operator, officer, staff = world["operator"], world["officer"], world["staff"]
    other = factory.operator(province="32")
    receive(factory, clock, operator, "32", local(2025, 12, 31, 23, 59, 59), officer, staff)   # before: not counted
    receive(factory, clock, operator, "32", local(2026, 1, 1, 0, 0, 0), officer, staff)        # met
    receive(factory, clock, operator, "32", local(2026, 3, 2, 10, 0, 0), officer, staff)       # met
    receive(factory, clock, operator, "32", local(2026, 6, 30, 23, 59, 59), officer)           # never answered
    receive(factory, clock, operator, "32", local(2026, 7, 1, 0, 0, 0), officer)               # after: not counted
    receive(factory, clock, other, "32", local(2026, 3, 2, 10, 0, 0), officer)                 # another operator
    for when, source, who in ((local(2025, 12, 31, 23, 59, 59), "retention", operator),
                              (local(2026, 1, 1, 0, 0, 0), "retention", operator),
                              (local(2026, 6, 30, 23, 59, 59), "retention", operator),
                              (local(2026, 7, 1, 0, 0, 0), "retention", operator),
                              (local(2026, 4, 1, 10, 0, 0), "sample", operator),
                              (local(2026, 4, 1, 10, 0, 0), "retention", other)):
        raise_finding(who, "32", source, "M 17", "Billing records missing.", SYSTEM, when)
    clock.current = local(2026, 11, 26, 10, 0, 0)
    sweep_deadlines(clock.now())      # the unanswered complaints' operator_reply clocks are missed
    db.session.commit()
    report_id = client.post(URL, json={"period": "2026H1"}, headers=factory.headers(staff)).json["id"]
    seen = client.get(f"{URL}/{report_id}", headers=factory.headers(officer)).json
    assert seen["prefilled"] == {"complaints_received": 3, "answered_in_time_share": 0.6667, "answers_judged": 3,
                                 "retention_findings": 2, "period_from": "2026-01-01", "period_to": "2026-06-30"}


def test_a_national_operators_figures_count_every_province(client, factory, clock):
    """SPEC §5: a national operator reports to CN, whose records cover every province."""
    national = factory.operator(scope="national", province=None)
    staff = factory.user("operator", operator=national)
    for province in ("32", "33"):
        receive(factory, clock, national, province, local(2026, 8, 3, 10, 0, 0), factory.officer(province), staff)
        raise_finding(national, province, "retention", "M 17", "Billing records missing.", SYSTEM,
                      local(2026, 8, 3, 10, 0, 0))
    db.session.commit()
    clock.current = local(2026, 11, 26, 10, 0, 0)
    report = client.post(URL, json={"period": "2026H2"}, headers=factory.headers(staff)).json
    assert report["authority"] == "CN"
    seen = client.get(f"{URL}/{report['id']}", headers=factory.headers(factory.officer("CN"))).json
    assert {k: seen["prefilled"][k] for k in ("complaints_received", "answers_judged", "retention_findings")} == {
        "complaints_received": 2, "answers_judged": 2, "retention_findings": 2}
    provincial = factory.operator(province="33")
    receive(factory, clock, provincial, "33", local(2026, 11, 26, 10, 0, 0), factory.officer("33"))
    own = client.post(URL, json={"period": "2026H2"},
                      headers=factory.headers(factory.user("operator", operator=provincial))).json
    assert own["authority"] == "33"
    seen = client.get(f"{URL}/{own['id']}", headers=factory.headers(factory.officer("33"))).json
    assert seen["prefilled"]["complaints_received"] == 1


def test_on_the_web_an_answer_other_than_pass_fail_or_na_is_refused(client, world, app):
    """SPEC §5: each checklist item is answered pass, fail or NA; the portal form says so and keeps nothing."""
    report_id = start(client, world)
    form = {f"result-{item}": "pass" for item in ITEMS} | {"result-answers_in_time": "maybe",
                                                           "complaints_received": "2"}
    response = new_browser(app, world["staff"]).post(f"/portal/self-inspections/{report_id}", data=form)
    assert response.status_code == 422
    assert "result must be pass, fail or na" in text(response)
    seen = client.get(f"{URL}/{report_id}", headers=world["h_staff"]).json
    assert (seen["checklist"][0]["result"], seen["metrics"]) == (None, {})


def test_when_no_answer_came_in_time_the_share_is_zero(client, world, factory, clock):
    """SPEC §5: the share answered in time is 0 when every answer judged was late (not "unknown")."""
    receive(factory, clock, world["operator"], "32", local(2026, 8, 3, 10, 0, 0), world["officer"])
    clock.current = local(2026, 11, 26, 10, 0, 0)
    sweep_deadlines(clock.now())
    db.session.commit()
    report_id = client.post(URL, json={"period": "2026H2"}, headers=factory.headers(world["staff"])).json["id"]
    seen = client.get(f"{URL}/{report_id}", headers=factory.headers(world["staff"])).json
    assert (seen["prefilled"]["answered_in_time_share"], seen["prefilled"]["answers_judged"]) == (0.0, 1)
