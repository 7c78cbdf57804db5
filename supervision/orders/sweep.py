"""Orders and inspections as subjects of the ONE deadline sweep (workflow/sweep.py)."""
from datetime import datetime

from supervision.audit import SYSTEM, record_event
from supervision.inspections.models import Inspection, lock_inspection
from supervision.notifications.outbox import notify_officers
from supervision.orders.models import RectificationOrder, lock_order
from supervision.workflow.models import Deadline
from supervision.workflow.subjects import Subject, register_subject


def _order_overdue(deadline: Deadline, order: RectificationOrder, now: datetime) -> int:
    """Not rectified by the deadline: flagged, and the officers told (eligible for a penalty, SPEC §7)."""
    if order.overdue or order.status == "closed":
        return 0
    order.overdue = True
    record_event("order", str(order.id), "overdue", SYSTEM, now, before={"overdue": False},
                 after={"overdue": True, "due": deadline.due.isoformat()},
                 note=f"{order.number}: deadline {deadline.due.isoformat()} passed without a completion report")
    notify_officers(order, f"[{order.number}] rectification deadline missed",
                    f"Order {order.number} was not reported complete by {deadline.due.isoformat()}.", now,
                    heads_only=False, key=f"order-overdue:{order.id}:{order.round}")
    return 1


def _remind_operator(deadline: Deadline, order: RectificationOrder, days_before: int, now: datetime) -> bool:
    """N days before the deadline the operator's staff are reminded (ClockPolicy.reminder_days)."""
    from sqlalchemy import select

    from supervision.access.models import Role, User
    from supervision.extensions import db
    from supervision.notifications.outbox import queue

    if order.status not in ("issued", "plan_filed", "reopened"):
        return False
    staff = db.session.scalars(select(User).where(User.role == Role.OPERATOR, User.operator_id == order.operator_id))
    sent = [queue(f"order-reminder:{order.id}:{order.round}:{days_before}:{user.id}",
                  f"[{order.number}] rectification due {deadline.due.isoformat()}",
                  f"Rectification order {order.number} must be reported complete by {deadline.due.isoformat()} "
                  f"({days_before} days left).", now, user=user) for user in staff]
    return any(sent)


def _reply_time_over(deadline: Deadline, inspection: Inspection, now: datetime) -> int:
    """The operator let its right of reply pass: the result can be made final without a reply."""
    return 0


ORDER_SUBJECT = register_subject(Subject(
    type=RectificationOrder.deadline_subject, model=RectificationOrder, audit_key=lambda o: ("order", str(o.id)),
    label=lambda o: o.number, lock=lock_order, on_missed=_order_overdue, on_reminder=_remind_operator, endpoint=("officer.order", "id")))

INSPECTION_SUBJECT = register_subject(Subject(
    type=Inspection.deadline_subject, model=Inspection, audit_key=lambda i: ("inspection", str(i.id)),
    label=lambda i: f"Inspection {i.id} · {i.operator.name}", lock=lock_inspection, on_missed=_reply_time_over,
    endpoint=("officer.inspection", "id")))
