"""Every page of the site, opened in chromium with the Content-Security-Policy on, as the person
who uses it: no CSP violation, no JavaScript error, nothing in the console.

The list of pages is generated from `app.url_map`: a new GET route is visited automatically if
its blueprint has a visitor below and its path ids can be filled; otherwise the test fails
and says what to add (a row in `PATH_VALUES`, `VISITOR_OF_BLUEPRINT`, or `NOT_PAGES` with a reason).
"""
import pytest

from tests.browser.site_tour import SiteRecords, log_in, populate_site, track_complaint, watch_console

pytestmark = pytest.mark.browser

# Who opens the pages of each blueprint (None: anyone, not signed in).
VISITOR_OF_BLUEPRINT = {
    "public": None, "published": None, "open_data": None, "public_obligations": None, "auth": None,
    "officer": "officer.js", "officer_obligations": "officer.js", "officer_surveys": "officer.js",
    "publishing": "publisher.js",
    "portal": "staff.jscable", "portal_obligations": "staff.jscable",
    "admin": "admin",
    "oversight": "oversight",
}

# Routes that are not HTML pages, or that only exist as a step inside another page's flow.
NOT_PAGES = {
    "static": "the CSS and JS the pages load (a violation there shows on the pages)",
    "public.favicon": "an icon",
    "public.healthz": "JSON for the load balancer",
    "public.api_docs_asset": "Swagger UI's own files, loaded by /api/v1/docs (visited)",
    "published.feed": "Atom XML",
    "published.series_latest": "a redirect to the latest version's page (visited)",
    "published.publication_file": "a published file (CSV, JSON, PDF, SVG) to download",
    "public.track_attachment": "a file download",
    "officer.complaint_attachment": "a file download",
    "portal.complaint_attachment": "a file download",
    "officer.inspection_evidence": "a file download",
    "officer.order_notice": "a PDF", "portal.order_notice": "a PDF",
    "officer.order_evidence": "a file download", "portal.order_evidence_file": "a file download",
    "officer.penalty_document": "a PDF", "portal.penalty_document": "a PDF",
    "officer_obligations.self_inspection_pdf": "a PDF", "portal_obligations.self_inspection_pdf": "a PDF",
    "oversight.personal_data_reads_csv": "a CSV download",
    "officer.complaints_csv": "a CSV download (the queue's export)",
}
NOT_PAGE_BLUEPRINT_PREFIXES = {
    "api_": "the JSON API (bearer tokens, no pages; schemathesis and the API tests cover it)",
    "api-docs": "the OpenAPI document (JSON)",
}

# How to fill the path of each route with ids (records made by populate_site).
PATH_VALUES = {
    "public.campaign": lambda r: {"campaign_id": r.campaign_id},
    "public.spot_checks_of_operator": lambda r: {"operator_id": r.spot_checked_operator_id},
    "public_obligations.format_clauses": lambda r: {"operator_id": r.operator_id},
    "published.publication_page": lambda r: r.publication_args,
    "officer.campaign": lambda r: {"id": r.campaign_id},
    "officer.complaint_detail": lambda r: {"reference": r.complaint_reference},
    "officer.complaint_filed": lambda r: {"reference": r.complaint_reference},
    "officer.inspection": lambda r: {"id": r.inspection_id},
    "officer.operator_detail": lambda r: {"operator_id": r.operator_id},
    "officer.operator_edit": lambda r: {"operator_id": r.operator_id},
    "officer.order": lambda r: {"id": r.order_id},
    "officer.penalty": lambda r: {"id": r.penalty_id},
    "officer_obligations.sample": lambda r: {"sample_id": r.sample_id},
    "officer_obligations.self_inspection": lambda r: {"report_id": r.report_id},
    "publishing.preview": lambda r: {"publication_id": r.publication_id},
    "portal.complaint_detail": lambda r: {"reference": r.complaint_reference},
    "portal.inspection": lambda r: {"id": r.inspection_id},
    "portal.order": lambda r: {"id": r.order_id},
    "portal_obligations.self_inspection": lambda r: {"report_id": r.report_id},
}

# Pages shown only at the end of a form (the access code never travels in a URL).
REACHED_THROUGH = {
    "public.track_result": track_complaint,
}
NOT_PAGES["public.complaint_filed"] = ("reached by filing the form: tests/browser/test_accessibility.py files "
                                       "one by keyboard and checks this page for CSP violations too")

def skip_reason(endpoint: str) -> str | None:
    blueprint = endpoint.split(".")[0]
    return NOT_PAGES.get(endpoint) or next(
        (why for prefix, why in NOT_PAGE_BLUEPRINT_PREFIXES.items() if blueprint.startswith(prefix)), None)


def pages_to_visit(app, records: SiteRecords) -> tuple[dict[str | None, list], list[str]]:
    """Group every visitable GET page by visitor; list the routes nobody knows how to open."""
    from flask import url_for

    by_visitor: dict[str | None, list] = {}
    unknown = []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            endpoint = rule.endpoint
            if "GET" not in rule.methods or skip_reason(endpoint):
                continue
            blueprint = endpoint.split(".")[0]
            if blueprint not in VISITOR_OF_BLUEPRINT:
                unknown.append(f"{rule.rule} ({endpoint}): add its blueprint to VISITOR_OF_BLUEPRINT")
                continue
            if rule.arguments and endpoint not in PATH_VALUES:
                unknown.append(f"{rule.rule} ({endpoint}): add a row to PATH_VALUES, or to NOT_PAGES with a reason")
                continue
            if endpoint in REACHED_THROUGH:
                step = REACHED_THROUGH[endpoint]
            else:
                path = url_for(endpoint, **PATH_VALUES.get(endpoint, lambda r: {})(records))
                step = _opener(path)
            by_visitor.setdefault(VISITOR_OF_BLUEPRINT[blueprint], []).append((endpoint, step))
    return by_visitor, unknown


def _opener(path: str):
    def open_path(page, base, _records):
        return page.goto(f"{base}{path}")
    return open_path


def test_every_page_loads_without_csp_violation_or_console_error(app, new_page, live_server, clock, monkeypatch):
    with app.app_context():
        records = populate_site(clock, monkeypatch)
    by_visitor, unknown = pages_to_visit(app, records)
    assert not unknown, "routes the browser check cannot open:\n" + "\n".join(unknown)

    problems, visited = [], 0
    for visitor, pages in by_visitor.items():
        page = new_page()
        where = watch_console(page, problems)
        if visitor:
            log_in(page, live_server, visitor)
        for endpoint, step in pages:
            where["page"] = endpoint
            response = step(page, live_server, records)
            page.wait_for_load_state("load")
            status = response.status if response else 200
            if status >= 400:
                problems.append(f"{endpoint}: {page.url} answered {status} to {visitor or 'anonymous'}")
            visited += 1
    assert not problems, f"{len(problems)} problem(s) on {visited} pages:\n" + "\n".join(problems)
    assert visited >= 50  # the generated list really covers the site


def test_a_new_route_nobody_can_open_is_named(app):
    """The guard of the list above: a new page is never silently left out of the check."""
    from tests.conftest import sibling_app

    extended = sibling_app(app)
    extended.add_url_rule("/officer/things/<id:thing_id>", "officer.thing", lambda thing_id: "")
    extended.add_url_rule("/inspectorate/reads", "inspectorate.reads", lambda: "")
    records = SiteRecords(*([1] * 11), publication_args={"authority": "32", "slug": "s", "period": "2026Q3",
                                                         "version": 1})
    _, unknown = pages_to_visit(extended, records)
    assert unknown == ["/inspectorate/reads (inspectorate.reads): add its blueprint to VISITOR_OF_BLUEPRINT",
                       "/officer/things/<id:thing_id> (officer.thing): add a row to PATH_VALUES, "
                       "or to NOT_PAGES with a reason"]
