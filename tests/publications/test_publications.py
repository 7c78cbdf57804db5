"""Publications (issue 9 items 5–6): four-eyes, immutability, hashes, corrections, the feed,
the data package, and no personal data in any published file."""
import hashlib
import json

import pytest

from supervision.extensions import db

PERIOD = "2026Q3"  # DEFAULT_NOW is 2026-11-26: Q3 has ended, Q4 has not


@pytest.fixture
def people(factory):
    preparer = factory.officer("32")
    publisher = factory.officer("32", publisher=True)
    other_publisher = factory.officer("32", publisher=True)
    return preparer, publisher, other_publisher


@pytest.fixture
def quarter_of_complaints(factory, clock):
    """Complaints received in 2026Q3 carrying names, phones, addresses and ID numbers."""
    from datetime import UTC, datetime

    from supervision.operators.services import set_subscriber_count

    operator = factory.operator(province="32", name="江苏测试通信有限公司")
    admin = factory.admin()
    set_subscriber_count(operator, "32", PERIOD, 2_500_000, admin, factory.now)
    db.session.commit()
    clock.current = datetime(2026, 8, 20, 2, 0, tzinfo=UTC)
    people = [("张三丰", "13912345678", "南京市鼓楼区北京西路99号"), ("李四海", "13787654321", "苏州市姑苏区人民路8号")]
    for name, phone, address in people:
        factory.complaint(operator, complainant={"name": name, "phone": phone, "email": "someone@example.com",
                                                 "address": address, "id_number": "320102198001011234"},
                          operator_complaint_date="2026-07-20", event_date="2026-07-01")
    clock.current = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    return operator, people


def prepare(client, factory, user, kind="complaint_statistics", period=PERIOD, **extra):
    return client.post("/api/v1/publications", json={"kind": kind, "period": period, **extra},
                       headers=factory.headers(user))


def approve(client, factory, user, publication_id):
    return client.post(f"/api/v1/publications/{publication_id}/actions/approve", json={},
                       headers=factory.headers(user))


def published_one(client, factory, people, **extra):
    preparer, publisher, _ = people
    draft = prepare(client, factory, preparer, **extra)
    assert draft.status_code == 201, draft.json
    answer = approve(client, factory, publisher, draft.json["id"])
    assert answer.status_code == 200, answer.json
    return answer.json


def test_an_officer_prepares_a_draft_of_an_ended_quarter_in_their_authority(client, factory, people):
    preparer = people[0]
    answer = prepare(client, factory, preparer)
    assert answer.status_code == 201
    assert answer.json["status"] == "draft" and answer.json["authority"] == "32" and answer.json["version"] == 1
    assert answer.json["files"] == []
    again = prepare(client, factory, preparer)
    assert again.json["id"] == answer.json["id"]  # asking twice makes one draft
    assert "approve" not in answer.json["allowed_actions"]


@pytest.mark.parametrize("period, rule", [("2026Q4", "has not ended"), ("2026-3", "2026Q3"), ("1999Q1", "2000"),
                                          ("2027Q1", "has not ended")])
def test_the_period_is_validated_and_only_ended_quarters_are_published(client, factory, people, period, rule):
    answer = prepare(client, factory, people[0], period=period)
    assert answer.status_code == 422
    assert rule in answer.json["errors"]["period"][0]


def test_operator_staff_and_the_public_cannot_prepare(client, factory):
    staff = factory.user("operator", operator=factory.operator())
    assert prepare(client, factory, staff).status_code == 403
    assert client.post("/api/v1/publications", json={"kind": "complaint_statistics", "period": PERIOD}).status_code == 401


def test_four_eyes_the_preparer_may_not_approve_and_a_plain_officer_may_not_either(client, factory, people):
    preparer, publisher, _ = people
    preparer_publisher = factory.officer("32", publisher=True)
    draft = prepare(client, factory, preparer_publisher).json
    assert approve(client, factory, preparer_publisher, draft["id"]).status_code == 403
    assert approve(client, factory, preparer, draft["id"]).status_code == 403  # not a publisher
    outsider = factory.officer("33", publisher=True)
    assert approve(client, factory, outsider, draft["id"]).status_code == 404  # another authority's draft
    assert approve(client, factory, publisher, draft["id"]).status_code == 200
    assert approve(client, factory, publisher, draft["id"]).status_code == 409  # published already


def test_approval_publishes_files_whose_served_bytes_match_the_listed_hashes(client, factory, people,
                                                                            quarter_of_complaints):
    published = published_one(client, factory, people)
    listing = client.get("/api/v1/publications").json["items"]
    assert [item["id"] for item in listing] == [published["id"]]
    formats = {f["format"] for f in listing[0]["files"]}
    assert formats == {"pdf", "csv", "json"}
    for listed in listing[0]["files"]:
        served = client.get(listed["url"])
        assert served.status_code == 200
        assert hashlib.sha256(served.data).hexdigest() == listed["sha256"]
    page = client.get(published["page"]).get_data(as_text=True)
    for listed in listing[0]["files"]:
        assert listed["sha256"] in page


def test_published_bytes_never_change(client, factory, people, quarter_of_complaints):
    from supervision.publications.models import PublicationFile

    published = published_one(client, factory, people)
    url = next(f["url"] for f in published["files"] if f["name"] == "operators.csv")
    before = client.get(url).data
    # New complaints after publication change the live data, never the published file.
    factory.complaint(quarter_of_complaints[0])
    assert client.get(url).data == before
    stored = db.session.scalar(db.select(PublicationFile).where(PublicationFile.name == "operators.csv"))
    stored.content = b"tampered"
    with pytest.raises(RuntimeError, match="immutable"):
        db.session.flush()
    db.session.rollback()


def test_a_correction_is_a_new_version_linking_the_old_which_stays_readable(client, factory, people,
                                                                           quarter_of_complaints):
    preparer, publisher, _ = people
    first = published_one(client, factory, people)
    assert prepare(client, factory, preparer).status_code == 422  # a correction needs a reason
    draft = prepare(client, factory, preparer, reason="Two complaints were counted in the wrong quarter.").json
    assert draft["version"] == 2 and draft["replaces"] == first["id"]
    second = approve(client, factory, publisher, draft["id"]).json
    old_page = client.get(first["page"])
    assert old_page.status_code == 200 and second["page"].split("/publications/")[1] in old_page.get_data(as_text=True)
    for listed in first["files"]:
        assert hashlib.sha256(client.get(listed["url"]).data).hexdigest() == listed["sha256"]
    assert second["page"] != first["page"]


def test_the_feed_keeps_the_entry_id_across_a_correction_and_moves_updated(client, factory, people, clock,
                                                                          quarter_of_complaints):
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"

    def entries():
        root = ElementTree.fromstring(client.get("/feed.atom").data)
        return [(e.find(atom + "id").text, e.find(atom + "updated").text) for e in root.iter(atom + "entry")]

    published_one(client, factory, people)
    [(entry_id, updated)] = entries()
    assert entry_id.startswith("tag:")
    clock.advance(days=2)
    preparer, publisher, _ = people
    draft = prepare(client, factory, preparer, reason="correction").json
    approve(client, factory, publisher, draft["id"])
    [(same_id, later)] = entries()
    assert same_id == entry_id and later > updated


def test_the_data_package_is_valid_for_frictionless(client, factory, people, quarter_of_complaints, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    published = published_one(client, factory, people)
    base = published["files"][0]["url"].rsplit("/", 1)[0]
    package = client.get(base + "/datapackage.json")
    (tmp_path / "datapackage.json").write_bytes(package.data)
    descriptor = json.loads(package.data)
    assert descriptor["licenses"][0]["name"]
    for resource in descriptor["resources"]:
        (tmp_path / resource["path"]).write_bytes(client.get(base + "/" + resource["path"]).data)
        assert resource["hash"].startswith("sha256:")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    operators = descriptor["resources"][0]
    assert operators["name"] == "operators" and {f["name"] for f in operators["schema"]["fields"]} >= {
        "operator", "complaints", "rate_per_million"}


def _pdf_text(data: bytes) -> str:
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def test_no_personal_data_in_any_published_file(client, factory, people, quarter_of_complaints):
    from supervision.publications.models import PublicationFile

    operator, complainants = quarter_of_complaints
    published_one(client, factory, people)
    files = db.session.scalars(db.select(PublicationFile)).all()
    assert {f.format for f in files} >= {"pdf", "csv", "json", "svg"}
    texts = {f.name: (_pdf_text(f.content) if f.format == "pdf" else f.content.decode()) for f in files}
    assert "江苏测试通信有限公司" in texts["report.pdf"]  # the PDF's Chinese text is real text
    assert "2" in texts["operators.csv"]
    for name, phone, address in complainants:
        for secret in (name, phone, address, "320102198001011234", "someone@example.com", phone[-8:]):
            for file_name, text in texts.items():
                assert secret not in text, f"{secret!r} published in {file_name}"


def test_the_pdf_uses_a_cjk_font(client, factory, people, quarter_of_complaints):
    import shutil
    import subprocess

    published = published_one(client, factory, people)
    pdf = client.get(next(f["url"] for f in published["files"] if f["format"] == "pdf")).data
    assert pdf.startswith(b"%PDF")
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is not installed")
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode()
    if not fonts:  # older pdffonts reads files only
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            fonts = subprocess.run(["pdffonts", handle.name], capture_output=True).stdout.decode()
    assert "Noto-Sans-CJK-SC" in fonts


def test_spot_check_results_without_published_inspections_are_an_empty_table_with_its_caveat(
        client, factory, people):
    published = published_one(client, factory, people, kind="spot_check_results")
    csv_url = next(f["url"] for f in published["files"] if f["name"] == "results.csv")
    assert client.get(csv_url).get_data(as_text=True).strip() == (
        "operator_id,operator,province,inspection_type,items_checked,items_failed,result")
    document = json.loads(client.get(next(f["url"] for f in published["files"] if f["name"] == "figures.json")).data)
    assert any("right of reply" in c["en"] for c in document["figures"]["caveats"])


def test_drafts_are_not_public(client, factory, people):
    draft = prepare(client, factory, people[0]).json
    assert client.get(f"/api/v1/publications/{draft['id']}").status_code == 404
    assert client.get("/api/v1/publications").json["items"] == []


def test_the_satisfaction_index_api_answers_published_data_only(client, factory, people):
    assert client.get("/api/v1/satisfaction-index").json == {"period": None, "items": []}


def test_the_quarterly_job_prepares_drafts_tells_the_officers_and_never_publishes(client, factory, people):
    from supervision.notifications.models import Notification
    from supervision.publications.models import Publication
    from supervision.publications.schedule import prepare_quarter_drafts

    preparer, publisher, _ = people
    assert prepare_quarter_drafts(factory.now) == 3  # one draft per kind for authority 32
    db.session.commit()
    assert prepare_quarter_drafts(factory.now) == 0  # idempotent
    db.session.commit()
    drafts = db.session.scalars(db.select(Publication)).all()
    assert {(d.kind, d.period, d.status) for d in drafts} == {
        (k, PERIOD, "draft") for k in ("complaint_statistics", "satisfaction_index", "spot_check_results")}
    told = db.session.scalars(db.select(Notification.recipient_user_id)).all()
    assert sorted(told) == sorted([u.id for u in people] * 3)
    draft = next(d for d in drafts if d.kind == "complaint_statistics")
    # Unreviewed: a publisher cannot approve what no officer has signed as preparer.
    assert approve(client, factory, publisher, draft.id).status_code == 409
    assert client.post(f"/api/v1/publications/{draft.id}/actions/refresh", json={},
                       headers=factory.headers(preparer)).status_code == 200
    assert approve(client, factory, preparer, draft.id).status_code == 403
    assert approve(client, factory, publisher, draft.id).status_code == 200


def test_ids_and_versions_beyond_any_record_are_404_not_500(client, factory, people):
    assert client.get("/api/v1/publications/99999999999").status_code == 404
    assert client.get("/publications/32/complaint-statistics/2026Q3/v99999999999/").status_code == 404
    assert client.get("/publications/32/no-such-kind/2026Q3/v1/").status_code == 404


def test_a_published_inspection_result_is_a_row_of_the_quarters_spot_check_publication(client, factory, clock):
    """SPEC §6/§8: the spot-check publication of a quarter lists the results published in it [M 8]."""
    from datetime import UTC, datetime

    from tests.api.inspection_parties import Parties

    parties = Parties(factory, client)
    inspection_id = parties.drafted(fail_first=True)
    parties.post(parties.staff, f"/inspections/{inspection_id}/actions/reply", {"reply": "Agreed."})
    parties.post(parties.lead, f"/inspections/{inspection_id}/actions/finalise", {"summary": "One item failed."})
    assert parties.post(parties.publisher, f"/inspections/{inspection_id}/actions/publish").status_code == 200
    clock.current = datetime(2027, 1, 6, 2, 0, tzinfo=UTC)  # 2026Q4 has ended
    draft = prepare(client, factory, parties.lead, kind="spot_check_results", period="2026Q4")
    assert draft.status_code == 201, draft.json
    published = approve(client, factory, parties.second_publisher, draft.json["id"])
    assert published.status_code == 200, published.json
    csv_url = next(f["url"] for f in published.json["files"] if f["name"] == "results.csv")
    rows = client.get(csv_url).get_data(as_text=True).strip().splitlines()
    assert len(rows) == 2
    assert rows[1].startswith(f"{parties.operator.id},{parties.operator.name},32,onsite,5,1,")
    assert "One item failed." in rows[1]
