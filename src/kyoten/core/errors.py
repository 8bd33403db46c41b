"""Errors that services raise; the API, pages and commands turn them into answers."""

from __future__ import annotations


class DomainError(Exception):
    """A request the rules refuse. `field` names the input, `rule` the program rule (R-n)."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, rule: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.rule = rule

    @property
    def text(self) -> str:
        """The message as people read it: with the rule id first where a rule failed."""
        return f"{self.rule}: {self.message}" if self.rule else self.message

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{where}{self.text}"


class NotFound(DomainError):
    """Does not exist, or the user may not know it exists (both answer 404)."""

    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    """The thing is taken (e.g. an overlapping booking)."""

    status = 409
