"""Survey import (all or nothing, by line and column) and the index computed in the database."""
import io
import math
import random
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from supervision.extensions import db
from supervision.surveys.models import ITEMS, MethodologyVersion, SurveyResponse
from supervision.surveys.rules import HEADER

URL = "/api/v1/surveys/import"


def csv_bytes(rows) -> bytes:
    return "\n".join([",".join(HEADER), *(",".join(map(str, r)) for r in rows)]).encode() + b"\n"


def row(operator, respondent, scores=(8, 8, 8, 8, 8, 8), province="32", service="mobile", period="2026Q3"):
    return [operator.licence_no, province, service, period, respondent, *scores]


def upload(client, headers, data: bytes, name="survey.csv"):
    return client.post(URL, headers=headers, data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def held(operator_id=None) -> int:
    stmt = select(func.count()).select_from(SurveyResponse)
    if operator_id:
        stmt = stmt.where(SurveyResponse.operator_id == operator_id)
    return db.session.scalar(stmt)


@pytest.fixture
def setup(factory):
    operator = factory.operator(province="32")
    officer = factory.officer("32")
    return operator, officer, factory.headers(officer)


def test_methodology_version_1_is_seeded_exactly_as_spec(ctx):

    v1 = db.session.get(MethodologyVersion, 1)
    assert {k: float(v) for k, v in v1.weights().items()} == {
        "satisfaction": 0.40, "perceived_quality": 0.20, "perceived_value": 0.15, "complaints": 0.10,
        "loyalty": 0.10, "expectations": 0.05}
    assert (v1.scale_min, v1.scale_max, v1.satisfied_threshold, v1.minimum_n, float(v1.confidence_z)) == \
        (1, 10, 7, 100, 1.96)


def test_import_then_refuse_the_same_respondents(client, setup):
    operator, _, headers = setup
    data = csv_bytes([row(operator, f"R{i}") for i in range(3)])
    response = upload(client, headers, data)
    assert response.status_code == 201, response.json
    assert response.json["imported"] == 3
    again = upload(client, headers, csv_bytes([row(operator, "R9"), row(operator, "R1")]))
    assert again.status_code == 422
    assert again.json["error_count"] == 1
    assert again.json["errors"][0]["line"] == 3 and again.json["errors"][0]["column"] == "respondent_id"
    assert "R1" in again.json["errors"][0]["message"]
    assert held(operator.id) == 3  # R9 was not imported either: all or nothing
    # The same respondent id for another service or period is a different answer.
    assert upload(client, headers, csv_bytes([row(operator, "R1", service="fixed")])).status_code == 201


def test_errors_are_listed_by_line_and_column_and_nothing_is_imported(client, setup):
    operator, _, headers = setup
    rows = [row(operator, "A1"), row(operator, "A2", scores=(8, 8, 8, 8, 8, 11)),
            row(operator, "A3", service="tv"), row(operator, "A4"), ["only", "three", "cells"],
            row(operator, "A1")]
    response = upload(client, headers, csv_bytes(rows))
    assert response.status_code == 422
    errors = [(e["line"], e["column"]) for e in response.json["errors"]]
    assert errors == [(3, "loyalty"), (4, "service"), (6, "")]
    assert response.json["error_count"] == 3
    assert held() == 0


def test_duplicate_inside_one_file_is_refused(client, setup):
    operator, _, headers = setup
    response = upload(client, headers, csv_bytes([row(operator, "D1"), row(operator, "D2"), row(operator, "D1")]))
    assert response.status_code == 422
    assert [(e["line"], e["column"]) for e in response.json["errors"]] == [(4, "respondent_id")]
    assert "earlier in this file" in response.json["errors"][0]["message"]
    assert held() == 0


def test_only_the_first_100_errors_are_listed_with_the_count(client, setup):
    operator, _, headers = setup
    response = upload(client, headers, csv_bytes([row(operator, f"E{i}", service="tv") for i in range(150)]))
    assert response.status_code == 422
    assert len(response.json["errors"]) == 100 and response.json["error_count"] == 150


def test_rows_outside_the_officers_jurisdiction_are_refused(client, factory):
    national = factory.operator(scope="national", province=None)
    officer = factory.officer("32")
    response = upload(client, factory.headers(officer), csv_bytes([row(national, "J1"), row(national, "J2", province="44")]))
    assert response.status_code == 422
    assert [(e["line"], e["column"]) for e in response.json["errors"]] == [(3, "province")]
    # A national officer may import any province.
    cn_officer = factory.officer("CN")
    assert upload(client, factory.headers(cn_officer), csv_bytes([row(national, "J2", province="44")])).status_code == 201


def test_bad_header_and_non_utf8_are_refused(client, setup):
    operator, _, headers = setup
    bad_header = upload(client, headers, b"operator,province\n" + csv_bytes([row(operator, "H1")]))
    assert bad_header.status_code == 422 and bad_header.json["errors"][0]["line"] == 1
    latin1 = csv_bytes([row(operator, "H1")]) + "x,é\n".encode("latin-1")
    assert upload(client, headers, latin1).status_code == 422
    assert held() == 0


def test_only_officers_import(client, factory, setup):
    operator, _, _ = setup
    staff = factory.user("operator", operator=operator)
    assert upload(client, factory.headers(staff), csv_bytes([row(operator, "X1")])).status_code == 403
    assert upload(client, {}, csv_bytes([row(operator, "X1")])).status_code == 401


# --- the index -------------------------------------------------------------------------------

def reference_index(rows, weights, minimum_n=100):
    """Slow, exact, row by row: SPEC §8 read literally with rational arithmetic."""
    scores = [sum(Fraction(str(weights[item])) * Fraction(r[item] - 1, 9) * 100 for item in ITEMS) for r in rows]
    n = len(scores)
    mean = sum(scores) / n
    variance = sum((s - mean) ** 2 for s in scores) / (n - 1)
    se = math.sqrt(float(variance / n))
    return {"n": n, "index": float(mean), "ci_low": float(mean) - 1.96 * se, "ci_high": float(mean) + 1.96 * se,
            "satisfaction_rate": float(Fraction(sum(1 for r in rows if r["satisfaction"] >= 7), n)),
            "suppressed": n < minimum_n}


def preview(client, headers, period="2026Q3", **params):
    response = client.get("/api/v1/satisfaction-index/preview", headers=headers,
                          query_string={"period": period} | params)
    assert response.status_code == 200, response.json
    return response.json


def test_index_equals_the_exact_row_by_row_reference_on_random_data(client, setup, factory):
    operator, _, headers = setup
    rng = random.Random(20261126)
    rows = [{item: rng.randint(1, 10) for item in ITEMS} for _ in range(257)]
    upload_rows = [row(operator, f"Q{i}", scores=[r[item] for item in ITEMS]) for i, r in enumerate(rows)]
    assert upload(client, headers, csv_bytes(upload_rows)).status_code == 201
    body = preview(client, headers)
    assert body["methodology_version"] == 1
    [item] = body["items"]
    expected = reference_index(rows, db.session.get(MethodologyVersion, 1).weights())
    assert {k: item[k] for k in expected} == expected  # exact, not approximate
    assert item["operator_id"] == operator.id and (item["province"], item["service"]) == ("32", "mobile")


def test_small_cells_are_suppressed_in_the_preview(client, setup):
    operator, _, headers = setup
    assert upload(client, headers, csv_bytes([row(operator, f"S{i}") for i in range(99)]
                                             + [row(operator, f"T{i}", service="fixed") for i in range(100)])).status_code == 201
    items = {i["service"]: i for i in preview(client, headers)["items"]}
    assert items["mobile"]["suppressed"] and items["mobile"]["n"] == 99
    assert items["mobile"]["index"] is None and items["mobile"]["ci_low"] is None
    assert not items["fixed"]["suppressed"] and items["fixed"]["index"] == pytest.approx(700 / 9)
    assert preview(client, headers, service="fixed")["items"][0]["service"] == "fixed"


def test_preview_is_scoped_to_the_officers_province(client, factory):
    national = factory.operator(scope="national", province=None)
    cn = factory.officer("CN")
    upload(client, factory.headers(cn), csv_bytes([row(national, "P1", province="44"), row(national, "P2")]))
    jiangsu = factory.officer("32")
    assert {i["province"] for i in preview(client, factory.headers(jiangsu))["items"]} == {"32"}
    assert {i["province"] for i in preview(client, factory.headers(cn))["items"]} == {"32", "44"}
    bad = client.get("/api/v1/satisfaction-index/preview", headers=factory.headers(cn),
                     query_string={"period": "2026-3"})
    assert bad.status_code == 422


def test_survey_files_may_exceed_the_general_upload_limit(app, factory):
    from tests.conftest import sibling_app
    from tests.isolated_client import IsolatedClient

    operator = factory.operator()
    headers = factory.headers(factory.officer("32"))
    data = csv_bytes([row(operator, f"L{i}") for i in range(200)])  # ≈ 7 KB
    roomy = sibling_app(app, MAX_CONTENT_LENGTH=2_000, SURVEY_UPLOAD_MAX_BYTES=100_000)
    response = upload(IsolatedClient(roomy, roomy.response_class), headers, data)
    assert response.status_code == 201 and response.json["imported"] == 200
    tight = sibling_app(app, MAX_CONTENT_LENGTH=100_000, SURVEY_UPLOAD_MAX_BYTES=2_000)
    assert upload(IsolatedClient(tight, tight.response_class), headers, data).status_code == 413


# Every cell's sums by a plain GROUP BY with the full weight points in 64-bit integers, as the
# index was first computed: the domain's query (weights divided by their common factor, 32-bit
# arithmetic where it fits) must give the same sums, hence the same figures, bit for bit.
HAND_WRITTEN_INDEX = """
SELECT operator_id, province, service, count(*),
       sum(CAST({r} AS BIGINT)), sum(CAST({r} AS BIGINT) * CAST({r} AS BIGINT)),
       sum(CASE WHEN satisfaction >= {threshold} THEN 1 ELSE 0 END)
  FROM survey_responses WHERE period = :period GROUP BY operator_id, province, service
"""


@pytest.mark.parametrize("weights", [
    None,  # methodology version 1 (common factor 500)
    # No common factor and large points: R² passes 32 bits, the BIGINT path.
    {"expectations": "0.0001", "perceived_quality": "0.2999", "perceived_value": "0.1500",
     "satisfaction": "0.3333", "complaints": "0.1167", "loyalty": "0.1000"},
])
def test_index_sums_equal_a_hand_written_group_by_on_generated_rows(factory, weights):
    from decimal import Decimal

    from sqlalchemy import insert, text

    from supervision.access.models import NATIONAL
    from supervision.surveys import rules, services
    from supervision.surveys.models import SurveyImport

    operators = [factory.operator(province="32"), factory.operator(scope="national", province=None)]
    officer = factory.officer(NATIONAL)
    import_id = db.session.execute(insert(SurveyImport).returning(SurveyImport.id), {
        "filename": "generated.csv", "sha256": "0" * 64, "rows": 0, "imported_at": factory.now}).scalar_one()
    rng = random.Random(7)
    db.session.execute(insert(SurveyResponse), [
        {"import_id": import_id, "operator_id": rng.choice(operators).id, "province": rng.choice(("32", "33")),
         "service": rng.choice(("mobile", "broadband")), "period": "2026Q3", "respondent_id": f"G{i}"}
        | {item: min(10, max(1, round(rng.gauss(7.5, 2)))) for item in ITEMS}
        for i in range(3000)])
    db.session.commit()
    method = services.method_of(services.current_methodology())
    if weights:
        method = rules.Method(9, 1, 10, 7, 100, Decimal("1.96"), {k: Decimal(v) for k, v in weights.items()})
    assert rules.methodology_problem(method) is None

    points = method.weight_points
    r = " + ".join(f"{points[item]} * ({item} - 1)" for item in ITEMS)
    expected = {(op, province, service): rules.CellSums(n, int(s), int(s2), int(sat))
                for op, province, service, n, s, s2, sat in db.session.execute(
                    text(HAND_WRITTEN_INDEX.format(r=r, threshold=method.satisfied_threshold)),
                    {"period": "2026Q3"})}
    cells = services.index_cells("2026Q3", officer, method)
    assert len(cells) == len(expected) == 8
    for cell in cells:
        assert cell.figures == rules.index_figures(expected[(cell.operator_id, cell.province, cell.service)], method)
