"""Errors a user can cause, raised by services and turned into HTTP answers by blueprints."""


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None, **extra):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.extra = extra


class ValidationFailed(DomainError):
    """Bad input: 422 with the field and the rule."""

    status = 422

    @classmethod
    def field(cls, field: str, message: str) -> "ValidationFailed":
        return cls(message, {field: [message]})


class NotFound(DomainError):
    """Missing, or outside the caller's scope: both answer 404 (no existence leak, SPEC §1)."""

    status = 404

    def __init__(self, message: str = "Not found"):
        super().__init__(message)


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    """An action not allowed in the record's current state (409)."""

    status = 409


class Unauthorized(DomainError):
    status = 401
