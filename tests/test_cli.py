"""Command line (SPEC §10): `users create` with the password on stdin, `jobs run`."""
import pytest
from sqlalchemy import func, select

from supervision.access.models import User
from supervision.audit import AuditEvent, events_of
from supervision.extensions import db
from supervision.jobruns import JobRun

PASSWORD = "Long-enough-pw-1"


@pytest.fixture
def cli(app, ctx):
    runner = app.test_cli_runner()

    def invoke(*args, password=PASSWORD):
        result = runner.invoke(args=["users", "create", *args, "--password-stdin"], input=f"{password}\n")
        db.session.remove()  # read what the command committed, not this session's cache
        return result
    return invoke


def user_named(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


@pytest.mark.parametrize(("args", "expected"), [
    (["--role", "admin"], {"role": "admin", "authority_code": None, "operator_id": None}),
    (["--role", "officer", "--authority", "32", "--credential", "JS-0042"],
     {"role": "officer", "authority_code": "32", "credential_no": "JS-0042", "is_publisher": False}),
    (["--role", "officer", "--authority", "CN", "--publisher", "--credential", "CN-7"],
     {"role": "officer", "authority_code": "CN", "is_publisher": True, "credential_no": "CN-7"}),
    (["--role", "oversight"], {"role": "oversight", "authority_code": None}),
])
def test_users_create_for_each_role(cli, args, expected):
    result = cli("newuser", *args)
    assert result.exit_code == 0, result.output
    assert "created" in result.output and "newuser" in result.output
    user = user_named("newuser")
    assert {key: getattr(user, key) for key in expected} == expected
    assert [e.action for e in events_of("user", user.id)] == ["create"]


def test_users_create_operator_staff_by_licence_number(cli, factory):
    operator = factory.operator()
    operator_id, licence_no = operator.id, operator.licence_no
    result = cli("staff", "--role", "operator", "--operator", licence_no)
    assert result.exit_code == 0, result.output
    assert user_named("staff").operator_id == operator_id


def test_password_is_read_from_stdin_and_hashed(cli, client):
    assert cli("reader", "--role", "oversight", password="Read-from-stdin-9").exit_code == 0
    stored = user_named("reader").password_hash
    assert stored.startswith("$argon2id$") and "Read-from-stdin-9" not in stored
    token = client.post("/api/v1/auth/token", json={"username": "reader", "password": "Read-from-stdin-9"})
    assert token.status_code == 200


@pytest.mark.parametrize(("args", "password", "message"), [
    (["--role", "superuser"], PASSWORD, "superuser"),
    (["--role", "officer", "--authority", "99"], PASSWORD, "authority"),
    (["--role", "officer"], PASSWORD, "authority"),
    (["--role", "oversight"], "short", "password"),
    (["--role", "oversight"], "", "password"),
    (["--role", "operator", "--operator", "NO-SUCH-LICENCE"], PASSWORD, "NO-SUCH-LICENCE"),
    (["--role", "operator"], PASSWORD, "operator"),
])
def test_bad_users_create_fails_clearly_and_creates_nothing(cli, args, password, message):
    before = user_count(), db.session.scalar(select(func.count()).select_from(AuditEvent))
    result = cli("baduser", *args, password=password)
    assert result.exit_code != 0
    assert message in result.output
    assert (user_count(), db.session.scalar(select(func.count()).select_from(AuditEvent))) == before
    assert user_named("baduser") is None


@pytest.mark.parametrize(("args", "field"), [
    (["u" * 81, "--role", "admin"], "username"),
    (["longcred", "--role", "officer", "--authority", "32", "--credential", "C" * 41], "credential"),
    (["longmail", "--role", "oversight", "--email", "m" * 200 + "@example.com"], "email"),
])
def test_values_longer_than_their_column_are_refused(cli, args, field):
    """On PostgreSQL these used to end in a driver traceback instead of a message."""
    result = cli(*args)
    assert result.exit_code == 1
    assert f"{field} must be at most" in result.output
    assert user_count() == 0


def test_duplicate_username_is_refused(cli):
    assert cli("twice", "--role", "admin").exit_code == 0
    original = user_named("twice").password_hash
    result = cli("twice", "--role", "oversight", password="Another-password-2")
    assert result.exit_code != 0 and "username" in result.output
    assert user_count() == 1
    assert user_named("twice").role == "admin" and user_named("twice").password_hash == original


def test_password_stdin_flag_is_required(app, ctx):
    result = app.test_cli_runner().invoke(args=["users", "create", "nopass", "--role", "admin"])
    assert result.exit_code != 0 and "--password-stdin" in result.output
    assert user_named("nopass") is None


def test_jobs_run_deadline_sweep_logs_an_ok_run(app, ctx):
    result = app.test_cli_runner().invoke(args=["jobs", "run", "deadline_sweep"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("deadline_sweep: ok")
    db.session.remove()
    runs = db.session.scalars(select(JobRun)).all()
    assert [(r.job, r.outcome) for r in runs] == [("deadline_sweep", "ok")]
    assert runs[0].finished_at is not None and runs[0].finished_at >= runs[0].started_at


def test_jobs_run_unknown_job_lists_the_known_ones(app, ctx):
    result = app.test_cli_runner().invoke(args=["jobs", "run", "nonsense"])
    assert result.exit_code != 0
    assert "deadline_sweep" in result.output and "operator_status_refresh" in result.output
    assert db.session.scalar(select(func.count()).select_from(JobRun)) == 0
