"""Export format registry: one class per format, registered by a decorator."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, BinaryIO, ClassVar, Protocol, TypeVar

from postil.core.errors import InvalidError
from postil.core.records import ExportTask


@dataclass(frozen=True, slots=True)
class ExportContext:
    """What a format may know besides the tasks: the schema as a plain dict (architecture.md)."""

    schema: dict[str, Any]
    project_title: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ExportReport:
    """Outcome of one export: tasks written and, per task, what was left out and why."""

    exported: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)

    def skip(self, task_id: int, reason: str) -> None:
        self.skipped.append({"task_id": task_id, "reason": reason})


class ExportFormat(Protocol):
    """A format streams tasks to `out`; it never holds the whole list."""

    name: ClassVar[str]
    title: ClassVar[str]
    extension: ClassVar[str]
    media_type: ClassVar[str]
    kinds: ClassVar[frozenset[str] | None]

    def write(
        self, tasks: Iterable[ExportTask], out: BinaryIO, context: ExportContext
    ) -> ExportReport: ...


@dataclass(frozen=True, slots=True)
class FormatInfo:
    """Registry entry; `kinds` is the set of control kinds exported (None: all of them)."""

    name: str
    title: str
    extension: str
    media_type: str
    kinds: frozenset[str] | None
    factory: Callable[[], ExportFormat]


_FORMATS: dict[str, FormatInfo] = {}
T = TypeVar("T")


def register_format(
    name: str, title: str, extension: str, media_type: str, kinds: set[str] | None = None
) -> Callable[[type[T]], type[T]]:
    """Class decorator registering an export format under `name` (must be unique)."""

    def decorate(cls: type[T]) -> type[T]:
        if name in _FORMATS:
            raise ValueError(f"export format {name!r} registered twice")
        frozen = frozenset(kinds) if kinds is not None else None
        for attr, value in (
            ("name", name),
            ("title", title),
            ("extension", extension),
            ("media_type", media_type),
            ("kinds", frozen),
        ):
            setattr(cls, attr, value)
        # The loop above gives cls the ClassVars of ExportFormat; mypy cannot see setattr.
        _FORMATS[name] = FormatInfo(name, title, extension, media_type, frozen, cls)  # type: ignore[arg-type]
        return cls

    return decorate


def get_format(name: str) -> ExportFormat:
    """A fresh instance of the format registered as `name`; unknown names are InvalidError."""
    info = _FORMATS.get(name)
    if info is None:
        known = ", ".join(sorted(_FORMATS))
        raise InvalidError(
            f"unknown export format {name!r}; known: {known}",
            errors=[{"loc": ["format"], "msg": f"unknown format, known: {known}"}],
        )
    return info.factory()


def list_formats() -> list[FormatInfo]:
    """Every registered format, sorted by name."""
    return [_FORMATS[name] for name in sorted(_FORMATS)]
