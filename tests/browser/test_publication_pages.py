"""A citizen reads the published figures in a real browser: home → publication → files,
the index with its filters, the open-data catalogue and the feed."""
import hashlib
import re

import pytest

from supervision.audit import Actor
from supervision.extensions import db
from tests.publications.test_public_pages import import_survey
from tests.publications.test_publications import PERIOD

pytestmark = pytest.mark.browser


def test_a_citizen_reads_the_published_index_and_checks_a_file(page, live_server, factory):
    from supervision.publications.services import perform, prepare_series

    operator = factory.operator(province="32", name="浏览器测试通信")
    import_survey(factory, operator, "32", "mobile", 120, 7)
    preparer, publisher = factory.officer("32"), factory.officer("32", publisher=True)
    draft, _ = prepare_series("satisfaction_index", PERIOD, "32", Actor.of(preparer), factory.now)
    perform(draft, "approve", {}, Actor.of(publisher), factory.now)
    db.session.commit()

    page.goto(f"{live_server}/")
    page.get_by_role("button", name="English").click()
    latest = page.locator("section.latest-publications")
    latest.get_by_role("link", name=re.compile("satisfaction index")).click()
    assert "/publications/32/satisfaction-index/2026Q3/v1/" in page.url
    assert page.locator("figure.chart svg").count() >= 1
    csv_row = page.get_by_role("row").filter(has_text="index.csv")
    listed_hash = csv_row.locator("code").inner_text().strip()
    body = page.request.get(f"{live_server}{csv_row.get_by_role('link').get_attribute('href')}").body()
    assert hashlib.sha256(body).hexdigest() == listed_hash
    assert "浏览器测试通信" in body.decode()

    page.goto(f"{live_server}/satisfaction/")
    page.get_by_label("Service").select_option("mobile")
    page.get_by_role("button", name="Show").click()
    table = page.locator("#index-table")
    assert "浏览器测试通信" in table.inner_text()
    assert page.locator("figure.chart svg").first.is_visible()

    page.goto(f"{live_server}/open-data/")
    assert page.get_by_role("link", name="datapackage.json").count() == 1
    feed = page.request.get(f"{live_server}/feed.atom")
    assert feed.ok and "tag:" in feed.text()
