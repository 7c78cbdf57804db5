"""Pages of inspections, orders and penalties: an officer plans and conducts an inspection with
a colleague, the operator replies in its portal, a publisher publishes, the public reads the
result with the reply; orders and penalties through their forms; scope on every page."""
import io

import pytest
from sqlalchemy import select

from supervision.extensions import db
from supervision.inspections.models import Inspection
from supervision.orders.models import PenaltyDecision, RectificationOrder
from tests.web.test_officer_pages import new_browser, text

PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture
def people(app, factory):
    operator = factory.operator(province="32", name="江苏测试宽带")
    return {"operator": operator, "lead": factory.officer("32"), "colleague": factory.officer("32"),
            "publisher": factory.officer("32", publisher=True), "approver": factory.officer("32", publisher=True),
            "outsider": factory.officer("44"), "staff": factory.user("operator", operator=operator)}


def plan_and_start(app, people) -> tuple[object, int]:
    lead = new_browser(app, people["lead"])
    response = lead.post("/officer/inspections", data={
        "operator_id": people["operator"].id, "type": "onsite", "planned_on": "2026-11-30",
        "officers": [people["lead"].username, people["colleague"].username]})
    assert response.status_code == 302, text(response)
    inspection_id = db.session.scalar(select(Inspection.id))
    assert lead.post(f"/officer/inspections/{inspection_id}/actions/start").status_code == 302
    return lead, inspection_id


def test_an_inspection_from_plan_to_public_page(app, people):
    lead, inspection_id = plan_and_start(app, people)
    page = text(lead.get(f"/officer/inspections/{inspection_id}"))
    assert "In progress" in page and people["colleague"].credential_no in page
    inspection = db.session.get(Inspection, inspection_id)
    for n, item in enumerate(inspection.items):
        data = {"result": "fail" if n == 0 else "pass", "note": "hotline unanswered" if n == 0 else ""}
        if n == 0:
            data["file"] = (io.BytesIO(PDF), "call-log.pdf")
        lead.post(f"/officer/inspections/{inspection_id}/items/{item.id}", data=data,
                  content_type="multipart/form-data")
    lead.post(f"/officer/inspections/{inspection_id}/seals", data={"items": "Call logs, October"})
    lead.post(f"/officer/inspections/{inspection_id}/actions/issue_draft", data={"summary": "Hotline fails."})
    page = text(lead.get(f"/officer/inspections/{inspection_id}"))
    assert "call-log.pdf" in page and "Call logs, October" in page and "2026-12-03" in page

    staff = new_browser(app, people["staff"])
    assert "your reply is awaited" in text(staff.get("/portal/supervision"))
    assert staff.post(f"/portal/inspections/{inspection_id}/actions/reply",
                      data={"reply": "We hired two agents."}).status_code == 302
    lead.post(f"/officer/inspections/{inspection_id}/actions/finalise")
    new_browser(app, people["publisher"]).post(f"/officer/inspections/{inspection_id}/actions/publish")

    public = new_browser(app)
    assert "江苏测试宽带" in text(public.get("/spot-checks"))
    result = text(public.get(f"/spot-checks/{people['operator'].id}"))
    assert "Hotline fails." in result and "We hired two agents." in result
    assert people["lead"].username not in result and "hotline unanswered" not in result  # no officer notes


def test_the_plan_form_refuses_a_lone_officer_at_start_and_names_the_rule(app, people):
    lead = new_browser(app, people["lead"])
    lead.post("/officer/inspections", data={"operator_id": people["operator"].id, "type": "mystery",
                                            "planned_on": "2026-11-30", "officers": [people["lead"].username]})
    inspection_id = db.session.scalar(select(Inspection.id))
    page = text(lead.get(f"/officer/inspections/{inspection_id}"))
    assert "M 7" in page
    response = lead.post(f"/officer/inspections/{inspection_id}/actions/start", follow_redirects=True)
    assert "M 7" in text(response) and db.session.get(Inspection, inspection_id).status == "planned"


def test_another_province_gets_404_on_every_page(app, people):
    _, inspection_id = plan_and_start(app, people)
    outsider = new_browser(app, people["outsider"])
    assert outsider.get(f"/officer/inspections/{inspection_id}").status_code == 404
    assert outsider.post(f"/officer/inspections/{inspection_id}/actions/cancel",
                         data={"note": "x"}).status_code == 404
    listing = text(outsider.get("/officer/inspections"))
    assert "No inspection matches." in listing and f"/officer/inspections/{inspection_id}" not in listing
    # Nor can the other province's officer be chosen for the team.
    assert people["outsider"].username not in text(new_browser(app, people["lead"]).get("/officer/inspections"))


def test_order_reopened_once_then_closed_through_the_pages(app, people, factory):
    from supervision.audit import Actor
    from supervision.findings.services import raise_finding

    finding, _ = raise_finding(people["operator"], "32", "officer", "M 16", "Hotline unanswered",
                               Actor.of(people["lead"]), factory.now)
    db.session.commit()
    lead = new_browser(app, people["lead"])
    response = lead.post("/officer/orders", data={"operator_id": people["operator"].id, "finding_ids": [finding.id],
                                                  "requirement": "Staff the hotline.", "deadline": "2026-12-31"})
    assert response.status_code == 302
    order_id = db.session.scalar(select(RectificationOrder.id))
    staff = new_browser(app, people["staff"])
    staff.post(f"/portal/orders/{order_id}/actions/file_plan", data={"plan": "Hire"})
    staff.post(f"/portal/orders/{order_id}/evidence", data={"file": (io.BytesIO(PDF), "contracts.pdf")},
               content_type="multipart/form-data")
    staff.post(f"/portal/orders/{order_id}/actions/report_completion", data={"report": "Hired 2"})
    lead.post(f"/officer/orders/{order_id}/actions/reopen", data={"note": "Not enough", "deadline": "2027-01-29"})
    staff.post(f"/portal/orders/{order_id}/actions/file_plan", data={"plan": "Hire more"})
    staff.post(f"/portal/orders/{order_id}/actions/report_completion", data={"report": "Hired 4"})
    lead.post(f"/officer/orders/{order_id}/actions/verify", data={"note": "Checked"})
    db.session.expire_all()
    order = db.session.get(RectificationOrder, order_id)
    assert (order.status, order.round) == ("closed", 2)
    page = text(staff.get(f"/portal/orders/{order_id}"))
    assert "contracts.pdf" in page and "Closed (rectified)" in page
    pdf = staff.get(f"/portal/orders/{order_id}/notice.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_penalty_four_eyes_on_the_pages(app, people, factory):
    from supervision.audit import Actor
    from supervision.findings.services import raise_finding

    finding, _ = raise_finding(people["operator"], "32", "officer", "M 21", "Spam", Actor.of(people["lead"]),
                               factory.now)
    db.session.commit()
    author = new_browser(app, people["publisher"])
    refused = author.post("/officer/penalties", data={"operator_id": people["operator"].id, "rule": "M21",
                                                      "measure": "fine", "amount_yuan": "20000", "facts": "Spam",
                                                      "finding_id": finding.id})
    assert refused.status_code == 422 and "¥500–¥10,000" in text(refused)
    author.post("/officer/penalties", data={"operator_id": people["operator"].id, "rule": "M21", "measure": "fine",
                                            "amount_yuan": "2000", "facts": "Spam", "finding_id": finding.id})
    decision_id = db.session.scalar(select(PenaltyDecision.id))
    page = text(author.get(f"/officer/penalties/{decision_id}"))
    assert "Approve the decision" not in page  # not offered to its author
    response = author.post(f"/officer/penalties/{decision_id}/actions/approve", follow_redirects=True)
    assert "Four-eyes" in text(response)
    new_browser(app, people["approver"]).post(f"/officer/penalties/{decision_id}/actions/approve")
    db.session.expire_all()
    assert db.session.get(PenaltyDecision, decision_id).number == "苏通罚〔2026〕1号"
    assert author.get(f"/officer/penalties/{decision_id}/decision.pdf").mimetype == "application/pdf"


def test_pages_speak_chinese(app, people):
    lead = new_browser(app, people["lead"])
    lead.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    page = text(lead.get("/officer/inspections"))
    assert "制定检查计划" in page and "Plan an inspection" not in page


def test_an_officer_freezes_and_draws_a_campaign_and_sees_risk_scores(app, people, factory):
    factory.operator(province="32")
    lead = new_browser(app, people["lead"])
    response = lead.post("/officer/campaigns", data={"period": "2026Q4", "type": "document",
                                                     "operators_to_draw": 1, "inspectors_per_inspection": 2})
    assert response.status_code == 302
    campaign_url = response.headers["Location"]
    page = text(lead.get(campaign_url))
    assert "Reveal the seed and draw" in page
    lead.post(f"{campaign_url}/draw")
    page = text(lead.get(campaign_url))
    assert "Drawn" in page and "Seed" in page
    assert db.session.scalar(select(Inspection.campaign_id)) is not None
    risk = text(lead.get("/officer/risk?quarter=2026Q4"))
    assert "江苏测试宽带" in risk and "Complaints per million" in risk


def test_the_dashboard_counts_link_to_filtered_lists(app, people, factory):
    from supervision.audit import Actor
    from supervision.findings.services import raise_finding

    plan_and_start(app, people)
    finding, _ = raise_finding(people["operator"], "32", "officer", "M 16", "x", Actor.of(people["lead"]), factory.now)
    db.session.commit()
    lead = new_browser(app, people["lead"])
    lead.post("/officer/orders", data={"operator_id": people["operator"].id, "finding_ids": [finding.id],
                                       "requirement": "Fix.", "deadline": "2026-12-10"})
    from supervision.workflow.sweep import sweep_deadlines
    from tests.api.inspection_parties import at

    factory.clock.current = at(2026, 12, 11)
    sweep_deadlines(factory.now)
    page = text(lead.get("/officer/supervision"))
    assert "In progress: 1" in page and "/officer/inspections?status=in_progress" in page
    assert "Overdue: 1" in page and "/officer/orders?overdue=1" in page
    assert "苏通整〔2026〕1号" in text(lead.get("/officer/orders?overdue=1"))
    outsider = text(new_browser(app, people["outsider"]).get("/officer/supervision"))
    assert "Overdue: 0" in outsider
