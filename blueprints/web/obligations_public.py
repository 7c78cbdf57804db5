"""The public directory's page of an operator's filed format clauses [M 15]."""
from flask import Blueprint, render_template

from supervision.access.scoping import load_in_scope
from supervision.obligations.clauses import published_clauses
from supervision.operators.models import Operator

bp = Blueprint("public_obligations", __name__)


@bp.get("/operators/<id:operator_id>/format-clauses")
def format_clauses(operator_id: int):
    # The public scope: active operators only (another id answers 404).
    operator = load_in_scope(Operator, None, id=operator_id)
    return render_template("obligations/public_clauses.html", operator=operator,
                           clauses=published_clauses(operator.id))
