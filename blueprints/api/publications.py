"""Publications API (SPEC §10): prepare, approve, the public list, and the published index."""
from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from blueprints.api.common import BEARER, ErrorSchema, action_path, api_user, commit, record_id, require_user
from supervision.access.scoping import load_in_scope, scoped
from supervision.audit import Actor
from supervision.clock import now_utc, today_local
from supervision.extensions import db
from supervision.publications import published, services
from supervision.publications.kinds import KIND_NAMES
from supervision.publications.models import STATES, Publication

blp = Blueprint("api_publications", __name__, description="Publications, open data and the satisfaction index")
LISTED_FORMATS = ("pdf", "csv", "json")


class PublicationIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KIND_NAMES))
    period = fields.String(required=True, validate=validate.Length(max=10),
                           metadata={"description": "an ended quarter", "example": "2026Q3"})
    reason = fields.String(load_default=None, validate=validate.Length(max=2000),
                           metadata={"description": "required for a correction of a published version"})


class FileOut(Schema):
    name = fields.String()
    format = fields.String(validate=validate.OneOf(LISTED_FORMATS))
    url = fields.String()
    sha256 = fields.String()
    size = fields.Integer()


class PublicationOut(Schema):
    id = fields.Integer()
    kind = fields.String(validate=validate.OneOf(KIND_NAMES))
    period = fields.String()
    authority = fields.String()
    version = fields.Integer()
    status = fields.String(validate=validate.OneOf(STATES))
    replaces = fields.Integer(allow_none=True, metadata={"description": "id of the version this corrects"})
    correction_reason = fields.String(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    page = fields.String(metadata={"description": "the publication's page"})
    files = fields.List(fields.Nested(FileOut))
    allowed_actions = fields.List(fields.String())


class PublicationList(Schema):
    items = fields.List(fields.Nested(PublicationOut))


class ListQuery(Schema):
    kind = fields.String(load_default=None, validate=validate.OneOf(KIND_NAMES))
    period = fields.String(load_default=None, validate=validate.Length(max=10))
    status = fields.String(load_default="published", validate=validate.OneOf(STATES),
                           metadata={"description": "draft: officers only, their authority's drafts"})


class PublicationActionIn(Schema):
    note = fields.String(validate=validate.Length(max=5000))


def publication_out(publication: Publication, user) -> dict:
    files = [{"name": f.name, "format": f.format, "sha256": f.sha256, "size": f.size,
              "url": url_for("published.publication_file", **published.page_args(publication), name=f.name,
                             _external=True)}
             for f in publication.files if f.format in LISTED_FORMATS]
    return {"id": publication.id, "kind": publication.kind, "period": publication.period,
            "authority": publication.authority_code, "version": publication.version, "status": publication.status,
            "replaces": publication.replaces_id, "correction_reason": publication.correction_reason,
            "published_at": publication.published_at, "files": files,
            "page": url_for("published.publication_page", **published.page_args(publication), _external=True),
            "allowed_actions": services.allowed_actions(publication, Actor.of(user)) if user else []}


@blp.route("/publications")
class Publications(MethodView):
    @blp.arguments(PublicationIn, example={"kind": "complaint_statistics", "period": "2026Q3"})
    @blp.response(201, PublicationOut)
    @blp.alt_response(422, schema=ErrorSchema, description="Unknown kind, bad or unfinished period, "
                                                           "correction without a reason")
    @blp.doc(operationId="prepare_publication", security=BEARER)
    def post(self, data):
        """Prepare a draft (officer) for a kind and ended quarter in the officer's authority.

        Sending it again while the draft is open returns the same draft. When the series is
        published, the draft is a correction and needs `reason`."""
        user = require_user()
        publication, _ = services.prepare(user, data, now_utc(), today_local())
        commit()
        return publication_out(publication, user)

    @blp.arguments(ListQuery, location="query")
    @blp.response(200, PublicationList)
    @blp.doc(operationId="list_publications")
    def get(self, args):
        """Published versions (public), newest first; every file with its URL and SHA-256."""
        user = api_user()
        stmt = select(Publication).where(Publication.status == args["status"])
        if args["status"] == "draft":
            stmt = scoped(stmt, require_user())
        for name in ("kind", "period"):
            if args[name]:
                stmt = stmt.where(getattr(Publication, name) == args[name])
        rows = db.session.scalars(stmt.order_by(Publication.published_at.desc(), Publication.id.desc())
                                  .limit(500)).all()
        return {"items": [publication_out(p, user) for p in rows]}


@blp.route("/publications/<id:publication_id>")
class PublicationItem(MethodView):
    @blp.response(200, PublicationOut)
    @blp.doc(operationId="get_publication")
    def get(self, publication_id):
        """One version: published ones for everyone, drafts for their authority's officers."""
        user = api_user()
        return publication_out(load_in_scope(Publication, user, id=publication_id), user)


@blp.route("/publications/<id:publication_id>/actions/<action>", parameters=action_path(services.PUBLICATION_WORKFLOW))
class PublicationAction(MethodView):
    @blp.arguments(PublicationActionIn, example={"note": "Figures checked against the register."})
    @blp.response(200, PublicationOut)
    @blp.alt_response(403, schema=ErrorSchema, description="Not a publisher, or the preparer (four-eyes)")
    @blp.alt_response(409, schema=ErrorSchema, description="Not a draft any more")
    @blp.doc(operationId="perform_publication_action", security=BEARER)
    def post(self, params, publication_id, action):
        """`approve` (a publisher other than the preparer) publishes the draft; `refresh` recomputes
        its figures and signs the caller as preparer."""
        user = require_user()
        publication = load_in_scope(Publication, user, id=publication_id)
        services.perform(publication, action, params, Actor.of(user), now_utc())
        commit()
        return publication_out(publication, user)


class IndexQuery(Schema):
    period = fields.String(load_default=None, validate=validate.Length(max=10),
                           metadata={"description": "a quarter such as 2026Q3; default: the latest published"})
    province = fields.String(load_default=None, validate=validate.Length(equal=2))
    service = fields.String(load_default=None, validate=validate.OneOf(("mobile", "fixed", "broadband")))
    operator_id = record_id(load_default=None)


class IndexItem(Schema):
    operator_id = fields.Integer()
    operator = fields.String()
    province = fields.String()
    service = fields.String()
    index = fields.Float(allow_none=True)
    n = fields.Integer()
    ci_low = fields.Float(allow_none=True)
    ci_high = fields.Float(allow_none=True)
    satisfaction_rate = fields.Float(allow_none=True)
    suppressed = fields.Boolean()
    methodology_version = fields.Integer(allow_none=True)
    publication_id = fields.Integer()


class IndexOut(Schema):
    period = fields.String(allow_none=True)
    items = fields.List(fields.Nested(IndexItem))


@blp.route("/satisfaction-index")
class SatisfactionIndex(MethodView):
    @blp.arguments(IndexQuery, location="query")
    @blp.response(200, IndexOut)
    @blp.doc(operationId="get_satisfaction_index")
    def get(self, args):
        """The published satisfaction index (public): full precision, nulls where suppressed."""
        period, rows = published.index_rows(args["period"], province=args["province"], service=args["service"],
                                            operator_id=args["operator_id"])
        return {"period": period, "items": rows}
