"""Template globals: current language, whether an endpoint exists, the navigation per user, the
labels of stored codes (labels.label_for) and local date-times."""
from datetime import datetime

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints.web.labels import cite, label_for, legal_basis
from supervision.clock import local_tz


def has_endpoint(name: str) -> bool:
    """Pages from other blueprints may land later: link only to endpoints that exist."""
    return name in current_app.view_functions


def current_lang() -> str:
    """The configured code of the request's language ("zh_CN" or "en").

    Babel expands zh_CN to zh_Hans_CN; templates and the domain want our own codes back.
    """
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    locale = get_locale()
    if locale is None:
        return default
    return next((code for code in current_app.config["LANGUAGES"] if code.split("_")[0] == locale.language),
                default)


# (endpoint, label) — shown to everyone, then per role; a missing endpoint is skipped.
PUBLIC_NAV = (
    ("public.home", _l("Home")),
    ("public.operators", _l("Operators")),
    ("public.complaint_new", _l("File a complaint")),
    ("public.track", _l("Track a complaint")),
    ("public.spot_checks", _l("Spot-check results")),
    ("published.history", _l("Publications")),
    ("public.api_docs", _l("Open API docs")),
)
ROLE_NAV = {
    "officer": (("officer.due", _l("What is due")), ("officer.complaints", _l("Complaints queue")),
                ("officer.operators", _l("Operator records")), ("officer_surveys.surveys", _l("Surveys")),
                ("publishing.index", _l("Publication drafts")), ("officer.supervision_dashboard", _l("Supervision")),
                ("officer.inspections", _l("Inspections")),
                ("officer.orders", _l("Orders")), ("officer.penalties_page", _l("Penalties")),
                ("officer.campaigns", _l("Campaigns")),
                ("officer_obligations.self_inspections", _l("Self-inspections")),
                ("officer_obligations.samples", _l("Billing samples")),
                ("officer_obligations.format_clauses", _l("Format clauses"))),
    "operator": (("portal.queue", _l("Portal")), ("portal.supervision", _l("Inspections and orders")),
                 ("portal_obligations.retention_page", _l("Billing-record retention")),
                 ("portal_obligations.self_inspections", _l("Self-inspections")),
                 ("portal_obligations.samples_page", _l("Billing samples")),
                 ("portal_obligations.format_clauses", _l("Format clauses"))),
    "admin": (("admin.calendar", _l("Calendar")),),
    "oversight": (("oversight.personal_data_reads", _l("Reads of personal data")),),
}


def navigation() -> list[tuple[str, object]]:
    items = list(PUBLIC_NAV)
    if current_user.is_authenticated:
        items += ROLE_NAV.get(current_user.role, ())
    return [(endpoint, label) for endpoint, label in items if has_endpoint(endpoint)]


def language_return(explicit: str | None = None) -> str:
    """Where the language switch returns: this page, or for a page rendered by a POST (a form
    shown again with its errors) the page's own GET address, never a POST-only URL."""
    if explicit:
        return explicit
    if request.method == "GET":
        return request.full_path if request.query_string else request.path
    adapter = current_app.url_map.bind("")
    try:
        adapter.match(request.path, method="GET")
        return request.path
    except Exception:  # noqa: BLE001 — no GET page at this address: fall back to the home page
        return url_for("public.home")


def local_datetime(value) -> str:
    """An ISO string or aware datetime, shown in the supervision time zone."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(local_tz()).strftime("%Y-%m-%d %H:%M")


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(has_endpoint=has_endpoint, navigation=navigation, label_for=label_for, cite=cite,
                                legal_basis=legal_basis,
                                language_return=language_return)
    app.jinja_env.filters["local_datetime"] = local_datetime

    @app.context_processor
    def inject_language():
        locale = current_lang()
        return {"lang": locale, "html_lang": locale.replace("_", "-"), "is_zh": locale.startswith("zh")}
