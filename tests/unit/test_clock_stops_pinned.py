"""SPEC §3: a clock stopped by its event is met on or before its due date and missed after it;
a clock stops once, and stopping it again changes nothing."""
from datetime import timedelta

from supervision.workflow.deadlines import stop_clock


def test_a_clock_stopped_on_its_due_day_is_met(factory):
    complaint, _ = factory.complaint(factory.operator())
    due = complaint.deadline("acceptance").due
    stopped = stop_clock(complaint, "acceptance", factory.now, due)
    assert (stopped.state, stopped.stopped_at) == ("met", factory.now)


def test_a_clock_stopped_the_day_after_its_due_day_is_missed(factory):
    complaint, _ = factory.complaint(factory.operator())
    due = complaint.deadline("acceptance").due
    stopped = stop_clock(complaint, "acceptance", factory.now, due + timedelta(days=1))
    assert (stopped.state, stopped.stopped_at) == ("missed", factory.now)


def test_a_stopped_clock_stays_as_it_stopped(factory):
    complaint, _ = factory.complaint(factory.operator())
    due = complaint.deadline("acceptance").due
    stop_clock(complaint, "acceptance", factory.now, due)
    assert stop_clock(complaint, "acceptance", factory.now + timedelta(days=9), due + timedelta(days=9)) is None
    assert (complaint.deadline("acceptance").state, complaint.deadline("acceptance").stopped_at) == (
        "met", factory.now)
    assert stop_clock(complaint, "no_such_clock", factory.now, due) is None
