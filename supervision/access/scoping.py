"""Jurisdiction, written once (SPEC §1).

Every list goes through `scoped(stmt, user)`; every single record through `load_in_scope`,
which answers NotFound (404) both for a missing record and for one outside the caller's
scope, so a caller cannot learn that a record exists elsewhere. `user=None` is the public.
"""
from collections.abc import Callable

from sqlalchemy import Select, false, or_, select

from supervision.access.models import NATIONAL, Role, User
from supervision.clock import today_local
from supervision.errors import NotFound
from supervision.extensions import db

ScopeRule = Callable[[Select, User | None], Select]
_RULES: dict[type, ScopeRule] = {}


def scope_rule(model: type) -> Callable[[ScopeRule], ScopeRule]:
    def register(rule: ScopeRule) -> ScopeRule:
        _RULES[model] = rule
        return rule
    return register


def scoped(stmt: Select, user: User | None) -> Select:
    """Restrict a SELECT of a scoped model to what `user` may see."""
    model = stmt.column_descriptions[0]["entity"]
    try:
        rule = _RULES[model]
    except KeyError:
        raise LookupError(f"no scope rule for {model.__name__}: add one in access/scoping.py") from None
    return rule(stmt, user)


def load_in_scope(model: type, user: User | None, **criteria):
    """One record by its criteria if `user` may see it, else NotFound."""
    stmt = scoped(select(model).filter_by(**criteria), user)
    record = db.session.scalars(stmt.limit(1)).first()
    if record is None:
        raise NotFound(f"{model.__name__} not found")
    return record


def officer_sees_all(user: User) -> bool:
    return user.role == Role.ADMIN or (user.role == Role.OFFICER and user.authority_code == NATIONAL)


# --- the rules ------------------------------------------------------------------------------

def _register_rules() -> None:
    from supervision.complaints.models import Complaint
    from supervision.findings.models import Finding
    from supervision.operators.models import Operator

    @scope_rule(Operator)
    def operator_scope(stmt: Select, user: User | None) -> Select:
        if user is None:
            return stmt.where(Operator.active_on(today_local()))
        if officer_sees_all(user) or user.role == Role.OVERSIGHT:
            return stmt
        if user.role == Role.OFFICER:
            # National operators work in every province, so each province supervises them there.
            return stmt.where(or_(Operator.scope == "national", Operator.province == user.authority_code))
        if user.role == Role.OPERATOR:
            return stmt.where(Operator.id == user.operator_id)
        return stmt.where(false())

    @scope_rule(Complaint)
    def complaint_scope(stmt: Select, user: User | None) -> Select:
        if user is None:
            return stmt.where(false())  # the public reaches a complaint only by reference + code
        if officer_sees_all(user):
            return stmt
        if user.role == Role.OFFICER:
            return stmt.where(Complaint.province == user.authority_code)
        if user.role == Role.OPERATOR:
            return stmt.where(Complaint.operator_id == user.operator_id, Complaint.transferred_at.is_not(None))
        return stmt.where(false())


    @scope_rule(Finding)
    def finding_scope(stmt: Select, user: User | None) -> Select:
        return by_authority_or_operator(stmt, user, Finding.authority_code, Finding.operator_id)

    from supervision.obligations.models import (
        BillingSample,
        FormatClause,
        RetentionAttestation,
        SelfInspection,
    )

    @scope_rule(FormatClause)
    def format_clause_scope(stmt: Select, user: User | None) -> Select:
        return by_authority_or_operator(stmt, user, FormatClause.authority_code, FormatClause.operator_id)

    @scope_rule(BillingSample)
    def sample_scope(stmt: Select, user: User | None) -> Select:
        return by_authority_or_operator(stmt, user, BillingSample.authority_code, BillingSample.operator_id)

    @scope_rule(SelfInspection)
    def self_inspection_scope(stmt: Select, user: User | None) -> Select:
        return by_authority_or_operator(stmt, user, SelfInspection.authority_code, SelfInspection.operator_id)

    @scope_rule(RetentionAttestation)
    def attestation_scope(stmt: Select, user: User | None) -> Select:
        # An attestation is about one province: that province's officers (and CN) see it.
        return by_authority_or_operator(stmt, user, RetentionAttestation.province, RetentionAttestation.operator_id)


def by_authority_or_operator(stmt: Select, user: User | None, authority_column, operator_column) -> Select:
    """The common rule of supervision records (findings, reports, orders, inspections…):
    officers see their authority's (CN sees all), operator staff their own operator's."""
    if user is None:
        return stmt.where(false())
    if officer_sees_all(user):
        return stmt
    if user.role == Role.OFFICER:
        return stmt.where(authority_column == user.authority_code)
    if user.role == Role.OPERATOR:
        return stmt.where(operator_column == user.operator_id)
    return stmt.where(false())


# --- who may change what --------------------------------------------------------------------

def can_manage_operator(user: User | None, scope: str, province: str | None) -> bool:
    """Register or edit an operator: admin and CN for all, a province for its own provincial ones."""
    if user is None:
        return False
    if officer_sees_all(user):
        return True
    return user.role == Role.OFFICER and scope == "provincial" and province == user.authority_code


def officer_in_charge(user: User | None, province: str) -> bool:
    """An officer (or admin) whose jurisdiction covers `province`."""
    if user is None:
        return False
    if officer_sees_all(user):
        return True
    return user.role == Role.OFFICER and user.authority_code == province


def load_complaint_for_complainant(reference: str, access_code: str):
    """The complainant's own complaint by reference + access code; a wrong code is a 404."""
    from supervision.access.passwords import verify_secret
    from supervision.complaints.models import Complaint

    complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
    if complaint is None or not access_code or not verify_secret(complaint.access_code_hash, access_code):
        raise NotFound("No complaint with this reference and access code.")
    return complaint
