"""What the page-by-page browser checks (CSP, accessibility) need: a populated site and a way
to open any page as the right person.

The records come from the demo loader (`flask demo load` + `demo publish`), which goes through
the real services, plus one complaint of our own with an attachment; `SiteRecords` then looks
up one record of each kind so every `<id:…>` in a route can be filled.
"""
import re
from dataclasses import dataclass

from sqlalchemy import select

from supervision.extensions import db

DEMO_SURVEY_ROWS = 300  # the real demo imports 9000 a quarter; a few hundred give the same pages
TINY_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@dataclass
class SiteRecords:
    operator_id: int            # Jiangsu cable: the demo's inspection, order, report and sample concern it
    spot_checked_operator_id: int
    complaint_reference: str    # Jiangsu cable's, transferred (the portal sees it), with an attachment
    access_code: str
    campaign_id: int
    inspection_id: int
    order_id: int
    penalty_id: int
    sample_id: int
    report_id: int
    publication_id: int
    publication_args: dict


def populate_site(clock, monkeypatch) -> SiteRecords:
    """Load the demo records, add a transferred complaint with an attachment, return the ids."""
    from supervision.access.models import User
    from supervision.audit import COMPLAINANT, Actor
    from supervision.complaints import attachments
    from supervision.complaints.transitions import perform
    from supervision.demo import load_demo
    from supervision.inspections.models import Campaign, Inspection, PublishedResult
    from supervision.obligations.models import BillingSample, SelfInspection
    from supervision.operators.models import Operator
    from supervision.orders.models import PenaltyDecision, RectificationOrder
    from supervision.publications import demo as publications_demo
    from supervision.publications import files, published
    from supervision.publications.models import Publication
    from tests.conftest import Factory

    now = clock.now()
    monkeypatch.setattr(publications_demo, "SURVEY_ROWS", DEMO_SURVEY_ROWS)
    # The frozen PDF takes WeasyPrint seconds per publication, and no page shows its contents.
    monkeypatch.setattr(files, "pdf_bytes", lambda *_args: TINY_PDF)
    load_demo(now, echo=lambda *_: None)
    publications_demo.publish_demo_quarters(now, echo=lambda *_: None)
    db.session.commit()

    order = db.session.scalars(select(RectificationOrder)).first()
    officer = db.session.scalar(select(User).where(User.username == "officer.js"))
    complaint, code = Factory(clock).complaint(db.session.get(Operator, order.operator_id))
    attachments.store_attachment(complaint, "bill.pdf", TINY_PDF, COMPLAINANT, now)
    for action in ("accept", "transfer"):
        perform(complaint, action, {}, Actor.of(officer), now)
    db.session.commit()

    publication = db.session.scalars(select(Publication).where(Publication.status == "published")
                                     .order_by(Publication.id)).first()
    spot_checked = db.session.scalars(select(Inspection).join(PublishedResult)).first()
    records = SiteRecords(
        operator_id=order.operator_id,
        spot_checked_operator_id=spot_checked.operator_id,
        complaint_reference=complaint.reference, access_code=code,
        campaign_id=db.session.scalars(select(Campaign.id)).first(),
        inspection_id=db.session.scalar(select(Inspection.id).where(Inspection.operator_id == order.operator_id)),
        order_id=order.id,
        penalty_id=db.session.scalars(select(PenaltyDecision.id)).first(),
        sample_id=db.session.scalars(select(BillingSample.id)).first(),
        report_id=db.session.scalars(select(SelfInspection.id).where(
            SelfInspection.operator_id == order.operator_id)).first(),
        publication_id=publication.id,
        publication_args=published.page_args(publication))
    db.session.commit()  # end the read: on SQLite it would hold a lock the live server needs
    return records


def log_in(page, base: str, username: str) -> None:
    from supervision.demo import demo_password

    page.goto(f"{base}/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(demo_password(username))
    page.locator("main form.stacked [type=submit]").click()
    page.wait_for_load_state()
    if re.search(r"/login", page.url):
        raise AssertionError(f"could not log in as {username}")


def track_complaint(page, base: str, records: SiteRecords) -> None:
    """The tracking result is reached only through the tracking form (the code is never in a URL)."""
    page.goto(f"{base}/track")
    page.locator("input[name=reference]").fill(records.complaint_reference)
    page.locator("input[name=access_code]").fill(records.access_code)
    page.locator("main form.stacked [type=submit]").click()
    page.wait_for_load_state()


# Report CSP violations to the console too, with the directive and the place (Chromium's own
# message names neither the line nor the element).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} `
                + `at ${e.sourceFile}:${e.lineNumber} ${e.sample || ""}`);
});
"""


def watch_console(page, problems: list[str]) -> dict:
    """Append every console error, CSP violation and uncaught JS error of `page` to `problems`,
    prefixed with the page named in the returned dict's "page" (the caller keeps it current)."""
    where = {"page": page.url}
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on("console", lambda msg: msg.type == "error" and problems.append(
        f"{where['page']}: console error: {msg.text}"))
    page.on("pageerror", lambda error: problems.append(f"{where['page']}: JS error: {error}"))
    return where
