"""Officer survey pages: upload (POST/redirect/GET, errors by line and column, nothing imported
on error) and the unpublished index preview with suppression."""
import io

from sqlalchemy import func, select

from supervision.extensions import db
from supervision.surveys.models import SurveyResponse
from tests.api.test_surveys import csv_bytes, row
from tests.web.test_officer_pages import new_browser, text


def post_file(browser, data: bytes, name="survey.csv"):
    return browser.post("/officer/surveys", data={"file": (io.BytesIO(data), name)},
                        content_type="multipart/form-data")


def held() -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyResponse))


def test_upload_redirects_and_lists_the_import(app, factory):
    operator = factory.operator()
    browser = new_browser(app, factory.officer("32"))
    response = post_file(browser, csv_bytes([row(operator, f"W{i}") for i in range(120)]))
    assert response.status_code == 303 and response.headers["Location"].endswith("/officer/surveys")
    page = text(browser.get("/officer/surveys"))
    assert "Imported 120 survey rows from survey.csv." in page
    assert held() == 120
    # Submitting the same file again imports nothing twice: its respondents are already held.
    again = post_file(browser, csv_bytes([row(operator, f"W{i}") for i in range(120)]))
    assert again.status_code == 422 and held() == 120


def test_errors_are_listed_by_line_and_column(app, factory):
    operator = factory.operator()
    browser = new_browser(app, factory.officer("32"))
    response = post_file(browser, csv_bytes([row(operator, "E1"), row(operator, "E2", scores=(8, 8, 0, 8, 8, 8))]))
    assert response.status_code == 422
    page = text(response)
    assert "Nothing was imported" in page
    assert '<td class="mono">3</td>' in page and '<td class="mono">perceived_value</td>' in page
    assert held() == 0


def test_a_file_is_required_and_must_be_csv(app, factory):
    browser = new_browser(app, factory.officer("32"))
    assert post_file(browser, b"x", name="survey.xlsx").status_code == 422
    assert "The file must be a .csv file." in text(post_file(browser, b"x", name="survey.xlsx"))


def test_index_preview_shows_figures_and_suppressed_cells(app, factory):
    operator = factory.operator(name="Preview Telecom")
    officer = factory.officer("32")
    browser = new_browser(app, officer)
    rows = [row(operator, f"M{i}") for i in range(100)] + [row(operator, f"F{i}", service="fixed") for i in range(5)]
    assert post_file(browser, csv_bytes(rows)).status_code == 303
    page = text(browser.get("/officer/surveys/index?period=2026Q3"))
    assert "77.8" in page  # all scores 8: (8 − 1) / 9 × 100
    assert "Suppressed: fewer than 100 respondents" in page
    assert "methodology version 1" in page


def test_survey_pages_are_for_officers_only(app, factory):
    operator = factory.operator()
    staff = new_browser(app, factory.user("operator", operator=operator))
    assert staff.get("/officer/surveys").status_code == 403
    assert new_browser(app).get("/officer/surveys").status_code == 302
