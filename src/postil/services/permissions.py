"""Roles as data: one table (role x action -> allowed) drives every check and its tests."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    REVIEWER = "reviewer"
    ANNOTATOR = "annotator"


class Action(StrEnum):
    VIEW_PROJECT = "view_project"
    ANNOTATE = "annotate"
    VIEW_ALL_ANNOTATIONS = "view_all_annotations"
    REVIEW = "review"
    IMPORT_TASKS = "import_tasks"
    DELETE_TASKS = "delete_tasks"
    ADD_PREDICTIONS = "add_predictions"
    EXPORT = "export"
    EDIT_PROJECT = "edit_project"
    MANAGE_MEMBERS = "manage_members"
    DELETE_PROJECT = "delete_project"
    VIEW_AUDIT = "view_audit"


_ANNOTATOR = {Action.VIEW_PROJECT, Action.ANNOTATE}
_REVIEWER = _ANNOTATOR | {Action.VIEW_ALL_ANNOTATIONS, Action.REVIEW}
_MANAGER = _REVIEWER | {
    Action.IMPORT_TASKS,
    Action.DELETE_TASKS,
    Action.ADD_PREDICTIONS,
    Action.EXPORT,
    Action.EDIT_PROJECT,
    Action.MANAGE_MEMBERS,
    Action.VIEW_AUDIT,
}
_OWNER = _MANAGER | {Action.DELETE_PROJECT}

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.OWNER: frozenset(_OWNER),
    Role.MANAGER: frozenset(_MANAGER),
    Role.REVIEWER: frozenset(_REVIEWER),
    Role.ANNOTATOR: frozenset(_ANNOTATOR),
}


# Roles are ordered: each may do what the ones below it may, and nobody changes, removes or
# appoints a role above their own.
RANK: dict[Role, int] = {Role.ANNOTATOR: 0, Role.REVIEWER: 1, Role.MANAGER: 2, Role.OWNER: 3}


def is_allowed(role: Role, action: Action) -> bool:
    return action in PERMISSIONS[role]


def may_assign(role: Role, current: Role | None, new: Role | None) -> bool:
    """Whether a member managing with `role` may move someone from `current` to `new`
    (None: not a member), as far as rank goes; the last owner is kept separately."""
    return all(RANK[r] <= RANK[role] for r in (current, new) if r is not None)
