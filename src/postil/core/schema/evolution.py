"""Schema changes after annotation started: explicit operations, a checked plan, migration."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from postil.core.errors import InvalidError
from postil.core.schema.model import ControlSpec, Schema

Loc = list[str | int]

# op -> {key: expected type}; every key is required
OPERATIONS: dict[str, dict[str, type]] = {
    "rename_label": {"control": str, "from": str, "to": str},
    "merge_labels": {"control": str, "from": list, "to": str},
    "split_label": {"control": str, "from": str, "into": list},
    "retire_label": {"control": str, "label": str},
    "add_control": {"control": str},
    "remove_control": {"control": str},
    "rename_control": {"from": str, "to": str},
}


@dataclass(frozen=True)
class SchemaChangePlan:
    """What a schema change does to existing results. Control keys are old-schema names."""

    old: Schema
    new: Schema
    control_names: dict[str, str]  # kept controls: old name -> new name
    label_maps: dict[str, dict[str, str]]  # renames and merges: old label -> new label
    relabel_labels: dict[str, frozenset[str]]  # split or retired labels: results need a human
    removed_controls: frozenset[str]
    added_controls: frozenset[str]  # new-schema names
    added_required: frozenset[str]
    notes: tuple[str, ...] = field(default=())  # human-readable effects, for a confirmation page


@dataclass
class _Builder:
    old: Schema
    new: Schema
    problems: list[dict[str, Any]] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    added: set[str] = field(default_factory=set)
    label_maps: dict[str, dict[str, str]] = field(default_factory=dict)
    relabel: dict[str, set[str]] = field(default_factory=dict)
    touched: set[tuple[str, str]] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def fail(self, loc: Loc, msg: str) -> None:
        self.problems.append({"loc": loc, "msg": msg})


def _shape(index: int, change: Any, plan: _Builder) -> bool:
    loc: Loc = ["changes", index]
    if not isinstance(change, dict) or change.get("op") not in OPERATIONS:
        plan.fail([*loc, "op"], f"op must be one of {sorted(OPERATIONS)}")
        return False
    ok = True
    for key, kind in OPERATIONS[change["op"]].items():
        value: Any = change.get(key)
        if not isinstance(value, kind) or (
            isinstance(value, list) and not all(isinstance(item, str) for item in value)
        ):
            plan.fail(
                [*loc, key], f"{key} must be a {'list of strings' if kind is list else 'string'}"
            )
            ok = False
    return ok


def _control_op(index: int, change: dict[str, Any], plan: _Builder) -> None:
    loc: Loc = ["changes", index]
    op, old, new = change["op"], plan.old, plan.new
    if op == "rename_control":
        source, target = change["from"], change["to"]
        if old.control(source) is None:
            plan.fail([*loc, "from"], f"{source!r} is not a control of the old schema")
        elif new.control(target) is None:
            plan.fail([*loc, "to"], f"{target!r} is not a control of the new schema")
        elif new.control(source) is not None or old.control(target) is not None:
            plan.fail(loc, f"renaming {source!r} to {target!r} collides with a kept control")
        else:
            plan.renamed[source] = target
            plan.notes.append(f"control {source!r} is renamed to {target!r}")
    elif op == "remove_control":
        name = change["control"]
        if old.control(name) is None or new.control(name) is not None:
            plan.fail([*loc, "control"], f"{name!r} must be in the old schema and not the new")
        else:
            plan.removed.add(name)
            plan.notes.append(f"results of control {name!r} are dropped")
    elif op == "add_control":
        name = change["control"]
        if new.control(name) is None or old.control(name) is not None:
            plan.fail([*loc, "control"], f"{name!r} must be in the new schema and not the old")
        else:
            plan.added.add(name)


def _check_controls(plan: _Builder) -> None:
    for control in plan.old.controls:
        target = plan.renamed.get(control.name, control.name)
        counterpart = plan.new.control(target)
        if control.name in plan.removed:
            continue
        if counterpart is None:
            msg = f"control {control.name!r} is gone: add a remove_control or rename_control op"
            plan.fail(["changes"], msg)
        elif counterpart.type != control.type:
            msg = f"control {control.name!r} changes type {control.type} -> {counterpart.type}"
            plan.fail(["changes"], f"{msg}: remove it and add a new control instead")
    new_names = set(plan.renamed.values()) | plan.added
    for control in plan.new.controls:
        if plan.old.control(control.name) is None and control.name not in new_names:
            plan.fail(["changes"], f"control {control.name!r} is new: add an add_control op")


def _controls_of(change: dict[str, Any], plan: _Builder) -> tuple[str, ControlSpec, ControlSpec]:
    name = change["control"]
    back = {new: old for old, new in plan.renamed.items()}
    old_name = name if plan.old.control(name) is not None else back.get(name, name)
    old_spec = plan.old.control(old_name)
    new_spec = plan.new.control(plan.renamed.get(old_name, old_name))
    if old_spec is None or new_spec is None or old_name in plan.removed:
        raise LookupError(f"{name!r} is not a control kept from the old schema")
    return old_name, old_spec, new_spec


def _label_op(index: int, change: dict[str, Any], plan: _Builder) -> None:
    loc: Loc = ["changes", index]
    try:
        name, old, new = _controls_of(change, plan)
    except LookupError as exc:
        plan.fail([*loc, "control"], str(exc))
        return
    op = change["op"]
    key = "label" if op == "retire_label" else "from"
    # _shape already checked that these keys hold strings or lists of strings
    sources: list[str] = change[key] if op == "merge_labels" else [change[key]]
    for source in sources:
        if old.label(source) is None:
            plan.fail([*loc, key], f"{source!r} is not a label of {name!r} in the old schema")
            return
        if (name, source) in plan.touched:
            plan.fail([*loc, key], f"label {source!r} of {name!r} is changed by two operations")
            return
    plan.touched.update((name, source) for source in sources)
    targets: list[str] = (
        change["into"] if op == "split_label" else [change["to"]] if "to" in change else []
    )
    for target in targets:
        if new.label(target) is None:
            field_ = "into" if op == "split_label" else "to"
            plan.fail([*loc, field_], f"{target!r} is not a label of the control in the new schema")
            return
    _apply_label_op(op, name, sources, targets, new, loc, plan)


def _apply_label_op(
    op: str,
    name: str,
    sources: list[str],
    targets: list[str],
    new: ControlSpec,
    loc: Loc,
    plan: _Builder,
) -> None:
    if op in ("rename_label", "merge_labels"):
        target = targets[0]
        for source in sources:
            if source != target and new.label(source) is not None:
                plan.fail([*loc, "from"], f"{source!r} still exists in the new schema")
                return
            plan.label_maps.setdefault(name, {})[source] = target
        plan.notes.append(f"{name}: {', '.join(sources)} -> {target}")
    elif op == "split_label":
        if len(targets) < 2:
            plan.fail([*loc, "into"], "a split needs at least two new labels")
            return
        plan.relabel.setdefault(name, set()).add(sources[0])
        plan.notes.append(f"{name}: results labelled {sources[0]!r} need relabelling")
    else:
        if new.label(sources[0]) is not None:
            plan.fail([*loc, "label"], f"{sources[0]!r} still exists in the new schema")
            return
        plan.relabel.setdefault(name, set()).add(sources[0])
        plan.notes.append(f"{name}: results labelled {sources[0]!r} need relabelling")


def _check_labels(plan: _Builder) -> None:
    for control in plan.old.controls:
        target = plan.new.control(plan.renamed.get(control.name, control.name))
        if control.name in plan.removed or target is None:
            continue
        for label in control.labels:
            gone = target.label(label.value) is None
            if gone and (control.name, label.value) not in plan.touched:
                msg = f"label {label.value!r} of {control.name!r} is gone without an operation"
                plan.fail(["changes"], msg)


def diff_schemas(old: Schema, new: Schema, changes: list[dict[str, Any]]) -> SchemaChangePlan:
    """Check `changes` against both schemas and return the plan; InvalidError lists problems."""
    plan = _Builder(old, new)
    valid = [(i, c) for i, c in enumerate(changes) if _shape(i, c, plan)]
    for index, change in valid:
        if change["op"].endswith("_control"):
            _control_op(index, change, plan)
    for index, change in valid:
        if not change["op"].endswith("_control"):
            _label_op(index, change, plan)
    _check_controls(plan)
    _check_labels(plan)
    if plan.problems:
        raise InvalidError(f"{len(plan.problems)} problem(s) in the schema change", plan.problems)
    kept = {c.name: plan.renamed.get(c.name, c.name) for c in old.controls}
    added_required = frozenset(n for n in plan.added if (c := new.control(n)) and c.required)
    notes = plan.notes + [
        f"new required control {n!r}: annotations need review" for n in sorted(added_required)
    ]
    return SchemaChangePlan(
        old=old,
        new=new,
        control_names={k: v for k, v in kept.items() if k not in plan.removed},
        label_maps=plan.label_maps,
        relabel_labels={k: frozenset(v) for k, v in plan.relabel.items()},
        removed_controls=frozenset(plan.removed),
        added_controls=frozenset(plan.added),
        added_required=added_required,
        notes=tuple(notes),
    )


def _label_key(result: dict[str, Any]) -> str:
    return "choices" if result.get("type") == "choices" else "labels"


def _migrate_one(plan: SchemaChangePlan, result: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The result under the new schema, and whether a human must relabel it."""
    old_name = result.get("control")
    migrated = copy.deepcopy(result)
    if not isinstance(old_name, str) or old_name not in plan.control_names:
        return migrated, False
    migrated["control"] = plan.control_names[old_name]
    value = migrated.get("value")
    key = _label_key(result)
    if not isinstance(value, dict) or not isinstance(value.get(key), list):
        return migrated, False
    mapping = plan.label_maps.get(old_name, {})
    relabel = plan.relabel_labels.get(old_name, frozenset())
    labels: list[Any] = []
    for label in value[key]:
        new_label = mapping.get(label, label)
        if new_label not in labels:  # a merge can make two labels one
            labels.append(new_label)
    value[key] = labels
    return migrated, any(label in relabel for label in labels)


def _drop_orphans(results: list[dict[str, Any]], dropped: set[Any]) -> list[dict[str, Any]]:
    """Remove relations and per-region children whose region was dropped, transitively."""
    while True:
        keep = []
        for result in results:
            raw = result.get("value")
            value: dict[str, Any] = raw if isinstance(raw, dict) else {}
            refs = {result.get("parent_id"), value.get("from_id"), value.get("to_id")}
            if refs & dropped:
                dropped.add(result.get("id"))
            else:
                keep.append(result)
        if len(keep) == len(results):
            return keep
        results = keep


def migrate_results(
    plan: SchemaChangePlan, results: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], bool]:
    """Results rewritten for the new schema, and whether the annotation needs relabelling.

    Renamed and merged labels are rewritten; results using a split or retired label are kept
    unchanged but flag relabelling; results of removed controls, and relations or per-region
    texts that pointed at them, are dropped (the plan's notes say so). The input is not modified.
    """
    migrated: list[dict[str, Any]] = []
    dropped: set[Any] = set()
    needs_relabel = bool(plan.added_required)
    for result in results:
        if result.get("control") in plan.removed_controls:
            dropped.add(result.get("id"))
            continue
        new_result, relabel = _migrate_one(plan, result)
        needs_relabel = needs_relabel or relabel
        migrated.append(new_result)
    return _drop_orphans(migrated, dropped - {None}), needs_relabel
