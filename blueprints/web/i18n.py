"""Language choice. Pages: an explicit choice (cookie) wins, else the browser's Accept-Language, else
zh_CN. The API: Accept-Language, else English — for its error messages and for every text in its
answers alike (blueprints/errors.py api_language)."""
from urllib.parse import urlsplit

from flask import current_app, has_request_context, redirect, request, url_for
from werkzeug.wrappers import Response

from blueprints.errors import api_language

LANG_COOKIE = "lang"
LANG_COOKIE_DAYS = 365


def select_locale() -> str:
    if not has_request_context():
        return "en"  # jobs, CLI and logs: messages stay in English
    languages = current_app.config["LANGUAGES"]
    if request.path.startswith("/api/"):
        return api_language()
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def local_target(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (no open redirect to another host).

    Only a path is accepted: no scheme, no host, and not `//host` or `/\\host`, which
    browsers read as another host.
    """
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target[1:2] in ("/", "\\"):
        return None
    if any(ch in target for ch in "\r\n\t"):
        return None
    return target


def switch_language(lang: str | None, back_to: str | None) -> Response:
    """Remember the chosen language in a cookie and go back to the page the user was on."""
    response = redirect(local_target(back_to) or url_for("public.home"), code=303)
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(LANG_COOKIE, lang, max_age=LANG_COOKIE_DAYS * 24 * 3600, httponly=True,
                            samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
