"""Public pages and the published satisfaction index (issue 9 items 5–6)."""
import io
import random

import pytest

from supervision.extensions import db
from tests.publications.test_publications import PERIOD, approve, prepare


def import_survey(factory, operator, province: str, service: str, n: int, seed: int) -> None:
    from supervision.surveys.imports import import_survey_file

    rng = random.Random(seed)
    lines = ["operator_licence_no,province,service,period,respondent_id,expectations,perceived_quality,"
             "perceived_value,satisfaction,complaints,loyalty"]
    for i in range(n):
        scores = [rng.randint(5, 10) for _ in range(6)]
        lines.append(",".join([operator.licence_no, province, service, PERIOD, f"r{seed}-{i}", *map(str, scores)]))
    import_survey_file(io.BytesIO("\n".join(lines).encode()), "survey.csv", None, factory.now)
    db.session.commit()


@pytest.fixture
def published_index(client, factory):
    big = factory.operator(province="32", name="大样本通信")
    small = factory.operator(province="32", name="小样本通信")
    import_survey(factory, big, "32", "broadband", 150, 1)
    import_survey(factory, small, "32", "broadband", 40, 2)  # below the minimum n: suppressed
    preparer, publisher = factory.officer("32"), factory.officer("32", publisher=True)
    draft = prepare(client, factory, preparer, kind="satisfaction_index").json
    assert approve(client, factory, publisher, draft["id"]).status_code == 200
    return big, small


def test_the_index_api_serves_published_figures_with_nulls_where_suppressed(client, factory, published_index):
    from supervision.surveys.services import current_methodology, index_cells, method_of

    big, small = published_index
    items = {i["operator_id"]: i for i in client.get("/api/v1/satisfaction-index").json["items"]}
    officer = factory.officer("CN")
    live = {c.operator_id: c.figures for c in index_cells(PERIOD, officer, method_of(current_methodology()))}
    assert items[big.id]["index"] == live[big.id].index  # full precision, as computed
    assert items[big.id]["n"] == 150 and items[big.id]["suppressed"] is False
    assert items[small.id]["suppressed"] is True
    assert items[small.id]["index"] is None and items[small.id]["ci_low"] is None
    assert items[small.id]["satisfaction_rate"] is None and items[small.id]["n"] == 40
    # More survey rows after publication do not change what is published.
    import_survey(factory, big, "32", "broadband", 30, 3)
    again = {i["operator_id"]: i for i in client.get("/api/v1/satisfaction-index").json["items"]}
    assert again[big.id]["n"] == 150


def test_public_pages_show_charts_with_a_table_for_each(client, published_index):
    page = client.get("/satisfaction/?province=32&service=broadband")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html and "大样本通信" in html and 'id="index-table"' in html
    assert client.get("/open-data/").status_code == 200
    assert "datapackage.json" in client.get("/open-data/").get_data(as_text=True)
    assert client.get("/publications/").status_code == 200
    assert "大样本通信" not in client.get("/statistics/").get_data(as_text=True)  # none published
    home = client.get("/").get_data(as_text=True)
    assert "/publications/32/satisfaction-index/2026Q3/v1/" in home


def test_officer_pages_never_offer_approve_to_the_preparer(client, factory, app):
    from tests.publications.test_publications import PERIOD as quarter

    preparer = factory.officer("32", publisher=True, password="Correct-horse-1")
    other = factory.officer("32", publisher=True, password="Correct-horse-1")

    def login(user):
        client.post("/logout")
        client.post("/login", data={"username": user.username, "password": "Correct-horse-1"})

    login(preparer)
    answer = client.post("/officer/publications/", data={"kind": "complaint_statistics", "period": quarter})
    assert answer.status_code == 302
    again = client.post("/officer/publications/", data={"kind": "complaint_statistics", "period": quarter})
    assert again.headers["Location"] == answer.headers["Location"]  # submitted twice: one draft
    preview = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "/actions/approve" not in preview and "/actions/refresh" in preview
    login(other)
    preview = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "/actions/approve" in preview
    published = client.post(answer.headers["Location"] + "/actions/approve")
    assert published.status_code == 302 and "/publications/32/complaint-statistics/" in published.headers["Location"]
