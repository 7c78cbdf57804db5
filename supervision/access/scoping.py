"""Jurisdiction, written once (SPEC §1).

Every list goes through `scoped(stmt, user)`; every single record through `load_in_scope`,
which answers NotFound (404) both for a missing record and for one outside the caller's
scope, so a caller cannot learn that a record exists elsewhere. `user=None` is the public.
"""
from collections.abc import Callable

from sqlalchemy import Select, false, or_, select

from supervision.access.models import NATIONAL, Role, User
from supervision.clock import today_local
from supervision.errors import Forbidden, NotFound
from supervision.extensions import db
from supervision.i18n import _l

ScopeRule = Callable[[Select, User | None], Select]
_RULES: dict[type, ScopeRule] = {}
NO_ROWS = false()  # a condition no row meets: outside every scope


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
    record = db.session.scalars(stmt).first()  # the criteria name one record (an id, a reference)
    if record is None:
        raise NotFound(f"{model.__name__} not found")
    return record


def load_in_scope_or_public(model: type, user: User | None, **criteria):
    """A record the public may read (an active operator) reads the same with any token: signing
    in never shows less than the public sees. Writes keep `load_in_scope` (404 outside scope)."""
    try:
        return load_in_scope(model, user, **criteria)
    except NotFound:
        if user is None:
            raise
        return load_in_scope(model, None, **criteria)


def officer_sees_all(user: User) -> bool:
    """MIIT's officers supervise every province. The administrator runs the system and has no
    supervision duties (SPEC §1): supervision records are outside its scope like oversight's."""
    return user.role == Role.OFFICER and user.authority_code == NATIONAL


def national_level(user: User) -> bool:
    """Who acts for every province in the registry (SPEC §10: operators are registered by the
    admin or an officer): the administrator and MIIT's officers."""
    return user.role == Role.ADMIN or officer_sees_all(user)


# --- the rules ------------------------------------------------------------------------------

def _register_rules() -> None:
    from supervision.complaints.models import Complaint
    from supervision.findings.models import Finding
    from supervision.operators.models import Operator
    from supervision.surveys.models import SurveyResponse

    @scope_rule(Operator)
    def operator_scope(stmt: Select, user: User | None) -> Select:
        if user is None:
            return stmt.where(Operator.active_on(today_local()))
        if national_level(user) or user.role == Role.OVERSIGHT:
            return stmt
        if user.role == Role.OFFICER:
            # National operators work in every province, so each province supervises them there.
            return stmt.where(or_(Operator.scope == "national", Operator.province == user.authority_code))
        if user.role == Role.OPERATOR:
            return stmt.where(Operator.id == user.operator_id)
        return stmt.where(NO_ROWS)

    @scope_rule(Complaint)
    def complaint_scope(stmt: Select, user: User | None) -> Select:
        if user is None:
            return stmt.where(NO_ROWS)  # the public reaches a complaint only by reference + code
        if user.role == Role.OFFICER and user.authority_code == NATIONAL:
            return stmt
        if user.role == Role.OFFICER:
            return stmt.where(Complaint.province == user.authority_code)
        if user.role == Role.OPERATOR:
            return stmt.where(Complaint.operator_id == user.operator_id, Complaint.transferred_at.is_not(None))
        # The administrator runs the system (users, calendar, policies) and has no complaint
        # duties (SPEC §1), and oversight reports on officers, not on complaints: neither may read
        # complainants' personal data, so a complaint is outside their scope (404) like any other.
        return stmt.where(NO_ROWS)

    from supervision.access.personal_data import PersonalDataRead, may_review_reads

    @scope_rule(PersonalDataRead)
    def personal_data_read_scope(stmt: Select, user: User | None) -> Select:
        # The read log is the oversight role's alone (SPEC §9); the staff it records never see it.
        return stmt if may_review_reads(user) else stmt.where(NO_ROWS)

    @scope_rule(SurveyResponse)
    def survey_scope(stmt: Select, user: User | None) -> Select:
        # Raw survey rows and unpublished index figures are officers' work; the public sees
        # only published figures (publications), operators none.
        if user is None:
            return stmt.where(NO_ROWS)
        if officer_sees_all(user):
            return stmt
        if user.role == Role.OFFICER:
            return stmt.where(SurveyResponse.province == user.authority_code)
        return stmt.where(NO_ROWS)


    @scope_rule(Finding)
    def finding_scope(stmt: Select, user: User | None) -> Select:
        return by_authority_or_operator(stmt, user, Finding.authority_code, Finding.operator_id)

    from supervision.inspections.models import Inspection
    from supervision.orders.models import PenaltyDecision, RectificationOrder

    # Orders: the issuing authority's officers (CN all), the operator's own staff.
    @scope_rule(RectificationOrder)
    def order_scope(stmt: Select, user: User | None) -> Select:
        return by_authority_or_operator(stmt, user, RectificationOrder.authority_code, RectificationOrder.operator_id)

    @scope_rule(PenaltyDecision)
    def penalty_scope(stmt: Select, user: User | None) -> Select:
        # A draft decision is the authority's deliberation until a publisher approves it (four-eyes,
        # SPEC §7): the operator learns of a penalty when it is decided, not while it is drafted.
        stmt = by_authority_or_operator(stmt, user, PenaltyDecision.authority_code, PenaltyDecision.operator_id)
        if user is not None and user.role == Role.OPERATOR:
            stmt = stmt.where(PenaltyDecision.status != "draft")
        return stmt

    from supervision.inspections.models import Campaign

    @scope_rule(Campaign)
    def campaign_scope(stmt: Select, user: User | None) -> Select:
        # Officers of the authority run it; everyone reads its public verification page by id.
        if user is None or user.role != Role.OFFICER:
            return stmt.where(NO_ROWS)
        return stmt if officer_sees_all(user) else stmt.where(Campaign.authority_code == user.authority_code)

    @scope_rule(Inspection)
    def inspection_scope(stmt: Select, user: User | None) -> Select:
        # The operator learns of an inspection with its draft result (a mystery shopper is not
        # announced); the public reads only published results (inspections/results.py).
        stmt = by_authority_or_operator(stmt, user, Inspection.authority_code, Inspection.operator_id)
        if user is not None and user.role == Role.OPERATOR:
            stmt = stmt.where(Inspection.status.in_(("draft_result", "final", "published")))
        return stmt

    from supervision.publications.models import Publication

    @scope_rule(Publication)
    def publication_scope(stmt: Select, user: User | None) -> Select:
        """Everyone reads what is published; officers also see their authority's drafts."""
        published = Publication.status == "published"
        if user is not None and officer_sees_all(user):
            return stmt
        if user is not None and user.role == Role.OFFICER:
            return stmt.where(or_(published, Publication.authority_code == user.authority_code))
        return stmt.where(published)

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
    # (No mutation testing on the NO_ROWS lines: WHERE NULL, its only mutant, selects no row either.)
    if user is None:
        return stmt.where(NO_ROWS)  # pragma: no mutate
    if officer_sees_all(user):
        return stmt
    if user.role == Role.OFFICER:
        return stmt.where(authority_column == user.authority_code)
    if user.role == Role.OPERATOR:
        return stmt.where(operator_column == user.operator_id)
    return stmt.where(NO_ROWS)  # pragma: no mutate


# --- who may change what --------------------------------------------------------------------

def can_manage_operator(user: User | None, scope: str, province: str | None) -> bool:
    """Register or edit an operator: admin and CN for all, a province for its own provincial ones."""
    if user is None:
        return False
    if national_level(user):
        return True
    return user.role == Role.OFFICER and scope == "provincial" and province == user.authority_code


def province_in_scope(user: User | None, province: str | None) -> bool:
    """Whether `user` may act for `province`: the national level (admin, MIIT) for every
    province, a provincial officer for their own, operator staff where their operator works."""
    if user is None or not province:
        return False
    if national_level(user):
        return True
    if user.role == Role.OFFICER:
        return user.authority_code == province
    if user.role == Role.OPERATOR:
        return user.operator is not None and user.operator.operates_in(province)
    return False


def require_province_in_scope(user: User | None, province: str | None, field: str = "province") -> None:
    """A write that names a province in its body: refuse one outside the caller's jurisdiction.

    Loading the record in scope is not enough: a national operator is in every province's
    scope, so its subscriber counts for Guangdong must not be writable from Zhejiang. Every
    service that takes a province (or authority) from outside calls this before validating.

    The answer is 403 naming the field, not 404: the record itself is in scope and province
    codes are public reference data, so refusing reveals nothing about records elsewhere; and
    not 422: the value is a valid province, it is the caller who may not act for it.
    """
    if province_in_scope(user, province):
        return
    if user is not None and user.role == Role.OFFICER:
        message = _l("Province %(province)s is outside your jurisdiction: you may act only for your own "
                     "province (%(own)s).", province=province, own=user.authority_code)
    elif user is not None and user.role == Role.OPERATOR:
        message = _l("Your operator does not operate in province %(province)s.", province=province)
    else:
        message = _l("You may not act for province %(province)s.", province=province)
    raise Forbidden(message, {field: [message]})


def load_complaint_for_complainant(reference: str, access_code: str):
    """The complainant's own complaint by reference + access code; a wrong code is a 404."""
    from supervision.access.access_codes import complaint_for_access_code
    from supervision.complaints.rules import normalize_access_code, normalize_reference

    # Typed by a person: case, hyphens and spaces must not matter (one rule for web and API).
    reference, access_code = normalize_reference(reference), normalize_access_code(access_code)
    complaint = complaint_for_access_code(reference, access_code)
    if complaint is None:
        raise NotFound("No complaint with this reference and access code.")
    return complaint
