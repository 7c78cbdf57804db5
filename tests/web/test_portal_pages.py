"""The operator portal: only its transferred complaints, masked personal data except the phone,
the reply (with evidence) and the supervision report, and its own registry record."""
import io

import pytest
from sqlalchemy import select

from supervision.audit import Actor
from supervision.complaints import transitions
from supervision.complaints.models import Attachment, Complaint
from supervision.extensions import db
from tests.web.test_officer_pages import PDF, field_error, fresh, new_browser, text


@pytest.fixture
def browser(app, factory):
    return lambda user=None: new_browser(app, user)


@pytest.fixture
def transferred(factory):
    """Two operators in Jiangsu; a complaint transferred to the first, one only submitted, and one
    transferred to the second operator."""
    ours, other = factory.operator(province="32", name="Our Telecom"), factory.operator(province="32")
    officer = factory.officer("32")

    def transfer(complaint):
        for action in ("accept", "transfer"):
            transitions.perform(complaint, action, {}, Actor.of(officer), factory.now)
        db.session.commit()
        return complaint

    return {"operator": ours, "officer": officer,
            "mine": transfer(factory.complaint(ours)[0]),
            "submitted": factory.complaint(ours)[0],
            "other": transfer(factory.complaint(other)[0])}


def staff(factory, operator):
    return factory.user("operator", operator=operator)


def test_queue_lists_only_complaints_transferred_to_the_operator(browser, factory, transferred):
    page = text(browser(staff(factory, transferred["operator"])).get("/portal/"))
    assert transferred["mine"].reference in page
    assert transferred["submitted"].reference not in page
    assert transferred["other"].reference not in page


def test_complaints_not_transferred_to_the_operator_are_not_found(browser, factory, transferred):
    client = browser(staff(factory, transferred["operator"]))
    assert client.get(f"/portal/complaints/{transferred['submitted'].reference}").status_code == 404
    assert client.get(f"/portal/complaints/{transferred['other'].reference}").status_code == 404


def test_detail_masks_personal_data_but_shows_the_phone(browser, factory, transferred):
    complaint = transferred["mine"]
    page = text(browser(staff(factory, transferred["operator"])).get(f"/portal/complaints/{complaint.reference}"))
    assert "王**" in page and "王小明" not in page
    assert "13800138000" in page
    assert "320102199001011234" not in page and "中山路1号" not in page
    assert complaint.deadline("operator_reply").due.isoformat() in page


def test_reply_with_evidence_moves_the_complaint_to_operator_replied(browser, factory, transferred):
    reference = transferred["mine"].reference
    client = browser(staff(factory, transferred["operator"]))
    data = {"operator_reply-reply": "We restored the signal on 20 November.",
            "operator_reply-proposed_settlement": "One month free",
            "operator_reply-evidence": [(io.BytesIO(PDF), "repair.pdf")]}
    response = client.post(f"/portal/complaints/{reference}/actions/operator_reply", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    stored = fresh(Complaint, reference=reference)
    assert (stored.status, stored.proposed_settlement) == ("operator_replied", "One month free")
    assert stored.deadline("operator_reply").state == "met"
    assert [a.filename for a in stored.attachments] == ["repair.pdf"]
    page = text(client.get(f"/portal/complaints/{reference}"))
    assert "We restored the signal" in page and 'action="/portal/complaints/' not in page


def test_a_refused_evidence_file_saves_neither_the_file_nor_the_reply(browser, factory, transferred):
    reference = transferred["mine"].reference
    client = browser(staff(factory, transferred["operator"]))
    data = {"operator_reply-reply": "Fixed.", "operator_reply-evidence": [(io.BytesIO(b"MZ not a pdf"), "x.exe")]}
    response = client.post(f"/portal/complaints/{reference}/actions/operator_reply", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "only PDF, JPEG and PNG" in field_error(text(response), "operator_reply-evidence")
    assert fresh(Complaint, reference=reference).status == "transferred"
    assert db.session.scalars(select(Attachment)).first() is None


def test_reply_needs_text(browser, factory, transferred):
    reference = transferred["mine"].reference
    client = browser(staff(factory, transferred["operator"]))
    response = client.post(f"/portal/complaints/{reference}/actions/operator_reply", data={"operator_reply-reply": ""})
    assert response.status_code == 422 and field_error(text(response), "operator_reply-reply")
    assert fresh(Complaint, reference=reference).status == "transferred"


def test_supervision_report_form_appears_while_a_report_is_awaited(browser, factory, transferred):
    complaint = transferred["mine"]
    reference = complaint.reference
    client = browser(staff(factory, transferred["operator"]))
    assert "/actions/supervision_report" not in text(client.get(f"/portal/complaints/{reference}"))
    transitions.perform(complaint, "supervise", {"note": "report in 5 days"}, Actor.of(transferred["officer"]),
                        factory.now)
    db.session.commit()
    assert "/actions/supervision_report" in text(client.get(f"/portal/complaints/{reference}"))
    response = client.post(f"/portal/complaints/{reference}/actions/supervision_report",
                           data={"supervision_report-report": "Root cause found and fixed."})
    assert response.status_code == 302
    assert fresh(Complaint, reference=reference).deadline("supervision_report").state == "met"
    assert "/actions/supervision_report" not in text(client.get(f"/portal/complaints/{reference}"))


def test_officer_actions_are_not_available_in_the_portal(browser, factory, transferred):
    client = browser(staff(factory, transferred["operator"]))
    response = client.post(f"/portal/complaints/{transferred['mine'].reference}/actions/close",
                           data={"close-outcome": "resolved"})
    assert response.status_code == 404
    assert fresh(Complaint, reference=transferred["mine"].reference).status == "transferred"


def test_operator_record_page_shows_its_own_registry_entry(browser, factory, transferred):
    operator = transferred["operator"]
    page = text(browser(staff(factory, operator)).get("/portal/operator"))
    assert operator.licence_no in page and operator.uscc in page and "10086" in page


def test_evidence_download_in_the_portal(browser, factory, transferred):
    from supervision.audit import COMPLAINANT
    from supervision.complaints.attachments import store_attachment

    attachment = store_attachment(transferred["mine"], "bill.pdf", PDF, COMPLAINANT, factory.now)
    db.session.commit()
    client = browser(staff(factory, transferred["operator"]))
    assert client.get(f"/portal/complaints/{transferred['mine'].reference}/attachments/{attachment.id}").data == PDF


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_other_roles_get_403(browser, factory, role):
    user = factory.officer("32") if role == "officer" else factory.admin()
    client = browser(user)
    assert client.get("/portal/").status_code == 403
    assert client.get("/portal/operator").status_code == 403


def test_operator_staff_get_403_on_officer_pages(browser, factory, transferred):
    client = browser(staff(factory, transferred["operator"]))
    assert client.get("/officer/complaints").status_code == 403
    assert client.get(f"/officer/complaints/{transferred['mine'].reference}").status_code == 403
