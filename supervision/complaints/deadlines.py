"""The complaint clocks of SPEC §3, run by the shared deadline machinery (workflow/deadlines.py).

The lengths, units and legal sources live in the `clock_policies` table.
"""
from supervision.workflow.deadlines import (  # noqa: F401  (the machinery, as complaint code calls it)
    compute_due,
    due_if_resumed,
    extend_for_pause,
    load_calendar,
    load_policies,
    paused_length,
    policy,
    recompute_after_override,
    start_clock,
    stop_all_clocks,
    stop_clock,
)

ACCEPTANCE, ANSWER, OPERATOR_REPLY, SUPERVISION_REPORT, OPERATOR_PRECONDITION = (
    "acceptance", "answer", "operator_reply", "supervision_report", "operator_precondition")
