"""What the officer and portal obligations pages share: the coverage picture of an operator as
the signed-in user may see it, and the PDF of a report."""
import os

from flask import Flask, current_app, render_template
from flask_login import current_user
from sqlalchemy import select

from supervision.access.scoping import scoped
from supervision.extensions import db
from supervision.findings.models import Finding
from supervision.obligations import retention
from supervision.obligations.coverage_picture import WIDTH, timeline


def retention_coverage(operator) -> dict:
    """The latest attestations (in the user's scope) with their timelines, and open retention findings."""
    rows = [{"a": a, "picture": timeline(a.required_from, a.required_to, a.held_months, a.earliest_day,
                                         a.latest_day, a.gaps)}
            for a in retention.latest_visible(operator, current_user)]
    findings = db.session.scalars(scoped(select(Finding).where(
        Finding.operator_id == operator.id, Finding.source == "retention", Finding.state == "open"), current_user)
        .order_by(Finding.id)).all()
    return {"rows": rows, "findings": findings, "width": WIDTH,
            "months": current_app.config["BILLING_RETENTION_MONTHS"]}


def report_pdf(view: dict) -> bytes:
    """A report as PDF in a CJK font (fonts-noto-cjk), so Chinese text prints."""
    from weasyprint import CSS, HTML

    html = render_template("obligations/report_pdf.html", r=view)
    stylesheet = CSS(filename=os.path.join(current_app.static_folder, "css", "report-pdf.css"))
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])


def authority_name(code: str) -> str:
    """"江苏省通信管理局" for 32, in the reader's language; the code when unknown."""
    from blueprints.web.templating import current_lang
    from supervision.access.models import Authority

    authority = db.session.get(Authority, code)
    if authority is None:
        return code
    return authority.authority_zh if current_lang().startswith("zh") else authority.authority_en


def register_obligation_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(retention_coverage=retention_coverage, authority_name=authority_name)
