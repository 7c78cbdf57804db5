"""The shape of a publication's figures: plain JSON-able dicts every kind's provider returns.

    {"kind", "period", "authority", "title",
     "tables": [{"name", "title", "description", "columns": [{"name", "type", "title",
                 "description", "unit"}], "rows": [{column: value}]}],
     "charts": [{"name", "type": "bars_ci", "title", "table", "label", "value", "low", "high", "unit"}],
     "trend": {"table", "key", "label", "value", "title", "unit"} or None,
     "headline": [{"label", "value", "unit"}],
     "methodology": {"version", "title", "text", "parameters"} or None,
     "caveats": [text], "ranking": text or None}

Titles, descriptions and caveats may be lazy messages; `texts.freeze` stores them in both
languages. Column types are Frictionless table-schema types (string, integer, number, boolean).
"""
from supervision.i18n import _l

COLUMN_TYPES = ("string", "integer", "number", "boolean", "date")


def column(name: str, type_: str, title, description, unit: str | None = None) -> dict:
    assert type_ in COLUMN_TYPES, type_
    return {"name": name, "type": type_, "title": title, "description": description, "unit": unit}


def table(name: str, title, description, columns: list[dict], rows: list[dict]) -> dict:
    names = [c["name"] for c in columns]
    # Rows carry exactly the documented columns, in order: nothing undocumented is ever published.
    return {"name": name, "title": title, "description": description, "columns": columns,
            "rows": [{n: row.get(n) for n in names} for row in rows]}


def bars_chart(name: str, title, table_name: str, label: str, value: str, low: str | None,
               high: str | None, unit) -> dict:
    return {"name": name, "type": "bars_ci", "title": title, "table": table_name, "label": label,
            "value": value, "low": low, "high": high, "unit": unit}


def figures(kind: str, period: str, authority: str, *, title, tables: list[dict], charts: list[dict],
            headline: list[dict], caveats: list, methodology: dict | None = None, trend: dict | None = None,
            ranking=None) -> dict:
    return {"kind": kind, "period": period, "authority": authority, "title": title, "tables": tables,
            "charts": charts, "trend": trend, "headline": headline, "methodology": methodology,
            "caveats": list(caveats), "ranking": ranking}


def table_named(frozen: dict, name: str) -> dict | None:
    return next((t for t in frozen.get("tables", []) if t["name"] == name), None)


NO_RANKING = _l("Operators are ranked only where their 95% CIs do not overlap; operators whose "
                "intervals overlap are shown as a group of comparable operators, in no order.")
