"""Self-inspection reports late or missing [M 18, M 23] (SPEC §5) pinned: which half-year is
checked on a given day, which operators owe it, and the finding each late or missing report
raises (routed to the province, or to CN for a national operator)."""
from datetime import UTC, date, datetime

import pytest

from supervision.extensions import db
from supervision.obligations.self_inspection import flag_missing_reports
from supervision.workflow.sweep import sweep_deadlines

URL = "/api/v1/self-inspections"


def findings(client, factory):
    """The self-inspection findings as MIIT sees them (every province)."""
    cn = factory.headers(factory.officer("CN"))
    items = client.get("/api/v1/findings?source=self_inspection", headers=cn).json["items"]
    return sorted(({k: f[k] for k in ("operator_id", "province", "authority", "article", "facts", "details")}
                   for f in items), key=lambda f: f["operator_id"])


@pytest.mark.parametrize(("scope", "province", "authority"), [
    pytest.param("provincial", "32", "32", id="a provincial operator: its province"),
    pytest.param("national", None, "CN", id="a national operator: MIIT"),
])
def test_a_report_not_submitted_by_its_due_date_is_one_m23_finding(client, factory, clock, scope, province,
                                                                   authority):
    """SPEC §5: late → overdue flag and an [M 23] warning candidate, routed like the report, raised once."""
    clock.current = datetime(2027, 1, 1, 2, 0, tzinfo=UTC)
    operator = factory.operator(scope=scope, province="32")
    staff = factory.headers(factory.user("operator", operator=operator))
    report_id = client.post(URL, json={"period": "2026H2"}, headers=staff).json["id"]
    clock.current = datetime(2027, 1, 18, 2, 0, tzinfo=UTC)
    assert sweep_deadlines(clock.now()).escalated == 1
    assert sweep_deadlines(clock.now()).escalated == 0
    db.session.commit()
    assert findings(client, factory) == [{
        "operator_id": operator.id, "province": province, "authority": authority, "article": "M 23",
        "facts": "Self-inspection report 2026H2 not submitted by 2027-01-15 [M 18].",
        "details": {"report_id": report_id, "period": "2026H2", "due": "2027-01-15"}}]


@pytest.mark.parametrize(("today", "period", "due"), [
    pytest.param(date(2026, 7, 15), "2025H2", "2026-01-15", id="on H1's due day, H1 is not missing yet"),
    pytest.param(date(2026, 7, 16), "2026H1", "2026-07-15", id="the day after H1's due day"),
    pytest.param(date(2026, 11, 26), "2026H1", "2026-07-15", id="late in the year"),
    pytest.param(date(2027, 1, 10), "2026H1", "2026-07-15", id="early January, before H2 falls due"),
    pytest.param(date(2027, 1, 16), "2026H2", "2027-01-15", id="after H2's due day"),
])
def test_an_operator_without_a_report_is_flagged_for_the_last_half_year_due(client, factory, clock, today,
                                                                            period, due):
    """SPEC §5: H1 due 15 July, H2 due 15 January next year; missing after the due date → [M 23] candidate."""
    clock.current = datetime.combine(today, datetime.min.time(), tzinfo=UTC).replace(hour=2)
    provincial = factory.operator(province="32")
    national = factory.operator(scope="national", province=None)
    assert flag_missing_reports(clock.now()) == 2
    db.session.commit()
    expected = [(provincial.id, "32", "32"), (national.id, None, "CN")]
    assert findings(client, factory) == [{
        "operator_id": operator_id, "province": province, "authority": authority, "article": "M 23",
        "facts": f"No self-inspection report for {period} (due {due}) [M 18].",
        "details": {"period": period, "due": due, "missing": True}} for operator_id, province, authority in expected]


def test_only_operators_licensed_at_the_half_year_end_and_today_owe_the_report(client, factory):
    """SPEC §5: the report is owed by an operator active at the end of the half-year (2026H1) and still active."""
    owes = factory.operator(province="32")
    factory.operator(province="32", valid_from=date(2026, 7, 1))        # licensed after the half-year
    factory.operator(province="32", valid_until=date(2026, 10, 31))     # licence over before today
    assert flag_missing_reports(factory.now) == 1
    db.session.commit()
    assert [f["operator_id"] for f in findings(client, factory)] == [owes.id]
