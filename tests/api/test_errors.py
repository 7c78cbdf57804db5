"""One error shape (SPEC §10): JSON `{"code", "message", "errors"}` under /api/, HTML pages elsewhere."""
import pytest

from supervision.errors import Conflict, ValidationFailed


def assert_json_error(response, code: int) -> dict:
    assert response.status_code == code
    assert response.mimetype == "application/json"
    body = response.json
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == code and isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    return body


@pytest.mark.parametrize("url", ["/api/v1/nothing-here", "/api/v1/operators/999999", "/api/v2/operators"])
def test_unknown_api_url_is_json_404(client, ctx, url):
    assert_json_error(client.get(url), 404)


def test_unknown_page_is_an_html_404(client, ctx):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert b"<html" in response.data.lower() and b'"code"' not in response.data


def test_wrong_method_on_the_api_is_json_405(client, ctx):
    body = assert_json_error(client.delete("/api/v1/operators"), 405)
    assert "not allowed" in body["message"]


def test_malformed_json_body_is_a_json_error(factory, client):
    headers = factory.headers(factory.admin()) | {"Content-Type": "application/json"}
    response = client.post("/api/v1/operators", data="{not json", headers=headers)
    assert response.status_code in (400, 422)
    assert_json_error(response, response.status_code)


def test_validation_errors_name_each_field_at_the_top_level(factory, client):
    headers = factory.headers(factory.admin())
    body = assert_json_error(client.post("/api/v1/operators", json={"name": "Only a name"}, headers=headers), 422)
    assert {"uscc", "licence_no", "scope"} <= set(body["errors"])
    assert "json" not in body["errors"]  # webargs' location level is flattened away
    assert all(isinstance(m, list) and all(isinstance(s, str) for s in m) for m in body["errors"].values())


@pytest.fixture
def throwaway_app(app):
    """A fresh app (same settings) with routes that fail, as a bug in a view would."""
    from supervision.app import create_app

    settings = {key: app.config[key] for key in app.config if key.isupper()}
    fresh = create_app(settings | {"PROPAGATE_EXCEPTIONS": False})

    @fresh.get("/api/v1/_boom")
    def boom():
        raise RuntimeError("secret internal detail")

    @fresh.get("/api/v1/_conflict")
    def conflict():
        raise Conflict("Cannot accept a closed complaint.", state="closed", allowed=["rate"])

    @fresh.get("/api/v1/_invalid")
    def invalid():
        raise ValidationFailed.field("province", "unknown province code")

    return fresh


def test_unexpected_error_in_an_api_view_is_json_500_without_details(throwaway_app):
    response = throwaway_app.test_client().get("/api/v1/_boom")
    body = assert_json_error(response, 500)
    assert "secret internal detail" not in response.get_data(as_text=True)
    assert body["errors"] == {}


def test_domain_errors_keep_their_status_and_extra_fields(throwaway_app):
    client = throwaway_app.test_client()
    conflict = client.get("/api/v1/_conflict")
    assert conflict.status_code == 409
    assert conflict.json == {"code": 409, "message": "Cannot accept a closed complaint.", "errors": {},
                             "state": "closed", "allowed": ["rate"]}
    invalid = client.get("/api/v1/_invalid")
    assert invalid.status_code == 422
    assert invalid.json["errors"] == {"province": ["unknown province code"]}


@pytest.mark.parametrize(("method", "url", "kwargs", "where"), [
    ("patch", "/api/v1/operators/{id}", {"json": {"name": "Evil\x00Co"}}, "name"),
    ("patch", "/api/v1/operators/{id}", {"json": {"hotlines": [{"number": "10086", "label": "a\x00"}]}},
     "hotlines.0.label"),
    ("get", "/api/v1/operators", {"query_string": {"q": "a\x00b"}}, "q"),
    ("get", "/api/v1/complaints/TS-32%00", {}, "path"),
    ("post", "/api/v1/auth/token", {"json": {"username": "admin\x00", "password": "x"}}, "username"),
])
def test_nul_characters_are_refused_before_reaching_the_database(factory, client, method, url, kwargs, where):
    """PostgreSQL cannot hold U+0000: it used to surface as a 500 from the driver."""
    operator = factory.operator(name="Clean Co")
    headers = factory.headers(factory.admin())
    response = getattr(client, method)(url.format(id=operator.id), headers=headers, **kwargs)
    body = assert_json_error(response, 422)
    assert where in body["errors"]
    assert client.get(f"/api/v1/operators/{operator.id}").json["name"] == "Clean Co"


def test_nul_in_a_complaint_body_names_the_nested_field(factory, client):
    operator = factory.operator()
    body = factory.complaint_body(operator)
    body["complainant"]["name"] = "王\x00"
    response = client.post("/api/v1/complaints", json=body)
    assert assert_json_error(response, 422)["errors"] == {
        "complainant.name": ["must not contain the NUL character (U+0000)"]}


def test_text_longer_than_its_column_is_422_not_a_database_error(factory, client):
    """PostgreSQL refuses an over-long VARCHAR with a driver error; the schema must say so first."""
    operator = factory.operator()
    body = factory.complaint_body(operator)
    body["complainant"]["email"] = "a" * 230 + "@example.com"
    response = client.post("/api/v1/complaints", json=body)
    assert "email" in " ".join(assert_json_error(response, 422)["errors"]["complainant"])


@pytest.mark.parametrize(("url", "query"), [
    ("/api/v1/operators/99999999999999999999", None),
    ("/api/v1/operators", {"cursor": "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ=="}),  # base64 of a 22-digit number
    ("/api/v1/complaints", {"operator_id": "99999999999999999999"}),
])
def test_numbers_no_record_can_have_are_not_server_errors(factory, client, url, query):
    """SQLite cannot bind integers beyond 64 bits: these used to raise OverflowError (500)."""
    headers = factory.headers(factory.admin())
    response = client.get(url, query_string=query, headers=headers)
    assert response.status_code in (404, 422)
    assert_json_error(response, response.status_code)


def test_complaint_against_an_impossible_operator_id_is_422(factory, client):
    body = factory.complaint_body(factory.operator()) | {"operator_id": -10**30}
    response = client.post("/api/v1/complaints", json=body)
    assert "operator_id" in assert_json_error(response, 422)["errors"]


def test_no_route_takes_an_unbounded_integer(app):
    """Every integer in a path is a record id bounded by the `id` converter: a huge number is a
    404 from the route, never an OverflowError from the database driver (a 500)."""
    unbounded = [rule.rule for rule in app.url_map.iter_rules() if "<int" in rule.rule]
    assert unbounded == []


@pytest.mark.parametrize("path", ["/api/v1/findings/99999999999999999999", "/api/v1/operators/99999999999999999999",
                                  "/officer/operators/99999999999999999999"])
def test_a_huge_id_in_a_path_is_not_found(client, path):
    assert client.get(path).status_code == 404
