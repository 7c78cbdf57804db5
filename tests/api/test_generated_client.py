"""An outside client built from the OpenAPI document alone (issue 11 item 7): openapi-python-client
generates a typed Python package from /api/v1/openapi.json, and a complaint's journey runs through
it against a real server — filed by the public, then listed, read, accepted, transferred, answered
by the operator, closed, and rated by the complainant with the access code. Every answer is parsed
into the generated models, so a field the document types wrongly (a date that is not a date, a
nested object that does not fit its schema) fails here.

openapi-python-client is a dev dependency (its requirements do not clash with the project's; see
`pip check`); it runs as `python -m openapi_python_client` of the test's own interpreter."""
import datetime
import importlib
import json
import subprocess
import sys

import pytest

from supervision.extensions import db

pytestmark = pytest.mark.slow
PACKAGE = "supervision_api_client"
PASSWORD = "Correct-horse-1"  # the factory's default


@pytest.fixture(scope="module")
def generated(app, tmp_path_factory):
    """The generated package, imported from a temporary directory."""
    workdir = tmp_path_factory.mktemp("generated-client")
    spec = workdir / "openapi.json"
    spec.write_text(json.dumps(app.test_client().get("/api/v1/openapi.json").json))
    config = workdir / "config.yml"
    config.write_text("post_hooks: []\n")  # no formatter run: the code is imported, not read
    result = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(spec), "--meta", "none",
         "--output-path", str(workdir / PACKAGE), "--config", str(config)],
        capture_output=True, text=True, timeout=120, cwd=workdir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Unable to parse" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(workdir))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(workdir))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def module(generated, name):
    return importlib.import_module(f"{generated.__name__}.{name}")


def test_a_complaint_journey_through_the_generated_client(generated, live_server, factory):
    models = module(generated, "models")
    auth = module(generated, "api.api_auth.issue_token")
    operator = factory.operator()
    operator_id = operator.id
    officer, staff = factory.officer("32").username, factory.user("operator", operator=operator).username
    db.session.commit()  # end the test's read transaction: SQLite would keep the server from writing

    def signed_in(username):
        token = auth.sync(client=generated.Client(base_url=live_server),
                          body=models.Credentials(username=username, password=PASSWORD))
        assert isinstance(token, models.TokenOut), token
        return generated.AuthenticatedClient(base_url=live_server, token=token.token)

    public, as_officer, as_staff = generated.Client(base_url=live_server), signed_in(officer), signed_in(staff)
    file_complaint = module(generated, "api.api_complaints.file_complaint")
    filed = file_complaint.sync(client=public, body=models.ComplaintIn(
        operator_id=operator_id, province="32", category=models.ComplaintInCategory.NETWORK,
        subcategory="coverage", description="No mobile signal at home since October.",
        request="Fix the coverage", operator_complaint_date=datetime.date(2026, 10, 20),
        operator_answer=models.ComplaintInOperatorAnswer.NONE, event_date=datetime.date(2026, 10, 1),
        complainant=models.ComplainantIn(name="王小明", phone="13800138000")))
    assert isinstance(filed, models.FiledOut), filed
    assert filed.status == "submitted"
    assert {d.clock for d in filed.deadlines} == {"acceptance", "answer"}
    assert all(isinstance(d.due, datetime.date) for d in filed.deadlines)
    reference = filed.reference

    page = module(generated, "api.api_complaints.list_complaints").sync(client=as_officer)
    assert isinstance(page, models.ComplaintPage)
    assert [item.reference for item in page.items] == [reference]

    record = module(generated, "api.api_complaints.get_complaint").sync(reference, client=as_officer)
    assert isinstance(record, models.ComplaintOut), record
    assert isinstance(record.complainant, models.ComplainantOut) and record.complainant.name == "王小明"
    assert isinstance(record.received_at, datetime.datetime)
    acceptance = next(d for d in record.deadlines if d.clock == "acceptance")
    assert isinstance(acceptance, models.ComplaintDeadlineOut)
    assert isinstance(acceptance.explanation, models.DueExplanationOut)
    assert acceptance.explanation.due == acceptance.due
    assert record.allowed_actions and "accept" in record.allowed_actions

    act = module(generated, "api.api_complaints.perform_complaint_action")
    Action = models.PerformComplaintActionAction

    def perform(client, action, **body):
        answer = act.sync(reference, Action(action), client=client, body=models.ActionIn(**body))
        assert isinstance(answer, models.ComplaintOut), answer
        return answer

    assert perform(as_officer, "accept", note="materials complete").status == "accepted"
    transferred = perform(as_officer, "transfer", note="Call the complainant back within 2 days.")
    assert (transferred.status, transferred.transfer_note) == ("transferred",
                                                               "Call the complainant back within 2 days.")
    replied = perform(as_staff, "operator_reply", reply="A new cell site covers the street since 1 Dec.")
    assert replied.status == "operator_replied"
    assert replied.complainant.name != "王小明"  # operator staff see the name masked
    closed = perform(as_officer, "close", outcome=models.ActionInOutcome.RESOLVED)
    assert (closed.status, closed.outcome) == ("closed", "resolved")

    rated = perform(public, "rate", access_code=filed.access_code, score=5, comment="Fixed")
    assert isinstance(rated.rating, models.RatingOut) and (rated.rating.score, rated.rating.comment) == (5, "Fixed")
    assert [e.action for e in rated.timeline] == ["submit", "accept", "transfer", "operator_reply", "close", "rate"]
    assert all(isinstance(e, models.TimelineEntryOut) and isinstance(e.at, datetime.datetime) for e in rated.timeline)

    # A refusal parses into the documented error: the state and the actions allowed in it.
    refused = act.sync(reference, Action.ACCEPT, client=as_officer, body=models.ActionIn())
    assert isinstance(refused, models.Error) and refused.code == 409
    assert refused.state == "closed" and "accept" not in refused.allowed
