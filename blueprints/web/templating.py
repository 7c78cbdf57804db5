"""Template globals: current language, formatting helpers."""
from flask import Flask
from flask_babel import get_locale


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def inject_language():
        locale = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
        return {"lang": locale, "is_zh": locale.startswith("zh")}
