"""The REST API under /api/v1 (flask-smorest: OpenAPI generated from the marshmallow schemas)."""
from datetime import date

from flask import Flask
from flask_smorest import Api
from werkzeug.routing import BaseConverter, ValidationError

from blueprints.api.common import ErrorSchema
from supervision.extensions import csrf


class SupervisionApi(Api):
    ERROR_SCHEMA = ErrorSchema

    # blueprints/errors.py answers every error (JSON for the API, HTML for pages).
    def _register_error_handlers(self):
        pass


class IsoDateConverter(BaseConverter):
    """<isodate:day> in URLs: a YYYY-MM-DD date, else 404."""

    def to_python(self, value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationError() from None

    def to_url(self, value: date) -> str:
        return value.isoformat()


api = SupervisionApi()


def register_api(app: Flask) -> None:
    from blueprints.api import auth, calendar, clauses, complaints, obligations, operators, samples

    app.url_map.converters["isodate"] = IsoDateConverter
    api.init_app(app, spec_kwargs={"info": {"description": "Telecom service-quality supervision (SPEC §10)."}})
    api.register_converter(IsoDateConverter, lambda converter: {"type": "string", "format": "date"})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for module in (auth, operators, calendar, complaints, obligations, samples, clauses):
        # Bearer tokens only, never the session cookie, so CSRF cannot apply to the API.
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp, url_prefix="/api/v1")
