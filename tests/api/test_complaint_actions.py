"""POST /api/v1/complaints/<ref>/actions/<action> (SPEC §3, §10): the lifecycle as callers live it.

Clock: Thu 26 Nov 2026, 10:00 Shanghai unless a test moves it. Due dates worked out by hand from
the State Council notices; the day an event happens is not counted.
"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from supervision.audit import events_of, verify_chain
from supervision.complaints.models import Complaint, PreservationHold
from supervision.extensions import db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SHANGHAI).astimezone(UTC)


class Parties:
    """One complaint in Jiangsu and everybody who may act on it."""

    def __init__(self, factory, **complaint_overrides):
        self.factory = factory
        self.operator = factory.operator()
        self.officer_user = factory.officer("32")
        self.staff_user = factory.user("operator", operator=self.operator)
        complaint, self.code = factory.complaint(self.operator, **complaint_overrides)
        self.ref = complaint.reference

    @property
    def officer(self) -> dict:
        """A fresh token at the clock's current time (tokens expire as the clock moves on)."""
        return self.factory.headers(self.officer_user)

    @property
    def staff(self) -> dict:
        return self.factory.headers(self.staff_user)

    def url(self, action):
        return f"/api/v1/complaints/{self.ref}/actions/{action}"

    def by_officer(self, client, action, **body):
        return client.post(self.url(action), json=body, headers=self.officer)

    def by_staff(self, client, action, **body):
        return client.post(self.url(action), json=body, headers=self.staff)

    def by_complainant(self, client, action, **body):
        return client.post(self.url(action), json={"access_code": self.code} | body)

    def record(self) -> Complaint:
        db.session.expire_all()
        return db.session.scalar(select(Complaint).where(Complaint.reference == self.ref))

    def clocks(self) -> dict:
        return {d.clock: (d.due.isoformat(), d.state) for d in self.record().deadlines}

    def actions(self) -> list[str]:
        return [e.action for e in events_of("complaint", self.ref)]


def ok(response):
    assert response.status_code == 200, response.json
    return response.json


def chain_intact() -> bool:
    return list(verify_chain())[-1][1] is None


# --- journeys ------------------------------------------------------------------------------------

def test_full_journey_submit_accept_transfer_reply_close_rate(client, factory, clock):
    p = Parties(factory)
    clock.current = at(2026, 11, 27)
    assert ok(p.by_officer(client, "accept", note="materials complete"))["status"] == "accepted"
    transferred = ok(p.by_officer(client, "transfer"))
    assert transferred["status"] == "transferred"
    # Transferred Fri 27 Nov: Mon 30 (1), Tue 1 … Fri 4 (5), Mon 7 … Fri 11 Dec (10).
    assert p.clocks()["operator_reply"] == ("2026-12-11", "pending")
    clock.current = at(2026, 12, 11, 17)
    replied = ok(p.by_staff(client, "operator_reply", reply="Refunded 30 yuan on 10 Dec."))
    assert replied["status"] == "operator_replied"
    clock.current = at(2026, 12, 14)
    closed = ok(p.by_officer(client, "close", outcome="resolved"))
    assert (closed["status"], closed["outcome"]) == ("closed", "resolved")
    rated = ok(p.by_complainant(client, "rate", score=4, comment="Quick"))
    assert rated["rating"] == {"score": 4, "comment": "Quick"}
    assert p.clocks() == {"acceptance": ("2026-12-03", "met"), "answer": ("2026-12-28", "met"),
                          "operator_reply": ("2026-12-11", "met")}
    assert p.actions() == ["submit", "accept", "transfer", "operator_reply", "close", "rate"]
    assert chain_intact()


def test_a_reply_after_the_operator_deadline_is_recorded_as_missed(client, factory, clock):
    p = Parties(factory)
    ok(p.by_officer(client, "accept"))
    ok(p.by_officer(client, "transfer"))
    clock.current = at(2026, 12, 11)  # due Thu 10 Dec (from Thu 26 Nov)
    ok(p.by_staff(client, "operator_reply", reply="Late answer"))
    assert p.clocks()["operator_reply"] == ("2026-12-10", "missed")


def test_supervision_runs_a_five_working_day_report_clock(client, factory, clock):
    p = Parties(factory)
    ok(p.by_officer(client, "accept"))
    ok(p.by_officer(client, "transfer"))
    clock.current = at(2026, 12, 4)
    assert ok(p.by_officer(client, "supervise", note="Please report"))["supervised"] is True
    # Supervised Fri 4 Dec: Mon 7, Tue 8, Wed 9, Thu 10, Fri 11.
    assert p.clocks()["supervision_report"] == ("2026-12-11", "pending")
    again = p.by_officer(client, "supervise")
    assert again.status_code == 409 and "already supervised" in again.json["message"]
    ok(p.by_staff(client, "supervision_report", report="Network repaired, see attached"))
    assert p.clocks()["supervision_report"] == ("2026-12-11", "met")
    assert p.by_staff(client, "supervision_report", report="twice").status_code == 409
    assert p.actions() == ["submit", "accept", "transfer", "supervise", "supervision_report"]


def test_mediation_then_close(client, factory):
    p = Parties(factory)
    ok(p.by_officer(client, "accept"))
    assert ok(p.by_officer(client, "mediate", note="Both parties invited"))["status"] == "mediation"
    closed = ok(p.by_officer(client, "close", outcome="partly_resolved"))
    assert (closed["status"], closed["outcome"]) == ("closed", "partly_resolved")
    assert all(state == "met" for _, state in p.clocks().values())


def test_settlement_proposed_by_the_operator_and_accepted_by_the_complainant(client, factory):
    p = Parties(factory)
    ok(p.by_officer(client, "accept"))
    ok(p.by_officer(client, "transfer"))
    assert p.by_complainant(client, "respond_settlement", decision="accept").status_code == 409
    ok(p.by_staff(client, "operator_reply", reply="We offer a refund", proposed_settlement="Refund 30 yuan"))
    assert ok(p.by_complainant(client, "respond_settlement", decision="accept"))["settlement_response"] == "accepted"


def test_the_settlement_answer_cannot_be_changed_once_given(client, factory):
    """Issue 6 item 7: accept → reject → accept each answered 200; the first answer stands (409)."""
    p = Parties(factory)
    bring_to(client, p, "transferred")
    ok(p.by_staff(client, "operator_reply", reply="We offer a refund", proposed_settlement="Refund 30 yuan"))
    ok(p.by_complainant(client, "respond_settlement", decision="accept"))
    again = p.by_complainant(client, "respond_settlement", decision="reject")
    assert again.status_code == 409, again.json
    assert "already" in again.json["message"] and "respond_settlement" not in again.json["allowed"]
    assert p.record().settlement_response == "accepted"
    assert p.actions().count("respond_settlement") == 1
    # The tracking view no longer offers the answer.
    view = client.get(f"/api/v1/complaints/{p.ref}", query_string={"access_code": p.code}).json
    assert "respond_settlement" not in view["allowed_actions"]


PATHS = {
    "submitted": [], "accepted": ["accept"], "awaiting_info": ["request_info"],
    "transferred": ["accept", "transfer"], "operator_replied": ["accept", "transfer", "operator_reply"],
    "mediation": ["accept", "mediate"], "closed": ["accept", "close"], "rejected": ["reject"],
    "withdrawn": ["withdraw"],
}
BODIES = {"reject": {"reason": "Not within our remit"}, "request_info": {"note": "Send the bill"},
          "operator_reply": {"reply": "Done"}, "close": {"outcome": "resolved"}, "rate": {"score": 5}}


def bring_to(client, p: Parties, state: str) -> None:
    for action in PATHS[state]:
        actor = p.by_staff if action == "operator_reply" else p.by_officer
        ok(actor(client, action, **BODIES.get(action, {})))
    assert p.record().status == state


def do(client, p: Parties, action: str):
    body = BODIES.get(action, {})
    if action == "operator_reply":
        return p.by_staff(client, action, **body)
    if action in ("provide_info", "rate"):
        return p.by_complainant(client, action, **body)
    return p.by_officer(client, action, **body)


OPEN = ["submitted", "accepted", "awaiting_info", "transferred", "operator_replied", "mediation"]
# Written from the SPEC §3 lifecycle, independently of transitions.STEPS.
ALLOWED = {
    "accept": ["submitted"],
    "reject": ["submitted", "accepted"],
    "request_info": ["submitted", "accepted", "transferred", "operator_replied", "mediation"],
    "provide_info": ["awaiting_info"],
    "transfer": ["accepted"],
    "operator_reply": ["transferred"],
    "supervise": ["transferred", "operator_replied", "mediation"],
    "mediate": ["accepted", "transferred", "operator_replied"],
    "close": ["accepted", "transferred", "operator_replied", "mediation"],
    "withdraw": OPEN,
    "rate": ["closed"],
}


@pytest.mark.parametrize("state", list(PATHS))
@pytest.mark.parametrize("action", list(ALLOWED))
def test_each_action_only_in_its_states(client, factory, state, action):
    p = Parties(factory)
    bring_to(client, p, state)
    events_before = len(p.actions())
    response = do(client, p, action)
    if action == "operator_reply" and "transfer" not in PATHS[state]:
        # The operator does not see a complaint that was never transferred to it (SPEC §1).
        assert response.status_code == 404
        return
    if state in ALLOWED[action]:
        assert response.status_code == 200, response.json
        assert len(p.actions()) == events_before + 1
        return
    assert response.status_code == 409, response.json
    assert response.json["state"] == state
    assert f"is {state}" in response.json["message"]
    assert "allowed now" in response.json["message"]
    possible_now = {a for a, states in ALLOWED.items() if state in states} | {"respond_settlement",
                                                                             "supervision_report"}
    assert action not in response.json["allowed"]
    assert set(response.json["allowed"]) <= possible_now
    assert (p.record().status, len(p.actions())) == (state, events_before)


def test_the_conflict_lists_what_the_caller_may_do_now(client, factory):
    p = Parties(factory)
    bring_to(client, p, "transferred")
    officer = p.by_officer(client, "accept")
    assert officer.status_code == 409
    assert sorted(officer.json["allowed"]) == ["close", "mediate", "request_info", "supervise", "withdraw"]
    assert "Cannot accept this complaint while it is transferred" in officer.json["message"]
    # No supervision was ordered, so no report is awaited.
    assert p.by_staff(client, "supervision_report", report="x").status_code == 409
    ok(p.by_staff(client, "operator_reply", reply="Done"))
    again = p.by_staff(client, "operator_reply", reply="again")
    assert (again.status_code, again.json["state"]) == (409, "operator_replied")
    assert "operator_reply" not in again.json["allowed"]


# --- who may act ---------------------------------------------------------------------------------

def test_roles_that_may_not_act_get_403(client, factory):
    p = Parties(factory)
    bring_to(client, p, "transferred")
    assert p.by_staff(client, "accept").status_code == 403
    assert p.by_officer(client, "operator_reply", reply="x").status_code == 403
    assert p.by_complainant(client, "transfer").status_code == 403
    assert p.by_complainant(client, "close", outcome="resolved").status_code == 403
    oversight = factory.headers(factory.user("oversight"))
    # Roles without complaint duties do not see complaints at all (404, SPEC §1).
    assert client.post(p.url("close"), json={"outcome": "resolved"}, headers=oversight).status_code == 404
    assert p.record().status == "transferred"


def test_callers_outside_the_scope_get_404(client, factory):
    p = Parties(factory)
    elsewhere = factory.headers(factory.officer("44"))
    assert client.post(p.url("accept"), json={}, headers=elsewhere).status_code == 404
    # The operator does not see a complaint before it is transferred to it…
    assert p.by_staff(client, "operator_reply", reply="x").status_code == 404
    bring_to(client, p, "transferred")
    # …nor does another operator's staff after.
    other = factory.headers(factory.user("operator", operator=factory.operator()))
    assert client.post(p.url("operator_reply"), json={"reply": "x"}, headers=other).status_code == 404
    assert client.get(f"/api/v1/complaints/{p.ref}", headers=other).status_code == 404


def test_a_wrong_code_is_404_and_no_credentials_401(client, factory):
    p = Parties(factory)
    wrong = client.post(p.url("withdraw"), json={"access_code": p.code.lower()[::-1]})
    assert wrong.status_code == 404
    # The same answer whether the reference exists or the code is wrong: nothing to learn from it.
    assert wrong.get_json()["message"] == "No complaint with this reference and access code."
    assert client.post(p.url("withdraw"), json={}).status_code == 401
    assert client.post(p.url("withdraw"), json={}, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert p.record().status == "submitted"


def test_an_unknown_action_is_404(client, factory):
    p = Parties(factory)
    assert p.by_officer(client, "escalate").status_code == 404


@pytest.mark.parametrize(("state", "actor", "action", "body", "field"), [
    ("submitted", "officer", "reject", {}, "reason"),
    ("submitted", "officer", "reject", {"reason": ""}, "reason"),
    ("submitted", "officer", "reject", {"reason": "   "}, "reason"),
    ("submitted", "officer", "request_info", {"note": "\n"}, "note"),
    ("submitted", "officer", "request_info", {}, "note"),
    ("transferred", "staff", "operator_reply", {}, "reply"),
    ("transferred", "staff", "operator_reply", {"reply": " "}, "reply"),
    ("accepted", "officer", "close", {}, "outcome"),
    ("accepted", "officer", "close", {"outcome": "happy"}, "outcome"),
    ("closed", "complainant", "rate", {}, "score"),
    ("closed", "complainant", "rate", {"score": 0}, "score"),
    ("closed", "complainant", "rate", {"score": 6}, "score"),
    ("closed", "complainant", "rate", {"score": 3.5}, "score"),
])
def test_required_fields_are_named(client, factory, state, actor, action, body, field):
    p = Parties(factory)
    bring_to(client, p, state)
    before = p.actions()
    send = {"officer": p.by_officer, "staff": p.by_staff, "complainant": p.by_complainant}[actor]
    response = send(client, action, **body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]
    assert (p.record().status, p.actions()) == (state, before)


def test_supervision_report_requires_the_report(client, factory):
    p = Parties(factory)
    bring_to(client, p, "transferred")
    ok(p.by_officer(client, "supervise"))
    assert "report" in p.by_staff(client, "supervision_report").json["errors"]


def test_rating_only_once_and_only_after_closure(client, factory):
    p = Parties(factory)
    assert p.by_complainant(client, "rate", score=5).status_code == 409
    bring_to(client, p, "closed")
    ok(p.by_complainant(client, "rate", score=2))
    again = p.by_complainant(client, "rate", score=5)
    assert again.status_code == 409 and "already rated" in again.json["message"]
    assert p.record().rating_score == 2


# --- the complainant ------------------------------------------------------------------------------

def test_complainant_actions_with_the_access_code(client, factory, clock):
    p = Parties(factory)
    ok(p.by_officer(client, "request_info", note="Please send the bill of October"))
    assert ok(p.by_complainant(client, "provide_info", note="Bill attached"))["status"] == "submitted"
    withdrawn = ok(p.by_complainant(client, "withdraw", note="Solved with the operator"))
    assert (withdrawn["status"], withdrawn["outcome"]) == ("withdrawn", "withdrawn")
    assert [e.role for e in events_of("complaint", p.ref)][-2:] == ["complainant", "complainant"]


def test_the_complainant_sees_public_notes_only(client, factory):
    p = Parties(factory)
    ok(p.by_officer(client, "accept", note="INTERNAL: caller was rude"))
    ok(p.by_officer(client, "request_info", note="Please send the October bill"))
    ok(p.by_complainant(client, "provide_info", note="sent"))
    ok(p.by_officer(client, "transfer", note="INTERNAL: second complaint this month"))
    ok(p.by_staff(client, "operator_reply", reply="We refunded 30 yuan"))
    view = client.get(f"/api/v1/complaints/{p.ref}", query_string={"access_code": p.code}).json
    notes = {item["action"]: item["note"] for item in view["timeline"]}
    assert notes["accept"] is None and notes["transfer"] is None
    assert notes["request_info"] == "Please send the October bill"
    assert notes["operator_reply"] == "We refunded 30 yuan"
    assert view["operator_reply"] == "We refunded 30 yuan"
    assert "INTERNAL" not in str(view)
    assert "escalation" not in view and "authority" not in view
    officer_view = client.get(f"/api/v1/complaints/{p.ref}", headers=p.officer).json
    assert "INTERNAL: caller was rude" in str(officer_view["timeline"])


def test_awaiting_info_moves_due_dates_by_the_paused_days(client, factory, clock):
    p = Parties(factory)
    clock.current = at(2026, 11, 27)
    ok(p.by_officer(client, "request_info", note="Which number?"))
    clock.current = at(2026, 12, 2, 15)
    ok(p.by_complainant(client, "provide_info", note="13800138000"))
    # Paused Fri 27 Nov → Wed 2 Dec: 3 working days (Mon 30, Tue 1, Wed 2), 5 calendar days.
    # Acceptance 3 Dec + 3 working days = Tue 8 Dec; answer 26 Nov + 35 days = Thu 31 Dec.
    assert p.clocks() == {"acceptance": ("2026-12-08", "pending"), "answer": ("2026-12-31", "pending")}
    detail = {d["clock"]: d for d in client.get(f"/api/v1/complaints/{p.ref}", headers=p.officer).json["deadlines"]}
    assert (detail["acceptance"]["paused_days"], detail["answer"]["paused_days"]) == (3, 5)
    assert detail["answer"]["explanation"]["extra_days"] == 5
    # The API speaks English unless Accept-Language asks otherwise.
    assert "extended by 5 calendar days while the clock was paused" in detail["answer"]["explanation_text"]
    chinese = client.get(f"/api/v1/complaints/{p.ref}", headers=p.officer | {"Accept-Language": "zh-CN"}).json
    answer = next(d for d in chinese["deadlines"] if d["clock"] == "answer")
    assert "暂停计时，期间顺延5日" in answer["explanation_text"]  # "paused … extended by 5 days"


@pytest.mark.parametrize("state", ["submitted", "accepted", "awaiting_info", "transferred", "mediation"])
def test_withdrawal_stops_every_clock_and_releases_holds(client, factory, state):
    p = Parties(factory, category="billing", subcategory="overcharge", event_date="2026-09-15",
                disputed_months=["2026-09", "2026-10"])
    bring_to(client, p, state)
    ok(p.by_complainant(client, "withdraw"))
    record = p.record()
    assert record.status == "withdrawn" and record.closed_at is not None
    assert not [d for d in record.deadlines if d.state in ("pending", "due_soon")]
    holds = db.session.scalars(select(PreservationHold)).all()
    assert len(holds) == 2 and all(h.released_at == factory.now for h in holds)


@pytest.mark.parametrize(("path", "final"), [
    (["accept"], ("close", {"outcome": "unresolved"})),
    ([], ("reject", {"reason": "Outside the telecom field"})),
])
def test_closing_or_rejecting_releases_the_holds(client, factory, path, final):
    from supervision.complaints.holds import held_months

    p = Parties(factory, category="billing", subcategory="overcharge", event_date="2026-09-15",
                disputed_months=["2026-09", "2026-10"])
    other, _ = factory.complaint(p.operator, category="billing", subcategory="refund", event_date="2026-10-03",
                                 disputed_months=["2026-10"])
    assert held_months(p.operator.id) == ["2026-09", "2026-10"]
    for action in path:
        ok(p.by_officer(client, action))
    ok(p.by_officer(client, final[0], **final[1]))
    # The other open complaint still holds October.
    assert held_months(p.operator.id) == ["2026-10"]


# --- calendar overrides ---------------------------------------------------------------------------

def test_an_override_recomputes_open_deadlines_but_not_closed_ones(client, factory):
    p = Parties(factory)
    done = Parties(factory)
    ok(done.by_officer(client, "accept"))
    ok(done.by_officer(client, "close", outcome="resolved"))
    admin = factory.headers(factory.admin())
    response = client.put("/api/v1/calendar/overrides/2026-12-01", headers=admin,
                          json={"is_working_day": False, "note": "Typhoon: offices closed"})
    assert response.status_code == 200, response.json
    assert response.json["recomputed_deadlines"] == 1
    # Without Tue 1 Dec: Fri 27, Mon 30, Wed 2, Thu 3, Fri 4.
    assert p.clocks() == {"acceptance": ("2026-12-04", "pending"), "answer": ("2026-12-28", "pending")}
    assert p.actions()[-1] == "deadline_recomputed"
    assert done.clocks() == {"acceptance": ("2026-12-03", "met"), "answer": ("2026-12-28", "met")}
    assert "deadline_recomputed" not in done.actions()
    # Removing the override puts the date back.
    assert client.delete("/api/v1/calendar/overrides/2026-12-01", headers=admin).status_code == 204
    assert p.clocks()["acceptance"] == ("2026-12-03", "pending")
    assert chain_intact()


def test_only_an_admin_may_override_the_calendar(client, factory):
    p = Parties(factory)
    response = client.put("/api/v1/calendar/overrides/2026-12-01", headers=p.officer,
                          json={"is_working_day": False, "note": "Typhoon"})
    assert response.status_code == 403
    assert p.clocks()["acceptance"] == ("2026-12-03", "pending")


def test_withdrawing_while_paused_does_not_count_the_pause_as_lateness(client, factory, clock):
    p = Parties(factory)
    clock.current = at(2026, 11, 27)
    ok(p.by_officer(client, "request_info", note="Which number?"))
    clock.current = at(2026, 12, 10)  # the acceptance clock (due 3 Dec) stood still all this time
    ok(p.by_complainant(client, "withdraw"))
    # Paused Fri 27 Nov → Thu 10 Dec = 9 working days: acceptance due moves to Wed 16 Dec, answer to
    # 26 Nov + 30 + 13 days = Fri 8 Jan 2027. Both stopped in time.
    assert p.clocks() == {"acceptance": ("2026-12-16", "met"), "answer": ("2027-01-08", "met")}
