"""The queue's search (API and officer page): what a term finds, for whom, and through which index.

The index (migration 0011: FTS5 trigram on SQLite, pg_trgm on PostgreSQL) is an access path
only: every search must find exactly what a case-insensitive substring scan finds, terms too
short for a trigram included, and characters that mean something to LIKE or FTS5 are literal.
"""
import logging

import pytest
from sqlalchemy import event, inspect, select, text, update

from supervision.access.models import User
from supervision.complaints.models import Complaint
from supervision.complaints.search import phone_digits, search_condition, substring_condition
from supervision.extensions import db
from supervision.logging_filters import RedactSecrets


@pytest.fixture
def people(factory):
    """Three Jiangsu complaints with distinct people and facts, one in Zhejiang."""
    jiangsu, zhejiang = factory.operator(province="32"), factory.operator(province="33")

    def filed(operator, province, name, phone, description, request="Fix the coverage"):
        body = {"complainant": {"name": name, "phone": phone}, "description": description, "request": request}
        return factory.complaint(operator, province, **body)[0].reference

    return {
        "wang": filed(jiangsu, "32", "王小明", "138-0013-8000", "No signal at 南京 home; refund 50% of fee_A."),
        "zhang": filed(jiangsu, "32", "Zhang Wei", "139 1234 5678", 'He said "cancel" AND left (NEAR the shop)*',
                       request="Refund O'Brien's deposit"),
        "li": filed(jiangsu, "32", "李娜", "13700001111", "Broadband outage every evening.", request="=SUM(A1)"),
        "zhejiang": filed(zhejiang, "33", "王小明", "138-0013-8000", "No signal at 杭州 home."),
        "officer": factory.officer("32"), "national": factory.officer("CN"),
        "staff": factory.user("operator", operator=jiangsu), "factory": factory,
    }


def found(client, people, term, who="officer") -> set[str]:
    headers = people["factory"].headers(people[who])
    response = client.get("/api/v1/complaints", query_string={"q": term}, headers=headers)
    assert response.status_code == 200, response.get_json()
    names = {ref: name for name, ref in people.items() if isinstance(ref, str)}
    return {names[item["reference"]] for item in response.json["items"]}


@pytest.mark.parametrize(("term", "expected"), [
    ("王小明", {"wang"}),              # a whole name (indexed: three characters)
    ("小明", {"wang"}),                # part of a name, too short for a trigram: still found
    ("zhang wei", {"zhang"}),          # any case
    ("ANG W", {"zhang"}),
    ("13800138000", {"wang"}),         # the phone's digits, typed without its hyphens
    ("1234-5678", {"zhang"}),          # …or with other separators
    ("0000 1111", {"li"}),
    ("outage", {"li"}),                # a word of the facts
    ("EVENING", {"li"}),
    ("deposit", {"zhang"}),            # a word of the request
    ("南京", {"wang"}),
    ("nothing like this", set()),
])
def test_search_finds_names_phones_and_facts(client, people, term, expected):
    assert found(client, people, term) == expected


@pytest.mark.parametrize(("term", "expected"), [
    ("%", {"wang"}), ("50%", {"wang"}), ("0%", {"wang"}), ("5%f", set()),  # % is a character
    ("_", {"wang"}), ("fee_A", {"wang"}), ("fee_", {"wang"}), ("e_", {"wang"}), ("f_e", set()),
    ("'", {"zhang"}), ("O'Brien", {"zhang"}), ('"cancel"', {"zhang"}), ('"', {"zhang"}),
    ("AND left", {"zhang"}), ("(NEAR", {"zhang"}), ("shop)*", {"zhang"}), ("*", {"zhang"}),
    ("{description}:", set()), ("\\", set()), ("=SUM(", {"li"}), ("^No", set()),
])
def test_special_characters_are_literal_never_an_error(client, people, term, expected):
    """LIKE's wildcards and FTS5's syntax (quotes, AND, NEAR, *, ^, column filters) are text."""
    assert found(client, people, term) == expected


def test_search_stays_in_the_callers_scope(client, people):
    assert found(client, people, "王小明") == {"wang"}  # not Zhejiang's complaint of the same name
    assert found(client, people, "王小明", who="national") == {"wang", "zhejiang"}
    # Operator staff see only complaints transferred to them (none here).
    assert found(client, people, "outage", who="staff") == set()


def test_operator_staff_search_facts_but_not_names(client, people, factory):
    from supervision.audit import Actor
    from supervision.complaints import transitions

    complaint = db.session.scalar(select(Complaint).where(Complaint.reference == people["li"]))
    officer = people["officer"]
    transitions.perform(complaint, "accept", {}, Actor.of(officer), factory.now)
    transitions.perform(complaint, "transfer", {"note": "call back"}, Actor.of(officer), factory.now)
    db.session.commit()
    assert found(client, people, "outage", who="staff") == {"li"}
    assert found(client, people, "李娜", who="staff") == set()
    assert found(client, people, "13700001111", who="staff") == set()


def test_the_officer_page_searches_the_same_way(client, people):
    from tests.web.test_officer_pages import new_browser

    browser = new_browser(client.application, people["officer"])
    for term, expected in (("王小明", "wang"), ("%", "wang"), ('"cancel" AND', "zhang"), ("0000-1111", "li")):
        page = browser.get("/officer/complaints", query_string={"q": term})
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert people[expected] in html and people["zhejiang"] not in html, term
    assert people["wang"] not in browser.get("/officer/complaints?q=%25%25").get_data(as_text=True)


def test_too_long_a_term_is_a_422_naming_q(client, people):
    headers = people["factory"].headers(people["officer"])
    response = client.get("/api/v1/complaints", query_string={"q": "x" * 101}, headers=headers)
    assert response.status_code == 422 and "q" in response.json["errors"]


TERMS = ["王小明", "小明", "zhang", "WEI", "13800138000", "0013-8000", "%", "_", "fee_a", "refund", "broadband",
         "TS-32", "'", '"', "NEAR", "no such thing", "z", "ts"]


@pytest.mark.parametrize("role", ["officer", "staff"])
def test_the_index_finds_exactly_what_a_scan_finds(people, role):
    """Search through the index against the plain substring condition, for every term."""
    user: User = people[role]
    everything = select(Complaint.reference)
    for term in TERMS:
        with_name = role == "officer"
        scan = substring_condition(term, phone_digits(term) if with_name else None, with_name)
        indexed = set(db.session.scalars(everything.where(search_condition(term, user))))
        assert indexed == set(db.session.scalars(everything.where(scan))), term


def test_the_index_follows_changes_and_deletions(client, people):
    complaint_id = db.session.scalar(select(Complaint.id).where(Complaint.reference == people["li"]))
    db.session.execute(update(Complaint).where(Complaint.id == complaint_id)
                       .values(description="Fixed line crackles.", complainant_name="李雷"))
    db.session.commit()
    assert found(client, people, "outage") == set() and found(client, people, "crackles") == {"li"}
    assert found(client, people, "李雷") == {"li"} and found(client, people, "李娜") == set()
    db.session.execute(text("DELETE FROM deadlines WHERE subject_id = :id"), {"id": complaint_id})
    # The searches by name were reads of personal data, logged against the complaint (SPEC §9).
    db.session.execute(text("DELETE FROM personal_data_reads WHERE complaint_id = :id"), {"id": complaint_id})
    db.session.execute(Complaint.__table__.delete().where(Complaint.id == complaint_id))
    db.session.commit()
    assert found(client, people, "crackles") == set()


def test_the_search_index_exists_after_the_migrations(ctx):
    engine = db.engine
    if engine.dialect.name == "sqlite":
        names = {row[0] for row in db.session.execute(text("SELECT name FROM sqlite_master"))}
        assert {"complaints_search", "complaints_search_ai", "complaints_search_ad",
                "complaints_search_au"} <= names
        sql = db.session.execute(text("SELECT sql FROM sqlite_master WHERE name = 'complaints_search'")).scalar()
        assert "fts5" in sql and "trigram" in sql
        return
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("complaints")}
    assert {f"ix_complaints_search_{c}" for c in ("reference", "description", "request", "name", "phone")} <= indexes
    definitions = db.session.execute(text(
        "SELECT indexdef FROM pg_indexes WHERE indexname LIKE 'ix_complaints_search_%' "
        "AND schemaname = current_schema()")).scalars().all()
    assert len(definitions) == 5 and all("gin" in d and "gin_trgm_ops" in d for d in definitions)


def test_a_search_uses_the_index(people):
    """The plan of a rare-term search reads the index, not every complaint."""
    stmt = select(Complaint.id).where(search_condition("王小明", people["officer"]))
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "sqlite":
        plan = " ".join(str(r) for r in db.session.execute(text("EXPLAIN QUERY PLAN " + sql)))
        assert "VIRTUAL TABLE INDEX" in plan and "SCAN complaints" not in plan.replace("SCAN complaints_search", "")
    else:
        db.session.execute(text("SET LOCAL enable_seqscan = off"))  # four rows: a scan would win
        plan = " ".join(str(r) for r in db.session.execute(text("EXPLAIN " + sql)))
        assert "ix_complaints_search_name" in plan and "ix_complaints_search_phone" not in plan
    db.session.rollback()


def test_search_terms_stay_out_of_access_logs():
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '"%s" %s',
                               ("GET /officer/complaints?status=accepted&q=%E7%8E%8B HTTP/1.1", 200), None)
    RedactSecrets().filter(record)
    assert record.getMessage() == '"GET /officer/complaints?status=accepted&q=[redacted] HTTP/1.1" 200'
    faq = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, "GET /faq=1", None, None)
    RedactSecrets().filter(faq)
    assert faq.getMessage() == "GET /faq=1"


# --- statements per page: no N+1 ----------------------------------------------------------------

def count_statements(fn) -> int:
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_queue_statements_do_not_grow_with_the_rows(client, factory):
    """A page of 2 complaints and one of 8 cost the same statements (API and web page)."""
    from tests.web.test_officer_pages import new_browser

    operator, officer = factory.operator(province="32"), factory.officer("32")
    headers = factory.headers(officer)
    browser = new_browser(client.application, officer)

    def api():
        assert client.get("/api/v1/complaints?limit=50", headers=headers).status_code == 200

    def page():
        assert browser.get("/officer/complaints").status_code == 200

    for _ in range(2):
        factory.complaint(operator)
    few = count_statements(api), count_statements(page)
    for _ in range(6):
        factory.complaint(operator)
    assert (count_statements(api), count_statements(page)) == few
    assert few[0] <= API_QUEUE_STATEMENTS and few[1] <= WEB_QUEUE_STATEMENTS, few


API_QUEUE_STATEMENTS = 7
WEB_QUEUE_STATEMENTS = 10


# --- the queue's order, read page by page --------------------------------------------------------

def test_pages_read_from_the_clock_index_keep_the_queues_order(factory):
    """nearest_due_page gives exactly the rows of sorted_by_nearest_due, for every page size."""
    from datetime import timedelta

    from supervision.complaints.models import Deadline
    from supervision.complaints.queue import (
        QueueFilters,
        nearest_due_page,
        queue_query,
        sorted_by_nearest_due,
    )

    operator, officer = factory.operator(province="32"), factory.officer("32")
    complaints = [factory.complaint(operator)[0] for _ in range(9)]
    for i, complaint in enumerate(complaints):
        for clock in db.session.scalars(select(Deadline).where(Deadline.subject_id == complaint.id)):
            clock.due += timedelta(days=(i * 5) % 7)  # ties on the due date too
            if i % 3 == 0:
                clock.stopped_at = factory.now  # no clock awaiting its stop: after all the others
    # A complaint with two running clocks counts once, at its earliest date.
    assert len(complaints[4].deadlines) == 2
    complaints[4].deadlines[-1].due -= timedelta(days=40)
    db.session.commit()
    stmt = queue_query(officer, QueueFilters())
    expected = list(db.session.scalars(sorted_by_nearest_due(stmt)))
    assert expected[0].id == complaints[4].id and len(expected) == 9
    for limit in (1, 2, 4, 9):
        for offset in range(0, 11):
            page = nearest_due_page(stmt, offset, limit)
            assert [c.id for c in page] == [c.id for c in expected[offset:offset + limit]], (offset, limit)


def test_a_long_queue_is_counted_up_to_the_cap(client, factory, monkeypatch):
    """Past the cap the page says "more than", instead of counting every complaint each time."""
    from tests.web.test_officer_pages import new_browser

    monkeypatch.setattr("blueprints.web.officer.QUEUE_COUNT_CAP", 2)
    operator, officer = factory.operator(province="32"), factory.officer("32")
    browser = new_browser(client.application, officer)
    factory.complaint(operator)
    factory.complaint(operator)
    assert "2 complaints, nearest deadline first" in browser.get("/officer/complaints").get_data(as_text=True)
    references = {factory.complaint(operator)[0].reference for _ in range(2)}
    page = browser.get("/officer/complaints").get_data(as_text=True)
    assert "More than 2 complaints" in page and all(reference in page for reference in references)
