"""Public pages of published spot-check results [M 8]: operators with results, and each
operator's results with every published version (corrections keep their history)."""
from flask import abort, render_template

from blueprints.web.public import bp
from supervision.extensions import db
from supervision.inspections import results
from supervision.operators.models import Operator


@bp.get("/spot-checks")
def spot_checks():
    return render_template("public/spot_checks.html", operators=results.operators_with_results())


@bp.get("/spot-checks/<id:operator_id>")
def spot_checks_of_operator(operator_id: int):
    operator = db.session.get(Operator, operator_id)
    found = results.results_of_operator(operator) if operator else []
    if not found:
        abort(404)
    return render_template("public/spot_check_operator.html", operator=operator, results=found)


@bp.get("/campaigns/<id:campaign_id>")
def campaign(campaign_id: int):
    """The public verification page of a 双随机 draw: frame, hashes, seed, weights, result."""
    from supervision.inspections.campaigns import public_view
    from supervision.inspections.models import Campaign

    found = db.session.get(Campaign, campaign_id)
    if found is None:
        abort(404)
    return render_template("public/campaign.html", c=public_view(found))
