"""Many clients filing at once against a real threaded server (SPEC §9, issue 14): every answer
is 201, or 503 with Retry-After when the database stayed busy — never a 500 — and every 201
can be read back afterwards. Runs on SQLite (a file) and on PostgreSQL (TEST_DATABASE_URL)."""
import os
import threading
from collections import Counter

import pytest
import requests
from sqlalchemy import func, select

from supervision.complaints.models import Complaint
from supervision.extensions import db

pytestmark = pytest.mark.slow
# 16 clients as in the issue; 200 intakes each takes minutes on a shared 2-core CI machine,
# so CI files 16 × 25 (400 at once); INTAKE_STRESS_PER_CLIENT=200 runs the full figure.
CLIENTS = 16
PER_CLIENT = int(os.environ.get("INTAKE_STRESS_PER_CLIENT", 25))


def test_sixteen_clients_filing_at_once_get_201_or_503_never_500(app, factory, live_server):
    body = factory.complaint_body(factory.operator())
    db.session.commit()
    answers: list[tuple[int, str | None, dict]] = []
    lock, barrier = threading.Lock(), threading.Barrier(CLIENTS)

    def client():
        with requests.Session() as http:
            barrier.wait(timeout=30)
            for _ in range(PER_CLIENT):
                response = http.post(f"{live_server}/api/v1/complaints", json=body, timeout=120)
                with lock:
                    answers.append((response.status_code, response.headers.get("Retry-After"),
                                    response.json()))

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    statuses = Counter(status for status, _, _ in answers)
    print(f"\n{CLIENTS}×{PER_CLIENT} intakes on {db.engine.dialect.name}: answers by status {dict(statuses)}")
    assert sum(statuses.values()) == CLIENTS * PER_CLIENT
    assert set(statuses) <= {201, 503}
    assert all(retry and int(retry) > 0 and json["code"] == 503 for status, retry, json in answers if status == 503)
    filed = {json["reference"]: json["access_code"] for status, _, json in answers if status == 201}
    assert len(filed) == statuses[201]
    db.session.expire_all()
    stored = set(db.session.scalars(select(Complaint.reference)))
    assert stored == set(filed)
    print(f"complaints found afterwards: {len(stored)} of {statuses[201]} answered 201")
    with requests.Session() as http:
        for reference, code in list(filed.items()):
            tracked = http.get(f"{live_server}/api/v1/complaints/{reference}", params={"access_code": code})
            assert tracked.status_code == 200 and tracked.json()["reference"] == reference
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == statuses[201]
