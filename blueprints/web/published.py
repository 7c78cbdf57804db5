"""Public pages of published figures: each version's page and files, the latest statistics and
index with charts, the history, the open-data catalogue and the Atom feed (SPEC §8, §10)."""
from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from blueprints.web.templating import current_lang
from supervision.access.models import Authority
from supervision.extensions import db
from supervision.i18n import _l
from supervision.publications import published
from supervision.publications.charts import bars_with_intervals, lines_over_quarters
from supervision.publications.feed import atom_feed
from supervision.publications.figures import NO_RANKING, table_named
from supervision.publications.kinds import kind_by_slug, kinds
from supervision.publications.models import Publication
from supervision.publications.providers import SERVICES
from supervision.publications.services import replaced_by, series_path, verified_content
from supervision.publications.texts import localized
from supervision.publications.trend import TREND_QUARTERS, published_figures, trend_series

bp = Blueprint("published", __name__)
open_data = Blueprint("open_data", __name__)
VERSION_URL = "/publications/<authority>/<slug>/<period>/v<id:version>/"


def _version(authority: str, slug: str, period: str, version: int) -> Publication:
    kind = kind_by_slug(slug)
    if kind is None:
        abort(404)
    publication = db.session.scalar(select(Publication).where(
        Publication.kind == kind.name, Publication.period == period, Publication.authority_code == authority,
        Publication.version == version, Publication.status == "published"))
    if publication is None:
        abort(404)
    return publication


@bp.get("/publications/")
def history():
    return render_template("published/history.html", versions=published.all_versions(), kinds=kinds())


@bp.get("/publications/<authority>/<slug>/<period>/")
def series_latest(authority: str, slug: str, period: str):
    kind = kind_by_slug(slug)
    current = kind and published.current_versions(kind.name, authority)
    match = next((p for p in current or [] if p.period == period), None)
    if match is None:
        abort(404)
    return redirect(url_for("published.publication_page", **published.page_args(match)))


@bp.get(VERSION_URL)
def publication_page(authority: str, slug: str, period: str, version: int):
    publication = _version(authority, slug, period, version)
    lang = current_lang()
    charts = {f.name.split(".")[0].removeprefix("chart-"): verified_content(f).decode()
              for f in publication.files if f.format == "svg" and f.name.endswith(f".{lang}.svg")}
    return render_template("published/publication.html", publication=publication, figures=publication.figures,
                           charts=charts, replaced_by=replaced_by(publication), localized=localized,
                           kind=kinds()[publication.kind])


@bp.get(VERSION_URL + "<name>")
def publication_file(authority: str, slug: str, period: str, version: int, name: str):
    publication = _version(authority, slug, period, version)
    stored = publication.file(name)
    if stored is None:
        abort(404)
    response = Response(verified_content(stored), content_type=stored.media_type)  # it carries its charset already
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    # The bytes never change: caches may keep them for good.
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["Digest"] = f"sha-256={stored.sha256}"
    response.set_etag(stored.sha256)
    return response


def _filters(provinces_in_data: set[str]) -> tuple[str, str, list]:
    province = request.args.get("province") or ""
    service = request.args.get("service") or ""
    names = dict(db.session.execute(select(Authority.code, Authority.name_zh if current_lang() == "zh_CN"
                                           else Authority.name_en)).all())
    choices = [(code, names.get(code, code)) for code in sorted(provinces_in_data)]
    return (province if province in provinces_in_data else ""), (service if service in SERVICES else ""), choices


@bp.get("/satisfaction/")
def satisfaction():
    periods = published.published_periods("satisfaction_index")
    period = request.args.get("period") if request.args.get("period") in periods else (periods[0] if periods else None)
    rows = published.merged_rows("satisfaction_index", "index", period, ("operator_id", "province", "service")) \
        if period else []
    province, service, province_choices = _filters({row["province"] for _, row in rows})
    service = service or ("mobile" if rows else "")
    keep = lambda row: (not province or row["province"] == province) and row["service"] == service  # noqa: E731
    shown = [row for _, row in rows if keep(row)]
    lang = current_lang()
    bars = [{"label": f"{row['operator']} · {row['province_name']}", "value": None if row["suppressed"]
             else row["index"], "low": row["ci_low"], "high": row["ci_high"]} for row in shown]
    chart = bars_with_intervals(bars, _("Satisfaction index with its 95% CI"), _("index (0–100)"),
                                _("suppressed: too few respondents")) if shown else None
    trend = _trend_chart("satisfaction_index", "index", period, keep, _("Satisfaction index over the quarters"),
                         _("index (0–100)"), ["operator_id", "province", "service"],
                         ["operator", "province_name"]) if shown else None
    return render_template("published/satisfaction.html", period=period, periods=periods, rows=shown,
                           province=province, service=service, provinces=province_choices, services=SERVICES,
                           chart=chart, trend=trend, sources=_sources(rows), lang=lang,
                           # Messages with a percent sign come from Python: Jinja's `_` %-formats every string.
                           ranking_note=NO_RANKING, ci_label=_l("95% CI"))


def _sources(rows) -> list[Publication]:
    return list({p.id: p for p, _ in rows}.values())


def _trend_chart(kind: str, table: str, period: str, keep, title: str, unit: str, key, label):
    """The published values of the last quarters for the rows shown (one line per row)."""
    from supervision.publications.periods import Quarter

    quarter = Quarter(int(period[:4]), int(period[5]))
    periods = [str(quarter.previous(n)) for n in range(TREND_QUARTERS - 1, -1, -1)]
    by_period: dict[str, dict] = {}
    for authority in {p.authority_code for p in published.current_versions(kind) if p.period == period}:
        for p, figures in published_figures(kind, authority, periods).items():
            by_period.setdefault(p, figures)
    kept = [p for p in periods if p in by_period]
    spec = {"table": table, "key": key, "label": label, "value": "index" if table == "index" else "rate_per_million"}
    series = trend_series(spec, by_period, kept, keep=keep)
    return lines_over_quarters(kept, series, title, unit) if series else None


@bp.get("/statistics/")
def statistics():
    periods = published.published_periods("complaint_statistics")
    period = request.args.get("period") if request.args.get("period") in periods else (periods[0] if periods else None)
    current = [p for p in published.current_versions("complaint_statistics") if p.period == period]
    authority_codes = {p.authority_code for p in current}
    province, _service, choices = _filters(authority_codes - {"CN"})
    chosen = next((p for p in current if p.authority_code == (province or "CN")), None) or \
        (current[0] if current else None)
    return render_template("published/statistics.html", period=period, periods=periods, publication=chosen,
                           figures=chosen.figures if chosen else None, provinces=choices, province=province,
                           charts=_publication_charts(chosen), localized=localized)


def _publication_charts(publication: Publication | None) -> dict[str, str]:
    if publication is None:
        return {}
    lang = current_lang()
    return {f.name.split(".")[0].removeprefix("chart-"): verified_content(f).decode()
            for f in publication.files if f.format == "svg" and f.name.endswith(f".{lang}.svg")}


@bp.get("/feed.atom")
def feed():
    base = request.url_root.rstrip("/")
    body = atom_feed(published.current_versions(), base, current_app.config["PUBLICATION_TAG_AUTHORITY"],
                     lambda p: base + url_for("published.publication_page", **published.page_args(p)))
    return Response(body, mimetype="application/atom+xml")


@open_data.get("/open-data/")
def index():
    return render_template("published/open_data.html", versions=published.current_versions(), kinds=kinds(),
                           licence=(current_app.config["PUBLICATION_LICENCE"],
                                    current_app.config["PUBLICATION_LICENCE_TITLE"],
                                    current_app.config["PUBLICATION_LICENCE_URL"]),
                           localized=localized, table_named=table_named, series_path=series_path)


@bp.app_template_global()
def latest_publications(limit: int = 3) -> list[Publication]:
    """The newest published version of the latest series (the home page's include)."""
    return published.current_versions()[:limit]
