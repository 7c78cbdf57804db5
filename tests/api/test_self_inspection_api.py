"""Self-inspection reports [M 18] (SPEC §5, §10): creation, routing, pre-fill, workflow, deadlines."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from supervision.audit import Actor
from supervision.complaints import transitions
from supervision.extensions import db
from supervision.findings.models import Finding
from supervision.notifications.models import Notification
from supervision.workflow.sweep import sweep_deadlines

URL = "/api/v1/self-inspections"
ITEMS = ("hotline_published", "answers_in_time", "format_clauses_filed", "billing_records_kept", "charges_queryable")


def complete(complaints_received=2, share=1.0):
    return {"checklist": [{"item": item, "result": "pass"} for item in ITEMS],
            "metrics": {"complaints_received": complaints_received, "answered_in_time_share": share,
                        "billing_error_rate": 0.00002}}


@pytest.fixture
def world(factory):
    operator = factory.operator(province="32")
    national = factory.operator(scope="national", province=None)
    staff = factory.user("operator", operator=operator)
    officer = factory.officer("32")
    return {"operator": operator, "staff": staff, "h_staff": factory.headers(staff),
            "h_national": factory.headers(factory.user("operator", operator=national)),
            "h_other": factory.headers(factory.user("operator", operator=factory.operator(province="32"))),
            "officer": officer, "h_officer": factory.headers(officer),
            "h_officer33": factory.headers(factory.officer("33")), "h_cn": factory.headers(factory.officer("CN"))}


def create(client, headers, period="2026H2"):
    return client.post(URL, json={"period": period}, headers=headers)


def test_a_report_is_routed_to_the_province_or_to_cn_with_its_due_date(client, world):
    response = create(client, world["h_staff"])
    assert response.status_code == 201
    assert (response.json["due"], response.json["authority"]) == ("2027-01-15", "32")
    national = create(client, world["h_national"], "2026H1")
    assert national.json["authority"] == "CN"
    assert national.json["due"] == "2026-07-15"


def test_a_due_date_on_a_holiday_moves_to_the_next_working_day(client, world, factory, clock):
    # 15 January 2028 is a Saturday.
    clock.current = datetime(2027, 12, 1, 2, 0, tzinfo=UTC)
    response = create(client, factory.headers(world["staff"]), "2027H2")
    assert response.json["due"] == "2028-01-17"


@pytest.mark.parametrize(("period", "status"), [("2027H1", 422), ("2026H3", 422), ("26H1", 422)])
def test_bad_or_future_periods_are_refused(client, world, period, status):
    response = create(client, world["h_staff"], period)
    assert response.status_code == status and "period" in response.json["errors"]


def test_one_report_per_period_and_only_operator_staff_create(client, world):
    first = create(client, world["h_staff"])
    again = create(client, world["h_staff"])
    assert again.status_code == 409 and str(first.json["id"]) in again.json["message"]
    assert create(client, world["h_officer"]).status_code == 403


def test_scope_another_operator_and_another_province_get_404(client, world):
    report_id = create(client, world["h_staff"]).json["id"]
    for headers in (world["h_other"], world["h_officer33"]):
        assert client.get(f"{URL}/{report_id}", headers=headers).status_code == 404
        assert client.patch(f"{URL}/{report_id}", json={"problems": "x"}, headers=headers).status_code == 404
    assert client.get(f"{URL}/{report_id}", headers=world["h_officer"]).status_code == 200
    assert client.get(f"{URL}/{report_id}", headers=world["h_cn"]).status_code == 200
    listed = client.get(URL, headers=world["h_officer33"]).json["items"]
    assert listed == []


def test_prefill_counts_complaints_in_scope_and_answers_in_time(client, world, factory):
    operator, officer = world["operator"], world["officer"]
    complaint, _ = factory.complaint(operator, "32")
    for action in ("accept", "transfer"):
        transitions.perform(complaint, action, {}, Actor.of(officer), factory.now)
    transitions.perform(complaint, "operator_reply", {"reply": "Fixed the antenna."},
                        Actor.of(world["staff"]), factory.now)
    factory.complaint(operator, "32")
    db.session.commit()
    report = client.get(f"{URL}/{create(client, world['h_staff']).json['id']}", headers=world["h_staff"]).json
    assert report["prefilled"]["complaints_received"] == 2
    assert report["prefilled"]["answered_in_time_share"] == 1.0
    assert [row["item"] for row in report["checklist"]] == list(ITEMS)


def test_submit_lists_the_blocking_errors(client, world):
    report_id = create(client, world["h_staff"]).json["id"]
    client.patch(f"{URL}/{report_id}", json={"checklist": [{"item": "answers_in_time", "result": "fail"}],
                                             "metrics": {"complaints_received": 3}}, headers=world["h_staff"])
    response = client.post(f"{URL}/{report_id}/actions/submit", json={}, headers=world["h_staff"])
    assert response.status_code == 422
    errors = response.json["errors"]
    assert "checklist.answers_in_time" in errors and "checklist.hotline_published" in errors
    assert {"metrics.answered_in_time_share", "metrics.billing_error_rate"} <= set(errors)
    assert "metrics.complaints_received" not in errors


def test_patch_refuses_out_of_range_metrics_and_unknown_items(client, world):
    report_id = create(client, world["h_staff"]).json["id"]
    bad = client.patch(f"{URL}/{report_id}", json={"metrics": {"answered_in_time_share": 1.2}},
                       headers=world["h_staff"])
    assert bad.status_code == 422 and "metrics" in bad.json["errors"]
    unknown = client.patch(f"{URL}/{report_id}", json={"checklist": [{"item": "nope", "result": "pass"}]},
                           headers=world["h_staff"])
    assert unknown.status_code == 422 and "checklist" in unknown.json["errors"]


def test_the_officer_sees_the_discrepancy_returns_it_and_accepts_the_resubmission(client, world, factory):
    factory.complaint(world["operator"], "32")
    report_id = create(client, world["h_staff"]).json["id"]
    client.patch(f"{URL}/{report_id}", json=complete(complaints_received=0), headers=world["h_staff"])
    submitted = client.post(f"{URL}/{report_id}/actions/submit", json={}, headers=world["h_staff"])
    assert submitted.status_code == 200 and submitted.json["status"] == "submitted"
    seen = client.get(f"{URL}/{report_id}", headers=world["h_officer"]).json
    assert seen["discrepancies"] == [{"metric": "complaints_received", "declared": 0, "prefilled": 1}]
    assert seen["allowed_actions"] == ["accept", "return"]
    assert client.post(f"{URL}/{report_id}/actions/accept", json={}, headers=world["h_staff"]).status_code == 403
    no_comment = client.post(f"{URL}/{report_id}/actions/return", json={}, headers=world["h_officer"])
    assert no_comment.status_code == 422 and "comment" in no_comment.json["errors"]
    returned = client.post(f"{URL}/{report_id}/actions/return", json={"comment": "We counted 1 complaint."},
                           headers=world["h_officer"])
    assert returned.json["status"] == "returned" and returned.json["return_comment"] == "We counted 1 complaint."
    assert client.post(f"{URL}/{report_id}/actions/accept", json={}, headers=world["h_officer"]).status_code == 409
    client.patch(f"{URL}/{report_id}", json={"metrics": {"complaints_received": 1}}, headers=world["h_staff"])
    client.post(f"{URL}/{report_id}/actions/submit", json={}, headers=world["h_staff"])
    accepted = client.post(f"{URL}/{report_id}/actions/accept", json={}, headers=world["h_officer"])
    assert accepted.json["status"] == "accepted" and accepted.json["discrepancies"] == []
    assert client.patch(f"{URL}/{report_id}", json={"problems": "late edit"},
                        headers=world["h_staff"]).status_code == 409


def test_reminders_15_and_3_days_before_and_an_overdue_report_becomes_an_m23_candidate(client, world, clock,
                                                                                      factory):
    clock.current = datetime(2027, 1, 1, 2, 0, tzinfo=UTC)     # 14 days before 15 January
    report_id = create(client, factory.headers(world["staff"])).json["id"]
    sweep_deadlines(clock.now())
    sweep_deadlines(clock.now())
    clock.current = datetime(2027, 1, 12, 2, 0, tzinfo=UTC)    # 3 days before
    sweep_deadlines(clock.now())
    keys = sorted(db.session.scalars(select(Notification.dedupe_key)))
    assert keys == [f"self_inspection:{report_id}:reminder:15:{world['staff'].id}",
                    f"self_inspection:{report_id}:reminder:3:{world['staff'].id}"]
    clock.current = datetime(2027, 1, 18, 2, 0, tzinfo=UTC)
    sweep_deadlines(clock.now())
    sweep_deadlines(clock.now())
    report = client.get(f"{URL}/{report_id}", headers=factory.headers(world["officer"])).json
    assert report["overdue"] is True and report["deadline_state"] == "missed"
    (finding,) = db.session.scalars(select(Finding).where(Finding.source == "self_inspection")).all()
    assert (finding.article, finding.authority_code, finding.state) == ("M 23", "32", "open")


def test_an_operator_without_a_report_after_the_due_date_is_flagged_once(client, world, factory, clock):
    from supervision.obligations.self_inspection import flag_missing_reports

    create(client, world["h_national"], "2026H1")            # this one started its report
    assert flag_missing_reports(clock.now()) == 2           # the two provincial operators did not
    assert flag_missing_reports(clock.now()) == 0           # a rerun raises nothing new
    flagged = db.session.scalars(select(Finding).where(Finding.source == "self_inspection")).all()
    assert {f.details["period"] for f in flagged} == {"2026H1"} and {f.article for f in flagged} == {"M 23"}
    assert world["operator"].id in {f.operator_id for f in flagged}
