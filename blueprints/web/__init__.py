"""Web pages: public site, log-in, officer and operator portals, admin (HTML, Flask-WTF forms)."""
from flask import Flask


def register_web(app: Flask) -> None:
    from blueprints.web import admin, auth, officer, officer_surveys, portal, public
    from blueprints.web.templating import register_template_helpers

    for module in (public, auth, officer, officer_surveys, portal, admin):
        app.register_blueprint(module.bp)
    from blueprints.web import published, publishing

    app.register_blueprint(published.bp)
    app.register_blueprint(published.open_data)
    app.register_blueprint(publishing.bp)
    register_template_helpers(app)
