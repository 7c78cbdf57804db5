"""SPEC §8 / §10: a refused survey file answers 422 listing each bad row by line, column and a message
that says what the cell must be — the officer fixes the file from these words, so they are interface."""
import io

import pytest

from supervision.surveys.rules import HEADER

URL = "/api/v1/surveys/import"
GOOD_SCORES = ("8", "8", "8", "8", "8", "8")


def csv_bytes(rows) -> bytes:
    return "\n".join([",".join(HEADER), *(",".join(r) for r in rows)]).encode() + b"\n"


@pytest.fixture
def setup(factory):
    operator = factory.operator(province="32")
    return operator, factory.headers(factory.officer("32"))


def cells(operator, *, licence=None, service="mobile", period="2026Q3", respondent="R1", scores=GOOD_SCORES):
    return [operator.licence_no if licence is None else licence, "32", service, period, respondent, *scores]


SCORE_MESSAGE = "score must be a whole number from 1 to 10"


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"scores": ("8", "8", "8", "8", "8", "11")}, [("loyalty", SCORE_MESSAGE)]),
    ({"scores": ("0", "8", "8", "8", "8", "8")}, [("expectations", SCORE_MESSAGE)]),
    ({"scores": ("8", "7.5", "8", "+8", "8", "8")}, [("perceived_quality", SCORE_MESSAGE),
                                                     ("satisfaction", SCORE_MESSAGE)]),
    ({"service": "tv"}, [("service", "service must be one of mobile, fixed, broadband")]),
    ({"period": "2026Q5"}, [("period", "period must be a quarter like 2026Q3")]),
    # The test clock stands in 2026Q4: a later quarter is a typo, as is one before 2000.
    ({"period": "2027Q1"}, [("period", "period must lie between 2000Q1 and the current quarter 2026Q4")]),
    ({"period": "1999Q4"}, [("period", "period must lie between 2000Q1 and the current quarter 2026Q4")]),
    ({"respondent": "王小明"}, [("respondent_id", "respondent id must be 1–64 letters, digits, '.', '_', ':' or '-' "
                                                "(no personal data)")]),
    ({"licence": ""}, [("operator_licence_no", "operator licence number is required")]),
])
def test_each_bad_cell_is_named_with_the_rule_it_breaks(client, setup, overrides, expected):
    operator, headers = setup
    data = csv_bytes([cells(operator, respondent="OK1"), cells(operator, **overrides)])
    response = client.post(URL, headers=headers, data={"file": (io.BytesIO(data), "survey.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422, response.json
    assert response.json["error_count"] == len(expected)
    assert [(e["line"], e["column"], e["message"]) for e in response.json["errors"]] == \
        [(3, column, message) for column, message in expected]


def test_a_row_with_the_wrong_number_of_cells_says_how_many_were_expected(client, setup):
    operator, headers = setup
    data = csv_bytes([cells(operator), ["only", "three", "cells"]])
    response = client.post(URL, headers=headers, data={"file": (io.BytesIO(data), "survey.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert [(e["line"], e["column"], e["message"]) for e in response.json["errors"]] == \
        [(3, "", "expected 11 columns, found 3")]


def test_the_scores_of_the_whole_scale_are_accepted(client, setup):
    """Every whole score from 1 to 10 is valid (the scale ends are included), with respondent ids of 1 and 64
    characters."""
    operator, headers = setup
    rows = [cells(operator, respondent=f"S{score}", scores=(str(score),) * 6) for score in range(1, 11)]
    rows += [cells(operator, respondent="x"), cells(operator, respondent="A" + "b.c_d:e-" * 7 + "fghijkl")]
    assert len(rows[-1][4]) == 64
    response = client.post(URL, headers=headers, data={"file": (io.BytesIO(csv_bytes(rows)), "survey.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    assert response.json["imported"] == 12
