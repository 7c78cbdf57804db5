"""The service-quality deposit ledger [M 14]: deposits, deductions (with the reason and the
decision that orders them) and refunds. The balance is derived from the entries, never edited."""
from datetime import datetime

from sqlalchemy import case, func, select

from supervision.access.models import User
from supervision.access.scoping import can_manage_operator
from supervision.audit import Actor, record_event
from supervision.errors import Forbidden, ValidationFailed
from supervision.extensions import db
from supervision.i18n import _l
from supervision.obligations.models import DepositEntry
from supervision.operators.models import Operator

KINDS = ("deposit", "deduction", "refund")
MAX_FEN = 10**13   # ten thousand billion fen: far above any deposit, below BIGINT


def balance_fen(operator_id: int) -> int:
    signed = case((DepositEntry.kind == "deposit", DepositEntry.amount_fen), else_=-DepositEntry.amount_fen)
    return int(db.session.scalar(select(func.coalesce(func.sum(signed), 0))
                                 .where(DepositEntry.operator_id == operator_id)))


def entries(operator_id: int) -> list[DepositEntry]:
    return list(db.session.scalars(select(DepositEntry).where(DepositEntry.operator_id == operator_id)
                                   .order_by(DepositEntry.id)))


def record_entry(operator: Operator, data: dict, user: User, now: datetime) -> DepositEntry:
    """Only the supervising authority records movements; a deduction names its reason and decision."""
    if not can_manage_operator(user, operator.scope, operator.province):
        raise Forbidden(_l("Only the operator's supervising authority records its deposit."))
    # The ledger is read and extended under the operator's row lock: two deductions never overdraw it.
    db.session.execute(select(Operator.id).where(Operator.id == operator.id).with_for_update())
    kind, amount = data.get("kind"), data.get("amount_fen")
    errors = {}
    if kind not in KINDS:
        errors["kind"] = [_l("kind must be deposit, deduction or refund")]
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= MAX_FEN:
        errors["amount_fen"] = [_l("the amount is a whole number of fen above 0")]
    if kind == "deduction":
        for name in ("reason", "decision_ref"):
            if not (data.get(name) or "").strip():
                errors[name] = [_l("a deduction states %(field)s", field=name)]
    if not errors and kind in ("deduction", "refund") and amount > balance_fen(operator.id):
        errors["amount_fen"] = [_l("more than the balance of %(balance)s fen", balance=balance_fen(operator.id))]
    if errors:
        raise ValidationFailed(_l("The deposit entry cannot be recorded as it is."), errors)
    entry = DepositEntry(operator_id=operator.id, kind=kind, amount_fen=amount,
                         reason=(data.get("reason") or "").strip() or None,
                         decision_ref=(data.get("decision_ref") or "").strip() or None,
                         recorded_by=user.id, recorded_at=now)
    db.session.add(entry)
    db.session.flush()
    record_event("operator", operator.id, f"deposit_{kind}", Actor.of(user), now,
                 after={"entry": entry.id, "kind": kind, "amount_fen": amount, "decision_ref": entry.decision_ref,
                        "balance_fen": balance_fen(operator.id)}, note=entry.reason)
    return entry
