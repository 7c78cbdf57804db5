"""No complainant's personal data or access code in any log (SPEC §9): every logger at DEBUG is
captured through a whole complaint journey — filed on the public form and by the API, tracked
by code, accepted, transferred, answered, closed and rated, searched by name — served by a real
HTTP server so its access log is part of the capture; and through failed requests (422, 500)."""
import json
import re
import urllib.error
import urllib.parse
import urllib.request

from sqlalchemy import text

from supervision.extensions import db

WEB_PERSON = {"name": "赵秀英", "phone": "13912345678", "email": "zxy@example.com",
              "address": "苏州市姑苏区人民路88号"}
API_PERSON = {"name": "钱国栋", "phone": "13687654321", "email": "qgd@example.com",
              "address": "无锡市梁溪区中山路200号", "id_number": "320203198805056789"}


def call(base: str, method: str, path: str, body: dict | None = None, token: str | None = None,
         query: dict | None = None) -> tuple[int, dict]:
    url = base + path + ("?" + urllib.parse.urlencode(query) if query else "")
    headers = {"Content-Type": "application/json", "Accept-Language": "en"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None,
                                     headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def web_journey(client, factory, operator) -> str:
    """The public form, the one-time code page and the tracking page; returns the access code."""
    form = {"operator_id": str(operator.id), "province": "32", "topic": "network:coverage",
            "description": "No mobile signal at home since October.", "request": "Fix the coverage",
            "event_date": "2026-10-01", "operator_complaint_date": "2026-10-20", "operator_answer": "none",
            "disputed_months": ""} | WEB_PERSON
    assert client.post("/complaints/new", data=form).status_code == 303
    page = client.get("/complaints/filed").get_data(as_text=True)
    reference = re.search(r"TS-32-\d{8}-\d{6}", page)[0]
    code = re.search(r'id="access-code">([0-9A-Z]+)<', page)[1]
    assert client.post("/track", data={"reference": reference, "access_code": code},
                       follow_redirects=True).status_code == 200
    return code


def api_journey(base, factory, operator) -> str:
    """File by API, track by code (in the query string), handle to the end, rate; returns the code."""
    officer = factory.headers(factory.officer("32"))["Authorization"].split()[1]
    staff = factory.headers(factory.user("operator", operator=operator))["Authorization"].split()[1]
    body = factory.complaint_body(operator, complainant=API_PERSON)
    # A refused filing that carries the person's data: 422.
    refused = body | {"operator_complaint_date": "2026-11-25"}
    db.session.commit()  # the server's requests must not wait for this test's transaction (SQLite)
    status, filed = call(base, "POST", "/api/v1/complaints", body)
    assert status == 201
    reference, code = filed["reference"], filed["access_code"]
    assert call(base, "GET", f"/api/v1/complaints/{reference}", query={"access_code": code})[0] == 200
    assert call(base, "GET", f"/api/v1/complaints/{reference}", query={"access_code": "WRONG12345"})[0] == 404
    steps = [("accept", {}, officer), ("transfer", {"note": "Please call back."}, officer),
             ("operator_reply", {"reply": "Antenna repaired."}, staff), ("close", {"outcome": "resolved"}, officer),
             ("rate", {"score": 4, "access_code": code}, None)]
    for action, body, token in steps:
        status, answer = call(base, "POST", f"/api/v1/complaints/{reference}/actions/{action}", body, token)
        assert status == 200, (action, answer)
    assert call(base, "GET", f"/api/v1/complaints/{reference}", token=officer)[0] == 200
    # An officer's search by name and by phone: the query string carries them.
    for q in (API_PERSON["name"], API_PERSON["phone"]):
        status, found = call(base, "GET", "/api/v1/complaints", token=officer, query={"q": q})
        assert status == 200 and [i["reference"] for i in found["items"]] == [reference]
    assert call(base, "POST", "/api/v1/complaints", refused)[0] == 422
    return code


def failing_app(app, monkeypatch):
    """The same app with exceptions answered as 500 (not raised into the test), and an intake that
    fails in the database with the complainant's name among the statement's parameters."""
    from supervision.app import create_app
    from supervision.complaints import intake

    fresh = create_app({key: app.config[key] for key in app.config if key.isupper()}
                       | {"PROPAGATE_EXCEPTIONS": False})

    def broken_holds(complaint, now):
        db.session.execute(text("INSERT INTO no_such_table (name, phone) VALUES (:name, :phone)"),
                           {"name": complaint.complainant_name, "phone": complaint.complainant_phone})

    monkeypatch.setattr(intake, "place_holds", broken_holds)
    return fresh


def test_no_personal_data_or_access_code_in_any_log(app, client, factory, live_server, every_log, monkeypatch):
    operator = factory.operator()
    web_code = web_journey(client, factory, operator)
    body = factory.complaint_body(operator, complainant=API_PERSON)
    api_code = api_journey(live_server, factory, operator)
    from supervision.notifications.outbox import deliver_due

    deliver_due(factory.now)  # without a mail server the log is the delivery channel
    failing = failing_app(app, monkeypatch).test_client()
    answer = failing.post("/api/v1/complaints", json=body)
    assert answer.status_code == 500

    logged = every_log.text
    # The capture works: the server's request lines, the outbox and the 500 are all in it.
    assert "POST /api/v1/complaints HTTP" in logged and "notification" in logged
    assert "GET /api/v1/complaints?q=" in logged and "no_such_table" in logged
    secrets = [*WEB_PERSON.values(), *API_PERSON.values(), web_code, api_code,
               urllib.parse.quote(API_PERSON["name"]), urllib.parse.quote(API_PERSON["address"])]
    found = [secret for secret in secrets if secret in logged]
    assert found == []
