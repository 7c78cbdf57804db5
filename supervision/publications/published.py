"""What the public reads: the latest published versions, their history, and the published
satisfaction index. Only published versions are ever read here (never drafts or live data)."""
from sqlalchemy import select

from supervision.access.models import NATIONAL
from supervision.extensions import db
from supervision.publications.figures import table_named
from supervision.publications.kinds import kind_named
from supervision.publications.models import Publication
from supervision.publications.services import latest_published_ids


def slug_of(publication: Publication) -> str:
    return kind_named(publication.kind).slug


def page_args(publication: Publication) -> dict:
    return {"authority": publication.authority_code, "slug": slug_of(publication), "period": publication.period,
            "version": publication.version}


def current_versions(kind: str | None = None, authority: str | None = None) -> list[Publication]:
    """The newest published version of every series, newest period first (national first)."""
    stmt = select(Publication).where(Publication.id.in_(latest_published_ids()))
    if kind:
        stmt = stmt.where(Publication.kind == kind)
    if authority:
        stmt = stmt.where(Publication.authority_code == authority)
    rows = db.session.scalars(stmt).all()
    return sorted(rows, key=lambda p: (p.period, p.authority_code == NATIONAL, p.published_at), reverse=True)


def all_versions() -> list[Publication]:
    return list(db.session.scalars(select(Publication).where(Publication.status == "published")
                                   .order_by(Publication.published_at.desc(), Publication.id.desc())))


def published_periods(kind: str) -> list[str]:
    return sorted({p.period for p in current_versions(kind)}, reverse=True)


def merged_rows(kind: str, table_name: str, period: str, cell: tuple[str, ...]) -> list[tuple[Publication, dict]]:
    """Rows of one table across the authorities that published the period; a cell published
    both nationally and by its province is taken from the national publication."""
    seen, merged = set(), []
    for publication in current_versions(kind):
        if publication.period != period:
            continue
        tbl = table_named(publication.figures, table_name) or {"rows": []}
        for row in tbl["rows"]:
            key = tuple(row.get(c) for c in cell)
            if key not in seen:
                seen.add(key)
                merged.append((publication, row))
    return merged


INDEX_FIELDS = ("operator_id", "operator", "province", "service", "index", "n", "ci_low", "ci_high",
                "satisfaction_rate", "suppressed", "methodology_version")


def index_rows(period: str | None, province: str | None = None, service: str | None = None,
               operator_id: int | None = None) -> tuple[str | None, list[dict]]:
    periods = published_periods("satisfaction_index")
    period = period or (periods[0] if periods else None)
    if period is None:
        return None, []
    rows = []
    for publication, row in merged_rows("satisfaction_index", "index", period, ("operator_id", "province", "service")):
        if (province and row["province"] != province) or (service and row["service"] != service) or \
                (operator_id and row["operator_id"] != operator_id):
            continue
        item = {name: row.get(name) for name in INDEX_FIELDS} | {"publication_id": publication.id}
        if item["suppressed"]:
            item |= {"index": None, "ci_low": None, "ci_high": None, "satisfaction_rate": None}
        rows.append(item)
    return period, rows
