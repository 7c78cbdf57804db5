"""Migration 0014: landlines stored with the old, one-digit-late split are re-split at their real
area code; every other stored phone is left as it was."""
import importlib.util
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import text

from supervision.extensions import db

MIGRATION = Path(__file__).parent.parent / "migrations/versions/0014_landline_area_codes.py"


@pytest.fixture(scope="module")
def migration():
    spec = importlib.util.spec_from_file_location("landline_area_codes", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_stored_phones_are_resplit_at_their_real_area_code(ctx, factory, migration):
    operator = factory.operator()
    stored = {"0101-2345678": "010-12345678",          # Beijing, as the old rule stored it
              "0215-5556666-801": "021-55556666-801",  # Shanghai, with an extension
              "0571-87654321": "0571-87654321",        # a four-digit area code was always right
              "021-5556666": "021-5556666",            # a seven-digit number was always right
              "13800138000": "13800138000", "": ""}    # a mobile; an erased phone
    ids = {}
    for phone in stored:
        complaint, _ = factory.complaint(operator)
        db.session.execute(text("UPDATE complaints SET complainant_phone = :phone WHERE id = :id"),
                           {"phone": phone, "id": complaint.id})
        ids[phone] = complaint.id
    db.session.commit()
    with db.engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        migration.upgrade()
    after = dict(db.session.execute(text("SELECT id, complainant_phone FROM complaints")).all())
    assert {phone: after[ids[phone]] for phone in stored} == stored
