"""Quarterly complaint statistics (SPEC §8): counts by quarter of receipt in China time, rates per
million subscribers with exact Poisson intervals, pooled industry rate, changes, shares, timeliness."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from supervision.audit import Actor
from supervision.complaints.models import Deadline
from supervision.complaints.transitions import perform
from supervision.extensions import db
from supervision.operators.services import set_subscriber_count
from supervision.statistics.rules import poisson_interval

URL = "/api/v1/statistics/complaints"


def file_at(factory, clock, operator, moment, category="network", subcategory="coverage"):
    clock.current = moment
    earlier = {"operator_complaint_date": (moment - timedelta(days=20)).date().isoformat(),
               "event_date": (moment - timedelta(days=30)).date().isoformat()}
    complaint, _ = factory.complaint(operator, category=category, subcategory=subcategory, **earlier)
    return complaint


def set_answer_clock(complaint, state):
    # Test data: the answer clock's outcome as the sweep / a closure would have left it.
    db.session.execute(update(Deadline).where(Deadline.subject_type == "complaint", Deadline.subject_id == complaint.id,
                                               Deadline.clock == "answer")
                       .values(state=state))
    db.session.commit()


@pytest.fixture
def quarter(factory, clock):
    a = factory.operator(name="Alpha Telecom")
    b = factory.operator(name="Beta Telecom")
    c = factory.operator(name="Gamma Telecom")
    officer = factory.officer("32")
    aug = datetime(2026, 8, 10, 2, 0, tzinfo=UTC)
    first = file_at(factory, clock, a, datetime(2026, 6, 30, 16, 30, tzinfo=UTC))  # 1 July 00:30 in China: Q3
    second = file_at(factory, clock, a, aug)
    third = file_at(factory, clock, a, aug, "service", "staff_conduct")
    rejected = file_at(factory, clock, a, aug)
    perform(rejected, "reject", {"reason": "already settled"}, Actor.of(officer), aug)
    file_at(factory, clock, a, datetime(2026, 9, 30, 16, 30, tzinfo=UTC))  # 1 October 00:30 in China: Q4
    file_at(factory, clock, a, datetime(2026, 5, 5, 2, 0, tzinfo=UTC))  # Q2
    file_at(factory, clock, b, aug)
    file_at(factory, clock, c, aug)
    for complaint, state in ((first, "met"), (second, "met"), (third, "missed")):
        set_answer_clock(complaint, state)
    admin = factory.admin()
    for operator, subscribers in ((a, 1_000_000), (b, 2_000_000)):
        set_subscriber_count(operator, "32", "2026Q3", subscribers, admin, factory.now)
    set_subscriber_count(a, "32", "2026Q2", 1_000_000, admin, factory.now)
    db.session.commit()
    return {"a": a, "b": b, "c": c, "officer": officer}


def statistics(client, factory, user, **params):
    response = client.get(URL, headers=factory.headers(user), query_string={"period": "2026Q3"} | params)
    return response


def test_counts_rates_and_intervals_per_operator(client, factory, quarter):
    body = statistics(client, factory, quarter["officer"]).json
    ops = {item["operator"]: item for item in body["operators"]}
    alpha = ops["Alpha Telecom"]
    assert alpha["complaints"] == 3  # the rejected one and the Q2 / Q4 ones do not count
    assert alpha["subscribers"] == 1_000_000 and alpha["rate_per_million"] == 3.0
    low, high = poisson_interval(3, 0.95)
    assert (alpha["ci_low"], alpha["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    assert alpha["category_shares"] == {"network": pytest.approx(2 / 3), "service": pytest.approx(1 / 3),
                                        "billing": 0.0}
    assert alpha["previous_quarter"] == {"complaints": 1, "rate_per_million": 1.0}
    assert alpha["complaints_change_qoq"] == 2.0 and alpha["rate_change_qoq"] == 2.0
    assert alpha["complaints_change_yoy"] is None  # nothing a year earlier: no base
    assert ops["Beta Telecom"]["rate_per_million"] == 0.5


def test_pooled_industry_rate_and_unrated_operator(client, factory, quarter):
    body = statistics(client, factory, quarter["officer"]).json
    gamma = next(item for item in body["operators"] if item["operator"] == "Gamma Telecom")
    assert not gamma["rated"] and gamma["rate_per_million"] is None and gamma["rank_group"] is None
    assert "2026Q3" in gamma["not_rated_reason"] and "32" in gamma["not_rated_reason"]
    # Pooled: (3 + 1) complaints ÷ 3,000,000 subscribers of the rated operators, not a mean of rates.
    assert body["industry"]["rate_per_million"] == pytest.approx(4 / 3)
    assert body["total_complaints"] == 5
    [province] = body["provinces"]
    assert province["province"] == "32" and province["complaints"] == 5
    assert not province["rated"] and "Gamma Telecom" in province["not_rated_reason"]


def test_overlapping_intervals_are_grouped_not_ranked(client, factory, quarter):
    body = statistics(client, factory, quarter["officer"]).json
    ops = {item["operator"]: item for item in body["operators"]}
    assert ops["Alpha Telecom"]["rank_group"] == ops["Beta Telecom"]["rank_group"] == 1
    assert ops["Alpha Telecom"]["group_size"] == 2
    assert body["groups"] == [{"group": 1, "operator_ids": sorted([quarter["a"].id, quarter["b"].id]),
                               "comparable": True}]


def test_operators_below_the_timely_target_are_named(client, factory, quarter):
    body = statistics(client, factory, quarter["officer"]).json
    alpha = next(item for item in body["operators"] if item["operator"] == "Alpha Telecom")
    assert alpha["answered_in_time"] == {"met": 2, "missed": 1, "running": 0, "share": pytest.approx(2 / 3)}
    assert body["below_timely_target"] == [{"operator_id": quarter["a"].id, "operator": "Alpha Telecom",
                                            "share": pytest.approx(2 / 3)}]
    assert body["timely_target"] == 0.95 and body["timely_clock"] == "answer"


def test_statistics_are_scoped_and_for_officers(client, factory, quarter):
    guangdong = factory.officer("44")
    assert statistics(client, factory, guangdong).json["total_complaints"] == 0
    assert statistics(client, factory, guangdong, province="32").status_code == 404
    staff = factory.user("operator", operator=quarter["a"])
    assert statistics(client, factory, staff).status_code == 403
    assert statistics(client, factory, quarter["officer"], period="2026-07").status_code == 422


def test_once_every_operator_has_a_count_the_province_is_rated(client, factory, quarter):
    set_subscriber_count(quarter["c"], "32", "2026Q3", 1_000_000, factory.admin(), factory.now)
    db.session.commit()
    national = factory.officer("CN")
    body = statistics(client, factory, national, province="32").json
    [province] = body["provinces"]
    assert province["rated"] and province["subscribers"] == 4_000_000
    assert province["rate_per_million"] == 1.25  # 5 complaints ÷ 4 million subscribers
    assert body["industry"]["rate_per_million"] == 1.25 and body["industry"]["complaints"] == 5
    assert all(item["rated"] for item in body["operators"] if item["complaints"])
