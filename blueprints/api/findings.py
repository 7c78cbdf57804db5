"""Findings API (SPEC §10) and the officer's "what is due" list across every workflow."""
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from blueprints.api.common import (
    BEARER,
    ErrorSchema,
    GapOut,
    PageArgs,
    action_path,
    commit,
    keyset_page,
    record_id,
    require_user,
)
from supervision.access.scoping import load_in_scope, scoped
from supervision.audit import Actor
from supervision.clock import now_utc, today_local
from supervision.findings import services
from supervision.findings.models import SOURCES, STATES, Finding
from supervision.workflow.due import due_items
from supervision.workflow.models import CLOCK_STATES
from supervision.workflow.subjects import subjects

blp = Blueprint("api_findings", __name__, description="Findings, and what is due across every workflow")


class FindingIn(Schema):
    operator_id = record_id(required=True)
    province = fields.String(load_default=None, allow_none=True, validate=validate.Length(equal=2),
                             metadata={"description": "where it was found; null: a national operator's head office"})
    article = fields.String(required=True, validate=validate.Length(max=8),
                            metadata={"description": "the article breached, e.g. 'M 17'", "example": "M 17"})
    facts = fields.String(required=True, validate=validate.Length(min=1, max=10000))


class FindingDetailsOut(Schema):
    """What a finding the system raised points at; which keys appear depends on its source."""

    inspection_id = fields.Integer(metadata={"description": "inspection: the inspection"})
    item = fields.String(metadata={"description": "inspection: the checklist item's code"})
    report_id = fields.Integer(metadata={"description": "self_inspection: the report"})
    period = fields.String(metadata={"description": "self_inspection: the half-year"})
    due = fields.String(metadata={"format": "date"})
    missing = fields.Boolean(metadata={"description": "self_inspection: no report was started"})
    sample_id = fields.Integer(metadata={"description": "sample: the billing sample"})
    item_id = fields.Integer()
    account = fields.String()
    month = fields.String()
    produced = fields.Boolean(allow_none=True)
    system = fields.String(metadata={"description": "retention: the billing system"})
    attestation_id = fields.Integer()
    checked_on = fields.String(metadata={"format": "date"})
    missing_days = fields.Integer()
    gaps = fields.List(fields.Nested(GapOut))
    held_months = fields.List(fields.String())
    age_days = fields.Integer()
    max_age_days = fields.Integer()


class FindingOut(Schema):
    id = fields.Integer()
    operator_id = fields.Integer()
    province = fields.String(allow_none=True)
    authority = fields.String()
    source = fields.String(validate=validate.OneOf(SOURCES))
    article = fields.String()
    facts = fields.String()
    details = fields.Nested(FindingDetailsOut, allow_none=True)
    state = fields.String(validate=validate.OneOf(STATES))
    raised_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    closing_note = fields.String(allow_none=True)
    allowed_actions = fields.List(fields.String())


class FindingPage(Schema):
    items = fields.List(fields.Nested(FindingOut))
    next_cursor = fields.String(allow_none=True)


class FindingQuery(PageArgs):
    operator_id = record_id(load_default=None)
    state = fields.String(load_default=None, validate=validate.OneOf(STATES))
    source = fields.String(load_default=None, validate=validate.OneOf(SOURCES))


class FindingActionIn(Schema):
    note = fields.String(validate=validate.Length(max=5000))


def _out(finding: Finding, user) -> dict:
    """The finding with the actions the caller can take on it now."""
    names = ("id", "operator_id", "province", "source", "article", "facts", "details", "state", "raised_at",
             "closed_at", "closing_note")
    return {name: getattr(finding, name) for name in names} | {
        "authority": finding.authority_code, "allowed_actions": services.allowed_actions(finding, Actor.of(user))}


@blp.route("/findings")
class Findings(MethodView):
    @blp.arguments(FindingIn, example={"operator_id": 3, "province": "32", "article": "M 17", "facts": "Billing records of 2026-03 could not be produced."})
    @blp.response(201, FindingOut)
    @blp.alt_response(422, schema=ErrorSchema, description="Operator or province outside scope, bad article")
    @blp.doc(operationId="record_finding", security=BEARER)
    def post(self, data):
        """Record an officer's finding against an operator (the system raises its own)."""
        user = require_user()
        finding = services.record_officer_finding(user, data, now_utc())
        commit()
        return _out(finding, user)

    @blp.arguments(FindingQuery, location="query")
    @blp.response(200, FindingPage)
    @blp.doc(operationId="list_findings", security=BEARER)
    def get(self, args):
        """Findings in the caller's scope, newest first."""
        user = require_user()
        page = keyset_page(scoped(_select_findings(args), user), Finding.id, args["cursor"], args["limit"])
        return page | {"items": [_out(finding, user) for finding in page["items"]]}


def _select_findings(args):
    stmt = select(Finding)
    for name in ("operator_id", "state", "source"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Finding, name) == args[name])
    return stmt


@blp.route("/findings/<id:finding_id>")
class FindingItem(MethodView):
    @blp.response(200, FindingOut)
    @blp.doc(operationId="get_finding", security=BEARER)
    def get(self, finding_id):
        """One finding in the caller's scope."""
        user = require_user()
        return _out(load_in_scope(Finding, user, id=finding_id), user)


@blp.route("/findings/<id:finding_id>/actions/<action>", parameters=action_path(services.FINDING_WORKFLOW))
class FindingAction(MethodView):
    @blp.arguments(FindingActionIn, example={"note": "Rectified: records restored from backup and verified."})
    @blp.response(200, FindingOut)
    @blp.alt_response(409, schema=ErrorSchema, description="Not allowed in the current state")
    @blp.doc(operationId="perform_finding_action", security=BEARER)
    def post(self, params, finding_id, action):
        """An officer closes a finding (`close`, with a `note`: rectified, or not a breach after all)."""
        user = require_user()
        finding = load_in_scope(Finding, user, id=finding_id)
        services.perform(finding, action, params, Actor.of(user), now_utc())
        commit()
        return _out(finding, user)


class DueQuery(Schema):
    kind = fields.List(fields.String(), load_default=None,
                       metadata={"description": "record kinds: complaint, self_inspection, order…"})
    until = fields.Date(load_default=None)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class DueItemOut(Schema):
    kind = fields.String(attribute="subject_type")
    record_id = fields.Integer(attribute="subject_id")
    label = fields.String()
    clock = fields.String()
    due = fields.Date()
    state = fields.String(validate=validate.OneOf(CLOCK_STATES))
    provisional = fields.Boolean()
    legal_source = fields.String()
    owed_by = fields.String()
    overdue = fields.Boolean(metadata={"description": "missed, or past due before the next sweep marks it"})


class DueOut(Schema):
    items = fields.List(fields.Nested(DueItemOut))


@blp.route("/due")
class Due(MethodView):
    @blp.arguments(DueQuery, location="query")
    @blp.response(200, DueOut)
    @blp.doc(operationId="list_due", security=BEARER)
    def get(self, args):
        """What is due: every running deadline of every workflow in the caller's scope, nearest first."""
        user = require_user()
        known = {s.type for s in subjects()}
        kinds = [k for k in (args["kind"] or []) if k in known] or None
        return {"items": due_items(user, today_local(), kinds=kinds, until=args["until"], limit=args["limit"])}
