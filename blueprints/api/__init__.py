"""The REST API under /api/v1 (flask-smorest: OpenAPI generated from the marshmallow schemas)."""
from flask import Flask
from flask_smorest import Api

from blueprints.api.common import MAX_ID, ErrorSchema, absent_query_parameter, nullable_reference, token_first
from blueprints.converters import IsoDateConverter, RecordIdConverter
from supervision.extensions import csrf


class SupervisionApi(Api):
    ERROR_SCHEMA = ErrorSchema

    # blueprints/errors.py answers every error (JSON for the API, HTML for pages).
    def _register_error_handlers(self):
        pass


api = SupervisionApi()


def register_api(app: Flask) -> None:
    from blueprints.api import (
        auth,
        calendar,
        campaigns,
        clauses,
        complaints,
        findings,
        inspections,
        obligations,
        operators,
        orders,
        privacy,
        publications,
        risk,
        samples,
        surveys,
    )

    api.init_app(app, spec_kwargs={"info": {"description": "Telecom service-quality supervision (SPEC §10)."}})
    api.ma_plugin.converter.add_attribute_function(nullable_reference)
    api.ma_plugin.converter.add_parameter_attribute_function(absent_query_parameter)
    api.register_converter(IsoDateConverter, lambda converter: {"type": "string", "format": "date"})
    api.register_converter(RecordIdConverter, lambda converter: {"type": "integer", "minimum": 1, "maximum": MAX_ID})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    # Once per app (blueprints are shared by every app built in a process): a no-op outside the API.
    app.before_request(token_first)
    for module in (auth, operators, calendar, complaints, findings, inspections, orders, risk, campaigns, surveys,
                   publications, obligations, samples, clauses, privacy):
        # Bearer tokens only, never the session cookie, so CSRF cannot apply to the API.
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp, url_prefix="/api/v1")
