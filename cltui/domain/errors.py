"""The two ways an operation says no: bad input (`Invalid`) and a refused action (`Refused`)."""

from __future__ import annotations


class Invalid(ValueError):
    """Input that cannot be accepted; the message names the field and what is wrong."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class Refused(Exception):
    """A well-formed request that the current state does not allow (acking a resolved alert)."""


class NotFound(Refused):
    """The request names something that does not exist."""
