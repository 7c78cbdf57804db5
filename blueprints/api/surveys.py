"""Survey import and the officers' unpublished figures: satisfaction index preview and complaint
statistics (SPEC §8, §10). The public, published index comes with publications."""
from flask import current_app, jsonify, request
from flask.views import MethodView
from flask_babel import force_locale
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from blueprints.api.common import BEARER, ErrorSchema, commit, require_user
from blueprints.errors import api_language
from supervision.clock import now_utc
from supervision.complaints.models import CATEGORIES
from supervision.statistics.services import complaint_statistics
from supervision.surveys import services
from supervision.surveys.imports import SurveyImportRefused, import_survey_file
from supervision.surveys.models import SERVICES

blp = Blueprint("api_surveys", __name__, description="Satisfaction surveys, index preview, complaint statistics")

PERIOD = {"example": "2026Q3", "description": "a calendar quarter: YYYYQn"}


class ImportedSchema(Schema):
    imported = fields.Integer(required=True, metadata={"description": "rows imported"})
    import_id = fields.Integer(required=True)
    sha256 = fields.String(required=True)


class RowErrorSchema(Schema):
    line = fields.Integer(required=True, metadata={"description": "line number in the file (header = 1)"})
    column = fields.String(required=True, metadata={"description": "CSV column, empty for the whole line"})
    message = fields.String(required=True)


class ImportRefusedSchema(Schema):
    code = fields.Integer(required=True)
    message = fields.String(required=True)
    errors = fields.List(fields.Nested(RowErrorSchema), required=True, metadata={"description": "the first 100"})
    error_count = fields.Integer(required=True)


class ImportFileSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


@blp.route("/surveys/import")
class SurveyImport(MethodView):
    @blp.arguments(ImportFileSchema, location="files")
    @blp.response(201, ImportedSchema)
    @blp.alt_response(422, schema=ImportRefusedSchema, description="Errors by line and column; nothing imported")
    @blp.doc(operationId="import_surveys", security=BEARER)
    def post(self, _files):
        """Import a survey CSV (officer): all or nothing.

        Header: `operator_licence_no,province,service,period,respondent_id,expectations,
        perceived_quality,perceived_value,satisfaction,complaints,loyalty`; UTF-8; service
        `mobile|fixed|broadband`; period a quarter `2026Q3` up to the current one; scores whole
        numbers 1–10; the province must be in the officer's jurisdiction. A respondent id already
        held for the same operator, service and period (from an earlier import or earlier in the
        file) is refused with the id: a respondent is imported once.
        """
        user = require_user()
        upload = request.files["file"]
        try:
            survey_import = import_survey_file(upload.stream, upload.filename, user, now_utc())
        except SurveyImportRefused as refused:
            return _refused(refused)
        commit()
        return {"imported": survey_import.rows, "import_id": survey_import.id, "sha256": survey_import.sha256}


@blp.before_app_request
def allow_large_survey_files():
    # 1,000,000 rows ≈ 65 MB: more than the general upload limit (Flask ≥ 3.1 reads this per
    # request). An app-level hook, registered with the API before the app's NUL guard, which
    # reads the form: it must run before anything parses the body.
    if request.endpoint == "api_surveys.SurveyImport":
        request.max_content_length = current_app.config["SURVEY_UPLOAD_MAX_BYTES"]


def _refused(refused: SurveyImportRefused):
    with force_locale(api_language()):
        body = {"code": 422, "message": str(refused.message), "error_count": refused.error_count,
                "errors": [{"line": e.line, "column": e.column, "message": str(e.message)}
                           for e in refused.row_errors]}
    return jsonify(body), 422


# --- satisfaction index preview ----------------------------------------------------------------

class IndexQuery(Schema):
    period = fields.String(required=True, metadata=PERIOD)
    province = fields.String(load_default=None, validate=validate.Length(equal=2))
    service = fields.String(load_default=None, validate=validate.OneOf(SERVICES))
    methodology = fields.Integer(load_default=None, validate=validate.Range(min=1, max=10_000),
                                 metadata={"description": "methodology version; default the newest"})


class IndexItemSchema(Schema):
    """One item of `GET /api/v1/satisfaction-index` (SPEC §10), full precision."""

    operator_id = fields.Integer(required=True)
    operator = fields.String(required=True)
    province = fields.String(required=True)
    service = fields.String(required=True)
    index = fields.Float(required=True, allow_none=True, metadata={"description": "0–100; null when suppressed"})
    n = fields.Integer(required=True)
    ci_low = fields.Float(required=True, allow_none=True)
    ci_high = fields.Float(required=True, allow_none=True)
    satisfaction_rate = fields.Float(required=True, allow_none=True, metadata={"description": "share 0–1"})
    suppressed = fields.Boolean(required=True, metadata={"description": "n below the methodology's minimum"})


class PreviewItemSchema(IndexItemSchema):
    standard_error = fields.Float(required=True, allow_none=True,
                                  metadata={"description": "null when suppressed or n = 1 (SD undefined)"})


class MethodologySchema(Schema):
    version = fields.Integer(required=True)
    scale_min = fields.Integer(required=True)
    scale_max = fields.Integer(required=True)
    satisfied_threshold = fields.Integer(required=True)
    minimum_n = fields.Integer(required=True)
    confidence_z = fields.Float(required=True)
    weight_expectations = fields.Float(required=True)
    weight_perceived_quality = fields.Float(required=True)
    weight_perceived_value = fields.Float(required=True)
    weight_satisfaction = fields.Float(required=True)
    weight_complaints = fields.Float(required=True)
    weight_loyalty = fields.Float(required=True)
    source = fields.String(required=True)


class IndexPreviewSchema(Schema):
    period = fields.String(required=True)
    methodology_version = fields.Integer(required=True)
    methodology = fields.Nested(MethodologySchema, required=True)
    items = fields.List(fields.Nested(PreviewItemSchema), required=True)


@blp.route("/satisfaction-index/preview")
class IndexPreview(MethodView):
    @blp.arguments(IndexQuery, location="query")
    @blp.response(200, IndexPreviewSchema)
    @blp.alt_response(422, schema=ErrorSchema)
    @blp.doc(operationId="preview_satisfaction_index", security=BEARER)
    def get(self, args):
        """The satisfaction index computed now from the imported surveys (officer, unpublished).

        Per operator × province × service (SPEC §8): index = mean of respondent scores, n,
        standard error, 95% CI, satisfaction rate. Below the methodology's minimum n a cell is
        suppressed: index, CI, SE and rate are null, never zero.
        """
        user = require_user()
        if user.role != "officer":
            abort(403, message="Only officers see unpublished index figures.")
        version = services.methodology(args["methodology"])
        cells = services.index_cells(args["period"], user, services.method_of(version),
                                     province=args["province"], service=args["service"])
        items = [item | {"standard_error": cell.figures.standard_error}
                 for item, cell in zip(services.satisfaction_index_items(cells), cells, strict=True)]
        return {"period": args["period"], "methodology_version": version.version, "methodology": version,
                "items": items}


# --- complaint statistics ----------------------------------------------------------------------

class StatisticsQuery(Schema):
    period = fields.String(required=True, metadata=PERIOD)
    province = fields.String(load_default=None, validate=validate.Length(equal=2))


CategorySharesSchema = Schema.from_dict(
    {category: fields.Float(required=True, allow_none=True) for category in CATEGORIES}, name="CategoryShares")


class TimelySchema(Schema):
    met = fields.Integer(required=True)
    missed = fields.Integer(required=True)
    running = fields.Integer(required=True, metadata={"description": "not decided yet: not in the share"})
    share = fields.Float(required=True, allow_none=True, metadata={"description": "met ÷ (met + missed)"})


class PastQuarterSchema(Schema):
    complaints = fields.Integer(required=True)
    rate_per_million = fields.Float(required=True, allow_none=True)


class StatisticsFiguresSchema(Schema):
    complaints = fields.Integer(required=True)
    subscribers = fields.Integer(required=True, allow_none=True)
    subscribers_source = fields.String(required=True)
    rated = fields.Boolean(required=True)
    not_rated_reason = fields.String(required=True, allow_none=True)
    rate_per_million = fields.Float(required=True, allow_none=True, metadata={"description": "人次/百万用户"})
    ci_low = fields.Float(required=True, allow_none=True, metadata={"description": "exact Poisson (Garwood)"})
    ci_high = fields.Float(required=True, allow_none=True)
    category_shares = fields.Nested(CategorySharesSchema, required=True)
    answered_in_time = fields.Nested(TimelySchema, required=True)
    below_timely_target = fields.Boolean(required=True)
    previous_quarter = fields.Nested(PastQuarterSchema, required=True)
    same_quarter_last_year = fields.Nested(PastQuarterSchema, required=True)
    complaints_change_qoq = fields.Float(required=True, allow_none=True, metadata={"description": "relative"})
    rate_change_qoq = fields.Float(required=True, allow_none=True)
    complaints_change_yoy = fields.Float(required=True, allow_none=True)
    rate_change_yoy = fields.Float(required=True, allow_none=True)


class OperatorStatisticsSchema(StatisticsFiguresSchema):
    operator_id = fields.Integer(required=True)
    operator = fields.String(required=True)
    rank_group = fields.Integer(required=True, allow_none=True,
                                metadata={"description": "1 = lowest rate; null when not rated"})
    group_size = fields.Integer(required=True, allow_none=True,
                                metadata={"description": "> 1: comparable operators, not ranked among themselves"})


class ProvinceStatisticsSchema(StatisticsFiguresSchema):
    province = fields.String(required=True)


class GroupSchema(Schema):
    group = fields.Integer(required=True)
    operator_ids = fields.List(fields.Integer(), required=True)
    comparable = fields.Boolean(required=True)


class BelowTargetSchema(Schema):
    operator_id = fields.Integer(required=True)
    operator = fields.String(required=True)
    share = fields.Float(required=True)


class ComplaintStatisticsSchema(Schema):
    period = fields.String(required=True)
    province = fields.String(required=True, allow_none=True)
    confidence_level = fields.Float(required=True)
    timely_clock = fields.String(required=True)
    timely_target = fields.Float(required=True)
    total_complaints = fields.Integer(required=True)
    industry = fields.Nested(StatisticsFiguresSchema, required=True,
                             metadata={"description": "pooled over rated operators"})
    operators = fields.List(fields.Nested(OperatorStatisticsSchema), required=True)
    provinces = fields.List(fields.Nested(ProvinceStatisticsSchema), required=True)
    groups = fields.List(fields.Nested(GroupSchema), required=True)
    below_timely_target = fields.List(fields.Nested(BelowTargetSchema), required=True)


@blp.route("/statistics/complaints")
class ComplaintStatistics(MethodView):
    @blp.arguments(StatisticsQuery, location="query")
    @blp.response(200, ComplaintStatisticsSchema)
    @blp.alt_response(422, schema=ErrorSchema)
    @blp.doc(operationId="get_complaint_statistics", security=BEARER)
    def get(self, args):
        """Quarterly complaint statistics in the caller's jurisdiction (officer, unpublished).

        A complaint counts in the quarter of `received_at` (China time) unless rejected. Rates are
        per million subscribers with an exact Poisson 95% interval; an operator or province with
        complaints where no subscriber count is stored for the quarter is listed, not rated, with
        the reason. Operators whose intervals overlap share a `rank_group` (comparable, not
        ranked among themselves). Answered in time: the `answer` clock met ÷ (met + missed).
        """
        return complaint_statistics(args["period"], require_user(), args["province"])
