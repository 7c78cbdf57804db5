"""A workflow as a table of steps, run by one `perform` (STYLE: workflow/).

Each `Step` names the roles that may take it, the states it starts from, the fields it
requires, its guards and its effect. `perform` is the only path that changes a workflow's
state: it answers the same way for every workflow — 403 for a role (or a person) that may
not act, 409 for a state the step does not start from or a guard that refuses, 422 for a
missing field — and writes the audit event. `allowed_actions` asks the same guards, so
pages offer exactly what will succeed.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from supervision.audit import Actor, record_event
from supervision.clock import local_date
from supervision.errors import Conflict, Forbidden, ValidationFailed
from supervision.i18n import _l

Guard = Callable[[object], object]  # record -> why not now (a message), or a falsy value


@dataclass(frozen=True)
class Step:
    """What an action needs and does."""

    roles: frozenset[str]
    from_states: frozenset[str]
    apply: Callable[["Context"], None]
    required: tuple[str, ...] = ()
    # Whether the note is shown to the outside party (the complainant's tracking page).
    public_note: bool = False
    # A condition beyond the state: returns why the action is not possible now (409), or None.
    blocked: Guard | None = None
    # A condition on the person: returns why this actor may not take it (403), e.g. four-eyes.
    refused_to: Callable[[Actor, object], object] | None = None
    # Taken only as the effect of another workflow's step (an order citing a finding), never
    # offered on a page or accepted from an action endpoint.
    internal: bool = False

    def refusal(self, record) -> object:
        return self.blocked(record) if self.blocked else None


@dataclass
class Context:
    """What a step's effect works with; `set` records before → after for the audit event."""

    record: object
    params: dict
    actor: Actor
    now: datetime
    today: date
    changes: dict = field(default_factory=dict)
    _calendar: object = None

    @property
    def calendar(self):
        """The working-day calendar, read from the database only by steps that need it."""
        if self._calendar is None:
            from supervision.workflow.deadlines import load_calendar

            self._calendar = load_calendar()
        return self._calendar

    def set(self, **values) -> None:
        for key, value in values.items():
            self.changes.setdefault(key, (getattr(self.record, key), value))
            setattr(self.record, key, value)


@dataclass(frozen=True)
class Workflow:
    """One kind of record's step table and how to run it."""

    name: str                                   # the noun in messages, translatable: _l("complaint")
    steps: dict[str, Step]
    role_of: Callable[[Actor, object], str | None]
    # The record's audit chain: (entity type, entity id).
    audit_key: Callable[[object], tuple[str, str]]
    # Takes the record's row lock (an action and the sweep never interleave on one record).
    lock: Callable[[object], None] = lambda record: None
    state_attr: str = "status"
    # Which parameter holds the action's note on the timeline, when not `note`.
    note_fields: dict[str, str] = field(default_factory=dict)
    # Runs after every step (notifications): (context, action, step).
    after: Callable[[Context, str, Step], None] | None = None

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self.steps)

    @property
    def public_actions(self) -> tuple[str, ...]:
        """The actions a page or an action endpoint may ask for."""
        return tuple(name for name, step in self.steps.items() if not step.internal)

    def state(self, record) -> str:
        return getattr(record, self.state_attr)


def allowed_actions(workflow: Workflow, record, role: str | None, actor: Actor | None = None) -> list[str]:
    """The actions `role` (and, where a step asks, this actor) can take on `record` now."""
    state = workflow.state(record)
    return [name for name, step in workflow.steps.items()
            if not step.internal and role in step.roles and state in step.from_states and not step.refusal(record)
            and not (actor and step.refused_to and step.refused_to(actor, record))]


def perform(workflow: Workflow, record, action: str, params: dict, actor: Actor, now: datetime,
            internal: bool = False):
    """Check role (403), state (409) and required fields (422), apply, and audit the change.

    `internal=True` is for services running a step as the effect of another (see Step.internal).
    """
    step = workflow.steps.get(action)
    if step is None or (step.internal and not internal):
        raise ValidationFailed.field("action", _l("unknown action %(action)s; actions: %(actions)s",
                                                  action=repr(action), actions=", ".join(workflow.public_actions)))
    # Two people acting at once: the second waits here and then judges the state the first left.
    workflow.lock(record)
    role = workflow.role_of(actor, record)
    _check_may_act(workflow, step, action, role, actor, record)
    _check_state(workflow, step, action, role, record)
    _check_required(step, action, params)
    ctx = Context(record, params, actor, now, local_date(now))
    step.apply(ctx)
    if hasattr(record, "updated_at"):
        record.updated_at = now
    entity_type, entity_id = workflow.audit_key(record)
    note = params.get(workflow.note_fields.get(action, "note")) or params.get("note")
    record_event(entity_type, entity_id, action, actor, now,
                 before={k: _plain(v[0]) for k, v in ctx.changes.items()},
                 after={k: _plain(v[1]) for k, v in ctx.changes.items()},
                 note=note, public_note=step.public_note)
    if workflow.after:
        workflow.after(ctx, action, step)
    return record


def _check_may_act(workflow: Workflow, step: Step, action: str, role, actor: Actor, record) -> None:
    if role not in step.roles:
        raise Forbidden(_l("The %(role)s role may not %(action)s this %(noun)s (allowed for: %(roles)s).",
                           role=actor.role, action=action.replace("_", " "), noun=workflow.name,
                           roles=", ".join(sorted(step.roles))))
    if step.refused_to and (why := step.refused_to(actor, record)):
        raise Forbidden(why)


def _check_state(workflow: Workflow, step: Step, action: str, role, record) -> None:
    state = workflow.state(record)
    if state not in step.from_states:
        allowed = allowed_actions(workflow, record, role)
        raise Conflict(_l("Cannot %(action)s this %(noun)s while it is %(state)s; allowed now: %(allowed)s.",
                          action=action, noun=workflow.name, state=state, allowed=", ".join(allowed) or "-"),
                       state=state, allowed=allowed)
    if refusal := step.refusal(record):
        raise Conflict(refusal, state=state, allowed=allowed_actions(workflow, record, role))


def _check_required(step: Step, action: str, params: dict) -> None:
    missing = {f: [_l("%(field)s is required for %(action)s", field=f, action=action)]
               for f in step.required if is_blank(params.get(f))}
    if missing:
        raise ValidationFailed(_l("Missing: %(fields)s", fields=", ".join(missing)), missing)


def is_blank(value) -> bool:
    # A reason or a reply of spaces tells the other party nothing: it is missing.
    return value is None or (isinstance(value, str) and not value.strip())


def _plain(value):
    return value.isoformat() if isinstance(value, date | datetime) else value
