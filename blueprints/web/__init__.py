"""Web pages: public site, log-in, officer and operator portals, admin (HTML, Flask-WTF forms)."""
from flask import Flask


def register_web(app: Flask) -> None:
    from blueprints.web import (
        admin,
        auth,
        obligations_officer,
        obligations_portal,
        obligations_public,
        officer,
        officer_surveys,
        portal,
        public,
    )
    from blueprints.web.obligations_shared import register_obligation_helpers
    from blueprints.web.templating import register_template_helpers

    for module in (public, auth, officer, officer_surveys, portal, admin, obligations_officer, obligations_portal,
                   obligations_public):
        app.register_blueprint(module.bp)
    register_template_helpers(app)
    register_obligation_helpers(app)
