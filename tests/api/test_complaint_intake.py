"""POST /api/v1/complaints (SPEC §3, §10): what a citizen or an officer gets when filing.

Dates are worked out by hand from the State Council notices
(/work/shared/data/china-holidays-2025-2026.md); the day of receipt is not counted.
"""
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from supervision.audit import AuditEvent, events_of
from supervision.complaints.models import Complaint, PreservationHold
from supervision.extensions import db

URL = "/api/v1/complaints"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10, minute=0) -> datetime:
    """A Shanghai wall-clock time as aware UTC (Shanghai is UTC+8 all year)."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Complaint, AuditEvent, PreservationHold))


def refused(client, body, headers=None, status=422) -> dict:
    """Post, expect a refusal, and check nothing at all was stored."""
    before = counts()
    response = client.post(URL, json=body, headers=headers or {})
    assert response.status_code == status, response.json
    assert counts() == before
    return response.json


def deadlines_of(response) -> dict:
    return {d["clock"]: (d["due"], d["state"], d["provisional"]) for d in response.json["deadlines"]}


# --- the answer -----------------------------------------------------------------------------------

def test_public_intake_answers_reference_code_status_and_running_clocks(client, factory):
    operator = factory.operator()
    response = client.post(URL, json=factory.complaint_body(operator))
    assert response.status_code == 201, response.json
    assert set(response.json) == {"reference", "access_code", "status", "deadlines"}
    assert re.fullmatch(r"TS-32-20261126-\d{6}", response.json["reference"])
    assert response.json["status"] == "submitted"
    # Thu 26 Nov: acceptance Fri 27, Mon 30, Tue 1, Wed 2, Thu 3 Dec; answer 26 Dec is a Saturday → Mon 28.
    assert deadlines_of(response) == {"acceptance": ("2026-12-03", "pending", False),
                                      "answer": ("2026-12-28", "pending", False)}
    complaint = db.session.scalar(select(Complaint).where(Complaint.reference == response.json["reference"]))
    assert (complaint.channel, complaint.received_at) == ("api", factory.now)
    assert [e.action for e in events_of("complaint", complaint.reference)] == ["submit"]


@pytest.mark.parametrize(("utc_moment", "day", "acceptance_due"), [
    # 23:30 in Shanghai is still 26 Nov there although it is 15:30 UTC.
    (datetime(2026, 11, 26, 15, 30, tzinfo=UTC), "20261126", "2026-12-03"),
    # 00:30 in Shanghai on 27 Nov: the local date decides, and the clocks start from the 27th
    # (Mon 30, Tue 1, Wed 2, Thu 3, Fri 4 Dec).
    (datetime(2026, 11, 26, 16, 30, tzinfo=UTC), "20261127", "2026-12-04"),
])
def test_reference_and_clocks_use_the_shanghai_date(client, factory, clock, utc_moment, day, acceptance_due):
    operator = factory.operator()
    clock.current = utc_moment
    response = client.post(URL, json=factory.complaint_body(operator))
    assert response.status_code == 201
    assert re.fullmatch(rf"TS-32-{day}-\d{{6}}", response.json["reference"])
    assert deadlines_of(response)["acceptance"][0] == acceptance_due


def test_deadlines_reaching_2027_are_marked_provisional(client, factory, clock):
    operator = factory.operator()
    clock.current = at(2026, 12, 28)
    response = client.post(URL, json=factory.complaint_body(operator))
    # Mon 28 Dec: Tue 29, Wed 30, Thu 31, Fri 1 Jan and Mon 4 Jan 2027 on an assumed Mon–Fri week
    # (2027 is not published); 28 Dec + 30 = Wed 27 Jan 2027.
    assert deadlines_of(response) == {"acceptance": ("2027-01-04", "pending", True),
                                      "answer": ("2027-01-27", "pending", True)}


def test_the_access_code_is_stored_hashed_and_opens_the_complaint(client, factory):
    response = client.post(URL, json=factory.complaint_body(factory.operator()))
    reference, code = response.json["reference"], response.json["access_code"]
    stored = db.session.scalar(select(Complaint.access_code_hash).where(Complaint.reference == reference))
    # A keyed hash (HMAC-SHA-256, hex), never the code itself (SPEC §9).
    assert len(stored) == 64 and code not in stored and not stored.startswith("$argon2")
    tracked = client.get(f"{URL}/{reference}", query_string={"access_code": code})
    assert tracked.status_code == 200 and tracked.json["reference"] == reference
    assert client.get(f"{URL}/{reference}", query_string={"access_code": code[::-1]}).status_code == 404
    assert client.get(f"{URL}/{reference}").status_code == 401


def test_a_province_without_an_acceptance_body_routes_to_cn(client, factory):
    from supervision.access.models import Authority

    db.session.get(Authority, "32").accepts_complaints = False
    db.session.commit()
    response = client.post(URL, json=factory.complaint_body(factory.operator()))
    assert response.status_code == 201
    assert db.session.scalar(select(Complaint.authority_code)) == "CN"


# --- [C 10] preconditions -------------------------------------------------------------------------

def national_day_body(factory, **overrides):
    # Complained to the operator on 17 Sep 2026: its 15 days end on Fri 2 Oct, a National Day
    # holiday (1–7 Oct), so they run to Thu 8 Oct.
    return factory.complaint_body(factory.operator(), operator_complaint_date="2026-09-17",
                                  event_date="2026-09-10", **overrides)


def test_no_operator_answer_is_refused_until_the_rolled_forward_15th_day(client, factory, clock):
    clock.current = at(2026, 10, 8, 17)
    error = refused(client, national_day_body(factory))
    assert error["code"] == 422
    message = error["errors"]["operator_complaint_date"][0]
    assert "[C 10]" in message and "2026-10-08" in message and "come back" in message
    assert "[C 10]" in error["message"]


def test_no_operator_answer_is_accepted_the_day_after_the_period(client, factory, clock):
    clock.current = at(2026, 10, 9, 9)
    assert client.post(URL, json=national_day_body(factory)).status_code == 201


def test_an_unsatisfying_answer_is_accepted_at_once(client, factory, clock):
    clock.current = at(2026, 9, 18)
    response = client.post(URL, json=national_day_body(factory, operator_answer="dissatisfied"))
    assert response.status_code == 201


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("description", "broken", "[C 10] Describe the facts"),
    ("request", "", "[C 10] Say what you ask for"),
    ("request", "   ", "[C 10] Say what you ask for"),
])
def test_facts_and_a_request_are_required(client, factory, field, value, expected):
    error = refused(client, factory.complaint_body(factory.operator(), **{field: value}))
    assert error["errors"][field][0].startswith(expected)


def test_a_missing_request_field_is_named(client, factory):
    body = factory.complaint_body(factory.operator())
    del body["request"]
    assert "request" in refused(client, body)["errors"]


# --- [C 11] time limits and exclusions ------------------------------------------------------------

def billing_body(factory, operator, event, months, **overrides):
    return factory.complaint_body(operator, category="billing", subcategory="overcharge", event_date=event,
                                  operator_complaint_date=event, operator_answer="dissatisfied",
                                  disputed_months=months, **overrides)


def test_billing_dispute_accepted_on_the_last_day_of_five_clamped_months(client, factory, clock):
    clock.current = at(2026, 2, 28)
    # Charge of 30 Sep 2025: 5 months later is "30 Feb", clamped to Sat 28 Feb 2026.
    response = client.post(URL, json=billing_body(factory, factory.operator(), "2025-09-30", ["2025-09"]))
    assert response.status_code == 201, response.json


def test_billing_dispute_refused_the_day_after(client, factory, clock):
    clock.current = at(2026, 3, 1)
    error = refused(client, billing_body(factory, factory.operator(), "2025-09-30", ["2025-09"]))
    assert "[C 11]" in error["errors"]["event_date"][0] and "5 months" in error["errors"]["event_date"][0]


@pytest.mark.parametrize(("event", "status"), [("2024-11-26", 201), ("2024-11-25", 422)])
def test_other_disputes_within_two_years(client, factory, event, status):
    body = factory.complaint_body(factory.operator(), event_date=event, operator_complaint_date="2024-12-01",
                                  operator_answer="dissatisfied")
    response = client.post(URL, json=body)
    assert response.status_code == status
    if status == 422:
        assert "[C 11]" in response.json["errors"]["event_date"][0]


@pytest.mark.parametrize("flag", ["already_settled", "handled_elsewhere"])
def test_settled_or_handled_elsewhere_is_refused(client, factory, flag):
    error = refused(client, factory.complaint_body(factory.operator(), **{flag: True}))
    assert "[C 11]" in error["errors"][flag][0]


@pytest.mark.parametrize(("months", "expected"), [([], "Name the disputed"), (["2026-13"], "YYYY-MM"),
                                                 (["2026-9"], "YYYY-MM"), (["2027-01"], "future")])
def test_billing_needs_valid_disputed_months(client, factory, months, expected):
    error = refused(client, billing_body(factory, factory.operator(), "2026-10-01", months))
    assert expected in error["errors"]["disputed_months"][0]


# --- operator and province ------------------------------------------------------------------------

def test_province_outside_the_operators_licence_is_refused(client, factory):
    error = refused(client, factory.complaint_body(factory.operator(province="32"), province="44"))
    assert "[C 9]" in error["errors"]["province"][0]


def test_a_national_operator_may_be_complained_about_in_any_province(client, factory):
    operator = factory.operator(scope="national", province=None)
    assert client.post(URL, json=factory.complaint_body(operator, province="44")).status_code == 201


@pytest.mark.parametrize("province", ["CN", "99"])
def test_province_must_be_a_province(client, factory, province):
    assert "province" in refused(client, factory.complaint_body(factory.operator(), province=province))["errors"]


def test_unknown_operator_is_refused(client, factory):
    body = factory.complaint_body(factory.operator()) | {"operator_id": 999999}
    assert "[C 10]" in refused(client, body)["errors"]["operator_id"][0]


def test_an_operator_whose_licence_expired_is_refused(client, factory):
    operator = factory.operator(valid_from=date(2020, 1, 1), valid_until=date(2025, 12, 31))
    assert "expired" in refused(client, factory.complaint_body(operator))["errors"]["operator_id"][0]


# --- received_at (backdated intake by officers) ---------------------------------------------------

def letter_body(factory, operator, received_at):
    return factory.complaint_body(operator, operator_complaint_date="2026-01-20", event_date="2026-01-15",
                                  received_at=received_at)


def test_the_public_may_not_backdate(client, factory):
    error = refused(client, letter_body(factory, factory.operator(), "2026-11-20T09:00:00+08:00"), status=403)
    assert "Only an officer" in error["message"]


def test_operator_staff_may_not_backdate(client, factory):
    operator = factory.operator()
    headers = factory.headers(factory.user("operator", operator=operator))
    error = refused(client, letter_body(factory, operator, "2026-11-20T09:00:00+08:00"), headers, status=403)
    assert "Only an officer" in error["message"]


def test_received_at_cannot_be_in_the_future(client, factory):
    headers = factory.headers(factory.officer("32"))
    error = refused(client, letter_body(factory, factory.operator(), "2026-11-26T10:01:00+08:00"), headers)
    assert "received_at" in error["errors"]


def test_an_officer_may_not_record_for_another_province(client, factory):
    headers = factory.headers(factory.officer("44"))
    error = refused(client, letter_body(factory, factory.operator(), "2026-11-20T09:00:00+08:00"), headers,
                    status=403)
    assert "your own province" in error["message"]


@pytest.mark.parametrize(("received_at", "day", "acceptance", "answer"), [
    # Fri 13 Feb 2026: Sat 14 (make-up, 1), Spring Festival 15–23, Tue 24 (2) … Fri 27 (5);
    # 13 Feb + 30 = Sun 15 Mar → Mon 16 Mar.
    ("2026-02-13T16:00:00+08:00", "20260213", "2026-02-27", "2026-03-16"),
    # Tue 24 Feb: Wed 25, Thu 26, Fri 27, Sat 28 (make-up), Mon 2 Mar; 24 Feb + 30 = Thu 26 Mar.
    ("2026-02-24T09:00:00+08:00", "20260224", "2026-03-02", "2026-03-26"),
    # 23:30 UTC on 23 Feb is already 07:30 on the 24th in Shanghai.
    ("2026-02-23T23:30:00+00:00", "20260224", "2026-03-02", "2026-03-26"),
])
def test_officer_intake_runs_the_clocks_from_received_at(client, factory, received_at, day, acceptance, answer):
    officer = factory.officer("32")
    response = client.post(URL, json=letter_body(factory, factory.operator(), received_at),
                           headers=factory.headers(officer))
    assert response.status_code == 201, response.json
    assert re.fullmatch(rf"TS-32-{day}-\d{{6}}", response.json["reference"])
    assert deadlines_of(response) == {"acceptance": (acceptance, "pending", False),
                                      "answer": (answer, "pending", False)}
    complaint = db.session.scalar(select(Complaint))
    assert complaint.channel == "letter"
    assert complaint.received_at == datetime.fromisoformat(received_at)
    assert [(e.action, e.actor_id) for e in events_of("complaint", complaint.reference)] == [("submit", officer.id)]


def test_a_national_officer_may_record_for_any_province(client, factory):
    headers = factory.headers(factory.officer("CN"))
    response = client.post(URL, json=letter_body(factory, factory.operator(), "2026-11-20T09:00:00+08:00"),
                           headers=headers)
    assert response.status_code == 201


# --- preservation holds [M 17] --------------------------------------------------------------------

def test_billing_complaint_holds_each_disputed_month(client, factory):
    from supervision.complaints.holds import held_months

    operator = factory.operator()
    body = billing_body(factory, operator, "2026-09-15", ["2026-10", "2026-09", "2026-10"])
    assert client.post(URL, json=body).status_code == 201
    holds = db.session.scalars(select(PreservationHold).order_by(PreservationHold.month)).all()
    assert [(h.operator_id, h.province, h.month, h.released_at) for h in holds] == [
        (operator.id, "32", "2026-09", None), (operator.id, "32", "2026-10", None)]
    assert held_months(operator.id) == ["2026-09", "2026-10"]
    assert held_months(operator.id, "44") == []
