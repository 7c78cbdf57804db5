"""The daily retention check [M 17] (SPEC §4): each active operator's latest attestation per
billing system × province, judged on today's window and today's holds.

A gap, or an attestation too old to speak for today, raises a retention finding for the
province's officers; the finding's key makes a rerun find it instead of raising another, and
the check resolves it itself once a newer attestation covers the gap.
"""
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from supervision.audit import SYSTEM
from supervision.clock import local_date
from supervision.extensions import db
from supervision.findings.models import Finding
from supervision.findings.services import raise_finding, resolve
from supervision.obligations.retention import gaps_json, judge, latest_attestations
from supervision.operators.models import Operator

ARTICLE = "M 17"
SOURCE = "retention"


def gap_key(operator_id: int, province: str, system: str) -> str:
    return f"retention:{operator_id}:{province}:{system}"


def stale_key(operator_id: int, province: str, system: str) -> str:
    return f"retention:{operator_id}:{province}:{system}:stale"


@dataclass
class RetentionCheckResult:
    checked: int = 0
    raised: int = 0
    resolved: int = 0

    def __str__(self) -> str:
        return f"{self.checked} attestations checked, {self.raised} findings raised, {self.resolved} resolved"


def check_retention(now: datetime) -> RetentionCheckResult:
    today, result = local_date(now), RetentionCheckResult()
    max_age = current_app.config["RETENTION_ATTESTATION_MAX_AGE_DAYS"]
    still_true: set[str] = set()
    for operator in db.session.scalars(select(Operator).where(Operator.active_on(today)).order_by(Operator.id)):
        for attestation in latest_attestations(operator.id):
            result.checked += 1
            coverage = judge(operator.id, attestation.province, attestation.earliest_day,
                             attestation.latest_day, attestation.as_of, on=today)
            if coverage.gaps:
                key = gap_key(operator.id, attestation.province, attestation.system)
                still_true.add(key)
                facts = (f"Billing system {attestation.system} in province {attestation.province}: "
                         f"{coverage.missing_days} day(s) of raw billing data not held on {today.isoformat()} "
                         f"(attestation as of {attestation.as_of.isoformat()}).")
                details = {"system": attestation.system, "attestation_id": attestation.id,
                           "checked_on": today.isoformat(), "missing_days": coverage.missing_days,
                           "gaps": gaps_json(coverage), "held_months": list(coverage.held_months)}
                result.raised += _raise(operator, attestation.province, facts, details, key, now)
            age = (today - attestation.as_of).days
            if age > max_age:
                key = stale_key(operator.id, attestation.province, attestation.system)
                still_true.add(key)
                facts = (f"Billing system {attestation.system} in province {attestation.province}: the latest "
                         f"retention attestation is {age} days old (as of {attestation.as_of.isoformat()}; "
                         f"at most {max_age} days).")
                details = {"system": attestation.system, "attestation_id": attestation.id, "age_days": age,
                           "max_age_days": max_age, "checked_on": today.isoformat()}
                result.raised += _raise(operator, attestation.province, facts, details, key, now)
    result.resolved = _resolve_cured(still_true, now)
    return result


def _raise(operator: Operator, province: str, facts: str, details: dict, key: str, now: datetime) -> int:
    _, raised = raise_finding(operator, province, SOURCE, ARTICLE, facts, SYSTEM, now, details=details, key=key)
    return int(raised)


def _resolve_cured(still_true: set[str], now: datetime) -> int:
    """Open retention findings whose fact today's check no longer sees were cured."""
    stmt = (select(Finding).where(Finding.source == SOURCE, Finding.state == "open",
                                  Finding.open_key.like("retention:%")).order_by(Finding.id))
    resolved = 0
    for finding in db.session.scalars(stmt).all():
        if finding.open_key not in still_true and _operator_checked(finding, now):
            resolve(finding, f"A newer attestation covers it (check of {local_date(now).isoformat()}).", now)
            resolved += 1
    return resolved


def _operator_checked(finding: Finding, now: datetime) -> bool:
    # An operator no longer active was not checked today: its findings stay as they are.
    operator = db.session.get(Operator, finding.operator_id)
    return operator is not None and db.session.scalar(
        select(Operator.id).where(Operator.id == operator.id, Operator.active_on(local_date(now)))) is not None
