"""Personal data (SPEC §9): masked for operator staff except the phone, whole for officers and the
complainant; secrets in query strings are redacted from access logs (the whole-journey log scan
is tests/test_log_scan.py)."""
import logging

import pytest

from supervision.logging_filters import RedactSecrets, install_redaction

PERSON = {"name": "王小明", "phone": "13800138000", "email": "wxm@example.com",
          "address": "南京市玄武区中山路1号", "id_number": "320102199001011234"}


@pytest.fixture
def transferred(client, factory):
    """A complaint transferred to its operator; returns (reference, code, officer, staff headers)."""
    operator = factory.operator()
    officer = factory.headers(factory.officer("32"))
    staff = factory.headers(factory.user("operator", operator=operator))
    complaint, code = factory.complaint(operator)
    for action in ("accept", "transfer"):
        url = f"/api/v1/complaints/{complaint.reference}/actions/{action}"
        assert client.post(url, json={}, headers=officer).status_code == 200
    return complaint.reference, code, officer, staff


def test_operator_staff_see_the_phone_and_masked_identity(client, transferred):
    reference, _, _, staff = transferred
    view = client.get(f"/api/v1/complaints/{reference}", headers=staff).json
    assert view["complainant"] == {"name": "王**", "phone": "13800138000", "email": "w***@example.com",
                                   "address": "南京" + "*" * 9, "id_number": "3201" + "*" * 12 + "34"}
    for secret in ("王小明", "wxm@", "中山路", "199001011234"):
        assert secret not in str(view)


def test_operator_staff_action_answers_are_masked_too(client, transferred):
    reference, _, _, staff = transferred
    answer = client.post(f"/api/v1/complaints/{reference}/actions/operator_reply", json={"reply": "Fixed"},
                         headers=staff)
    assert answer.status_code == 200
    assert answer.json["complainant"]["name"] == "王**"
    assert "320102199001011234" not in str(answer.json)


def test_officers_and_the_complainant_see_everything(client, transferred):
    reference, code, officer, _ = transferred
    assert client.get(f"/api/v1/complaints/{reference}", headers=officer).json["complainant"] == PERSON
    mine = client.get(f"/api/v1/complaints/{reference}", query_string={"access_code": code}).json
    assert mine["complainant"] == PERSON


@pytest.mark.parametrize("role", ["admin", "oversight"])
def test_roles_without_complaint_duties_do_not_reach_personal_data(client, factory, transferred, role):
    """Issue 6 item 5: the admin read name, phone, email and address unmasked. SPEC §1 gives the
    admin (and oversight) no complaint duties, so complaints are outside their scope: 404."""
    reference, _, _, _ = transferred
    headers = factory.headers(factory.user(role))
    one = client.get(f"/api/v1/complaints/{reference}", headers=headers)
    assert one.status_code == 404
    listed = client.get("/api/v1/complaints", headers=headers)
    assert listed.status_code == 200 and listed.json["items"] == []
    for secret in ("王小明", "13800138000", "wxm@", "中山路"):
        assert secret not in one.get_data(as_text=True) + listed.get_data(as_text=True)


def test_the_list_carries_no_personal_data(client, transferred):
    _, _, officer, staff = transferred
    for headers in (officer, staff):
        page = client.get("/api/v1/complaints", headers=headers).json
        assert len(page["items"]) == 1
        for value in PERSON.values():
            assert value not in str(page)


# --- RedactSecrets ------------------------------------------------------------------------------

def record(msg, args) -> logging.LogRecord:
    return logging.LogRecord("werkzeug", logging.INFO, __file__, 1, msg, args, None)


def test_werkzeug_request_lines_lose_the_access_code():
    # werkzeug logs '"%s" %s %s' with the request line as the first argument.
    rec = record('"%s" %s %s', ("GET /api/v1/complaints/TS-32-20261126-000001?access_code=AB23CD45EF&lang=en "
                                "HTTP/1.1", 200, 512))
    assert RedactSecrets().filter(rec) is True
    assert rec.getMessage() == ('"GET /api/v1/complaints/TS-32-20261126-000001?access_code=[redacted]&lang=en '
                                'HTTP/1.1" 200 512')


def test_secrets_in_the_message_itself_and_in_any_case_are_redacted():
    rec = record("GET /track?ACCESS_CODE=AB23CD45EF&token=abc.def password=hunter2", None)
    RedactSecrets().filter(rec)
    assert rec.getMessage() == "GET /track?ACCESS_CODE=[redacted]&token=[redacted] password=[redacted]"


def test_gunicorn_access_atoms_are_redacted():
    # gunicorn passes its atoms as one mapping; "%(r)s" is the request line, "%(q)s" the query.
    atoms = {"r": "GET /api/v1/complaints/TS-1?access_code=AB23CD45EF HTTP/1.1", "q": "access_code=AB23CD45EF",
             "s": "200"}
    rec = record("%(r)s %(q)s %(s)s", (atoms,))
    RedactSecrets().filter(rec)
    assert "AB23CD45EF" not in rec.getMessage()
    assert rec.getMessage().endswith("access_code=[redacted] 200")


def test_redaction_is_installed_on_the_access_loggers(app):
    install_redaction()  # idempotent
    for name in ("werkzeug", "gunicorn.access"):
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, RedactSecrets) for f in filters) == 1


def test_a_search_in_the_query_string_is_redacted_but_other_parameters_stay():
    """An officer's search carries a complainant's name or phone (found by tests/test_log_scan.py)."""
    rec = record('"%s" %s %s', ("GET /officer/complaints?status=accepted&q=王小明&page=2&freq=3 HTTP/1.1", 200, 9))
    RedactSecrets().filter(rec)
    assert rec.getMessage() == '"GET /officer/complaints?status=accepted&q=[redacted]&page=2&freq=3 HTTP/1.1" 200 9'
