"""SPEC §8 complaint statistics, edge rules pinned: what has no rate or no change, and when two operators'
intervals count as overlapping (then they are not ranked against each other)."""
import pytest

from supervision.statistics import rules


def test_a_rate_needs_a_positive_subscriber_count_and_one_subscriber_is_enough():
    assert rules.rate_per_million(1, 1, 0.95).per_million == 1_000_000
    for subscribers in (0, -5):
        with pytest.raises(ValueError, match="^a rate needs a positive subscriber count$"):
            rules.rate_per_million(1, subscribers, 0.95)


def test_a_negative_count_has_no_interval():
    with pytest.raises(ValueError, match="^a count cannot be negative$"):
        rules.poisson_interval(-1, 0.95)


@pytest.mark.parametrize(("current", "previous", "change"), [
    (12, 10, 0.2),
    (5, 10, -0.5),
    (0, 4, -1.0),
    (12, None, None),   # no figure for the earlier quarter (e.g. no subscriber count then)
    (None, 10, None),
    (None, None, None),
    (3, 0, None),       # nothing to compare with: a change from zero is not a percentage
])
def test_relative_change(current, previous, change):
    assert rules.relative_change(current, previous) == (None if change is None else pytest.approx(change))


@pytest.mark.parametrize(("met", "missed", "share"), [(0, 0, None), (0, 3, 0.0), (3, 0, 1.0), (1, 3, 0.25)])
def test_timely_share(met, missed, share):
    assert rules.timely_share(met, missed) == share


def test_intervals_that_touch_overlap():
    """An interval starting exactly where another ends cannot be told apart from it: same group."""
    touching = {1: rules.Rate(10, 8, 12), 2: rules.Rate(15, 12, 20)}
    assert rules.comparable_groups(touching) == {1: 1, 2: 1}
    apart = {1: rules.Rate(10, 8, 12), 2: rules.Rate(15, 12.000001, 20)}
    assert rules.comparable_groups(apart) == {1: 1, 2: 2}


def test_operators_with_identical_rates_share_a_group():
    """Two operators with the same count and subscribers have the same rate and interval: one group, in a
    stable order, whichever id comes first."""
    same = rules.rate_per_million(4, 2_000_000, 0.95)
    assert rules.comparable_groups({9: same, 2: same, 5: rules.Rate(900, 800, 1000)}) == {2: 1, 9: 1, 5: 2}
    assert list(rules.comparable_groups({9: same, 2: same})) == [2, 9]


def test_group_numbers_follow_the_rates_not_the_keys():
    """Group 1 is the lowest complaint rate whatever the operator ids; nothing rated, no groups."""
    rates = {7: rules.Rate(40, 30, 50), 3: rules.Rate(1, 0.5, 2), 5: rules.Rate(10, 8, 12)}
    assert rules.comparable_groups(rates) == {3: 1, 5: 2, 7: 3}
    assert rules.comparable_groups({}) == {}


@pytest.mark.parametrize(("period", "start", "end"), [
    ("2026Q1", (2026, 1, 1), (2026, 4, 1)),
    ("2026Q2", (2026, 4, 1), (2026, 7, 1)),
    ("2026Q3", (2026, 7, 1), (2026, 10, 1)),
    ("2026Q4", (2026, 10, 1), (2027, 1, 1)),
])
def test_a_quarter_counts_from_its_first_day_to_the_first_day_of_the_next(period, start, end):
    from datetime import date

    assert rules.quarter_bounds(period) == (date(*start), date(*end))
