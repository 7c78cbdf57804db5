"""Self-inspection reports as a subject of the one deadline sweep: reminders 15 and 3 days
before the due date (ClockPolicy.reminder_days) and the overdue flag when it is missed."""
from datetime import datetime

from sqlalchemy import select

from supervision.access.models import Role, User
from supervision.extensions import db
from supervision.notifications.outbox import queue
from supervision.obligations.models import SelfInspection
from supervision.obligations.self_inspection import overdue_as_late_report
from supervision.workflow.models import Deadline
from supervision.workflow.subjects import Subject, register_subject


def _lock(report_id: int) -> None:
    db.session.execute(select(SelfInspection.id).where(SelfInspection.id == report_id).with_for_update())


def _remind(deadline: Deadline, report: SelfInspection, days_before: int, now: datetime) -> bool:
    staff = db.session.scalars(select(User).where(User.role == Role.OPERATOR,
                                                  User.operator_id == report.operator_id)).all()
    sent = False
    for user in staff:
        sent |= queue(f"self_inspection:{report.id}:reminder:{days_before}:{user.id}",
                      f"Self-inspection report {report.period} due {deadline.due.isoformat()}",
                      f"Your {report.period} self-inspection report is due on {deadline.due.isoformat()} "
                      f"({days_before} days). Submit it in the operator portal.", now, user=user)
    return sent


SELF_INSPECTION_SUBJECT = register_subject(Subject(
    type=SelfInspection.deadline_subject, model=SelfInspection,
    audit_key=lambda r: ("self_inspection", str(r.id)), label=lambda r: f"{r.operator.name} {r.period}",
    lock=_lock, on_missed=overdue_as_late_report, on_reminder=_remind,
    endpoint=("officer_obligations.self_inspection", "report_id")))
