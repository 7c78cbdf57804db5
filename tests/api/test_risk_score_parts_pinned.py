"""Risk scores pinned (issue 8; SPEC §6 the campaign draw is weighted by complaints per million):
a complaint counts in the quarter of its receipt in China time; each part is counted in the
officer's jurisdiction (a province sees its own complaints, subscribers, findings and orders; CN
sees all); only what is still open counts; late self-inspection reports count for a year; the
quarter asked for is checked and named in the refusal; scores are ordered highest first."""
import pytest

from supervision.access.models import NATIONAL
from supervision.audit import Actor
from supervision.extensions import db
from supervision.findings.services import perform as finding_step
from supervision.findings.services import raise_finding
from supervision.operators.models import SubscriberCount
from supervision.workflow.sweep import sweep_deadlines
from tests.api.inspection_parties import Parties, at


@pytest.fixture
def p(factory, client):
    return Parties(factory, client)


def scores(p, user, quarter: str) -> dict[int, dict]:
    response = p.get(user, f"/risk-scores?quarter={quarter}")
    assert response.status_code == 200, response.get_json()
    return {item["operator_id"]: item for item in response.get_json()["items"]}


def subscribers(operator, quarter, count=1_000_000, province="32"):
    db.session.add(SubscriberCount(operator_id=operator.id, province=province, quarter=quarter, subscribers=count))


SHANGHAI_MOMENTS = [  # (year, month, day, hour, minute) in Shanghai → the quarter it counts in
    ((2025, 12, 31, 23, 59), "2025Q4"), ((2026, 1, 1, 0, 0), "2026Q1"), ((2026, 3, 31, 23, 59), "2026Q1"),
    ((2026, 4, 1, 0, 0), "2026Q2"), ((2026, 6, 30, 23, 59), "2026Q2"), ((2026, 7, 1, 0, 0), "2026Q3"),
    ((2026, 9, 30, 23, 59), "2026Q3"), ((2026, 10, 1, 0, 0), "2026Q4"), ((2026, 11, 26, 10, 0), "2026Q4"),
]


def test_a_complaint_counts_in_the_quarter_of_its_receipt_in_china_time(p, factory):
    """SPEC §8: a complaint counts in the quarter of its receipt (`received_at`, China time): one
    received at 23:59 on the last day of a quarter counts there, one at 00:00 the next day in the next."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    shanghai = ZoneInfo("Asia/Shanghai")
    for (y, mo, d, h, mi), _quarter in SHANGHAI_MOMENTS:
        moment = datetime(y, mo, d, h, mi, tzinfo=shanghai)
        factory.clock.current = moment
        first = moment.date().replace(day=1)
        factory.complaint(p.operator, operator_complaint_date=first.isoformat(), event_date=first.isoformat(),
                          operator_answer="dissatisfied")
    quarters = sorted({q for _, q in SHANGHAI_MOMENTS})
    for quarter in quarters:
        subscribers(p.operator, quarter)
    db.session.commit()
    counted = {q: scores(p, p.lead, q)[p.operator.id]["parts"]["complaints_per_million"] for q in quarters}
    expected = {q: float(sum(1 for _, quarter in SHANGHAI_MOMENTS if quarter == q)) for q in quarters}
    assert counted == expected == {"2025Q4": 1.0, "2026Q1": 2.0, "2026Q2": 2.0, "2026Q3": 2.0, "2026Q4": 2.0}


def test_each_part_is_counted_in_the_officers_jurisdiction_and_cn_sees_all(p, factory):
    """A national operator seen from Jiangsu: Jiangsu's complaints over Jiangsu's subscribers, the
    retention findings and orders of the Jiangsu authority; from CN: every province's."""
    national = factory.operator(scope="national", province=None, name="National Test Telecom")
    officer33 = factory.officer("33")
    officer_cn = factory.officer(NATIONAL)
    for _ in range(2):
        factory.complaint(national, "32")
    factory.complaint(national, "33")
    subscribers(national, "2026Q4", 1_000_000, "32")
    subscribers(national, "2026Q4", 3_000_000, "33")
    system = Actor.of(p.lead)
    raise_finding(national, "32", "retention", "M 17", "gap 32", system, factory.now, key="r32")
    raise_finding(national, "33", "retention", "M 17", "gap 33", Actor.of(officer33), factory.now, key="r33")
    closed, _ = raise_finding(national, "32", "retention", "M 17", "cured", system, factory.now, key="r32b")
    finding_step(closed, "close", {"note": "records produced"}, system, factory.now)
    raise_finding(national, "32", "officer", "M 16", "not a retention finding", system, factory.now)
    db.session.commit()
    own = p.post(officer33, "/findings", {"operator_id": national.id, "province": "33", "article": "M 16",
                                          "facts": "Hotline unanswered"}).get_json()["id"]
    assert p.post(officer33, "/orders", {"operator_id": national.id, "finding_ids": [own], "requirement": "Fix",
                                         "deadline": "2026-12-31"}).status_code == 201

    jiangsu = scores(p, p.lead, "2026Q4")[national.id]
    assert jiangsu["parts"] == {"complaints_per_million": 2.0, "missed_reply_clocks": 0,
                                "open_retention_findings": 1, "late_self_inspections": 0, "open_orders": 0}
    zhejiang = scores(p, officer33, "2026Q4")[national.id]
    assert zhejiang["parts"] == {"complaints_per_million": 0.333, "missed_reply_clocks": 0,
                                 "open_retention_findings": 1, "late_self_inspections": 0, "open_orders": 1}
    # Weights v1: complaints 1, retention findings 3, orders 4; the score is rounded to 3 decimals.
    assert zhejiang["score"] == round(0.333 + 3 + 4, 3)
    national_view = scores(p, officer_cn, "2026Q4")[national.id]
    assert national_view["parts"] == {"complaints_per_million": 0.75, "missed_reply_clocks": 0,
                                      "open_retention_findings": 2, "late_self_inspections": 0, "open_orders": 1}
    assert national_view["notes"] == [] and national_view["quarter"] == "2026Q4"
    assert national_view["operator"] == "National Test Telecom"


def test_missed_reply_clocks_count_only_the_quarters_complaints_in_the_jurisdiction(p, factory):
    from supervision.complaints.transitions import perform

    national = factory.operator(scope="national", province=None)
    officer33 = factory.officer("33")
    jiangsu, _ = factory.complaint(national, "32")
    zhejiang, _ = factory.complaint(national, "33")
    for complaint, officer in ((jiangsu, p.lead), (zhejiang, officer33)):
        perform(complaint, "accept", {}, Actor.of(officer), factory.now)
        perform(complaint, "transfer", {}, Actor.of(officer), factory.now)
    db.session.commit()
    factory.clock.current = at(2026, 12, 11)  # the operator's 10 working days ran out on 10 Dec
    sweep_deadlines(factory.now)
    jiangsu_parts = scores(p, p.lead, "2026Q4")[national.id]["parts"]
    # A missed reply clock is not a late self-inspection report.
    assert (jiangsu_parts["missed_reply_clocks"], jiangsu_parts["late_self_inspections"]) == (1, 0)
    assert scores(p, factory.officer(NATIONAL), "2026Q4")[national.id]["parts"]["missed_reply_clocks"] == 2
    assert scores(p, p.lead, "2026Q3")[national.id]["parts"]["missed_reply_clocks"] == 0


def test_closed_orders_no_longer_count(p):
    order = p.order()
    assert scores(p, p.lead, "2026Q4")[p.operator.id]["parts"]["open_orders"] == 1
    url = f"/orders/{order['id']}/actions"
    p.post(p.staff, f"{url}/file_plan", {"plan": "Hire 4 agents"})
    p.post(p.staff, f"{url}/report_completion", {"report": "All 4 hired"})
    assert p.post(p.lead, f"{url}/verify", {"note": "Verified"}).status_code == 200
    assert scores(p, p.lead, "2026Q4")[p.operator.id]["parts"]["open_orders"] == 0


def test_a_missed_self_inspection_report_counts_for_the_year_after_its_due_date(p, factory):
    """[M 18]/[M 23] the 2026H1 report was due 15 July 2026: late in 2026Q3 and for the quarters ending
    within a year after; not before it was due, not more than a year later."""
    response = p.post(p.staff, "/self-inspections", {"period": "2026H1"})
    assert response.status_code == 201 and response.get_json()["due"] == "2026-07-15"
    # The 2026H2 report is not due yet (15 Jan 2027): not late. Another operator's late report is its own.
    assert p.post(p.staff, "/self-inspections", {"period": "2026H2"}).status_code == 201
    other = factory.operator(province="32")
    assert p.post(factory.user("operator", operator=other), "/self-inspections",
                  {"period": "2026H1"}).status_code == 201
    sweep_deadlines(factory.now)
    late = {q: scores(p, p.lead, q)[p.operator.id]["parts"]["late_self_inspections"]
            for q in ("2026Q2", "2026Q3", "2027Q1", "2027Q2", "2027Q3")}
    assert late == {"2026Q2": 0, "2026Q3": 1, "2027Q1": 1, "2027Q2": 1, "2027Q3": 0}


def test_scores_are_highest_first_then_by_operator_and_a_missing_count_is_noted(p, factory):
    quiet = factory.operator(province="32")
    busy = factory.operator(province="32")
    factory.complaint(busy)
    subscribers(busy, "2026Q4", 3_000_000)
    db.session.commit()
    items = p.get(p.lead, "/risk-scores?quarter=2026Q4").get_json()["items"]
    assert [i["operator_id"] for i in items] == [busy.id, p.operator.id, quiet.id]
    assert (items[0]["score"], items[0]["parts"]["complaints_per_million"], items[0]["notes"]) == (0.333, 0.333, [])
    assert items[1]["notes"] == ["no subscriber count stored for 2026Q4"]
    assert (items[1]["score"], items[1]["methodology"]) == (0.0, 1)


@pytest.mark.parametrize("quarter, status", [("2000Q1", 200), ("2100Q4", 200), ("1999Q4", 422), ("2101Q1", 422)])
def test_the_quarter_must_lie_between_2000_and_2100(p, quarter, status):
    response = p.get(p.lead, f"/risk-scores?quarter={quarter}")
    assert response.status_code == status
    if status == 422:
        assert response.get_json()["errors"] == {"quarter": ["quarter must be like 2026Q4, between 2000 and 2100"]}


def test_the_latest_methodology_version_scores_and_is_named(p, factory):
    """The formula is a stored, versioned methodology: a new version takes over, its weights apply
    (a part it gives no weight counts 0) and each score names the version it used."""
    from supervision.inspections.models import RiskMethodology

    factory.complaint(p.operator)
    subscribers(p.operator, "2026Q4")
    p.order()
    db.session.add(RiskMethodology(version=2, weights={"open_orders": 10.0}, floor=0.5, note="test v2"))
    db.session.commit()
    try:
        item = scores(p, p.lead, "2026Q4")[p.operator.id]
        assert item["parts"]["complaints_per_million"] == 1.0 and item["parts"]["open_orders"] == 1
        assert (item["methodology"], item["score"]) == (2, 10.0)
    finally:
        db.session.rollback()
        db.session.execute(db.delete(RiskMethodology).where(RiskMethodology.version == 2))
        db.session.commit()


@pytest.mark.parametrize("quarter", ["soon", "2026Q5", "1999Q4"])
def test_the_risk_page_explains_a_bad_quarter_and_shows_the_current_one(p, app, quarter):
    from tests.web.test_officer_pages import new_browser

    page = new_browser(app, p.lead).get(f"/officer/risk?quarter={quarter}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "quarter must be like 2026Q4, between 2000 and 2100" in html
    assert "Risk scores 2026Q4" in html and 'value="2026Q4"' in html  # today's quarter instead
