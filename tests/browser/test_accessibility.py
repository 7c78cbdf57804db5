"""Accessibility in a real browser: axe-core over the public pages, the complaint form and the
officer's queue and complaint page (no serious or critical violation), and the public complaint
form filled and sent with the keyboard alone, the focus visible at every stop.

axe-core is vendored (tests/browser/vendor/, MPL-2.0) so CI needs no network. It is loaded as
an *init script*: `page.add_script_tag` would insert an inline <script>, which the site's own
Content-Security-Policy rightly refuses, whereas an init script is evaluated by the browser
through the DevTools protocol, outside the page's CSP. So the pages are checked exactly as
served, with the CSP on (no `bypass_csp`).
"""
import re
from pathlib import Path

import pytest

from supervision.extensions import db
from tests.browser.site_tour import log_in, populate_site, track_complaint, watch_console

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({rule: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def axe_violations(page) -> list[dict]:
    page.wait_for_load_state("load")
    return page.evaluate(RUN_AXE)


def pages_to_check(records) -> dict[str | None, list[str]]:
    """By visitor: the public site, then the staff pages where officers and operators work."""
    publication = "/publications/{authority}/{slug}/{period}/v{version}/".format(**records.publication_args)
    return {
        None: ["/", "/complaints/new", "/track", "/operators", "/statistics/", "/satisfaction/", "/publications/",
               publication, "/open-data/", "/spot-checks", f"/spot-checks/{records.spot_checked_operator_id}",
               f"/campaigns/{records.campaign_id}", "/login"],
        "officer.js": ["/officer/complaints", f"/officer/complaints/{records.complaint_reference}",
                       f"/officer/orders/{records.order_id}", f"/officer/inspections/{records.inspection_id}",
                       f"/officer/self-inspections/{records.report_id}"],
        "staff.jscable": ["/portal/", f"/portal/complaints/{records.complaint_reference}",
                          f"/portal/orders/{records.order_id}", f"/portal/inspections/{records.inspection_id}"],
    }


def test_axe_finds_no_serious_violation_on_public_and_staff_pages(app, new_page, live_server, clock, monkeypatch):
    with app.app_context():
        records = populate_site(clock, monkeypatch)
    found: list[str] = []
    checked = 0

    def check(page, label: str) -> None:
        nonlocal checked
        checked += 1
        for violation in axe_violations(page):
            if violation["impact"] in BLOCKING_IMPACTS:
                found.append(f"{label}: {violation['rule']} ({violation['impact']}): {violation['help']} "
                             f"at {violation['targets']}")

    for visitor, paths in pages_to_check(records).items():
        page = new_page()
        page.context.add_init_script(path=str(AXE))
        if visitor:
            log_in(page, live_server, visitor)
        for path in paths:
            page.goto(f"{live_server}{path}")
            check(page, path)
        if visitor is None:
            track_complaint(page, live_server, records)
            check(page, "tracking result")
            page.goto(f"{live_server}/complaints/new")
            page.locator("main form.stacked [type=submit]").click()  # the errors must be accessible too
            check(page, "complaint form with errors")

    assert checked >= 24
    assert not found, f"{len(found)} serious or critical axe violation(s):\n" + "\n".join(found)


# --- the complaint form by keyboard alone ---------------------------------------------------------

FOCUS_STYLE = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "", value: el.value || "",
          checked: !!el.checked,
          outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
          shadow: style.boxShadow !== "none"};
}"""


def tab_to_next(page, seen: list[dict]) -> dict:
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUS_STYLE)
    seen.append(focused)
    return focused


def choose_with_arrows(page, wanted: str, key: str = "ArrowDown", limit: int = 40) -> None:
    """A select or a radio group: arrow keys move the choice (no pointer, no dropdown opened)."""
    for _ in range(limit):
        if page.evaluate(FOCUS_STYLE)["value"] == wanted and page.evaluate(
                "() => document.activeElement.tagName !== 'INPUT' || document.activeElement.checked"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"the keyboard never reached the choice {wanted!r}")


def test_a_citizen_files_a_complaint_with_the_keyboard_alone(page, live_server, factory):
    operator = factory.operator(name="Keyboard Telecom")
    operator_id = str(operator.id)
    db.session.commit()
    typed = {"description": "No signal at home since October; calls drop.", "request": "Repair the coverage",
             "event_date": "10012026", "operator_complaint_date": "10202026", "name": "李雷", "phone": "13900139000"}
    chosen = {"operator_id": operator_id, "province": "32", "topic": "network:coverage"}
    problems: list[str] = []
    where = watch_console(page, problems)

    page.goto(f"{live_server}/complaints/new")
    seen: list[dict] = []
    for _ in range(80):
        field = tab_to_next(page, seen)
        name = field["name"]
        if name in chosen:
            choose_with_arrows(page, chosen.pop(name))
        elif name in typed:
            page.keyboard.type(typed.pop(name))
        elif name == "operator_answer":
            choose_with_arrows(page, "none", key="ArrowRight", limit=6)
        elif field["type"] == "submit" and name == "submit":
            break
    assert not chosen and not typed, f"fields the Tab key never reached: {sorted(chosen) + sorted(typed)}"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/complaints/filed$"))
    where["page"] = "complaint filed"
    assert re.fullmatch(r"TS-32-\d{8}-\d{6}", page.locator("#reference").inner_text().strip())

    invisible = [f for f in seen if not (f["outline"] or f["shadow"])]
    assert len(seen) >= 15 and not invisible, f"focus not visible on: {invisible}"
    assert not problems, "\n".join(problems)
