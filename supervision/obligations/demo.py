"""Demo data of the operators' obligations (called from supervision/demo.py): attestations with
a gap and the open finding the daily check raises for it, and a returned half-year report.
Idempotent: each record is looked up first and only created when missing."""
from datetime import date, datetime, timedelta

from sqlalchemy import select

from supervision.audit import Actor
from supervision.clock import local_date
from supervision.extensions import db
from supervision.obligations import retention
from supervision.obligations import self_inspection as reports
from supervision.obligations.models import RetentionAttestation, SelfInspection
from supervision.obligations.retention_check import check_retention
from supervision.obligations.retention_rules import required_window

# (operator key, staff username, system, province, days short at the start of the window)
ATTESTATIONS = (
    ("jscable", "staff.jscable", "BOSS-JS 计费系统", "32", 0),
    ("jscable", "staff.jscable", "IPTV 增值业务计费", "32", 1),       # one day missing: a finding
    ("cmcc", "staff.cmcc", "BOSS 江苏", "32", 0),
    ("cmcc", "staff.cmcc", "BOSS 广东", "44", 0),
)


def load_obligations_demo(operators: dict, users: dict, now: datetime, echo) -> None:
    today = local_date(now)
    start, _ = required_window(today, retention.retention_months())
    created = 0
    for key, username, system, province, short in ATTESTATIONS:
        operator = operators[key]
        exists = db.session.scalar(select(RetentionAttestation.id).where(
            RetentionAttestation.operator_id == operator.id, RetentionAttestation.system == system))
        if exists is None:
            retention.file_attestation(operator, {"system": system, "province": province,
                                                  "earliest_day": start + timedelta(days=short),
                                                  "latest_day": today, "as_of": today},
                                       Actor.of(users[username]), now)
            created += 1
    echo(f"retention attestations: {len(ATTESTATIONS)} ({created} new); {check_retention(now)}")
    _returned_report(operators["jscable"], users["staff.jscable"], users["officer.js"], now, today, echo)
    _sample_awaiting_production(operators["jscable"], users["officer.js"], now, echo)


def _sample_awaiting_production(operator, officer, now: datetime, echo) -> None:
    from supervision.obligations.models import BillingSample
    from supervision.obligations.samples import draw_billing_sample

    sample = db.session.scalar(select(BillingSample).where(BillingSample.operator_id == operator.id))
    if sample is None:
        accounts = [f"JS-{n:06d}" for n in range(100101, 100141)]   # illustrative account references
        sample = draw_billing_sample(officer, operator.id, {"province": "32", "size": 6, "accounts": accounts,
                                                            "seed": 20261126}, now)
    echo(f"billing-record sample {sample.id} of {operator.name}: seed {sample.seed}, awaiting production "
         f"(replay: flask --app wsgi retention sample --replay {sample.id})")


def _previous_half(today: date) -> str:
    return f"{today.year}H1" if today.month > 6 else f"{today.year - 1}H2"


def _returned_report(operator, staff, officer, now: datetime, today: date, echo) -> None:
    period = _previous_half(today)
    if db.session.scalar(select(SelfInspection.id).where(SelfInspection.operator_id == operator.id,
                                                         SelfInspection.period == period)) is None:
        report = reports.create_report(staff, period, now)
        counted = report.prefilled.get("complaints_received") or 0
        reports.update_report(report, {
            "checklist": [{"item": row["item"], "result": "pass"} for row in report.checklist]
            + [{"item": "answers_in_time", "result": "fail",
                "explanation": "两件申诉答复超过时限，已整改客服排班。"}],
            "metrics": {"complaints_received": counted + 3, "answered_in_time_share": 0.9,
                        "billing_error_rate": 0.00003},
            "problems": "个别申诉答复超时。", "corrective_actions": "增加夜班客服人员，每周复核未结申诉。"},
            staff, now)
        reports.perform(report, "submit", {}, Actor.of(staff), now)
        reports.perform(report, "return", {"comment": "申诉受理数与我局记录不一致，请核实后重新提交。"},
                        Actor.of(officer), now)
    echo(f"self-inspection report {period} of {operator.name}: returned with a comment")
