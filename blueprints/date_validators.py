"""The shared date range (supervision/date_ranges.py) as a marshmallow and a WTForms validator,
so the API and the forms refuse an absurd date in the same round as every other field, with
the same message, before any service computes with it."""
from flask_babel import force_locale
from marshmallow import ValidationError as SchemaError
from marshmallow import validate
from wtforms.validators import ValidationError as FormError

from blueprints.errors import api_language
from supervision.date_ranges import current_range


class DateInRange(validate.Validator):
    """marshmallow: `fields.Date(validate=DateInRange())` (AwareDateTime too)."""

    def __call__(self, value):
        problem = current_range().problem(value)
        if problem:
            # In the API's language (Accept-Language, else English), like the domain's errors.
            with force_locale(api_language()):
                raise SchemaError(str(problem))
        return value


class FormDateInRange:
    """WTForms: `DateField(..., validators=[..., FormDateInRange()])`."""

    def __call__(self, form, field):
        problem = current_range().problem(field.data) if field.data else None
        if problem:
            raise FormError(str(problem))
