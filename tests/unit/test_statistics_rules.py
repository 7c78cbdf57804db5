"""Exact Poisson intervals, changes and comparison groups of the complaint statistics (SPEC §8)."""
import pytest

from supervision.statistics import rules


@pytest.mark.parametrize(("count", "low", "high"), [
    # Garwood (1936) exact 95% limits, as tabulated (e.g. Ulm 1990; R's poisson.test).
    (0, 0.0, 3.688879),
    (1, 0.02531781, 5.571643),
    (5, 1.623486, 11.668332),
    (10, 4.795389, 18.390356),
])
def test_poisson_interval_matches_published_exact_limits(count, low, high):
    got_low, got_high = rules.poisson_interval(count, 0.95)
    assert got_low == pytest.approx(low, rel=1e-6)
    assert got_high == pytest.approx(high, rel=1e-6)


def test_rate_per_million_scales_count_and_interval():
    rate = rules.rate_per_million(10, 2_000_000, 0.95)
    assert rate.per_million == 5.0
    assert rate.ci_low == pytest.approx(4.795389 / 2, rel=1e-6)
    assert rate.ci_high == pytest.approx(18.390356 / 2, rel=1e-6)
    with pytest.raises(ValueError):
        rules.rate_per_million(1, 0, 0.95)


def test_relative_change_is_unknown_without_a_base():
    assert rules.relative_change(12, 10) == pytest.approx(0.2)
    assert rules.relative_change(12, 0) is None
    assert rules.relative_change(None, 10) is None


def test_timely_share_ignores_running_clocks():
    assert rules.timely_share(19, 1) == 0.95
    assert rules.timely_share(0, 0) is None


def test_operators_are_ranked_only_where_intervals_separate():
    rates = {1: rules.Rate(10, 8, 12), 2: rules.Rate(11, 9, 13), 3: rules.Rate(30, 25, 35),
             4: rules.Rate(14, 12.5, 16)}
    # 1 and 2 overlap; 4 overlaps 2 (12.5 ≤ 13): one chain; 3 stands apart.
    assert rules.comparable_groups(rates) == {1: 1, 2: 1, 4: 1, 3: 2}
    assert rules.comparable_groups({1: rules.Rate(10, 8, 12), 2: rules.Rate(20, 13, 25)}) == {1: 1, 2: 2}


def test_quarter_bounds():
    from datetime import date
    assert rules.quarter_bounds("2026Q4") == (date(2026, 10, 1), date(2027, 1, 1))
    assert rules.quarter_bounds("2026Q1") == (date(2026, 1, 1), date(2026, 4, 1))
