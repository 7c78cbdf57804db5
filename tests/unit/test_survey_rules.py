"""The satisfaction index of SPEC §8 against hand-computed values, and row checks."""
import math
from decimal import Decimal
from fractions import Fraction

import pytest

from supervision.surveys import rules
from supervision.surveys.models import ITEMS

V1_WEIGHTS = {"satisfaction": Decimal("0.40"), "perceived_quality": Decimal("0.20"),
              "perceived_value": Decimal("0.15"), "complaints": Decimal("0.10"), "loyalty": Decimal("0.10"),
              "expectations": Decimal("0.05")}


def method(minimum_n=100):
    return rules.Method(1, 1, 10, 7, minimum_n, Decimal("1.96"), V1_WEIGHTS)


def sums_of(respondents, m):
    raws = [rules.raw_score(r, m) for r in respondents]
    return rules.CellSums(len(raws), sum(raws), sum(r * r for r in raws),
                          sum(1 for r in respondents if r["satisfaction"] >= m.satisfied_threshold))


def all_items(score, **overrides):
    return {item: score for item in ITEMS} | overrides


def test_respondent_score_is_the_weighted_sum_of_rescaled_items():
    m = method()
    # satisfaction 7 → (7−1)/9×100 = 66.67 × 0.40; quality 4 → 33.33 × 0.20; the rest rescale to 0.
    raw = rules.raw_score(all_items(1, satisfaction=7, perceived_quality=4), m)
    assert raw * rules.score_scale(m) == pytest.approx(0.40 * 600 / 9 + 0.20 * 300 / 9)
    assert raw * rules.score_scale(m) == Fraction(100, 3)
    assert rules.raw_score(all_items(10), m) * rules.score_scale(m) == 100
    assert rules.raw_score(all_items(10, satisfaction=1), m) * rules.score_scale(m) == 60


def test_two_respondents_by_hand():
    # Scores 100 and 0: mean 50, sample SD √5000 = 70.71, SE = 70.71/√2 = 50, CI 50 ± 98.
    figures = rules.index_figures(sums_of([all_items(10), all_items(1)], method(2)), method(2))
    assert figures.index == 50
    assert figures.standard_error == pytest.approx(50)
    assert (figures.ci_low, figures.ci_high) == (pytest.approx(-48), pytest.approx(148))
    assert figures.satisfaction_rate == 0.5
    assert figures.n == 2 and not figures.suppressed and figures.methodology_version == 1


def test_one_respondent_has_an_index_but_no_standard_error():
    figures = rules.index_figures(sums_of([all_items(1, satisfaction=7, perceived_quality=4)], method(1)), method(1))
    assert figures.index == pytest.approx(100 / 3)
    assert figures.standard_error is None and figures.ci_low is None and figures.ci_high is None
    assert figures.satisfaction_rate == 1.0


def test_cells_below_the_minimum_n_are_suppressed_never_zero():
    respondents = [all_items(8)] * 99
    suppressed = rules.index_figures(sums_of(respondents, method()), method())
    assert suppressed.suppressed and suppressed.n == 99
    assert suppressed.index is None and suppressed.ci_low is None and suppressed.satisfaction_rate is None
    shown = rules.index_figures(sums_of(respondents + [all_items(8)], method()), method())
    assert not shown.suppressed and shown.index == pytest.approx(700 / 9)
    assert shown.standard_error == 0 and shown.satisfaction_rate == 1.0


def test_version_1_weights_are_a_valid_methodology():
    assert rules.methodology_problem(method()) is None
    broken = rules.Method(2, 1, 10, 7, 100, Decimal("1.96"), V1_WEIGHTS | {"loyalty": Decimal("0.20")})
    assert "sum to 1" in str(rules.methodology_problem(broken))


@pytest.mark.parametrize(("cells", "column"), [
    (["B2-1", "32", "mobile", "2026Q3", "r1", "5", "5", "5", "5", "5", "11"], "loyalty"),
    (["B2-1", "32", "mobile", "2026Q3", "r1", "0", "5", "5", "5", "5", "5"], "expectations"),
    (["B2-1", "32", "mobile", "2026Q3", "r1", "5", "5.5", "5", "5", "5", "5"], "perceived_quality"),
    (["B2-1", "32", "tv", "2026Q3", "r1", "5", "5", "5", "5", "5", "5"], "service"),
    (["B2-1", "32", "mobile", "2026Q5", "r1", "5", "5", "5", "5", "5", "5"], "period"),
    (["B2-1", "32", "mobile", "2027Q1", "r1", "5", "5", "5", "5", "5", "5"], "period"),
    (["B2-1", "32", "mobile", "2026Q3", "王小明", "5", "5", "5", "5", "5", "5"], "respondent_id"),
    (["B2-1", "32", "mobile", "2026Q3", "r1", "5", "5", "5", "5", "5"], ""),
])
def test_row_problems_name_the_column(app, cells, column):
    with app.test_request_context():
        problems = rules.row_problems(cells, method(), "2026Q4")
    assert [c for c, _ in problems] == [column]


def test_a_good_row_has_no_problems():
    assert rules.row_problems(["B2-1", "32", "fixed", "2026Q4", "R-0001", *"1234567"[:6]], method(), "2026Q4") == []


def test_sqrt_of_exact_variance_matches_float_reference():
    # The variance formula from sums agrees with the two-pass definition on awkward data.
    m = method(3)
    respondents = [all_items(3, satisfaction=9), all_items(7), all_items(2, loyalty=10)]
    scores = [rules.raw_score(r, m) * rules.score_scale(m) for r in respondents]
    mean = sum(scores) / 3
    variance = sum((s - mean) ** 2 for s in scores) / 2
    figures = rules.index_figures(sums_of(respondents, m), m)
    assert figures.standard_error == math.sqrt(variance / 3)


def test_figures_are_the_exact_rationals_rounded_once():
    # index_figures divides integers (correctly rounded in Python); it must give bit for bit the
    # floats of the exact Fraction computation, on random cells of both methodologies' scales.
    import random

    rng = random.Random(10)
    for m in (method(1), rules.Method(2, 0, 4, 3, 1, Decimal("2.576"), V1_WEIGHTS)):
        scale = rules.score_scale(m)
        for _ in range(300):
            respondents = [{item: rng.randint(m.scale_min, m.scale_max) for item in ITEMS}
                           for _ in range(rng.randint(2, 60))]
            sums = sums_of(respondents, m)
            n = sums.n
            mean = Fraction(sums.sum_raw, n) * scale
            variance = Fraction(n * sums.sum_raw_squares - sums.sum_raw ** 2, n * (n - 1)) * scale ** 2
            se = math.sqrt(variance / n)
            figures = rules.index_figures(sums, m)
            assert (figures.index, figures.standard_error) == (float(mean), se)
            assert (figures.ci_low, figures.ci_high) == (float(mean) - float(m.confidence_z) * se,
                                                         float(mean) + float(m.confidence_z) * se)
            assert figures.satisfaction_rate == float(Fraction(sums.satisfied, n))
