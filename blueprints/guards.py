"""Input guards that apply to the whole app, before any handler runs."""
from flask import abort, request
from flask_smorest import abort as smorest_abort


def refuse_nul_characters():
    """Before every request: no text may contain U+0000 (API: 422 naming where it was; pages: 400).

    PostgreSQL cannot store or even compare it (the driver raises, a 500), and no real
    name, number or note contains it, so it is refused before any handler runs.
    """
    where = ("path" if "\x00" in request.path else None) or _nul_in_pairs(request.args) \
        or _nul_in_pairs(request.form) or _nul_in_json(request.get_json(silent=True))
    if where is None and any("\x00" in (f.filename or "") for f in request.files.values()):
        where = "file"
    if where is not None and not request.path.startswith("/api/"):
        abort(400, description=f"{where}: text must not contain the NUL character (U+0000).")
    if where is not None:
        smorest_abort(422, message=f"{where}: text must not contain the NUL character (U+0000).",
              errors={where: ["must not contain the NUL character (U+0000)"]})


def _nul_in_pairs(multidict) -> str | None:
    # A malformed multipart part can come back with a None name or value.
    return next((str(key) for key, value in multidict.items(multi=True) if "\x00" in f"{key}{value}"), None)


def _nul_in_json(value, where: str = "body") -> str | None:
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return None
    for key, item in items:
        inner = where if "\x00" in key else _nul_in_json(item, key if where == "body" else f"{where}.{key}")
        if inner:
            return inner
    return None
