"""URL converters shared by the API and the pages."""
from datetime import date

from flask import Flask
from werkzeug.routing import BaseConverter, IntegerConverter, ValidationError

from blueprints.api.common import MAX_ID


class IsoDateConverter(BaseConverter):
    """<isodate:day> in URLs: a YYYY-MM-DD date, else 404."""

    def to_python(self, value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationError() from None

    def to_url(self, value: date) -> str:
        return value.isoformat()


class RecordIdConverter(IntegerConverter):
    """<id:name> in URLs (API and pages): a record id, 1…2**31−1, else 404.

    A larger number names no record, and the database drivers refuse to bind it (a 500 on
    SQLite): refusing it in the route keeps that out of every handler.
    """

    def __init__(self, map, **kwargs):
        super().__init__(map, min=1, max=MAX_ID)


def register_converters(app: Flask) -> None:
    app.url_map.converters["isodate"] = IsoDateConverter
    app.url_map.converters["id"] = RecordIdConverter
