"""Statements per public intake, pinned (issue 10): filing is measured against one bare INSERT,
so each extra round trip to the database shows in the benchmark. The numbers below are the
maximum; a change that adds a query to intake must lower another or say why here.

Counted with SQLAlchemy's cursor events: every statement sent, BEGIN excluded (SQLite's
BEGIN IMMEDIATE is a statement, PostgreSQL's is implicit), COMMIT not being a statement.
"""
import contextlib
import re

from sqlalchemy import event, func, select

from supervision.audit import AuditEvent
from supervision.complaints.models import Complaint, Deadline
from supervision.extensions import db
from tests.web.test_officer_pages import new_browser
from tests.web.test_public_pages import EN, form_body

# Reads: operator and province (one query), calendar overrides, the three clock policies (one query).
# Writes: the complaint (ON CONFLICT DO NOTHING RETURNING, no savepoint), its two clocks (one
# INSERT on PostgreSQL; SQLite has no ordered RETURNING for several rows, so two), its submit
# event (a new chain: no read of the last link), the acknowledgement to the complainant's email
# (one INSERT … ON CONFLICT DO NOTHING on its dedupe key). Before issue 10: 19 statements.
API_INTAKE_MAX = 8
# The form adds its validation's reads (the operator and the province, read again by intake
# in its own transaction, in one query there), the one-time pass: its look-up (a resubmitted form), the purge of
# expired codes (UPDATE + DELETE) and its INSERT … ON CONFLICT DO NOTHING. Before: 21.
WEB_INTAKE_MAX = API_INTAKE_MAX + 7


@contextlib.contextmanager
def counted_statements():
    sent: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith("BEGIN"):
            sent.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


def stored() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (Complaint, Deadline, AuditEvent))


def test_public_api_intake_stays_within_its_statement_budget(client, factory):
    body = factory.complaint_body(factory.operator())
    db.session.commit()
    before = stored()
    with counted_statements() as sent:
        response = client.post("/api/v1/complaints", json=body)
    assert response.status_code == 201, response.json
    assert len(sent) <= API_INTAKE_MAX, "\n".join(s.splitlines()[0] for s in sent)
    # Fewer statements, the same rows: the complaint, its two clocks, its submit event.
    assert stored() == (before[0] + 1, before[1] + 2, before[2] + 1)
    assert [d["clock"] for d in response.json["deadlines"]] == ["acceptance", "answer"]
    assert not any(re.match(r"\s*SAVEPOINT", s) for s in sent)


def test_web_form_intake_stays_within_its_statement_budget(app, factory):
    operator = factory.operator()
    db.session.commit()
    browser = new_browser(app, None)
    page = browser.get("/complaints/new", headers=EN).get_data(as_text=True)
    token = re.search(r'name="submission_token" type="hidden" value="([^"]+)"', page)[1]
    with counted_statements() as sent:
        response = browser.post("/complaints/new", data=form_body(operator, submission_token=token), headers=EN)
    assert response.status_code == 303
    assert len(sent) <= WEB_INTAKE_MAX, "\n".join(s.splitlines()[0] for s in sent)
