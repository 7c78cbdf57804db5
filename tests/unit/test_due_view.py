"""The officer's "what is due" (SPEC §3, §10 GET /due): each line says which record, which clock,
when, in what state, under which legal source and who owes it; the kind and `until` filters and
the length limit hold exactly; and a record of one kind never lends its scope to another kind's
record that happens to carry the same id."""
from datetime import date, timedelta

import pytest

from supervision.workflow.due import due_items
from tests.same_id import self_inspection_with_id

D = date.fromisoformat


@pytest.fixture
def filed(factory):
    """One complaint filed in Jiangsu on Thu 26 Nov 2026: its acceptance clock runs to Thu 3 Dec."""
    complaint, _ = factory.complaint(factory.operator(province="32"))
    return complaint


def test_a_line_carries_the_record_its_clock_and_the_policy_behind_it(factory, filed):
    acceptance = filed.deadline("acceptance")
    items = due_items(factory.officer("32"), D("2026-11-26"), kinds=["complaint"], limit=10)
    line = next(i for i in items if i.clock == "acceptance")
    assert (line.subject_type, line.subject_id, line.label) == ("complaint", filed.id, filed.reference)
    assert (line.due, line.state, line.provisional) == (D("2026-12-03"), "pending", False)
    assert (line.legal_source, line.owed_by) == (acceptance.policy.legal_source, "authority")
    assert (line.endpoint, line.url_args) == ("officer.complaint_detail", {"reference": filed.reference})


def test_a_line_is_overdue_only_after_its_due_day(factory, filed):
    officer = factory.officer("32")

    def acceptance_overdue(today: str) -> bool:
        return next(i for i in due_items(officer, D(today), limit=10) if i.clock == "acceptance").overdue

    assert acceptance_overdue("2026-12-03") is False  # the due day itself is still in time
    assert acceptance_overdue("2026-12-04") is True


def test_the_kind_filter_keeps_only_the_kinds_asked_for(factory, filed):
    officer = factory.officer("32")
    assert {i.subject_type for i in due_items(officer, D("2026-11-26"), kinds=["complaint"], limit=10)} == {
        "complaint"}
    assert due_items(officer, D("2026-11-26"), kinds=["order"], limit=10) == []


def test_until_includes_the_day_itself(factory, filed):
    officer = factory.officer("32")
    due = filed.deadline("acceptance").due
    assert "acceptance" in {i.clock for i in due_items(officer, D("2026-11-26"), until=due, limit=10)}
    assert "acceptance" not in {
        i.clock for i in due_items(officer, D("2026-11-26"), until=due - timedelta(days=1), limit=10)}


def test_the_limit_cuts_the_list_nearest_first(factory, filed):
    officer = factory.officer("32")
    everything = due_items(officer, D("2026-11-26"), limit=10)
    assert len(everything) >= 2
    assert due_items(officer, D("2026-11-26"), limit=1) == everything[:1]


def test_another_kinds_record_with_the_same_id_outside_the_scope_stays_out(factory, filed):
    """A Zhejiang self-inspection report whose id equals a Jiangsu complaint's id: the Jiangsu officer
    sees the complaint's clocks, never the report's."""
    self_inspection_with_id(factory, filed.id, province="33")
    jiangsu = {(i.subject_type, i.subject_id) for i in due_items(factory.officer("32"), D("2026-11-26"), limit=50)}
    assert ("complaint", filed.id) in jiangsu
    assert ("self_inspection", filed.id) not in jiangsu
    zhejiang_officer = {i.subject_type for i in due_items(factory.officer("33"), D("2026-11-26"), limit=50)}
    assert zhejiang_officer == {"self_inspection"}
