"""`flask demo generate` (issue 10): bulk data with plausible distributions, readable by the officer API."""
from collections import Counter

from sqlalchemy import func, select

from supervision.complaints.models import Complaint, Deadline
from supervision.extensions import db
from supervision.surveys.models import SurveyResponse

N = 2000


def test_generate_writes_plausible_complaints_clocks_and_surveys(app, client, factory):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "generate", "--complaints", str(N), "--surveys", "4000"])
    assert result.exit_code == 0, result.output
    assert f"generated {N:,} complaints" in result.output
    db.session.remove()
    generated = select(Complaint).where(Complaint.description.like("%生成数据%"))
    complaints = db.session.scalars(generated).all()
    assert len(complaints) == N
    assert len({c.reference for c in complaints}) == N
    # Every complaint has its two clocks; running ones sit in the states the sweep leaves.
    clocks = db.session.execute(select(Deadline.clock, Deadline.state).where(
        Deadline.subject_id.in_([c.id for c in complaints]), Deadline.subject_type == "complaint")).all()
    assert Counter(clock for clock, _ in clocks) == {"acceptance": N, "answer": N}
    states = Counter(state for _, state in clocks)
    assert states["met"] > N and states["missed"] > 0 and states["pending"] + states["due_soon"] > 0
    # Distributions: every demo market gets complaints, big operators more; most are closed.
    statuses = Counter(c.status for c in complaints)
    assert 0.5 < statuses["closed"] / N < 0.95 and statuses["rejected"] > 0
    assert {c.province for c in complaints} == {"32", "33", "44"}
    categories = Counter(c.category for c in complaints)
    assert categories["billing"] > categories["network"] > 0
    per_operator = Counter(c.operator_id for c in complaints).most_common()
    assert per_operator[0][1] > 5 * per_operator[-1][1]
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 4000
    assert all(1 <= s <= 10 for s in db.session.scalars(select(SurveyResponse.satisfaction).limit(500)))

    # Read back through the officer API: the Jiangsu queue pages over generated complaints.
    officer = factory.officer("32")
    db.session.commit()
    page = client.get("/api/v1/complaints?province=32&limit=50", headers=factory.headers(officer))
    assert page.status_code == 200, page.json
    items = page.json["items"] if isinstance(page.json, dict) else page.json
    assert len(items) == 50
    detail = client.get(f"/api/v1/complaints/{items[0]['reference']}", headers=factory.headers(officer))
    assert detail.status_code == 200 and detail.json["province"] == "32"
