"""The retention window [M 17] (SPEC §4) pinned at its edges: which days must be producible on a day
(the window, every held month, nothing after the attested day), which are missing, and the months a
billing-record sample may ask for."""
from datetime import date

import pytest

from supervision.obligations.retention_rules import (
    Coverage,
    draw_sample,
    judge_coverage,
    merge,
    month_range,
    sample_months,
)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


@pytest.mark.parametrize(("month", "days"), [
    ("2026-01", (d(1, 1), d(1, 31))),
    ("2026-02", (d(2, 1), d(2, 28))),
    ("2028-02", (date(2028, 2, 1), date(2028, 2, 29))),
    ("2026-04", (d(4, 1), d(4, 30))),
    ("2026-10", (d(10, 1), d(10, 31))),
    ("2026-12", (d(12, 1), d(12, 31))),
])
def test_a_held_month_is_every_day_of_that_month(month, days):
    """SPEC §4: every month under a hold must be producible: its first to its last day."""
    assert month_range(month) == days


@pytest.mark.parametrize(("ranges", "merged"), [
    pytest.param([(d(1, 1), d(1, 10)), (d(1, 3), d(1, 5))], [(d(1, 1), d(1, 10))], id="one inside another"),
    pytest.param([(d(1, 1), d(1, 10)), (d(1, 10), d(1, 12))], [(d(1, 1), d(1, 12))], id="sharing a day"),
    pytest.param([(d(1, 1), d(1, 4)), (d(1, 6), d(1, 9))], [(d(1, 1), d(1, 4)), (d(1, 6), d(1, 9))],
                 id="a day apart stay apart"),
    pytest.param([(d(3, 1), d(3, 31)), (d(1, 1), d(1, 31)), (d(1, 20), d(2, 10)), (d(2, 11), d(2, 12))],
                 [(d(1, 1), d(2, 12)), (d(3, 1), d(3, 31))], id="several, unordered"),
])
def test_overlapping_or_touching_day_ranges_are_one(ranges, merged):
    """Gaps and required days are listed as the fewest whole ranges (a finding lists them)."""
    assert merge(ranges) == merged


def test_a_coverage_states_the_window_the_held_months_the_required_days_and_the_gaps():
    """SPEC §4: on D, the window D − 5 months..D plus each held month (listed once, in order); the days held
    [earliest, latest] are taken out, leaving the missing days on either side."""
    coverage = judge_coverage(d(7, 31), 5, ["2025-11", "2025-09", "2025-11", "2026-04"], d(3, 10), d(7, 20))
    assert coverage == Coverage(
        required_from=d(2, 28), required_to=d(7, 31), held_months=("2025-09", "2025-11", "2026-04"),
        required=((d(9, 1, 2025), d(9, 30, 2025)), (d(11, 1, 2025), d(11, 30, 2025)), (d(2, 28), d(7, 31))),
        gaps=((d(9, 1, 2025), d(9, 30, 2025)), (d(11, 1, 2025), d(11, 30, 2025)), (d(2, 28), d(3, 9)),
              (d(7, 21), d(7, 31))))
    assert coverage.missing_days == 30 + 30 + 10 + 11
    assert not coverage.compliant


def test_holding_a_single_day_counts_that_day():
    """An attestation whose earliest and latest day are the same still holds that day."""
    coverage = judge_coverage(d(7, 31), 5, [], d(5, 1), d(5, 1))
    assert coverage.gaps == ((d(2, 28), d(4, 30)), (d(5, 2), d(7, 31)))


def test_an_impossible_held_range_holds_nothing():
    """Earliest after latest: every required day is missing."""
    coverage = judge_coverage(d(7, 31), 5, ["2025-12"], d(5, 2), d(5, 1))
    assert coverage.gaps == ((d(12, 1, 2025), d(12, 31, 2025)), (d(2, 28), d(7, 31)))


def test_an_as_of_date_after_the_judging_day_asks_nothing_beyond_that_day():
    """SPEC §4: the window ends on D; days after D are never required."""
    coverage = judge_coverage(d(7, 31), 5, [], d(2, 28), d(7, 31), attested_to=d(8, 10))
    assert coverage.required == ((d(2, 28), d(7, 31)),) and coverage.compliant


@pytest.mark.parametrize(("attested_to", "held", "required"), [
    pytest.param(d(6, 30), [], (), id="an attestation older than the whole window speaks for none of it"),
    pytest.param(d(7, 31), [], ((d(7, 31), d(7, 31)),), id="its as-of day is the window's first day"),
    pytest.param(d(3, 1), ["2026-03", "2026-05"], ((d(3, 1), d(3, 1)),),
                 id="a held month counts only up to the as-of day"),
])
def test_an_older_attestation_is_judged_only_up_to_its_as_of_day(attested_to, held, required):
    """SPEC §4: judged on today's window (from 31 July on 31 December), an old attestation cannot be missing the
    days after its as-of date (its age is judged apart)."""
    coverage = judge_coverage(d(12, 31), 5, held, d(1, 1), attested_to, attested_to=attested_to)
    assert coverage.required_from == d(7, 31)
    assert coverage.required == required
    assert coverage.compliant


def test_a_sample_may_ask_for_each_month_of_a_window_across_the_new_year_and_the_held_months():
    """SPEC §4: the sample is drawn inside the required window and the held months."""
    assert sample_months((d(11, 15, 2025), d(2, 10)), ["2025-06", "2025-12"]) == [
        "2025-06", "2025-11", "2025-12", "2026-01", "2026-02"]
    assert sample_months((d(3, 5), d(3, 20)), []) == ["2026-03"]


def test_a_sample_larger_than_the_pool_is_the_whole_pool_without_duplicates():
    """SPEC §4: distinct (account, month) pairs; asking for more than exist gives each once."""
    assert draw_sample(7, ["B", "A", "B"], ["2026-02", "2026-01"], 10) == [
        ("A", "2026-01"), ("A", "2026-02"), ("B", "2026-01"), ("B", "2026-02")]
