"""Spot-check inspections (SPEC §6, §10) [M 7, M 8]: the two-officer rule, scope, the checklist
and its findings, evidence, seals, the right of reply, publication and corrections.

Clock: Thu 26 Nov 2026, 10:00 Shanghai. Right of reply: 5 working days not counting the day of
the draft → Fri 27, Mon 30 Nov, Tue 1, Wed 2, Thu 3 Dec → due 2026-12-03.
"""
import pytest
from sqlalchemy import select

from supervision.audit import events_of, verify_chain
from supervision.extensions import db
from supervision.findings.models import Finding
from supervision.inspections.models import PublishedResult
from supervision.workflow.sweep import sweep_deadlines
from tests.api.inspection_parties import Parties, at


@pytest.fixture
def p(factory, client):
    return Parties(factory, client)


def test_start_needs_two_credentialed_officers_of_the_authority(p):
    alone = p.plan(officers=[p.lead]).get_json()["id"]
    response = p.post(p.lead, f"/inspections/{alone}/actions/start")
    assert response.status_code == 422
    assert "M 7" in response.get_json()["message"] and "officers" in response.get_json()["errors"]

    without_credential = p.plan(officers=[p.lead, p.uncredentialed]).get_json()["id"]
    assert p.post(p.lead, f"/inspections/{without_credential}/actions/start").status_code == 422

    pair = p.plan().get_json()["id"]
    response = p.post(p.lead, f"/inspections/{pair}/actions/start")
    assert response.status_code == 200 and response.get_json()["status"] == "in_progress"


def test_an_officer_of_another_province_can_neither_join_nor_see(p):
    response = p.plan(officers=[p.lead, p.outsider])
    assert response.status_code == 422
    assert p.outsider.username in response.get_json()["errors"]["officers"][0]

    inspection_id = p.plan().get_json()["id"]
    assert p.get(p.outsider, f"/inspections/{inspection_id}").status_code == 404
    assert p.post(p.outsider, f"/inspections/{inspection_id}/actions/start").status_code == 404
    assert p.get(p.outsider, "/inspections").get_json()["items"] == []


def test_an_operator_in_another_province_cannot_be_inspected(p, factory):
    zhejiang = factory.operator(province="33")
    response = p.plan(operator_id=zhejiang.id)
    assert response.status_code == 404


def test_a_failed_item_raises_one_finding_citing_its_article(p):
    inspection_id = p.started()
    items = p.record_all(inspection_id, fail_first=True)
    findings = db.session.scalars(select(Finding).where(Finding.source == "inspection")).all()
    assert len(findings) == 1
    assert findings[0].article == items[0]["article"] and findings[0].operator_id == p.operator.id
    # Recorded again as a failure: still one finding; re-recorded as a pass: the finding is closed.
    item_url = f"/api/v1/inspections/{inspection_id}/items/{items[0]['id']}"
    p.client.put(item_url, json={"result": "fail", "note": "again"}, headers=p.h(p.lead))
    assert db.session.scalar(select(Finding.id).where(Finding.source == "inspection", Finding.state == "open"))
    assert p.client.put(item_url, json={"result": "pass"}, headers=p.h(p.lead)).status_code == 200
    db.session.expire_all()
    assert [f.state for f in db.session.scalars(select(Finding))] == ["closed"]


def test_a_failed_item_needs_a_note_and_items_need_a_started_inspection(p):
    inspection_id = p.plan().get_json()["id"]
    item = p.get(p.lead, f"/inspections/{inspection_id}").get_json()["items"][0]
    url = f"/api/v1/inspections/{inspection_id}/items/{item['id']}"
    assert p.client.put(url, json={"result": "pass"}, headers=p.h(p.lead)).status_code == 409
    p.post(p.lead, f"/inspections/{inspection_id}/actions/start")
    response = p.client.put(url, json={"result": "fail"}, headers=p.h(p.lead))
    assert response.status_code == 422 and "note" in response.get_json()["errors"]


def test_evidence_is_checked_and_hashed(p):
    import hashlib
    import io

    inspection_id = p.started()
    item = p.get(p.lead, f"/inspections/{inspection_id}").get_json()["items"][0]
    url = f"/api/v1/inspections/{inspection_id}/items/{item['id']}/evidence"
    pdf = b"%PDF-1.4 test evidence"
    ok = p.client.post(url, data={"file": (io.BytesIO(pdf), "photo.pdf")}, headers=p.h(p.lead))
    assert ok.status_code == 201 and ok.get_json()["sha256"] == hashlib.sha256(pdf).hexdigest()
    bad = p.client.post(url, data={"file": (io.BytesIO(b"MZ not a pdf"), "x.pdf")}, headers=p.h(p.lead))
    assert bad.status_code == 422
    download = p.client.get(f"/api/v1/inspections/{inspection_id}/evidence/{ok.get_json()['id']}",
                            headers=p.h(p.colleague))
    assert download.data == pdf


def test_sealed_records_list_time_and_officers_and_unsealing_is_an_event(p):
    inspection_id = p.started()
    seal = p.post(p.lead, f"/inspections/{inspection_id}/seals", {"items": "Billing records of Oct 2026, 3 boxes"})
    assert seal.status_code == 201
    assert seal.get_json()["officers"] == [p.lead.username, p.colleague.username]
    seal_id = seal.get_json()["id"]
    unseal = p.post(p.colleague, f"/inspections/{inspection_id}/seals/{seal_id}/unseal", {"note": "copied"})
    assert unseal.status_code == 200 and unseal.get_json()["unsealed_at"]
    assert p.post(p.colleague, f"/inspections/{inspection_id}/seals/{seal_id}/unseal",
                  {"note": "again"}).status_code == 409
    assert [e.action for e in events_of("inspection", inspection_id)][-2:] == ["seal", "unseal"]


def test_the_operator_sees_the_inspection_only_with_its_draft_result(p):
    inspection_id = p.started(type_="mystery")
    assert p.get(p.staff, f"/inspections/{inspection_id}").status_code == 404
    p.record_all(inspection_id)
    p.post(p.lead, f"/inspections/{inspection_id}/actions/issue_draft", {"summary": "All in order."})
    view = p.get(p.staff, f"/inspections/{inspection_id}").get_json()
    assert view["result_summary"] == "All in order." and view["allowed_actions"] == ["reply"]


def test_right_of_reply_clock_then_final_then_published(p, factory):
    inspection_id = p.drafted()
    view = p.get(p.lead, f"/inspections/{inspection_id}").get_json()
    assert view["deadlines"][0]["clock"] == "right_of_reply" and view["deadlines"][0]["due"] == "2026-12-03"
    # The operator may still reply: the result cannot be final yet.
    refused = p.post(p.lead, f"/inspections/{inspection_id}/actions/finalise")
    assert refused.status_code == 409 and "2026-12-03" in refused.get_json()["message"]

    replied = p.post(p.staff, f"/inspections/{inspection_id}/actions/reply", {"reply": "Two staff were ill."})
    assert replied.status_code == 200
    assert replied.get_json()["deadlines"][0]["state"] == "met"
    assert p.post(p.lead, f"/inspections/{inspection_id}/actions/finalise").status_code == 200
    # Only a publisher publishes [M 8].
    assert p.post(p.lead, f"/inspections/{inspection_id}/actions/publish").status_code == 403
    published = p.post(p.publisher, f"/inspections/{inspection_id}/actions/publish").get_json()
    assert published["status"] == "published"
    assert published["versions"][0]["operator_reply"] == "Two staff were ill."
    assert list(verify_chain())[-1][1] is None


def test_an_unanswered_draft_can_be_final_once_the_sweep_marks_the_reply_time_missed(p, factory):
    inspection_id = p.drafted()
    factory.clock.current = at(2026, 12, 4)
    sweep_deadlines(factory.now)
    response = p.post(p.lead, f"/inspections/{inspection_id}/actions/finalise")
    assert response.status_code == 200
    assert response.get_json()["deadlines"][0]["state"] == "missed"


def test_a_published_result_is_immutable_and_a_correction_is_a_new_version(p):
    inspection_id = p.drafted()
    p.post(p.staff, f"/inspections/{inspection_id}/actions/reply", {"reply": "Noted."})
    p.post(p.lead, f"/inspections/{inspection_id}/actions/finalise")
    p.post(p.publisher, f"/inspections/{inspection_id}/actions/publish")
    missing_note = p.post(p.publisher, f"/inspections/{inspection_id}/actions/correct", {"summary": "Corrected."})
    assert missing_note.status_code == 422
    corrected = p.post(p.publisher, f"/inspections/{inspection_id}/actions/correct",
                       {"summary": "11 of 12 test calls unanswered.", "note": "miscounted one call"})
    versions = corrected.get_json()["versions"]
    assert [(v["version"], v["correction_note"]) for v in versions] == [(1, None), (2, "miscounted one call")]
    assert versions[0]["summary"] == "The hotline was not answered in 12 test calls."
    first = db.session.scalar(select(PublishedResult).where(PublishedResult.version == 1))
    first.summary = "rewritten"
    with pytest.raises(RuntimeError, match="immutable"):
        db.session.flush()
    db.session.rollback()


def test_published_results_are_plain_dicts_per_period_and_authority(p):
    from supervision.inspections.results import published_results

    inspection_id = p.drafted(fail_first=False)
    p.post(p.staff, f"/inspections/{inspection_id}/actions/reply", {"reply": "Agreed."})
    p.post(p.lead, f"/inspections/{inspection_id}/actions/finalise")
    p.post(p.publisher, f"/inspections/{inspection_id}/actions/publish")
    rows = published_results("2026Q4", "32")
    assert [r["inspection_id"] for r in rows] == [inspection_id]
    assert rows[0]["current"]["items"]["pass"] == 5 and rows[0]["current"]["operator_reply"] == "Agreed."
    assert published_results("2026Q3", "32") == [] and published_results("2026Q4", "44") == []


@pytest.mark.parametrize("url", ["/inspections/99999999999999999999", "/orders/99999999999999999999",
                                 "/penalties/99999999999999999999", "/campaigns/99999999999999999999"])
def test_an_id_no_record_can_have_is_a_404_not_a_500(p, url):
    assert p.get(p.lead, url).status_code == 404
