"""Access matrix (SPEC §1, §9, §10; issue 11 item 2): every API operation of the OpenAPI document
and every web route of the app, asked by every role, answers what tests/access_matrix.py says.

The table is data a reviewer reads against the SPEC; this module only builds the world (one
record of each kind, tests/access_matrix_world.py), sends the requests and compares. A route or
operation without a row fails `test_every_route_has_a_row`, naming the row to add.

One database for the whole module, built once; each request runs inside a transaction rolled
back afterwards (every session of the app joins it through a SAVEPOINT), so an allowed write
(an accepted complaint, a revoked token, a log-out) changes nothing for the next cell.
"""
import contextlib
import io
import json
import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from supervision.clock import FixedClock
from tests.access_matrix import ROWS, Row, parse_rows
from tests.access_matrix_world import PDF, ROLES, SURVEY_HEADER, build_world
from tests.conftest import DEFAULT_NOW, Factory
from tests.databases import migrated_app, throwaway_database_url

pytestmark = pytest.mark.slow
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
# Served by Flask itself or the API machinery, the same to everyone: no row, no role to check.
NOT_IN_MATRIX = {"static"}


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    from supervision.extensions import db

    with throwaway_database_url("matrix") as url:
        app = migrated_app(url, FixedClock(DEFAULT_NOW), str(tmp_path_factory.mktemp("matrix-uploads")))
        with app.app_context():
            world = build_world(app, Factory(app.extensions["clock"]))
            db.session.remove()
        yield app, world
        with app.app_context():
            db.engine.dispose()


@contextlib.contextmanager
def rolled_back(app):
    """Every session of every request joins one outer transaction, rolled back at the end.

    Flask-SQLAlchemy asks `db.engines` for its bind; pointing it at one connection inside a
    transaction, with sessions joining by SAVEPOINT, lets the app commit as usual.
    """
    from supervision.extensions import db

    with app.app_context():
        engines = db._app_engines[app]
        engine = engines[None]
        factory_kw = db.session.session_factory.kw
        with engine.connect() as connection:
            outer = connection.begin()
            db.session.remove()
            engines[None] = connection
            factory_kw["join_transaction_mode"] = "create_savepoint"
            try:
                yield
            finally:
                db.session.remove()
                engines[None] = engine
                factory_kw.pop("join_transaction_mode")
                outer.rollback()


# --- the routes the app has ------------------------------------------------------------------

def api_operations(app) -> set[tuple[str, str]]:
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    return {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops
            if method in {"get", "post", "put", "patch", "delete"}}


def web_routes(app, api: set[tuple[str, str]]) -> set[tuple[str, str]]:
    api_paths = {path for _, path in api}
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_IN_MATRIX:
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        if path in api_paths:
            continue
        found |= {(method, path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def template_pattern(path: str) -> re.Pattern:
    """A route template as a pattern a row's path must match (a placeholder matches one segment)."""
    parts = PLACEHOLDER.split(path)
    return re.compile("[^/]+".join(re.escape(part) for part in parts) + r"\Z")


def covering_rows(method: str, path: str) -> list[Row]:
    pattern = template_pattern(path)
    return [row for row in ROWS if row.method == method and pattern.match(urlsplit(row.path).path)]


def test_every_route_has_a_row(matrix):
    app, _ = matrix
    api = api_operations(app)
    missing = sorted(f"{method} {path}" for method, path in api | web_routes(app, api)
                     if not covering_rows(method, path))
    assert not missing, "routes without a row in tests/access_matrix.py:\n" + "\n".join(missing)


def test_every_row_names_a_route(matrix):
    app, _ = matrix
    api = api_operations(app)
    routes = api | web_routes(app, api)
    stale = [f"{row.method} {row.path}" for row in ROWS
             if not any(method == row.method and template_pattern(path).match(urlsplit(row.path).path)
                        for method, path in routes)]
    assert not stale, "rows of tests/access_matrix.py that match no route:\n" + "\n".join(stale)


def test_the_table_parses_strictly():
    with pytest.raises(ValueError, match="10 cells"):
        parse_rows("GET /x | ok ok")
    with pytest.raises(ValueError, match="unknown expectation"):
        parse_rows("GET /x | ok ok ok ok ok ok ok ok ok maybe")


def test_a_cell_leaves_nothing_behind(matrix):
    """The isolation the cells rely on: an allowed write and a revoked token are rolled back."""
    app, world = matrix
    officer = {"Authorization": f"Bearer {world.tokens['officer_in_scope']}"}
    findings = lambda: len(app.test_client().get("/api/v1/findings", headers=officer).get_json()["items"])  # noqa: E731
    before = findings()
    with rolled_back(app):
        created = app.test_client().post("/api/v1/findings", headers=officer, json={
            "operator_id": int(world.params["operator_id"]), "province": "32", "article": "M 16", "facts": "x"})
        assert created.status_code == 201 and findings() == before + 1
        assert app.test_client().delete("/api/v1/auth/token", headers=officer).status_code == 204
    assert findings() == before  # and the token works again


# --- the cells -------------------------------------------------------------------------------

def is_api(path: str) -> bool:
    return path.startswith("/api/v1/") and not path.startswith(("/api/v1/docs", "/api/v1/openapi.json"))


def fill(path: str, params: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        name = match[0][1:-1]
        if name not in params:
            raise KeyError(f"no record for placeholder {{{name}}}: add it in tests/access_matrix_world.py")
        return params[name]
    return PLACEHOLDER.sub(value, path)


def send(app, world, row: Row, role: str):
    """The row's request as `role` sends it: a token for the API, a session cookie for pages;
    the complainant adds the reference and access code where a complaint is addressed."""
    split = urlsplit(fill(row.path, world.params))
    query = dict(parse_qsl(split.query))
    client = app.test_client()
    kwargs = {"headers": {"Accept-Language": "en"}}
    if is_api(row.path) and role in world.tokens:
        kwargs["headers"]["Authorization"] = f"Bearer {world.tokens[role]}"
    elif not is_api(row.path) and role in world.cookies:
        client.set_cookie("session", world.cookies[role])
    credentials = complainant_credentials(world, row, split.path) if role == "complainant" else {}
    if row.method not in WRITE_METHODS:
        query |= credentials
    elif is_api(row.path) and not row.body.startswith("form "):
        kwargs["json"] = json.loads(fill(row.body or "{}", world.params)) | credentials
    else:
        kwargs["data"] = form_fields(fill(row.body.removeprefix("form ") or "{}", world.params)) | credentials
    return client.open(split.path, method=row.method, query_string=query, **kwargs)


def complainant_credentials(world, row: Row, path: str) -> dict:
    """What the complainant adds: the access code where their complaint is addressed (the API
    takes the reference from the path), the reference too on the tracking pages' forms."""
    if "{reference}" in row.path:
        return {"access_code": world.access_code}
    if path.startswith("/track/actions/"):  # each action's form has its own prefix
        action = path.rsplit("/", 1)[1]
        return {f"{action}-reference": world.reference, f"{action}-access_code": world.access_code}
    if path.startswith("/track"):
        return {"reference": world.reference, "access_code": world.access_code}
    return {}


FILES = {"@pdf": ("evidence.pdf", PDF), "@csv": ("survey.csv", SURVEY_HEADER)}


def form_fields(text: str) -> dict:
    """A form body from the table: JSON, where "@pdf" or "@csv" stands for an uploaded file."""
    fields = json.loads(text)
    return {name: (io.BytesIO(FILES[value][1]), FILES[value][0]) if value in FILES else value
            for name, value in fields.items()}


def verdict(row: Row, response) -> str:
    """What the answer means, in the table's words."""
    status = response.status_code
    if status in (302, 303) and urlsplit(response.headers.get("Location", "")).path == "/login":
        return "login"
    if status in (401, 403, 404):
        return str(status)
    if status < 400 or status in (409, 422):
        return "ok"
    return f"unexpected {status}"


CELLS = [pytest.param(row, role, id=f"{row.method} {row.path} | {role}")
         for row in ROWS for role in ROLES]


@pytest.mark.parametrize(("row", "role"), CELLS)
def test_cell(matrix, row: Row, role: str):
    app, world = matrix
    expected = row.expected[ROLES.index(role)]
    with rolled_back(app):
        response = send(app, world, row, role)
    got = verdict(row, response)
    assert got == expected, (f"{row.method} {row.path} as {role}: expected {expected}, got {got} "
                             f"({response.status_code}: {response.get_data(as_text=True)[:300]})")
