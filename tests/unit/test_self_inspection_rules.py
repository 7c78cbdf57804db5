"""Self-inspection content rules [M 18] (SPEC §5): periods, due dates, blocking errors, discrepancies."""
from datetime import date

from supervision.obligations import checklist as rules

DUE = {"H1": (7, 15), "H2": (1, 15)}


def test_periods_and_their_due_dates():
    assert rules.parse_period("2026H1") == (2026, 1)
    assert rules.parse_period("2026H3") is None and rules.parse_period("26H1") is None
    assert rules.report_due(2026, 1, DUE) == date(2026, 7, 15)
    assert rules.report_due(2026, 2, DUE) == date(2027, 1, 15)  # H2 is due in the next year
    assert rules.period_bounds(2026, 2) == (date(2026, 7, 1), date(2026, 12, 31))


def test_unanswered_items_fails_without_explanation_and_missing_metrics_block():
    checklist = rules.new_checklist(("hotline_published", "answers_in_time", "charges_queryable"))
    checklist[0]["result"] = "pass"
    checklist[1]["result"] = "fail"
    errors = rules.blocking_errors(checklist, {"complaints_received": 3, "answered_in_time_share": 1.5})
    assert set(errors) == {"checklist.answers_in_time", "checklist.charges_queryable",
                           "metrics.answered_in_time_share", "metrics.billing_error_rate"}


def test_a_complete_report_has_no_blocking_errors():
    checklist = rules.new_checklist(("hotline_published",))
    checklist[0].update(result="fail", explanation="Hotline unstaffed at night")
    metrics = {"complaints_received": 0, "answered_in_time_share": 0, "billing_error_rate": 0.0}
    assert rules.blocking_errors(checklist, metrics) == {}


def test_a_difference_above_the_tolerance_is_a_discrepancy():
    prefilled = {"complaints_received": 100, "answered_in_time_share": 0.9}
    assert rules.discrepancies({"complaints_received": 104, "answered_in_time_share": 0.86}, prefilled, 0.05) == []
    found = rules.discrepancies({"complaints_received": 80, "answered_in_time_share": 0.99}, prefilled, 0.05)
    assert [d["metric"] for d in found] == ["complaints_received", "answered_in_time_share"]


def test_a_billing_error_rate_above_the_standard_is_a_warning_not_an_error():
    checklist = rules.new_checklist(("billing_records_kept",))
    checklist[0]["result"] = "pass"
    metrics = {"complaints_received": 0, "answered_in_time_share": 1, "billing_error_rate": 2e-4}
    assert rules.blocking_errors(checklist, metrics) == {}
    assert len(rules.warnings(checklist, metrics, [], 1e-4)) == 1
