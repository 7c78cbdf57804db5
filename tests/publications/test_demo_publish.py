"""`flask demo publish` (make run): survey imported, two quarters published with four-eyes, idempotent."""
from sqlalchemy import func, select

from supervision.extensions import db


def test_demo_publish_publishes_two_quarters_through_the_services_once(app, ctx, clock, monkeypatch):
    from supervision.demo import load_demo
    from supervision.publications import demo
    from supervision.publications.models import Publication
    from supervision.surveys.models import SurveyResponse

    monkeypatch.setattr(demo, "SURVEY_ROWS", 300)  # the real demo imports 9000 rows a quarter
    load_demo(clock.now(), echo=lambda *a: None)
    db.session.commit()
    lines = []
    demo.publish_demo_quarters(clock.now(), echo=lines.append)
    db.session.commit()
    published = db.session.scalars(select(Publication).where(Publication.status == "published")).all()
    assert {(p.kind, p.period) for p in published} == {(k, q) for k in demo.KINDS for q in ("2026Q2", "2026Q3")}
    assert all(p.prepared_by and p.approved_by and p.prepared_by != p.approved_by for p in published)
    assert all(p.files for p in published)
    surveyed = db.session.scalar(select(func.count()).select_from(SurveyResponse))
    assert surveyed == 600

    demo.publish_demo_quarters(clock.now(), echo=lines.append)  # a second run makes nothing
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Publication)) == len(published)
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == surveyed
    assert "0 complaints, 0 survey responses and 0 publications new" in lines[-1]
    home = app.test_client().get("/").get_data(as_text=True)
    assert "/publications/32/complaint-statistics/2026Q3/v1/" in home
