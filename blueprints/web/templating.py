"""Template globals: current language, whether an endpoint exists, the navigation per user, and
the human labels of the codes the domain stores (statuses, clocks, categories…)."""
from datetime import datetime

from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

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
    ("public.api_docs", _l("Open API docs")),
)
ROLE_NAV = {
    "officer": (("officer.complaints", _l("Complaints queue")), ("officer.operators", _l("Operator records"))),
    "operator": (("portal.queue", _l("Portal")),),
    "admin": (("admin.calendar", _l("Calendar")),),
}


def navigation() -> list[tuple[str, object]]:
    items = list(PUBLIC_NAV)
    if current_user.is_authenticated:
        items += ROLE_NAV.get(current_user.role, ())
    return [(endpoint, label) for endpoint, label in items if has_endpoint(endpoint)]


LABELS = {
    "status": {
        "submitted": _l("Submitted"), "accepted": _l("Accepted"), "rejected": _l("Not accepted"),
        "awaiting_info": _l("Waiting for your information"), "transferred": _l("Transferred to the operator"),
        "operator_replied": _l("Operator replied"), "mediation": _l("In mediation"), "closed": _l("Closed"),
        "withdrawn": _l("Withdrawn"),
    },
    "outcome": {"resolved": _l("Resolved"), "partly_resolved": _l("Partly resolved"),
                "unresolved": _l("Unresolved"), "withdrawn": _l("Withdrawn")},
    "clock": {"acceptance": _l("Decision on acceptance"), "answer": _l("Answer to the complainant"),
              "operator_reply": _l("Operator's reply"), "supervision_report": _l("Report on the supervised matter")},
    "state": {"pending": _l("Running"), "due_soon": _l("Due soon"), "met": _l("Met"), "missed": _l("Missed")},
    "category": {"service": _l("Service dispute"), "billing": _l("Marketing, billing or tariff dispute"),
                 "network": _l("Network quality or information security")},
    "subcategory": {
        "quality_of_service": _l("Quality of service"), "staff_conduct": _l("Staff conduct"),
        "contract": _l("Contract terms"), "number_porting": _l("Number porting"),
        "cancellation": _l("Cancelling a service"), "overcharge": _l("Overcharge"),
        "unsubscribed_service": _l("Charged for a service I did not order"), "tariff_change": _l("Tariff change"),
        "promotion": _l("Promotion or marketing"), "refund": _l("Refund"), "coverage": _l("Coverage"),
        "outage": _l("Outage"), "speed": _l("Speed"), "spam": _l("Spam calls or messages"),
        "personal_information": _l("Personal information"), "other": _l("Other"),
    },
    "action": {
        "submit": _l("Complaint filed"), "accept": _l("Accepted"), "reject": _l("Not accepted"),
        "request_info": _l("Information requested"), "provide_info": _l("Information provided"),
        "transfer": _l("Transferred to the operator"), "operator_reply": _l("Operator replied"),
        "supervise": _l("Placed under supervision"), "supervision_report": _l("Supervision report filed"),
        "mediate": _l("Mediation started"), "close": _l("Closed"), "withdraw": _l("Withdrawn"),
        "rate": _l("Handling rated"), "respond_settlement": _l("Answer to the proposed settlement"),
        "attach": _l("Evidence added"), "escalate": _l("Escalated"), "clock_due_soon": _l("Deadline due soon"),
        "clock_missed": _l("Deadline missed"), "deadline_recomputed": _l("Deadline recomputed"),
    },
    "role": {"complainant": _l("You"), "officer": _l("Authority"), "operator": _l("Operator"),
             "system": _l("System"), "admin": _l("Administrator")},
    "channel": {"phone": _l("Phone"), "web": _l("Website"), "app": _l("App"), "wechat": _l("WeChat"),
                "email": _l("Email"), "counter": _l("Service counter")},
    "settlement": {"accepted": _l("You accepted the proposed settlement"),
                   "rejected": _l("You rejected the proposed settlement")},
}


def label_for(kind: str, code) -> str:
    """The translated label of a stored code; the code itself when no label is known."""
    if code is None:
        return ""
    return str(LABELS.get(kind, {}).get(code, code))


def local_datetime(value) -> str:
    """An ISO string or aware datetime, shown in the supervision time zone."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(local_tz()).strftime("%Y-%m-%d %H:%M")


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(has_endpoint=has_endpoint, navigation=navigation, label_for=label_for)
    app.jinja_env.filters["local_datetime"] = local_datetime

    @app.context_processor
    def inject_language():
        locale = current_lang()
        return {"lang": locale, "html_lang": locale.replace("_", "-"), "is_zh": locale.startswith("zh")}
