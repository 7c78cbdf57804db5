"""SPEC §8: the satisfaction index is computed with a stored, versioned methodology; a version that could not give
a meaningful index (weights not summing to 1, a scale the wrong way round, …) is refused, saying which rule."""
from decimal import Decimal

import pytest

from supervision.surveys import rules
from tests.unit.test_survey_rules import V1_WEIGHTS


def version(weights=V1_WEIGHTS, scale=(1, 10), threshold=7, minimum_n=100):
    return rules.Method(2, scale[0], scale[1], threshold, minimum_n, Decimal("1.96"), weights)


ITEM_LIST = "expectations, perceived_quality, perceived_value, satisfaction, complaints, loyalty"


@pytest.mark.parametrize(("method", "problem"), [
    (version(), None),
    (version(scale=(0, 4), threshold=0, minimum_n=1), None),   # the threshold may be either end of the scale
    (version(scale=(0, 4), threshold=4), None),
    (version({k: v for k, v in V1_WEIGHTS.items() if k != "loyalty"}), f"weights must name exactly {ITEM_LIST}"),
    (version(V1_WEIGHTS | {"price": Decimal("0")}), f"weights must name exactly {ITEM_LIST}"),
    (version(V1_WEIGHTS | {"loyalty": Decimal("-0.10"), "satisfaction": Decimal("0.60")}),
     "weights must be non-negative with at most four decimals"),
    (version(V1_WEIGHTS | {"loyalty": Decimal("0.10001"), "satisfaction": Decimal("0.39999")}),
     "weights must be non-negative with at most four decimals"),
    (version(V1_WEIGHTS | {"loyalty": Decimal("0.1001"), "satisfaction": Decimal("0.3999")}), None),
    (version(V1_WEIGHTS | {"loyalty": Decimal("0.0")}), "weights must sum to 1"),
    (version(V1_WEIGHTS | {"loyalty": Decimal("0.1001")}), "weights must sum to 1"),
    (version(scale=(10, 10), threshold=10), "scale_max must be above scale_min"),
    (version(scale=(10, 1)), "scale_max must be above scale_min"),
    (version(threshold=0), "the satisfied threshold must lie on the scale"),
    (version(threshold=11), "the satisfied threshold must lie on the scale"),
    (version(minimum_n=0), "minimum n must be at least 1"),
])
def test_a_methodology_version_is_usable_or_says_why_not(app, method, problem):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        found = rules.methodology_problem(method)
        assert (None if found is None else str(found)) == problem
