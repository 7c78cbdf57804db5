"""SPEC §8 / §10: the quarterly complaint statistics answer, pinned whole on a small quarter worked out by hand.

Per operator, per province and for the industry: count (rejected ones excluded), complaints per million
subscribers with its exact interval, quarter-on-quarter and year-on-year change, category shares, share
answered in time; an operator or province without a subscriber count is listed, not rated, with the reason.
"""
from datetime import UTC, datetime

import pytest

from supervision.extensions import db
from supervision.operators.services import set_subscriber_count
from supervision.statistics.rules import rate_per_million
from tests.api.test_complaint_statistics import URL, file_at, set_answer_clock

Q3, Q2, Q3_2025 = (datetime(2026, 8, 10, 2, 0, tzinfo=UTC), datetime(2026, 5, 5, 2, 0, tzinfo=UTC),
                   datetime(2025, 8, 5, 2, 0, tzinfo=UTC))
SOURCE = "subscriber_counts: the operator's stored count for the province and quarter"
EN = {"Accept-Language": "en"}


@pytest.fixture
def world(factory, clock):
    """Alpha: 3 complaints in 2026Q3 (answer clock met, missed, running) for 1 M subscribers, 2 in 2026Q2 for
    1 M, 4 in 2025Q3 for 2 M. Beta: 1 complaint, no subscriber count. Gamma: nothing at all. Epsilon: no
    complaint for 100 M subscribers. Delta: licence expired, nothing stored — not listed."""
    a = factory.operator(name="Alpha Telecom")
    b = factory.operator(name="Beta Telecom")
    c = factory.operator(name="Gamma Telecom")
    e = factory.operator(name="Epsilon Telecom")
    factory.operator(name="Delta Telecom", valid_until=datetime(2026, 1, 31).date())
    officer = factory.officer("32")
    for _ in range(4):
        file_at(factory, clock, a, Q3_2025)
    for _ in range(2):
        file_at(factory, clock, a, Q2)
    met = file_at(factory, clock, a, Q3)
    missed = file_at(factory, clock, a, Q3)
    file_at(factory, clock, a, Q3, "service", "staff_conduct")  # its answer clock still runs
    file_at(factory, clock, b, Q3)
    set_answer_clock(met, "met")
    set_answer_clock(missed, "missed")
    admin = factory.admin()
    for operator, quarter, subscribers in ((a, "2026Q3", 1_000_000), (a, "2026Q2", 1_000_000),
                                           (a, "2025Q3", 2_000_000), (e, "2026Q3", 100_000_000)):
        set_subscriber_count(operator, "32", quarter, subscribers, admin, factory.now)
    db.session.commit()
    clock.current = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    return {"a": a, "b": b, "c": c, "e": e, "officer": officer}


def figures(complaints, subscribers=None, *, reason=None, shares=(None, None, None), timely=(0, 0, 0),
            previous=(0, None), year_ago=(0, None), changes=(None, None, None, None), target=0.95):
    """One figures block as the API answers it; the rate and its interval follow from count and subscribers."""
    rate = rate_per_million(complaints, subscribers, 0.95) if subscribers else None
    met, missed, running = timely
    share = met / (met + missed) if met + missed else None
    return {
        "complaints": complaints, "subscribers": subscribers, "subscribers_source": SOURCE,
        "rated": rate is not None, "not_rated_reason": reason,
        "rate_per_million": rate and rate.per_million, "ci_low": rate and rate.ci_low, "ci_high": rate and rate.ci_high,
        "category_shares": dict(zip(("billing", "network", "service"), shares, strict=True)),
        "answered_in_time": {"met": met, "missed": missed, "running": running, "share": share},
        "below_timely_target": share is not None and share < target,
        "previous_quarter": {"complaints": previous[0], "rate_per_million": previous[1]},
        "same_quarter_last_year": {"complaints": year_ago[0], "rate_per_million": year_ago[1]},
        "complaints_change_qoq": changes[0], "rate_change_qoq": changes[1],
        "complaints_change_yoy": changes[2], "rate_change_yoy": changes[3],
    }


def expected_answer(world, target=0.95):
    a, b, c, e = (world[k].id for k in "abce")
    alpha = figures(3, 1_000_000, shares=(0.0, 2 / 3, 1 / 3), timely=(1, 1, 1), previous=(2, 2.0),
                    year_ago=(4, 2.0), changes=(0.5, 0.5, -0.25, 0.5), target=target)
    industry_rate = 3 * 1_000_000 / 101_000_000
    return {
        "period": "2026Q3", "province": None, "confidence_level": 0.95, "timely_clock": "answer",
        "timely_target": target, "total_complaints": 4,
        # Pooled over the rated operators (Alpha and Epsilon): 3 complaints ÷ 101 M subscribers.
        "industry": figures(3, 101_000_000, shares=(0.0, 2 / 3, 1 / 3), timely=(1, 1, 1), previous=(2, 2.0),
                            year_ago=(4, 2.0), target=target,
                            changes=(0.5, (industry_rate - 2) / 2, -0.25, (industry_rate - 2) / 2)),
        # Rated first by group (1 = lowest rate), then the unrated ones by id.
        "operators": [
            figures(0, 100_000_000) | {"operator_id": e, "operator": "Epsilon Telecom", "rank_group": 1,
                                       "group_size": 1},
            alpha | {"operator_id": a, "operator": "Alpha Telecom", "rank_group": 2, "group_size": 1},
            figures(1, reason="no subscriber count for 2026Q3 for: province 32", shares=(0.0, 1.0, 0.0),
                    timely=(0, 0, 1), target=target)
            | {"operator_id": b, "operator": "Beta Telecom", "rank_group": None, "group_size": None},
            figures(0, reason="no subscriber count for 2026Q3")
            | {"operator_id": c, "operator": "Gamma Telecom", "rank_group": None, "group_size": None},
        ],
        "provinces": [figures(4, reason="no subscriber count for 2026Q3 for: Beta Telecom", shares=(0.0, 0.75, 0.25),
                              timely=(1, 1, 2), previous=(2, 2.0), year_ago=(4, 2.0), changes=(1.0, None, 0.0, None),
                              target=target) | {"province": "32"}],
        # Epsilon's interval (0 – 0.037) lies below Alpha's (0.62 – 8.8): two separate ranks, nothing to compare.
        "groups": [{"group": 1, "operator_ids": [e], "comparable": False},
                   {"group": 2, "operator_ids": [a], "comparable": False}],
        "below_timely_target": [{"operator_id": a, "operator": "Alpha Telecom", "share": 0.5}] if target > 0.5 else [],
    }


def get(client, factory, user, **params):
    return client.get(URL, headers=factory.headers(user) | EN, query_string={"period": "2026Q3"} | params)


def test_the_whole_answer_of_a_quarter(client, factory, world):
    response = get(client, factory, world["officer"])
    assert response.status_code == 200
    assert _approx_equal(response.json, expected_answer(world))


def test_an_operator_exactly_at_the_timely_target_is_not_below_it(app, client, factory, world, monkeypatch):
    monkeypatch.setitem(app.config, "TIMELY_HANDLING_TARGET", 0.5)
    response = get(client, factory, world["officer"])
    assert _approx_equal(response.json, expected_answer(world, target=0.5))


def _approx_equal(got, want) -> bool:
    """Equal, with floats compared to 1e-12 relative (the shares are divisions)."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and set(got) == set(want), (sorted(got), sorted(want))
        return all(_approx_equal(got[k], want[k]) for k in want)
    if isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), (got, want)
        return all(_approx_equal(g, w) for g, w in zip(got, want, strict=True))
    if isinstance(want, float):
        assert got == pytest.approx(want, rel=1e-12, abs=1e-15), (got, want)
        return True
    assert got == want and type(got) is type(want), (got, want)
    return True


def test_a_provincial_officer_may_name_their_own_province(client, factory, world):
    response = get(client, factory, world["officer"], province="32")
    assert response.status_code == 200
    assert _approx_equal(response.json, expected_answer(world) | {"province": "32"})


def test_a_national_officer_sees_every_province(client, factory, clock, world):
    """MIIT (CN) without a province: all provinces, each listed; the Guangdong complaint counts in the total."""
    guangdong = factory.operator(province="44", name="Guangdong Telecom")
    clock.current = Q3
    factory.complaint(guangdong, "44", operator_complaint_date="2026-07-20", event_date="2026-07-01")
    clock.current = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    body = get(client, factory, factory.officer("CN")).json
    assert body["province"] is None and body["total_complaints"] == 5
    assert [p["province"] for p in body["provinces"]] == ["32", "44"]
    assert body["provinces"][1]["not_rated_reason"] == "no subscriber count for 2026Q3 for: Guangdong Telecom"
    # Naming a province narrows the national answer to it.
    guangdong_only = get(client, factory, factory.officer("CN"), province="44").json
    assert (guangdong_only["province"], guangdong_only["total_complaints"]) == ("44", 1)
    assert [p["province"] for p in guangdong_only["provinces"]] == ["44"]
    # The Jiangsu officer's answer is unchanged: Guangdong is outside it.
    assert _approx_equal(get(client, factory, world["officer"]).json, expected_answer(world))


def test_a_national_operator_names_every_province_missing_a_count(client, factory, clock):
    national = factory.operator(scope="national", province=None, name="National Telecom")
    clock.current = Q3
    for province in ("44", "32", "33"):
        factory.complaint(national, province, operator_complaint_date="2026-07-20", event_date="2026-07-01")
    set_subscriber_count(national, "32", "2026Q3", 1_000_000, factory.admin(), factory.now)
    db.session.commit()
    clock.current = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    [item] = get(client, factory, factory.officer("CN")).json["operators"]
    assert (item["operator"], item["complaints"], item["rated"], item["not_rated_reason"]) == (
        "National Telecom", 3, False, "no subscriber count for 2026Q3 for: province 33, province 44")


@pytest.mark.parametrize(("who", "params", "status", "message", "errors"), [
    ("staff", {}, 403, "Only officers see unpublished statistics.", {}),
    ("guangdong", {"province": "32"}, 404, "No statistics for this province in your jurisdiction.", {}),
    ("officer", {"period": "2026-07"}, 422, "period must be a quarter like 2026Q3",
     {"period": ["period must be a quarter like 2026Q3"]}),
])
def test_refusals_say_why(client, factory, world, who, params, status, message, errors):
    users = {"staff": lambda: factory.user("operator", operator=world["a"]), "guangdong": lambda: factory.officer("44"),
             "officer": lambda: world["officer"]}
    response = get(client, factory, users[who](), **params)
    assert response.status_code == status
    assert response.json == {"code": status, "message": message, "errors": errors}


def test_any_positive_subscriber_count_rates_an_operator_and_zero_does_not(client, factory):
    one, none = factory.operator(name="One Subscriber"), factory.operator(name="Zero Subscribers")
    admin = factory.admin()
    set_subscriber_count(one, "32", "2026Q3", 1, admin, factory.now)
    set_subscriber_count(none, "32", "2026Q3", 0, admin, factory.now)
    db.session.commit()
    items = {i["operator"]: i for i in get(client, factory, factory.officer("32")).json["operators"]}
    assert (items["One Subscriber"]["rated"], items["One Subscriber"]["rate_per_million"]) == (True, 0.0)
    assert (items["Zero Subscribers"]["rated"], items["Zero Subscribers"]["not_rated_reason"]) == (
        False, "no subscriber count for 2026Q3")


def test_a_provincial_officer_sees_a_national_operator_only_in_their_province(client, factory, clock):
    """Complaints, subscribers and clocks of the operator's other provinces stay out of a provincial answer."""
    national = factory.operator(scope="national", province=None, name="National Telecom")
    clock.current = Q3
    for province in ("32", "44"):
        factory.complaint(national, province, operator_complaint_date="2026-07-20", event_date="2026-07-01")
    admin = factory.admin()
    set_subscriber_count(national, "32", "2026Q3", 1_000_000, admin, factory.now)
    set_subscriber_count(national, "44", "2026Q3", 3_000_000, admin, factory.now)
    db.session.commit()
    clock.current = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    body = get(client, factory, factory.officer("32")).json
    [item] = body["operators"]
    assert (item["complaints"], item["subscribers"], item["rate_per_million"], item["answered_in_time"]) == (
        1, 1_000_000, 1.0, {"met": 0, "missed": 0, "running": 1, "share": None})
    assert [p["province"] for p in body["provinces"]] == ["32"]
