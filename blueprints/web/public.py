from flask import Blueprint, jsonify
from sqlalchemy import text

from supervision.extensions import db

bp = Blueprint("public", __name__)


@bp.get("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
