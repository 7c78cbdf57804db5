"""What `perform` says when it refuses (SPEC §10: 403 for a role, 409 for a state, 422 naming the
field and the rule), word for word in English and Chinese, for every workflow alike. Shown on
pages and in API answers, so a change of wording is made here on purpose, never by accident.

Clock: Thu 26 Nov 2026, 10:00 Shanghai.
"""
import pytest
from flask_babel import force_locale

from supervision.audit import Actor, events_of
from supervision.complaints.transitions import perform
from supervision.errors import Conflict, Forbidden, ValidationFailed


@pytest.fixture
def case(factory):
    operator = factory.operator()
    complaint, _ = factory.complaint(operator)
    return (complaint, Actor.of(factory.officer("32")), Actor.of(factory.user("operator", operator=operator)),
            factory.now)


def in_both(text) -> tuple[str, str]:
    with force_locale("en"):
        english = str(text)
    with force_locale("zh_CN"):
        chinese = str(text)
    return english, chinese


def test_a_role_the_step_is_not_for_is_told_who_may(case):
    complaint, _, staff, now = case
    with pytest.raises(Forbidden) as refused:
        perform(complaint, "request_info", {"note": "?"}, staff, now)
    assert in_both(refused.value.message) == (
        "The operator role may not request info this complaint (allowed for: officer).",
        "角色 operator 不能对该投诉执行“request info”（允许的角色：officer）。")


def test_a_state_the_step_does_not_start_from_lists_what_is_possible_now(case):
    complaint, officer, _, now = case
    perform(complaint, "accept", {}, officer, now)
    with pytest.raises(Conflict) as refused:
        perform(complaint, "accept", {}, officer, now)
    assert in_both(refused.value.message) == (
        "Cannot accept this complaint while it is accepted; allowed now: reject, request_info, transfer, "
        "mediate, close, withdraw.",
        "该投诉当前状态为 accepted，不能执行“accept”；当前可执行：reject, request_info, transfer, mediate, close, withdraw。")
    assert (refused.value.extra["state"], refused.value.extra["allowed"]) == (
        "accepted", ["reject", "request_info", "transfer", "mediate", "close", "withdraw"])


def test_a_missing_field_is_named_with_the_step_that_needs_it(case):
    complaint, officer, _, now = case
    with pytest.raises(ValidationFailed) as refused:
        perform(complaint, "reject", {"reason": "  "}, officer, now)
    assert (str(refused.value.message), {f: [str(m) for m in ms] for f, ms in refused.value.errors.items()}) == (
        "Missing: reason", {"reason": ["reason is required for reject"]})
    assert complaint.status == "submitted"


def test_an_unknown_action_lists_the_actions_there_are(case):
    complaint, officer, _, now = case
    with pytest.raises(ValidationFailed) as refused:
        perform(complaint, "fly", {}, officer, now)
    message = ("unknown action 'fly'; actions: accept, reject, request_info, provide_info, transfer, operator_reply, "
               "supervise, supervision_report, mediate, close, withdraw, rate, respond_settlement")
    assert (str(refused.value.message), [str(m) for m in refused.value.errors["action"]]) == (message, [message])


def test_a_step_writes_before_after_and_its_note_on_the_records_trail(case):
    complaint, officer, _, now = case
    perform(complaint, "reject", {"reason": "Not within our remit"}, officer, now)
    event = [e for e in events_of("complaint", complaint.reference) if e.action == "reject"][-1]
    assert (event.before, event.after) == (
        {"status": "submitted", "rejection_reason": None, "closed_at": None},
        {"status": "rejected", "rejection_reason": "Not within our remit", "closed_at": now.isoformat()})
    assert (event.note, event.public_note) == ("Not within our remit", True)
    assert complaint.updated_at == now
