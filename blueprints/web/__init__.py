"""Web pages: public site, log-in, officer and operator portals, admin (HTML, Flask-WTF forms)."""
from flask import Flask


def register_web(app: Flask) -> None:
    # officer_*, portal_inspections and public_spot_checks add pages onto the officer, portal and
    # public blueprints (inspections, orders, penalties, campaigns): imported before registering.
    from blueprints.web import (  # noqa: F401
        admin,
        auth,
        obligations_officer,
        obligations_portal,
        obligations_public,
        officer,
        officer_campaigns,
        officer_inspections,
        officer_orders,
        officer_surveys,
        oversight,
        portal,
        portal_inspections,
        public,
        public_spot_checks,
    )
    from blueprints.web.obligations_shared import register_obligation_helpers
    from blueprints.web.templating import register_template_helpers

    for module in (public, auth, officer, officer_surveys, portal, admin, obligations_officer, obligations_portal,
                   obligations_public, oversight):
        app.register_blueprint(module.bp)
    from blueprints.web import published, publishing

    app.register_blueprint(published.bp)
    app.register_blueprint(published.open_data)
    app.register_blueprint(publishing.bp)
    register_template_helpers(app)
    register_obligation_helpers(app)
