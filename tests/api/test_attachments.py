"""Evidence files (SPEC §3, §6): type from the bytes, size limit, stored outside the web root
with the SHA-256 recorded, downloadable only by whoever may see the complaint."""
import hashlib
import io
import struct
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from supervision.audit import events_of
from supervision.complaints.attachments import attachment_path
from supervision.complaints.models import Attachment
from supervision.extensions import db


def png_1x1() -> bytes:
    """A real, decodable 1×1 red PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


@contextmanager
def upload_limit(app, limit: int):
    old = app.config["UPLOAD_MAX_BYTES"]
    app.config["UPLOAD_MAX_BYTES"] = limit
    try:
        yield
    finally:
        app.config["UPLOAD_MAX_BYTES"] = old


@pytest.fixture
def filed(factory):
    operator = factory.operator()
    complaint, code = factory.complaint(operator)
    return complaint.reference, code, operator


def upload(client, reference, content: bytes, filename: str, headers=None, access_code=None):
    form = {"file": (io.BytesIO(content), filename)}
    if access_code:
        form["access_code"] = access_code
    return client.post(f"/api/v1/complaints/{reference}/attachments", data=form,
                       content_type="multipart/form-data", headers=headers or {})


@pytest.mark.parametrize(("content", "name", "kind"), [(png_1x1(), "screenshot.png", "image/png"),
                                                       (PDF, "bill.pdf", "application/pdf")])
def test_the_complainant_uploads_evidence_and_gets_its_sha256(client, filed, content, name, kind):
    reference, code, _ = filed
    response = upload(client, reference, content, name, access_code=code)
    assert response.status_code == 201, response.json
    assert response.json["sha256"] == hashlib.sha256(content).hexdigest()
    assert (response.json["filename"], response.json["content_type"], response.json["size"]) == (
        name, kind, len(content))
    assert [e.action for e in events_of("complaint", reference)][-1] == "attach"


def test_the_type_comes_from_the_bytes_not_the_name(client, filed):
    reference, code, _ = filed
    response = upload(client, reference, b"just some text pretending to be an image", "photo.png",
                      access_code=code)
    assert response.status_code == 422
    assert "PDF, JPEG and PNG" in response.json["errors"]["file"][0]
    # …and a real PNG named .txt is stored as what it is.
    renamed = upload(client, reference, png_1x1(), "notes.txt", access_code=code)
    assert renamed.json["content_type"] == "image/png"


def test_too_big_is_refused_naming_the_limit(app, client, filed):
    reference, code, _ = filed
    with upload_limit(app, 100):
        response = upload(client, reference, png_1x1() + b"\x00" * 100, "big.png", access_code=code)
    assert response.status_code == 422
    assert "100 bytes" in response.json["errors"]["file"][0]
    assert db.session.scalar(select(Attachment.id)) is None


@pytest.mark.parametrize(("content", "expected"), [(b"", "empty")])
def test_empty_or_missing_file_is_refused(client, filed, content, expected):
    reference, code, _ = filed
    assert expected in upload(client, reference, content, "x.png", access_code=code).json["errors"]["file"][0]
    missing = client.post(f"/api/v1/complaints/{reference}/attachments", data={"access_code": code},
                          content_type="multipart/form-data")
    assert missing.status_code == 422 and "file" in missing.json["errors"]


def test_stored_under_upload_dir_outside_the_web_root(app, client, filed):
    reference, code, _ = filed
    content = png_1x1()
    upload(client, reference, content, "../../static/evil.png", access_code=code)
    attachment = db.session.scalar(select(Attachment))
    path = attachment_path(attachment).resolve()
    assert path.read_bytes() == content
    assert path.is_relative_to(Path(app.config["UPLOAD_DIR"]).resolve())
    assert not path.is_relative_to(Path(app.static_folder).resolve())
    assert attachment.filename == "evil.png"  # no path from the browser survives
    assert attachment.storage_key not in attachment.filename
    assert client.get(f"/static/{attachment.storage_key}").status_code == 404


def test_in_scope_callers_download_the_same_bytes(client, factory, filed):
    reference, code, operator = filed
    content = png_1x1()
    attachment_id = upload(client, reference, content, "screenshot.png", access_code=code).json["id"]
    url = f"/api/v1/complaints/{reference}/attachments/{attachment_id}"
    officer = factory.headers(factory.officer("32"))
    by_officer = client.get(url, headers=officer)
    assert by_officer.status_code == 200 and by_officer.data == content
    assert by_officer.headers["Content-Type"] == "image/png"
    assert "attachment" in by_officer.headers["Content-Disposition"]
    by_complainant = client.get(url, query_string={"access_code": code})
    assert by_complainant.data == content
    for action in ("accept", "transfer"):
        client.post(f"/api/v1/complaints/{reference}/actions/{action}", json={}, headers=officer)
    staff = factory.headers(factory.user("operator", operator=operator))
    assert client.get(url, headers=staff).data == content


def test_out_of_scope_callers_get_404(client, factory, filed):
    reference, code, operator = filed
    content = png_1x1()
    attachment_id = upload(client, reference, content, "screenshot.png", access_code=code).json["id"]
    url = f"/api/v1/complaints/{reference}/attachments/{attachment_id}"
    elsewhere = factory.headers(factory.officer("44"))
    staff_not_yet = factory.headers(factory.user("operator", operator=operator))
    assert client.get(url, headers=elsewhere).status_code == 404
    assert client.get(url, headers=staff_not_yet).status_code == 404  # not transferred to it
    assert client.get(url, query_string={"access_code": "WRONGCODE2"}).status_code == 404
    assert client.get(url).status_code == 401
    assert upload(client, reference, content, "x.png", headers=elsewhere).status_code == 404
    # An attachment id of another complaint is not reachable through this one.
    other, other_code = factory.complaint(operator)
    assert client.get(f"/api/v1/complaints/{other.reference}/attachments/{attachment_id}",
                      query_string={"access_code": other_code}).status_code == 404


# --- attaching is an act of the lifecycle (issue 6 item 6) ------------------------------------------

def _act(client, reference, action, headers, **body):
    response = client.post(f"/api/v1/complaints/{reference}/actions/{action}", json=body, headers=headers)
    assert response.status_code == 200, response.json
    return response


@pytest.mark.parametrize(("path", "final"), [(["accept", "close"], "closed"), (["withdraw"], "withdrawn"),
                                             (["reject"], "rejected")])
def test_no_evidence_once_the_complaint_is_closed(client, factory, filed, path, final):
    reference, code, _ = filed
    officer = factory.headers(factory.officer("32"))
    bodies = {"close": {"outcome": "resolved"}, "reject": {"reason": "Not within our remit"}}
    for action in path:
        _act(client, reference, action, officer, **bodies.get(action, {}))
    for who in ({"access_code": code}, {"headers": officer}):
        refused = upload(client, reference, png_1x1(), "late.png", **who)
        assert refused.status_code == 409, refused.json
        assert refused.json["state"] == final and final in refused.json["message"]
    db.session.expire_all()
    assert db.session.scalars(select(Attachment)).all() == []
    assert "attach" not in [e.action for e in events_of("complaint", reference)]


def test_the_parties_attach_while_it_is_open(client, factory, filed):
    reference, code, operator = filed
    officer = factory.headers(factory.officer("32"))
    staff = factory.headers(factory.user("operator", operator=operator))
    assert upload(client, reference, PDF, "bill.pdf", access_code=code).status_code == 201
    assert upload(client, reference, PDF, "letter.pdf", headers=officer).status_code == 201
    assert upload(client, reference, PDF, "early.pdf", headers=staff).status_code == 404  # not transferred yet
    for action in ("accept", "transfer"):
        _act(client, reference, action, officer)
    assert upload(client, reference, PDF, "reply.pdf", headers=staff).status_code == 201


def test_the_admin_cannot_attach(client, factory, filed):
    reference, _, _ = filed
    assert upload(client, reference, PDF, "x.pdf", headers=factory.headers(factory.admin())).status_code == 404
    db.session.expire_all()
    assert db.session.scalars(select(Attachment)).all() == []


@pytest.mark.parametrize("who", ["admin", "oversight", "officer of another province", "another operator's staff",
                                 "staff before transfer"])
def test_the_domain_refuses_evidence_from_a_non_party_with_403(factory, filed, who):
    """The rule lives in the domain, not only in the API's scope check: any caller of the service."""
    from supervision.audit import Actor
    from supervision.complaints.attachments import store_attachment
    from supervision.complaints.models import Complaint
    from supervision.errors import Forbidden

    reference, _, operator = filed
    user = {"admin": factory.admin, "oversight": lambda: factory.user("oversight"),
            "officer of another province": lambda: factory.officer("44"),
            "another operator's staff": lambda: factory.user("operator", operator=factory.operator()),
            "staff before transfer": lambda: factory.user("operator", operator=operator)}[who]()
    complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
    with pytest.raises(Forbidden):
        store_attachment(complaint, "x.pdf", PDF, Actor.of(user), factory.now)
    db.session.rollback()
