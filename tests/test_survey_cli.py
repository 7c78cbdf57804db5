"""`flask surveys generate` (deterministic demo data) and `flask surveys import` (all or nothing)."""
from sqlalchemy import func, select

from supervision.audit import events_of
from supervision.demo import load_demo
from supervision.extensions import db
from supervision.surveys import services
from supervision.surveys.models import SurveyImport, SurveyResponse


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["surveys", *args])
    db.session.remove()  # read what the command committed
    return result


def test_generate_is_deterministic(app, ctx, tmp_path):
    first, second, other = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    assert run(app, "generate", str(first), "--rows", "500", "--period", "2026Q3").exit_code == 0
    run(app, "generate", str(second), "--rows", "500", "--period", "2026Q3")
    run(app, "generate", str(other), "--rows", "500", "--period", "2026Q3", "--seed", "7")
    assert first.read_bytes() == second.read_bytes() != other.read_bytes()
    assert len(first.read_text().splitlines()) == 501
    assert run(app, "generate", str(first), "--period", "2026-3").exit_code != 0


def test_the_demo_survey_imports_once_and_gives_a_realistic_index(app, ctx, clock, tmp_path):
    load_demo(clock.now(), echo=lambda *args: None)
    db.session.commit()
    path = tmp_path / "demo.csv"
    run(app, "generate", str(path), "--rows", "6000", "--period", "2026Q3")
    result = run(app, "import", str(path))
    assert result.exit_code == 0, result.output
    assert "imported 6000 rows" in result.output
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 6000
    survey_import = db.session.scalar(select(SurveyImport))
    assert [e.action for e in events_of("survey_import", survey_import.id)] == ["imported"]

    again = run(app, "import", str(path))
    assert again.exit_code == 1
    assert "line 2, respondent_id: respondent id" in again.output and "nothing imported: 6000 error(s)" in again.output
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 6000

    method = services.method_of(services.current_methodology())
    from supervision.access.models import User
    national = db.session.scalar(select(User).where(User.username == "officer.cn"))
    cells = services.index_cells("2026Q3", national, method)
    shown = [c.figures for c in cells if not c.figures.suppressed]
    assert shown and all(55 < f.index < 85 and 0.3 < f.satisfaction_rate < 0.95 for f in shown)
    assert any(c.figures.suppressed for c in cells)  # small operators' cells fall under n = 100


def test_import_as_an_officer_is_limited_to_the_jurisdiction(app, ctx, clock, tmp_path):
    load_demo(clock.now(), echo=lambda *args: None)
    db.session.commit()
    path = tmp_path / "demo.csv"
    run(app, "generate", str(path), "--rows", "300", "--period", "2026Q3")
    result = run(app, "import", str(path), "--officer", "officer.js")
    assert result.exit_code == 1 and "outside your jurisdiction" in result.output
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0
