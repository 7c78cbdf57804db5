"""The operator's evidence of rectification can be opened (SPEC §7, [M 21]): the officer who verifies the
order reads the files the completion report rests on, byte for byte as sent; the operator's staff can
open what they sent; nobody outside the order's scope can, and a number beyond the files is a 404."""
import hashlib
import io

from tests.api.inspection_parties import Parties

PDF = b"%PDF-1.4\n" + b"rota " * 40


def test_the_evidence_opens_for_the_officer_and_the_operator_as_sent(factory, client):
    p = Parties(factory, client)
    order = p.order()
    sent = client.post(f"/api/v1/orders/{order['id']}/evidence", headers=factory.headers(p.staff),
                       data={"file": (io.BytesIO(PDF), "rota.pdf")}, content_type="multipart/form-data")
    assert sent.status_code == 201 and sent.json["sha256"] == hashlib.sha256(PDF).hexdigest()
    for user in (p.lead, p.staff):
        got = client.get(f"/api/v1/orders/{order['id']}/evidence/1", headers=factory.headers(user))
        assert got.status_code == 200 and got.data == PDF
        assert got.headers["Content-Disposition"] == "attachment; filename=rota.pdf"
    missing = client.get(f"/api/v1/orders/{order['id']}/evidence/2", headers=factory.headers(p.lead))
    assert (missing.status_code, missing.json["message"]) == (404, "This order has no evidence file 2.")
    elsewhere = client.get(f"/api/v1/orders/{order['id']}/evidence/1", headers=factory.headers(factory.officer("44")))
    assert elsewhere.status_code == 404


def test_both_order_pages_link_each_evidence_file(factory, client, app):
    from tests.web.test_officer_pages import new_browser

    p = Parties(factory, client)
    order = p.order()
    client.post(f"/api/v1/orders/{order['id']}/evidence", headers=factory.headers(p.staff),
                data={"file": (io.BytesIO(PDF), "rota.pdf")}, content_type="multipart/form-data")
    for user, page in ((p.lead, f"/officer/orders/{order['id']}"), (p.staff, f"/portal/orders/{order['id']}")):
        browser = new_browser(app, user)
        link = f'<a href="{page}/evidence/1">rota.pdf</a>'
        assert link in browser.get(page).get_data(as_text=True)
        assert browser.get(f"{page}/evidence/1").data == PDF
