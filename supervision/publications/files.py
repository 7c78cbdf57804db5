"""Rendering a version's files once, at approval: open data (CSV, JSON, a Frictionless
data package), charts (SVG, one per language) and the PDF report (WeasyPrint).

Everything is derived from the frozen figures only, never from live tables, so what is
published is exactly what the publisher reviewed.
"""
import base64
import csv
import hashlib
import io
import json
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale

from supervision.i18n import _l
from supervision.publications.charts import bars_with_intervals, lines_over_quarters
from supervision.publications.figures import table_named
from supervision.publications.texts import LANGUAGES, OFFICIAL, localized


@dataclass(frozen=True)
class RenderedFile:
    name: str
    format: str
    media_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def csv_bytes(table: dict) -> bytes:
    """RFC 4180 CSV, UTF-8, header = column names; empty cell = no value; full precision."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = [c["name"] for c in table["columns"]]
    writer.writerow(names)
    for row in table["rows"]:
        writer.writerow([_cell(row.get(n)) for n in names])
    return out.getvalue().encode("utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return localized(value, OFFICIAL) if isinstance(value, dict) else str(value)


def chart_svgs(figures: dict, lang: str) -> dict[str, str]:
    """name → SVG for every chart of the figures (and the trend), in one language."""
    with force_locale(lang):
        missing = str(_l("not published (see table)"))
    svgs = {}
    for chart in figures.get("charts", []):
        rows = table_named(figures, chart["table"])["rows"]
        bars = [{"label": _bar_label(row, chart), "value": row.get(chart["value"]),
                 "low": row.get(chart["low"]) if chart["low"] else None,
                 "high": row.get(chart["high"]) if chart["high"] else None} for row in rows]
        svgs[chart["name"]] = bars_with_intervals(bars, localized(chart["title"], lang),
                                                  localized(chart["unit"], lang), missing)
    trend = figures.get("trend")
    if trend and trend.get("periods"):
        svgs["trend"] = lines_over_quarters(trend["periods"], trend["series"], localized(trend["title"], lang),
                                            localized(trend["unit"], lang))
    return svgs


def _bar_label(row: dict, chart: dict) -> str:
    parts = [str(row.get(chart["label"]) or "")]
    for extra in ("province_name", "service"):
        if extra in row and chart["label"] != extra and row.get(extra):
            parts.append(str(row[extra]))
    return " · ".join(parts)


def data_package(figures: dict, csv_files: list[RenderedFile], meta: dict) -> bytes:
    """The Frictionless descriptor: one tabular resource per CSV, with its hash and schema."""
    config = current_app.config
    resources = []
    for tbl, rendered in zip(figures["tables"], csv_files, strict=True):
        resources.append({
            "name": tbl["name"], "path": rendered.name, "title": localized(tbl["title"], "en"),
            "description": localized(tbl["description"], "en"), "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "bytes": len(rendered.content), "hash": f"sha256:{rendered.sha256}",
            "schema": {"fields": [_field(c) for c in tbl["columns"]]}})
    descriptor = {
        "name": meta["name"], "title": localized(figures["title"], "en"), "version": str(meta["version"]),
        "created": meta["published_at"], "homepage": meta["page_url"],
        "description": localized(figures["title"], OFFICIAL),
        "licenses": [{"name": config["PUBLICATION_LICENCE"], "path": config["PUBLICATION_LICENCE_URL"],
                      "title": config["PUBLICATION_LICENCE_TITLE"]}],
        "resources": resources}
    return json.dumps(descriptor, ensure_ascii=False, indent=2).encode("utf-8")


def _field(col: dict) -> dict:
    field = {"name": col["name"], "type": col["type"], "title": localized(col["title"], "en"),
             "description": " / ".join(filter(None, (localized(col["description"], "en"),
                                                     localized(col["description"], OFFICIAL))))}
    if col["type"] == "boolean":
        field |= {"trueValues": ["true"], "falseValues": ["false"]}
    return field


def render_files(figures: dict, meta: dict) -> list[RenderedFile]:
    """Every file of a version, in the order they are listed."""
    csv_files = [RenderedFile(f"{t['name']}.csv", "csv", "text/csv; charset=utf-8", csv_bytes(t))
                 for t in figures["tables"]]
    document = {"publication": meta, "figures": figures}
    json_file = RenderedFile("figures.json", "json", "application/json",
                             json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8"))
    package = RenderedFile("datapackage.json", "json", "application/json", data_package(figures, csv_files, meta))
    svgs = {lang: chart_svgs(figures, lang) for lang in LANGUAGES}
    svg_files = [RenderedFile(f"chart-{name}.{lang}.svg", "svg", "image/svg+xml", svg.encode("utf-8"))
                 for lang in LANGUAGES for name, svg in svgs[lang].items()]
    data_files = [*csv_files, json_file, package]
    pdf = RenderedFile("report.pdf", "pdf", "application/pdf",
                       pdf_bytes(figures, meta, svgs[OFFICIAL], data_files))
    return [pdf, *data_files, *svg_files]


def pdf_bytes(figures: dict, meta: dict, svgs: dict[str, str], data_files: list[RenderedFile]) -> bytes:
    from weasyprint import HTML

    images = {name: "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
              for name, svg in svgs.items()}
    with force_locale(OFFICIAL):
        html = render_template("publications/report_pdf.html", figures=figures, meta=meta, charts=images,
                               files=data_files, lang=OFFICIAL, localized=localized)
    return HTML(string=html, base_url=current_app.root_path).write_pdf()
