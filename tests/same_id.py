"""A record of another kind that carries the same id as a given one: scoping and pausing are per
kind, so a rule that forgets the kind shows itself only when two kinds' ids meet."""
from sqlalchemy import text, update

from supervision.extensions import db
from supervision.obligations.self_inspection import create_report
from supervision.workflow.models import Deadline


def self_inspection_with_id(factory, record_id: int, province: str = "33"):
    """A 2026H2 self-inspection report (with its running clock) of an operator in `province`, given `record_id`."""
    operator = factory.operator(province=province)
    report = create_report(factory.user("operator", operator=operator), "2026H2", factory.now)
    db.session.flush()
    if report.id != record_id:
        db.session.execute(text("UPDATE self_inspections SET id = :new WHERE id = :old"),
                           {"new": record_id, "old": report.id})
        db.session.execute(update(Deadline).where(Deadline.subject_type == "self_inspection",
                                                  Deadline.subject_id == report.id).values(subject_id=record_id))
    db.session.commit()
