"""Security headers on every response, and templates that keep to the Content-Security-Policy:
no inline script, no inline style (a page that needs them would break under the CSP)."""
import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.I)


@pytest.mark.parametrize("path", ["/", "/login", "/api/v1/openapi.json", "/api/v1/operators", "/no-such-page",
                                  "/healthz"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: HSTS would mean nothing


def test_hsts_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def served_to_browsers(template: Path) -> bool:
    """Templates rendered only into PDFs (WeasyPrint, never served) keep their print styles."""
    return template.parent.name != "documents" and not template.stem.endswith("_pdf")


@pytest.mark.parametrize("template", sorted(filter(served_to_browsers, TEMPLATES.rglob("*.html"))),
                         ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_inline_script_or_style(template):
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "move the script into static/js and load it with src="
    assert not INLINE_STYLE.search(text), "move the style into static/css/site.css (CSP: style-src 'self')"


def test_charts_shown_inline_carry_no_style_element():
    """The published pages put the chart SVG inline, where a <style> would be refused by the CSP."""
    from supervision.publications.charts import bars_with_intervals, lines_over_quarters

    bars = bars_with_intervals([{"label": "中国移动", "value": 80.0, "low": 78.0, "high": 82.0}], "Index", "points", "-")
    lines = lines_over_quarters(["2026Q2", "2026Q3"], [{"label": "A", "values": {"2026Q2": 1.0, "2026Q3": 2.0}}],
                                "Trend", "points")
    for svg in (bars, lines):
        assert not INLINE_STYLE.search(svg)
        assert 'font-family="Noto Sans CJK SC' in svg  # the font the <style> used to set, inherited by every text
