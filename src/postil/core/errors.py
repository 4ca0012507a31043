"""Domain errors: they carry meaning, never HTTP status codes (see api/errors.py)."""

from __future__ import annotations

from typing import Any


class PostilError(Exception):
    """Base of every domain error."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(PostilError):
    """The object does not exist, or the caller may not know that it does."""


class ForbiddenError(PostilError):
    """The caller may see the object but not do this to it."""


class UnauthenticatedError(PostilError):
    """No valid session or token."""


class ConflictError(PostilError):
    """The write was based on a stale version or breaks a uniqueness rule."""

    def __init__(self, message: str, current: Any = None) -> None:
        super().__init__(message)
        self.current = current


class TooLargeError(PostilError):
    """The input is over a configured limit."""


class ThrottledError(PostilError):
    """Too many tries (failed logins): the caller may try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InvalidError(PostilError):
    """The input breaks a rule; `errors` names each place: [{"loc": [...], "msg": str}]."""

    def __init__(self, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors if errors is not None else [{"loc": [], "msg": message}]
