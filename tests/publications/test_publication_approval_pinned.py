"""SPEC §8 / §10 publications, pinned: an officer prepares a draft, a *different* publisher of the same authority
approves it (four-eyes), a correction is a new version that says what it corrects. Each refusal answers with the
status and the message that tells the caller which rule stopped them."""
import json

import pytest

from supervision.extensions import db
from tests.publications.test_publications import PERIOD, prepare

EN = {"Accept-Language": "en"}


@pytest.fixture
def people(factory):
    """A Jiangsu officer who prepares (not a publisher) and two Jiangsu publishers."""
    return factory.officer("32"), factory.officer("32", publisher=True), factory.officer("32", publisher=True)


def act(client, factory, user, publication_id, action):
    return client.post(f"/api/v1/publications/{publication_id}/actions/{action}", json={},
                       headers=factory.headers(user) | EN)


def seen_by(client, factory, user, publication_id):
    return client.get(f"/api/v1/publications/{publication_id}", headers=factory.headers(user) | EN).json


def test_a_draft_answer_names_its_series_version_and_page(client, factory, people):
    preparer, _, _ = people
    draft = prepare(client, factory, preparer, kind="satisfaction_index")
    assert draft.status_code == 201
    assert draft.json == {
        "id": draft.json["id"], "kind": "satisfaction_index", "period": PERIOD, "authority": "32", "version": 1,
        "status": "draft", "replaces": None, "correction_reason": None, "published_at": None, "files": [],
        "page": "http://localhost/publications/32/satisfaction-index/2026Q3/v1/", "allowed_actions": ["refresh"]}


def test_a_reason_given_for_a_first_version_is_not_a_correction(client, factory, people):
    """Only a new version of a published series is a correction: a first draft records no correction reason."""
    draft = prepare(client, factory, people[0], reason="first time").json
    assert (draft["version"], draft["replaces"], draft["correction_reason"]) == (1, None, None)


@pytest.mark.parametrize(("viewer", "actions"), [
    ("preparer", ["refresh"]),             # an officer who is not a publisher never approves
    ("publisher", ["refresh", "approve"]),  # another publisher of the same authority
    ("preparing_publisher", ["refresh"]),   # four-eyes: not offered to the publisher who prepared it
    ("national_publisher", []),             # a province's figures are approved by that province's publishers
])
def test_who_is_offered_which_action_on_a_draft(client, factory, people, viewer, actions):
    preparer, publisher, _ = people
    users = {"preparer": preparer, "publisher": publisher,
             "preparing_publisher": factory.officer("32", publisher=True),
             "national_publisher": factory.officer("CN", publisher=True)}
    author = users["preparing_publisher"] if viewer == "preparing_publisher" else preparer
    draft = prepare(client, factory, author).json
    assert seen_by(client, factory, users[viewer], draft["id"])["allowed_actions"] == actions


def test_refusals_on_a_draft_name_the_rule(client, factory, people):
    _, publisher, other_publisher = people
    draft = prepare(client, factory, publisher).json
    national = factory.officer("CN", publisher=True)
    assert act(client, factory, publisher, draft["id"], "approve").json == {
        "code": 403, "errors": {}, "message": "You prepared this draft: another publisher must approve it (four-eyes)."}
    # The national authority sees the province's draft but neither recomputes nor approves it.
    assert act(client, factory, national, draft["id"], "approve").json == {
        "code": 403, "errors": {}, "message": "The officer role may not approve this publication (allowed for: publisher)."}
    assert act(client, factory, national, draft["id"], "refresh").json == {
        "code": 403, "errors": {},
        "message": "The officer role may not refresh this publication (allowed for: officer, publisher)."}
    assert seen_by(client, factory, publisher, draft["id"])["status"] == "draft"
    assert act(client, factory, other_publisher, draft["id"], "approve").status_code == 200


def test_only_officers_prepare_and_only_ended_quarters(client, factory, people):
    staff = factory.user("operator", operator=factory.operator())
    assert prepare(client, factory, staff).json == {
        "code": 403, "errors": {}, "message": "Only an officer may prepare a publication."}
    assert prepare(client, factory, people[0], period="2026Q4").json == {
        "code": 422, "message": "The publication cannot be prepared as asked.",
        "errors": {"period": ["2026Q4 has not ended yet (it ends on 2026-12-31): only ended quarters are published"]}}


def test_a_scheduler_draft_needs_an_officer_to_sign_as_preparer(client, factory, people):
    from supervision.publications.models import Publication
    from supervision.publications.schedule import prepare_quarter_drafts

    preparer, publisher, other_publisher = people
    prepare_quarter_drafts(factory.now)
    db.session.commit()
    draft = db.session.scalar(db.select(Publication).where(Publication.kind == "complaint_statistics"))
    assert seen_by(client, factory, publisher, draft.id)["allowed_actions"] == ["refresh"]
    refused = act(client, factory, publisher, draft.id, "approve")
    assert refused.json == {
        "code": 409, "errors": {}, "state": "draft", "allowed": ["refresh"],
        "message": "The scheduler prepared this draft: an officer must review the figures and sign as preparer "
                   "(refresh) before a publisher approves it."}
    # A publisher who signs as preparer may not then approve: the other publisher does.
    assert act(client, factory, publisher, draft.id, "refresh").status_code == 200
    assert act(client, factory, publisher, draft.id, "approve").status_code == 403
    assert act(client, factory, other_publisher, draft.id, "approve").status_code == 200


def test_refresh_recomputes_the_figures_from_the_data_as_it_is_now(client, factory, people):
    """A draft's figures are a snapshot; `refresh` takes a new one (e.g. after late subscriber counts)."""
    from supervision.operators.services import set_subscriber_count
    from supervision.publications.models import Publication

    preparer, _, _ = people
    operator = factory.operator(name="Refresh Telecom")
    draft = prepare(client, factory, preparer).json

    def subscribers_in_draft():
        figures = db.session.get(Publication, draft["id"]).figures
        rows = next(t for t in figures["tables"] if t["name"] == "operators")["rows"]
        db.session.expire_all()
        return [row.get("subscribers") for row in rows if row.get("operator") == "Refresh Telecom"]

    before = subscribers_in_draft()
    set_subscriber_count(operator, "32", PERIOD, 3_000_000, factory.admin(), factory.now)
    db.session.commit()
    assert subscribers_in_draft() == before
    assert act(client, factory, preparer, draft["id"], "refresh").status_code == 200
    assert subscribers_in_draft() == [3_000_000]


def test_the_open_data_json_names_the_version_and_what_it_corrects(app, client, factory, people, monkeypatch):
    """figures.json carries the version's identity: series name, version, the version it replaces and why, and
    its page on the configured public site."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://open.example.gov.cn/")
    preparer, publisher, _ = people

    def publication_block(answer):
        url = next(f["url"] for f in answer["files"] if f["name"] == "figures.json")
        return json.loads(client.get(url).data)["publication"]

    draft = prepare(client, factory, preparer).json
    first = act(client, factory, publisher, draft["id"], "approve").json
    page = "https://open.example.gov.cn/publications/32/complaint-statistics/2026Q3/v1/"
    assert publication_block(first) == {
        "id": first["id"], "name": "32-complaint-statistics-2026q3", "kind": "complaint_statistics",
        "period": PERIOD, "authority": "32", "version": 1, "replaces_version": None, "correction_reason": None,
        "published_at": "2026-11-26T02:00:00+00:00", "page_url": page, "files_url": page}
    blank = prepare(client, factory, preparer, reason="   ")
    assert blank.status_code == 422 and blank.json["errors"] == {"reason": [
        "Version 1 of this publication is already published: a correction needs a reason (what it corrects)."]}
    correction = prepare(client, factory, preparer, reason="  Two complaints were in the wrong quarter. ").json
    assert (correction["version"], correction["replaces"], correction["correction_reason"]) == (
        2, first["id"], "Two complaints were in the wrong quarter.")
    from supervision.audit import events_of

    assert [(e.action, e.note) for e in events_of("publication", correction["id"])] == [
        ("prepare", "Two complaints were in the wrong quarter.")]
    second = act(client, factory, publisher, correction["id"], "approve").json
    page = "https://open.example.gov.cn/publications/32/complaint-statistics/2026Q3/v2/"
    assert publication_block(second) == {
        "id": second["id"], "name": "32-complaint-statistics-2026q3", "kind": "complaint_statistics",
        "period": PERIOD, "authority": "32", "version": 2, "replaces_version": 1,
        "correction_reason": "Two complaints were in the wrong quarter.",
        "published_at": "2026-11-26T02:00:00+00:00", "page_url": page, "files_url": page}



def test_the_audit_trail_records_who_prepared_signed_and_approved_and_when(client, factory, people, clock):
    """SPEC §9: each step of a publication is an event with its actor, time and before → after; signing as
    preparer (refresh) records who signed and when the figures were recomputed."""
    from supervision.audit import events_of
    from supervision.publications.models import Publication
    from supervision.publications.schedule import prepare_quarter_drafts

    preparer, publisher, _ = people
    prepare_quarter_drafts(factory.now)
    db.session.commit()
    draft = db.session.scalar(db.select(Publication).where(Publication.kind == "complaint_statistics"))
    clock.advance(days=2)
    assert act(client, factory, preparer, draft.id, "refresh").status_code == 200
    clock.advance(hours=3)
    assert act(client, factory, publisher, draft.id, "approve").status_code == 200

    def without_figures(snapshot):
        return {k: v for k, v in (snapshot or {}).items() if k != "figures"}

    events = [(e.action, e.actor_id, e.at.isoformat(), without_figures(e.before), without_figures(e.after))
              for e in events_of("publication", draft.id)]
    assert events == [
        ("prepare", None, "2026-11-26T02:00:00+00:00", {},
         {"kind": "complaint_statistics", "period": PERIOD, "authority": "32", "version": 1, "status": "draft",
          "replaces": None}),
        ("refresh", preparer.id, "2026-11-28T02:00:00+00:00",
         {"figures_computed_at": "2026-11-26T02:00:00+00:00", "prepared_by": None,
          "prepared_at": "2026-11-26T02:00:00+00:00"},
         {"figures_computed_at": "2026-11-28T02:00:00+00:00", "prepared_by": preparer.id,
          "prepared_at": "2026-11-28T02:00:00+00:00"}),
        ("approve", publisher.id, "2026-11-28T05:00:00+00:00",
         {"status": "draft", "approved_by": None, "published_at": None},
         {"status": "published", "approved_by": publisher.id, "published_at": "2026-11-28T05:00:00+00:00"}),
    ]


def test_the_preview_shows_when_the_figures_were_last_computed(app, client, factory, people, clock):
    from tests.web.test_officer_pages import new_browser

    preparer, _, _ = people
    draft = prepare(client, factory, preparer).json
    browser = new_browser(app, preparer)
    assert "Figures computed 2026-11-26 10:00" in browser.get(f"/officer/publications/{draft['id']}").text
    clock.advance(days=1, hours=2)
    assert act(client, factory, preparer, draft["id"], "refresh").status_code == 200
    assert "Figures computed 2026-11-27 12:00" in browser.get(f"/officer/publications/{draft['id']}").text


def test_a_version_says_it_was_corrected_only_once_the_correction_is_published(client, factory, people):
    preparer, publisher, _ = people
    first = act(client, factory, publisher, prepare(client, factory, preparer).json["id"], "approve").json
    correction = prepare(client, factory, preparer, reason="Late subscriber counts.").json
    assert "This version was corrected." not in client.get(first["page"], headers=EN).text  # a draft is not public
    act(client, factory, publisher, correction["id"], "approve")
    page = client.get(first["page"], headers=EN).text
    assert "This version was corrected." in page and "Read version 2" in page


def test_open_data_lists_the_newest_version_of_each_series(client, factory, people):
    """A series is one kind × quarter × authority: correcting one series leaves the others' versions current."""
    import re

    preparer, publisher, _ = people
    national, national_publisher = factory.officer("CN"), factory.officer("CN", publisher=True)
    for author, approver, kind in ((preparer, publisher, "complaint_statistics"),
                                   (preparer, publisher, "satisfaction_index"),
                                   (national, national_publisher, "complaint_statistics")):
        assert act(client, factory, approver, prepare(client, factory, author, kind=kind).json["id"],
                   "approve").status_code == 200
    correction = prepare(client, factory, preparer, reason="Late subscriber counts.").json
    assert act(client, factory, publisher, correction["id"], "approve").status_code == 200
    page = client.get("/open-data/", headers=EN).text
    assert sorted(set(re.findall(r'href="(/publications/[^"]+)/figures\.json"', page))) == [
        "/publications/32/complaint-statistics/2026Q3/v2",
        "/publications/32/satisfaction-index/2026Q3/v1",
        "/publications/CN/complaint-statistics/2026Q3/v1",
    ]


def test_a_published_file_whose_bytes_were_altered_is_never_served(client, factory, people):
    """Each listed file is served with its type and listed size; a file whose bytes no longer match the published
    SHA-256 is refused instead of served."""
    from sqlalchemy import text

    preparer, publisher, _ = people
    published = act(client, factory, publisher, prepare(client, factory, preparer).json["id"], "approve").json
    types = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8", "json": "application/json"}
    for listed in published["files"]:
        served = client.get(listed["url"])
        assert (served.content_type, len(served.data)) == (types[listed["format"]], listed["size"]), listed["name"]
    url = next(f["url"] for f in published["files"] if f["name"] == "operators.csv")
    assert client.get(url).status_code == 200
    db.session.execute(text("UPDATE publication_files SET content = :bytes WHERE name = 'operators.csv'"),
                       {"bytes": b"operator,complaints\r\nforged,0\r\n"})
    db.session.commit()
    with pytest.raises(RuntimeError, match=r"^publication file \d+ does not match its published SHA-256$"):
        client.get(url)


def test_a_suppressed_cell_is_published_without_figures_and_with_its_methodology(client, factory, people):
    """SPEC §8: a cell below the minimum n is published as suppressed (never as zero), naming the methodology."""
    import io

    from tests.api.test_survey_row_messages_pinned import csv_bytes

    preparer, publisher, _ = people
    operator = factory.operator(name="Small Sample Telecom")
    rows = [[operator.licence_no, "32", "mobile", PERIOD, f"R{i}", "8", "8", "8", "8", "8", "8"] for i in range(3)]
    imported = client.post("/api/v1/surveys/import", headers=factory.headers(preparer),
                           data={"file": (io.BytesIO(csv_bytes(rows)), "survey.csv")}, content_type="multipart/form-data")
    assert imported.status_code == 201, imported.json
    draft = prepare(client, factory, preparer, kind="satisfaction_index").json
    assert act(client, factory, publisher, draft["id"], "approve").status_code == 200
    [item] = client.get("/api/v1/satisfaction-index", query_string={"period": PERIOD}).json["items"]
    assert {k: item[k] for k in ("operator", "province", "service", "n", "index", "ci_low", "ci_high",
                                 "satisfaction_rate", "suppressed", "methodology_version")} == {
        "operator": "Small Sample Telecom", "province": "32", "service": "mobile", "n": 3, "index": None,
        "ci_low": None, "ci_high": None, "satisfaction_rate": None, "suppressed": True, "methodology_version": 1}


def test_the_service_reports_an_unknown_kind_and_a_bad_period_together(app, factory, people):
    """Whatever form or client calls it, preparing refuses an unknown kind by naming the kinds, alongside the
    period's own problem, in one 422."""
    from datetime import date

    from supervision.errors import ValidationFailed
    from supervision.publications import services

    with app.test_request_context(headers={"Accept-Language": "en"}), pytest.raises(ValidationFailed) as refused:
        services.prepare(people[0], {"kind": "", "period": "2026Q9"}, factory.now, date(2026, 11, 26))
    assert str(refused.value.message) == "The publication cannot be prepared as asked."
    assert {field: [str(m) for m in problems] for field, problems in refused.value.errors.items()} == {
        "kind": ["kind must be one of: complaint_statistics, satisfaction_index, spot_check_results"],
        "period": ["period must be a quarter written like 2026Q3"]}
