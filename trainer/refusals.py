"""One shape for every refusal a user sees, and one way to finish a change.

A rule that says no raises a `Refused` subclass: a Chinese `message` for the person, the HTTP
`status` a JSON caller gets, a stable `code` for scripts and tests, and, for forms, the `field`
it concerns. Services raise it before they change anything and never commit; the request
finishes the change with :func:`unit_of_work` (trainer/web.py), which commits, or rolls back
and shows the message.

Pure module: no Flask, no database.
"""

from __future__ import annotations


class Refused(Exception):
    """A rule refused what the user asked for; nothing was changed."""

    status: int = 409
    code: str = "refused"

    def __init__(self, message: str, status: int | None = None, code: str | None = None,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        self.field = field

    def __str__(self) -> str:
        return self.message


class NotAllowed(Refused):
    """The person may not do this (trainer.auth.access.can said no)."""

    status = 403
    code = "forbidden"


class NotFound(Refused):
    """No such thing, or none the person may see (no hint which)."""

    status = 404
    code = "not_found"


class Invalid(Refused):
    """What was typed or sent breaks a rule of its own (too short, unknown choice...)."""

    status = 422
    code = "invalid"
