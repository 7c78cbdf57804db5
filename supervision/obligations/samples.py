"""Billing-record samples (SPEC §4) [M 17]: an officer draws a seeded, reproducible sample of
(account, month) pairs inside the required window and the held months; the operator produces
each by a working-day deadline (`sample_production`); an unproduced or late item is a finding."""
import secrets
from datetime import datetime

from sqlalchemy import select

from supervision.access.models import Role, User
from supervision.access.scoping import load_in_scope, require_province_in_scope
from supervision.audit import SYSTEM, Actor, record_event
from supervision.clock import local_date
from supervision.errors import Conflict, Forbidden, NotFound, ValidationFailed
from supervision.extensions import db
from supervision.findings.services import raise_finding
from supervision.i18n import _l
from supervision.obligations.models import BillingSample, SampleItem
from supervision.obligations.retention import held_months_on, licensed_provinces, retention_months
from supervision.obligations.retention_rules import draw_sample, required_window, sample_months
from supervision.operators.models import Operator
from supervision.uploads import store_upload
from supervision.workflow.deadlines import load_calendar, start_clock, stop_clock
from supervision.workflow.models import Deadline
from supervision.workflow.subjects import Subject, register_subject

CLOCK = "sample_production"
MAX_SIZE, MAX_ACCOUNTS, MAX_SEED = 50, 500, 2**53


def draw_billing_sample(user: User, operator_id: int, data: dict, now: datetime) -> BillingSample:
    if user.role != Role.OFFICER:
        raise Forbidden(_l("Only an officer draws a billing-record sample."))
    operator = load_in_scope(Operator, user, id=operator_id)
    errors, province = {}, data.get("province")
    require_province_in_scope(user, province)   # another province's: 403 naming the field
    if province not in licensed_provinces(operator):
        errors["province"] = [_l("%(operator)s is not licensed in province %(province)s",
                                 operator=operator.name, province=province)]
    accounts = sorted({(a or "").strip() for a in data.get("accounts") or [] if (a or "").strip()})
    if not 1 <= len(accounts) <= MAX_ACCOUNTS or any(len(a) > 60 for a in accounts):
        errors["accounts"] = [_l("name 1 to %(n)s account references of at most 60 characters", n=MAX_ACCOUNTS)]
    size = data.get("size")
    if not isinstance(size, int) or not 1 <= size <= MAX_SIZE:
        errors["size"] = [_l("the sample size is 1 to %(n)s items", n=MAX_SIZE)]
    seed = data.get("seed")
    if seed is not None and not (isinstance(seed, int) and 0 <= seed < MAX_SEED):
        errors["seed"] = [_l("a seed is a whole number from 0 to 2^53")]
    if errors:
        raise ValidationFailed(_l("The sample cannot be drawn as asked."), errors)
    today = local_date(now)
    months = sample_months(required_window(today, retention_months()), held_months_on(operator.id, province, today))
    seed = secrets.randbelow(MAX_SEED) if seed is None else seed
    sample = BillingSample(operator_id=operator.id, province=province, authority_code=province, seed=seed,
                           accounts=accounts, months=months, size=size, drawn_on=today, status="awaiting",
                           drawn_by=user.id, created_at=now, updated_at=now)
    sample.items = [SampleItem(account_ref=a, month=m, late=False) for a, m in draw_sample(seed, accounts, months, size)]
    db.session.add(sample)
    db.session.flush()
    start_clock(sample, CLOCK, today, load_calendar())
    record_event("billing_sample", str(sample.id), "draw", Actor.of(user), now,
                 after={"operator_id": operator.id, "province": province, "seed": seed, "size": len(sample.items),
                        "months": months})
    return sample


def replay(sample: BillingSample) -> list[tuple[str, str]]:
    """The draw again from the stored seed and pools (what `retention sample --replay` prints)."""
    return draw_sample(sample.seed, sample.accounts, sample.months, sample.size)


def answer_item(sample: BillingSample, item_id: int, produced: bool, upload: tuple[str, bytes] | None,
                note: str | None, user: User, now: datetime) -> SampleItem:
    """The operator produces an item (with its file) or states it cannot; late or not → a finding."""
    if user.role != Role.OPERATOR:
        raise Forbidden(_l("Only the operator's staff answer its sample."))
    _lock(sample.id)
    item = next((i for i in sample.items if i.id == item_id), None)
    if item is None:
        raise NotFound("No such item in this sample.")
    if item.produced is not None:
        raise Conflict(_l("This item was already answered."), state="answered")
    if produced:
        item.filename, item.content_type, item.sha256, item.storage_key = _store(upload)
    elif not (note or "").strip():
        raise ValidationFailed.field("note", _l("say why the records cannot be produced"))
    deadline = sample.deadline(CLOCK)
    item.produced, item.note, item.answered_at = produced, (note or "").strip() or None, now
    item.late = local_date(now) > deadline.due
    record_event("billing_sample", str(sample.id), "produce" if produced else "not_produced", Actor.of(user), now,
                 after={"item": item.id, "account": item.account_ref, "month": item.month, "late": item.late,
                        "sha256": item.sha256})
    if not produced or item.late:
        _item_finding(sample, item, now)
    if all(i.produced is not None for i in sample.items):
        sample.status = "complete"
        stop_clock(sample, CLOCK, now, local_date(now))
    sample.updated_at = now
    return item


def _store(upload: tuple[str, bytes] | None) -> tuple[str, str, str, str]:
    """The records file, through the one upload check (supervision/uploads.py)."""
    if not upload or not upload[1]:
        raise ValidationFailed.field("file", _l("attach the billing records produced"))
    stored = store_upload(*upload)
    return stored.filename, stored.content_type, stored.sha256, stored.storage_key


def _item_finding(sample: BillingSample, item: SampleItem, now: datetime) -> None:
    what = "produced late" if item.produced else "not produced"
    raise_finding(sample.operator, sample.province, "sample", "M 17",
                  f"Billing-record sample {sample.id}: records of account {item.account_ref} for {item.month} "
                  f"{what} (due {sample.deadline(CLOCK).due.isoformat()}).", SYSTEM, now,
                  details={"sample_id": sample.id, "item_id": item.id, "account": item.account_ref,
                           "month": item.month, "produced": item.produced},
                  key=f"sample:{sample.id}:{item.id}")


def _lock(sample_id: int) -> None:
    db.session.execute(select(BillingSample.id).where(BillingSample.id == sample_id).with_for_update())


def _missed(deadline: Deadline, sample: BillingSample, now: datetime) -> int:
    """The production deadline passed: every item not answered yet is a finding."""
    open_items = [i for i in sample.items if i.produced is None]
    for item in open_items:
        _item_finding(sample, item, now)
    return len(open_items)


def sample_view(sample: BillingSample) -> dict:
    deadline = sample.deadline(CLOCK)
    return {"id": sample.id, "operator_id": sample.operator_id, "province": sample.province, "seed": sample.seed,
            "size": sample.size, "months": sample.months, "drawn_on": sample.drawn_on.isoformat(),
            "status": sample.status, "due": deadline.due.isoformat(), "deadline_state": deadline.state,
            "items": [{"id": i.id, "account": i.account_ref, "month": i.month, "produced": i.produced,
                       "late": i.late, "note": i.note, "filename": i.filename, "sha256": i.sha256}
                      for i in sample.items]}


SAMPLE_SUBJECT = register_subject(Subject(
    type=BillingSample.deadline_subject, model=BillingSample,
    audit_key=lambda s: ("billing_sample", str(s.id)), label=lambda s: f"{s.operator.name} sample {s.id}",
    lock=_lock, on_missed=_missed, endpoint=("officer_obligations.sample", "sample_id")))
