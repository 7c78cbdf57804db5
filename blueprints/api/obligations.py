"""Operator obligations API (SPEC §10): retention attestations [M 17], self-inspection reports [M 18]."""
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from blueprints.api.common import (
    BEARER,
    MAX_ID,
    ErrorSchema,
    GapOut,
    PageArgs,
    action_path,
    commit,
    keyset_page,
    require_user,
)
from supervision.access.scoping import load_in_scope, scoped
from supervision.audit import Actor
from supervision.clock import now_utc
from supervision.obligations import retention
from supervision.obligations import self_inspection as reports
from supervision.obligations.checklist import RESULTS
from supervision.obligations.models import SelfInspection
from supervision.operators.models import Operator

blp = Blueprint("api_obligations", __name__, description="Operator obligations: retention and self-inspection")
STATUSES = ("draft", "submitted", "returned", "accepted")


class AttestationIn(Schema):
    system = fields.String(required=True, validate=validate.Length(min=1, max=60),
                           metadata={"description": "the billing system's name"})
    province = fields.String(required=True, validate=validate.Length(equal=2))
    earliest_day = fields.Date(required=True, metadata={"description": "earliest day of raw billing data held"})
    latest_day = fields.Date(required=True, metadata={"description": "latest day of raw billing data held"})
    as_of = fields.Date(required=True, metadata={"description": "the day the statement is true (not in the future)"})


class AttestationOut(Schema):
    id = fields.Integer()
    system = fields.String()
    province = fields.String()
    earliest_day = fields.String()
    latest_day = fields.String()
    as_of = fields.String()
    required_from = fields.String(metadata={"description": "first day that must be producible on as_of [M 17]"})
    required_to = fields.String()
    held_months = fields.List(fields.String(), metadata={"description": "months under a preservation hold (YYYY-MM)"})
    gaps = fields.List(fields.Nested(GapOut), metadata={"description": "day ranges required but not held"})
    compliant = fields.Boolean()


class AttestationList(Schema):
    items = fields.List(fields.Nested(AttestationOut))


class ReportIn(Schema):
    period = fields.String(required=True, validate=validate.Regexp(r"^\d{4}H[12]$", error="YYYYH1 or YYYYH2"))


class CreatedReportOut(Schema):
    id = fields.Integer()
    due = fields.String()
    authority = fields.String(metadata={"description": "where it is routed: CN or the province"})
    status = fields.String()


class ChecklistAnswer(Schema):
    item = fields.String(required=True, validate=validate.Length(max=40))
    result = fields.String(allow_none=True, validate=validate.OneOf(RESULTS))
    explanation = fields.String(allow_none=True, validate=validate.Length(max=4000))


class MetricsIn(Schema):
    complaints_received = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=0, max=10**9))
    answered_in_time_share = fields.Float(allow_none=True, validate=validate.Range(min=0, max=1))
    billing_error_rate = fields.Float(allow_none=True, validate=validate.Range(min=0, max=1))


class ReportPatch(Schema):
    checklist = fields.List(fields.Nested(ChecklistAnswer), validate=validate.Length(max=50))
    metrics = fields.Nested(MetricsIn)
    problems = fields.String(allow_none=True, validate=validate.Length(max=20000))
    corrective_actions = fields.String(allow_none=True, validate=validate.Length(max=20000))


class ChecklistOut(Schema):
    item = fields.String()
    text = fields.String()
    result = fields.String(allow_none=True)
    explanation = fields.String()


class MetricsOut(Schema):
    complaints_received = fields.Integer(allow_none=True)
    answered_in_time_share = fields.Float(allow_none=True)
    billing_error_rate = fields.Float(allow_none=True)


class PrefilledOut(Schema):
    """The authority's own count for the half-year (self_inspection.prefill)."""

    complaints_received = fields.Integer()
    answered_in_time_share = fields.Float(allow_none=True)
    answers_judged = fields.Integer()
    retention_findings = fields.Integer()
    period_from = fields.String(metadata={"format": "date"})
    period_to = fields.String(metadata={"format": "date"})


class DiscrepancyOut(Schema):
    metric = fields.String()
    declared = fields.Float()
    prefilled = fields.Float()


class ReportOut(Schema):
    id = fields.Integer()
    operator_id = fields.Integer()
    operator = fields.String()
    period = fields.String()
    authority = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    due = fields.String(allow_none=True)
    deadline_state = fields.String(allow_none=True)
    overdue = fields.Boolean()
    checklist = fields.List(fields.Nested(ChecklistOut))
    metrics = fields.Nested(MetricsOut)
    prefilled = fields.Nested(PrefilledOut, metadata={"description": "what the authority's records show"})
    discrepancies = fields.List(fields.Nested(DiscrepancyOut),
                                metadata={"description": "declared vs pre-filled beyond tolerance"})
    warnings = fields.List(fields.String(), metadata={"description": "confirm-only: they do not block submission"})
    blocking_errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    problems = fields.String(allow_none=True)
    corrective_actions = fields.String(allow_none=True)
    return_comment = fields.String(allow_none=True)
    submitted_at = fields.String(allow_none=True)
    allowed_actions = fields.List(fields.String())


class ReportSummary(Schema):
    id = fields.Integer()
    operator_id = fields.Integer()
    period = fields.String()
    authority = fields.String(attribute="authority_code")
    status = fields.String()
    overdue = fields.Boolean()


class ReportPage(Schema):
    items = fields.List(fields.Nested(ReportSummary))
    next_cursor = fields.String(allow_none=True)


class ReportQuery(PageArgs):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    period = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4}H[12]$"))
    operator_id = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID))


class ReportActionIn(Schema):
    note = fields.String(validate=validate.Length(max=5000))
    comment = fields.String(validate=validate.Length(max=5000), metadata={"description": "required for return"})



@blp.route("/operators/<id:operator_id>/retention-attestations")
class RetentionAttestations(MethodView):
    @blp.arguments(AttestationIn, example={"system": "BOSS-JS", "province": "32", "earliest_day": "2021-01-01", "latest_day": "2026-11-25", "as_of": "2026-11-25"})
    @blp.response(201, AttestationOut)
    @blp.alt_response(422, schema=ErrorSchema, description="A date or the province is not acceptable")
    @blp.doc(operationId="file_retention_attestation", security=BEARER)
    def post(self, data, operator_id):
        """File a retention attestation [M 17] (the operator's own staff); the answer judges it on its as-of date."""
        user = require_user()
        operator = retention.operator_for_staff(user, operator_id, data["province"])
        attestation = retention.file_attestation(operator, data, Actor.of(user), now_utc())
        commit()
        return retention.attestation_view(attestation)

    @blp.response(200, AttestationList)
    @blp.doc(operationId="list_retention_attestations", security=BEARER)
    def get(self, operator_id):
        """The latest attestation per billing system × province, as the caller may see them."""
        user = require_user()
        operator = load_in_scope(Operator, user, id=operator_id)
        return {"items": [retention.attestation_view(a) for a in retention.latest_visible(operator, user)]}


@blp.route("/self-inspections")
class SelfInspections(MethodView):
    @blp.arguments(ReportIn, example={"period": "2026H1"})
    @blp.response(201, CreatedReportOut)
    @blp.alt_response(409, schema=ErrorSchema, description="A report for this period exists")
    @blp.doc(operationId="start_self_inspection", security=BEARER)
    def post(self, data):
        """Start the half-year self-inspection report [M 18] (operator staff); it comes pre-filled."""
        user = require_user()
        report = reports.create_report(user, data["period"], now_utc())
        commit()
        return {"id": report.id, "due": report.deadline(reports.CLOCK).due.isoformat(),
                "authority": report.authority_code, "status": report.status}

    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, ReportPage)
    @blp.doc(operationId="list_self_inspections", security=BEARER)
    def get(self, args):
        """Self-inspection reports in the caller's scope, newest first."""
        user = require_user()
        stmt = scoped(select(SelfInspection), user)
        for name in ("status", "period", "operator_id"):
            if args[name] is not None:
                stmt = stmt.where(getattr(SelfInspection, name) == args[name])
        return keyset_page(stmt, SelfInspection.id, args["cursor"], args["limit"])


@blp.route("/self-inspections/<id:report_id>")
class SelfInspectionItem(MethodView):
    @blp.response(200, ReportOut)
    @blp.doc(operationId="get_self_inspection", security=BEARER)
    def get(self, report_id):
        """One report with the pre-filled figures and the discrepancies."""
        user = require_user()
        report = load_in_scope(SelfInspection, user, id=report_id)
        return reports.report_view(report, Actor.of(user))

    @blp.arguments(ReportPatch, example={"checklist": [{"item": "hotline_published", "result": "pass", "explanation": None}], "metrics": {"complaints_received": 120, "answered_in_time_share": 0.95, "billing_error_rate": 0.00002}, "problems": "Two late answers in March.", "corrective_actions": "A second shift answers complaints."})
    @blp.response(200, ReportOut)
    @blp.alt_response(409, schema=ErrorSchema, description="Not a draft or returned report")
    @blp.doc(operationId="update_self_inspection", security=BEARER)
    def patch(self, data, report_id):
        """Edit the checklist answers, metrics, problems and corrective actions (draft or returned)."""
        user = require_user()
        report = load_in_scope(SelfInspection, user, id=report_id)
        reports.update_report(report, data, user, now_utc())
        commit()
        return reports.report_view(report, Actor.of(user))


@blp.route("/self-inspections/<id:report_id>/actions/<action>", parameters=action_path(reports.WORKFLOW))
class SelfInspectionAction(MethodView):
    @blp.arguments(ReportActionIn, example={"comment": "Explain the fail of billing_records_kept."})
    @blp.response(200, ReportOut)
    @blp.alt_response(409, schema=ErrorSchema, description="Not allowed in the current state")
    @blp.alt_response(422, schema=ErrorSchema, description="Blocking errors (submit) or a missing comment (return)")
    @blp.doc(operationId="perform_self_inspection_action", security=BEARER)
    def post(self, params, report_id, action):
        """submit (operator staff), accept or return with a comment (officers of the authority)."""
        if action not in reports.STEPS:
            abort(404, message=f"Unknown action {action!r}; actions: {', '.join(reports.STEPS)}.")
        user = require_user()
        report = load_in_scope(SelfInspection, user, id=report_id)
        actor = Actor.of(user)
        reports.perform(report, action, params, actor, now_utc())
        commit()
        return reports.report_view(report, actor)
