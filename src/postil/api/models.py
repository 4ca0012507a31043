"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from postil.core.ids import INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN

# Ids and versions the databases can hold: others are a 422 naming the field, not a 500
# (an unknown id in range is still a 404).
Id = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
Version = Annotated[int, Field(ge=INT32_MIN, le=INT32_MAX)]


def nul_path(value: Any) -> list[str | int] | None:
    """Where a text (key or value) holds U+0000, which PostgreSQL cannot store; else None.
    A loop, not recursion: bodies may nest as deep as the JSON parser allows."""
    stack: list[tuple[Any, list[str | int]]] = [(value, [])]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return path
        elif isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str) and "\x00" in key:
                    return [*path, key]
                stack.append((child, [*path, key]))
        elif isinstance(item, list):
            stack.extend((child, [*path, i]) for i, child in enumerate(item))
    return None


class Strict(BaseModel):
    """Bodies refuse unknown fields (no mass assignment), NaN/Infinity and NUL characters."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        found = nul_path(data)
        if found is not None:
            where = ".".join(str(part) for part in found) or "the body"
            raise ValueError(f"{where} contains a NUL character (U+0000)")
        return data


class ErrorItem(BaseModel):
    """One invalid place: `loc` is its path (body field, query name, file, record, line)."""

    loc: list[str | int]
    msg: str


class ErrorOut(BaseModel):
    """A refused request: `detail` says why; a 422 names each invalid place in `errors`."""

    detail: str
    errors: list[ErrorItem] = []
    current: dict[str, Any] | None = Field(
        default=None, description="a 409's current version of what the write was based on")


class LoginIn(Strict):
    username: str = Field(max_length=150)
    password: str = Field(max_length=1000)


class SignupIn(LoginIn):
    email: str | None = Field(default=None, max_length=254)


class UserCreate(SignupIn):
    is_admin: bool = False


class UserOut(BaseModel):
    id: int
    username: str
    email: str | None = None
    is_admin: bool
    is_active: bool = True


class UserBrief(BaseModel):
    """Another user as a non-administrator sees them: who, not how to reach them."""

    model_config = ConfigDict(extra="forbid")  # an admin's full record never fits this shape

    id: int
    username: str


class MeOut(UserOut):
    can_create_projects: bool


ProjectCreators = Literal["everyone", "admins"]


class InstanceSettingsOut(BaseModel):
    """Instance-wide settings an administrator changes at run time."""

    project_creators: ProjectCreators = Field(
        description="who may create projects: every user, or administrators only")


class InstanceSettingsUpdate(Strict):
    project_creators: ProjectCreators | None = None


class LoginOut(BaseModel):
    user: UserOut
    csrf_token: str


class TokenCreate(Strict):
    name: str = Field(default="token", max_length=100)


class TokenOut(BaseModel):
    id: int
    name: str
    token: str | None = None
    created_at: datetime | None = None


class ProjectCreate(Strict):
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=10_000)
    label_schema: dict[str, Any] | str | None = Field(default=None, alias="schema")
    template: str | None = Field(default=None, max_length=100)
    overlap: int = 1
    ordering: Literal["sequential", "random", "priority"] = "sequential"

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, populate_by_name=True)


class ProjectUpdate(Strict):
    name: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=10_000)
    overlap: int | None = None
    ordering: Literal["sequential", "random", "priority"] | None = None


class ProjectOut(BaseModel):
    id: int
    name: str
    description: str
    label_schema: dict[str, Any] = Field(alias="schema", serialization_alias="schema")
    schema_version: int
    overlap: int
    ordering: str
    task_count: int
    completed_count: int
    my_annotations: int
    role: str | None
    created_at: datetime
    updated_at: datetime

    model_config = ConfigDict(populate_by_name=True)


class SchemaChange(Strict):
    label_schema: dict[str, Any] | str = Field(alias="schema")
    changes: list[dict[str, Any]] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, populate_by_name=True)


class SchemaChangeOut(BaseModel):
    """The new version, how many annotations were rewritten and which tasks need relabeling
    (the first 1,000 ids; `relabel_tasks` counts them all)."""

    version: int
    migrated_annotations: int
    relabel_tasks: int
    relabel_task_ids: list[int]


class SchemaVersionOut(BaseModel):
    version: int
    label_schema: dict[str, Any] = Field(alias="schema", serialization_alias="schema")
    changes: list[dict[str, Any]]
    created_by: int | None
    created_at: datetime


class TemplateOut(BaseModel):
    name: str
    title: str
    description: str
    category: str


class FormatOut(BaseModel):
    name: str
    title: str
    extension: str
    media_type: str


class SchemaCheck(Strict):
    label_schema: dict[str, Any] | str = Field(alias="schema")

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, populate_by_name=True)


class LabelStudioConfig(Strict):
    xml: str = Field(max_length=1_000_000)


class MemberSet(Strict):
    username: str = Field(max_length=150)
    role: Literal["owner", "manager", "reviewer", "annotator"]


class MemberOut(BaseModel):
    user_id: int
    username: str
    role: str


class TaskOut(BaseModel):
    id: int
    project_id: int
    data: dict[str, Any]
    meta: dict[str, Any]
    external_id: str | None
    priority: float
    annotation_count: int
    is_completed: bool
    needs_relabel: bool
    created_at: datetime
    updated_at: datetime


class TaskRow(TaskOut):
    prediction_score: float | None = None
    skipped_count: int = Field(default=0, description="how many people skipped the task")


class TaskPage(BaseModel):
    items: list[TaskRow]
    next: str | None
    total: int = Field(description="the project's task count, whatever the filters")


class TaskCount(BaseModel):
    count: int = Field(description="tasks matching the filters, at most the cap")
    exact: bool = Field(description="false when counting stopped at the cap: there are more")


class QueueState(BaseModel):
    skipped: int = Field(description="tasks the caller skipped that are not completed yet")
    first_skipped: int | None = Field(description="the lowest id among them")


class DraftOut(BaseModel):
    task_id: int
    result: list[dict[str, Any]]
    lead_time: float
    base_version: int | None
    schema_version: int
    updated_at: datetime


class PredictionOut(BaseModel):
    id: int | None = None
    task_id: int
    model_version: str
    score: float | None
    result: list[dict[str, Any]]


class NextTaskOut(TaskOut):
    lease_expires_at: datetime
    draft: DraftOut | None
    predictions: list[PredictionOut]


class TaskDelete(Strict):
    ids: list[Id] = Field(min_length=1, max_length=10_000)


class TasksDeleted(BaseModel):
    deleted: int


class AnnotationCreate(Strict):
    result: list[dict[str, Any]]
    lead_time: float | None = Field(default=None, ge=0)
    prediction_id: Id | None = None


class AnnotationUpdate(Strict):
    result: list[dict[str, Any]]
    version: Version
    lead_time: float | None = Field(default=None, ge=0)


class DraftIn(Strict):
    result: list[dict[str, Any]]
    lead_time: float | None = Field(default=None, ge=0)
    base_version: Version | None = None


class AnnotationOut(BaseModel):
    id: int
    task_id: int
    project_id: int
    completed_by: int
    completed_by_username: str
    status: str
    result: list[dict[str, Any]]
    version: int
    schema_version: int
    lead_time: float
    prediction_id: int | None
    created_at: datetime
    updated_at: datetime


class HistoryOut(BaseModel):
    version: int
    status: str
    result: list[dict[str, Any]]
    schema_version: int
    lead_time: float
    changed_by: int | None
    created_at: datetime


class PredictionIn(Strict):
    result: list[dict[str, Any]]
    model_version: str = Field(default="", max_length=200)
    score: float | None = None


class ImportReport(BaseModel):
    import_id: int
    imported: int
    duplicates: int


class ImportFailure(BaseModel):
    message: str
    errors: list[ErrorItem] = []


class ImportOut(BaseModel):
    """One import's status: `error` says why a failed one imported nothing."""

    id: int
    project_id: int
    status: Literal["running", "completed", "failed"]
    source: str
    task_count: int
    duplicate_count: int
    error: ImportFailure | None = None
    created_by: int | None = None
    created_at: datetime
    finished_at: datetime | None = None


class UrlImport(Strict):
    url: str = Field(max_length=4096)


class AuditOut(BaseModel):
    id: int
    at: datetime
    user_id: int | None
    action: str
    project_id: int | None
    object_type: str | None
    object_id: str | None
    detail: dict[str, Any]
