"""Document numbers (SPEC §7): one sequence per authority, kind and year that never repeats, even
when officers issue at the same instant (threads with their own connections; SQLite and PostgreSQL)."""
import pytest

from supervision.extensions import db
from supervision.orders.numbering import format_number, next_value
from tests.api.test_concurrency import run_together

pytestmark = pytest.mark.slow


def test_concurrent_first_numbers_of_a_year_never_repeat(app, ctx):
    results, errors = run_together(app, 8, lambda i: next_value("44", "order", 2027))
    assert errors == []
    assert sorted(results) == list(range(1, 9))


def test_concurrent_numbers_continue_an_existing_sequence(app, ctx):
    next_value("32", "penalty", 2026)
    db.session.commit()
    results, errors = run_together(app, 6, lambda i: next_value("32", "penalty", 2026))
    assert errors == [] and sorted(results) == list(range(2, 8))


def test_sequences_are_per_authority_kind_and_year(app, ctx):
    values = [next_value(a, k, y) for a, k, y in
              [("44", "order", 2026), ("44", "order", 2026), ("32", "order", 2026), ("44", "penalty", 2026),
               ("44", "order", 2027)]]
    assert values == [1, 2, 1, 1, 1]
    assert format_number("44", "order", 2026, 3) == "粤通整〔2026〕3号"
    assert format_number("CN", "penalty", 2026, 12) == "工信部通罚〔2026〕12号"
