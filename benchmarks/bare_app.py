"""The limit public intake is measured against: a Flask app on the same stack (Flask,
Flask-SQLAlchemy, the same engine hooks and database) whose endpoint parses the JSON body and
does one INSERT of a complaint row + COMMIT. Served by gunicorn as `benchmarks.bare_app:app`
with DATABASE_URL set, beside the real app."""
import itertools
import os
from datetime import UTC, date, datetime

from flask import Flask, request
from sqlalchemy import insert

import supervision.app  # noqa: F401  (the engine hooks: SQLite pragmas, BEGIN IMMEDIATE)
from supervision.complaints.models import Complaint
from supervision.extensions import db

_counter = itertools.count()


def create_bare_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, "hide_parameters": True}
    db.init_app(app)

    @app.post("/bare")
    def bare_insert():
        body = request.get_json()
        now = datetime.now(UTC)
        # Unique per process and request, within the column's 24 characters.
        reference = f"BARE-{os.getpid() % 100000:05d}-{next(_counter):09d}"
        db.session.execute(insert(Complaint.__table__), {
            "reference": reference, "access_code_hash": "x" * 64, "operator_id": body["operator_id"],
            "province": body["province"], "authority_code": body["province"], "category": body["category"],
            "subcategory": body["subcategory"], "description": body["description"], "request": body["request"],
            "operator_complaint_date": date.fromisoformat(body["operator_complaint_date"]),
            "operator_answer": body["operator_answer"], "event_date": date.fromisoformat(body["event_date"]),
            "disputed_months": [], "channel": "api", "received_at": now,
            "complainant_name": body["complainant"]["name"], "complainant_phone": body["complainant"]["phone"],
            "status": "submitted", "supervised": False, "created_at": now, "updated_at": now})
        db.session.commit()
        return {"reference": reference}, 201

    return app


app = create_bare_app() if "DATABASE_URL" in os.environ else None
