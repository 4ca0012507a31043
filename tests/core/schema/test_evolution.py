"""Schema evolution: checked change operations and migrated results."""

from __future__ import annotations

from typing import Any

import pytest

from postil.core.errors import InvalidError
from postil.core.schema import Schema, parse_schema
from postil.core.schema.evolution import diff_schemas, migrate_results


def schema(
    animal: list[str],
    *,
    boxes: list[str] | None = None,
    extra: bool = False,
    box_name: str = "boxes",
) -> Schema:
    controls: list[dict[str, Any]] = [
        {"name": "animal", "type": "choices", "to": "image", "labels": animal, "multiple": True},
    ]
    if boxes is not None:
        controls.append({"name": box_name, "type": "box", "to": "image", "labels": boxes})
        controls.append({"name": "rel", "type": "relation", "to": [box_name]})
    if extra:
        controls.append({"name": "quality", "type": "rating", "to": "image", "required": True})
    return parse_schema({"objects": [{"name": "image", "type": "image"}], "controls": controls})


def choice(rid: str, *labels: str) -> dict[str, Any]:
    return {
        "id": rid,
        "control": "animal",
        "object": "image",
        "type": "choices",
        "value": {"choices": list(labels)},
    }


def box(rid: str, label: str, control: str = "boxes") -> dict[str, Any]:
    return {
        "id": rid,
        "control": control,
        "object": "image",
        "type": "box",
        "value": {"x": 1, "y": 1, "width": 2, "height": 2, "labels": [label]},
    }


def test_rename_label_rewrites_results_without_mutating_input() -> None:
    plan = diff_schemas(
        schema(["Cat", "Dog"]),
        schema(["Kitten", "Dog"]),
        [{"op": "rename_label", "control": "animal", "from": "Cat", "to": "Kitten"}],
    )
    results = [choice("a", "Cat", "Dog")]
    migrated, relabel = migrate_results(plan, results)
    assert migrated[0]["value"]["choices"] == ["Kitten", "Dog"]
    assert results[0]["value"]["choices"] == ["Cat", "Dog"]
    assert relabel is False


def test_merge_labels_deduplicates() -> None:
    plan = diff_schemas(
        schema(["Cat", "Kitten", "Dog"]),
        schema(["Cat", "Dog"]),
        [{"op": "merge_labels", "control": "animal", "from": ["Cat", "Kitten"], "to": "Cat"}],
    )
    migrated, relabel = migrate_results(plan, [choice("a", "Kitten", "Cat"), choice("b", "Dog")])
    assert [r["value"]["choices"] for r in migrated] == [["Cat"], ["Dog"]]
    assert not relabel


def test_split_label_flags_relabel_only_when_used() -> None:
    plan = diff_schemas(
        schema(["Pet", "Bird"]),
        schema(["Cat", "Dog", "Bird"]),
        [{"op": "split_label", "control": "animal", "from": "Pet", "into": ["Cat", "Dog"]}],
    )
    assert migrate_results(plan, [choice("a", "Bird")]) == ([choice("a", "Bird")], False)
    migrated, relabel = migrate_results(plan, [choice("a", "Pet")])
    assert relabel and migrated == [choice("a", "Pet")]


def test_retire_label_flags_relabel() -> None:
    plan = diff_schemas(
        schema(["Cat", "Dog"]),
        schema(["Cat"]),
        [{"op": "retire_label", "control": "animal", "label": "Dog"}],
    )
    assert migrate_results(plan, [choice("a", "Dog")])[1] is True
    assert migrate_results(plan, [choice("a", "Cat")])[1] is False
    assert any("Dog" in note for note in plan.notes)


def test_remove_control_drops_its_results_and_relations_to_them() -> None:
    old, new = schema(["Cat"], boxes=["Car"]), schema(["Cat"])
    plan = diff_schemas(
        old,
        new,
        [{"op": "remove_control", "control": "boxes"}, {"op": "remove_control", "control": "rel"}],
    )
    relation = {
        "id": "r",
        "control": "rel",
        "type": "relation",
        "value": {"from_id": "b1", "to_id": "b2"},
    }
    transcript = {
        "id": "t",
        "control": "animal",
        "object": "image",
        "type": "choices",
        "parent_id": "b1",
        "value": {"choices": ["Cat"]},
    }
    results = [choice("a", "Cat"), box("b1", "Car"), box("b2", "Car"), relation, transcript]
    migrated, relabel = migrate_results(plan, results)
    assert [r["id"] for r in migrated] == ["a"]
    assert not relabel
    assert "results of control 'boxes' are dropped" in plan.notes


def test_rename_control_and_its_labels_in_one_change() -> None:
    old = schema(["Cat"], boxes=["Car", "Truck"])
    new = schema(["Cat"], boxes=["Automobile", "Truck"], box_name="vehicles")
    plan = diff_schemas(
        old,
        new,
        [
            {"op": "rename_control", "from": "boxes", "to": "vehicles"},
            {"op": "rename_label", "control": "vehicles", "from": "Car", "to": "Automobile"},
        ],
    )
    migrated, _ = migrate_results(plan, [box("b", "Car")])
    assert migrated[0]["control"] == "vehicles"
    assert migrated[0]["value"]["labels"] == ["Automobile"]


def test_added_required_control_needs_relabel() -> None:
    plan = diff_schemas(
        schema(["Cat"]), schema(["Cat"], extra=True), [{"op": "add_control", "control": "quality"}]
    )
    assert plan.added_required == {"quality"}
    assert migrate_results(plan, [choice("a", "Cat")])[1] is True


@pytest.mark.parametrize(
    ("old", "new", "changes", "fragment"),
    [
        (["Cat"], ["Kitten"], [], "'Cat' of 'animal' is gone without an operation"),
        (
            ["Cat"],
            ["Kitten"],
            [{"op": "rename_label", "control": "animal", "from": "Cat", "to": "Kiten"}],
            "not a label of the control in the new schema",
        ),
        (
            ["Cat"],
            ["Cat", "Kitten"],
            [{"op": "rename_label", "control": "animal", "from": "Cat", "to": "Kitten"}],
            "still exists",
        ),
        (
            ["Cat"],
            ["Kitten"],
            [{"op": "rename_label", "control": "animal", "from": "Dog", "to": "Kitten"}],
            "not a label of 'animal' in the old schema",
        ),
        (
            ["Cat"],
            ["Cat"],
            [{"op": "rename_label", "control": "ghost", "from": "a", "to": "b"}],
            "not a control kept",
        ),
        (
            ["Pet"],
            ["Cat"],
            [{"op": "split_label", "control": "animal", "from": "Pet", "into": ["Cat"]}],
            "at least two",
        ),
        (["Cat"], ["Cat"], [{"op": "explode"}], "op must be one of"),
        (
            ["Cat"],
            ["Cat"],
            [{"op": "merge_labels", "control": "animal", "from": "Cat", "to": "Cat"}],
            "list of strings",
        ),
        (
            ["Cat", "Dog"],
            ["Pet"],
            [
                {"op": "merge_labels", "control": "animal", "from": ["Cat", "Dog"], "to": "Pet"},
                {"op": "retire_label", "control": "animal", "label": "Dog"},
            ],
            "changed by two operations",
        ),
    ],
)
def test_invalid_changes(
    old: list[str], new: list[str], changes: list[dict[str, Any]], fragment: str
) -> None:
    with pytest.raises(InvalidError) as info:
        diff_schemas(schema(old), schema(new), changes)
    assert any(fragment in e["msg"] for e in info.value.errors), info.value.errors


def test_control_changes_must_be_explicit() -> None:
    with pytest.raises(InvalidError) as info:
        diff_schemas(schema(["Cat"], boxes=["Car"]), schema(["Cat"], extra=True), [])
    messages = " ".join(e["msg"] for e in info.value.errors)
    assert "control 'boxes' is gone" in messages
    assert "control 'quality' is new" in messages


def test_control_type_change_is_refused() -> None:
    old = parse_schema(
        {
            "objects": [{"name": "t", "type": "text"}],
            "controls": [{"name": "c", "type": "rating", "to": "t"}],
        }
    )
    new = parse_schema(
        {
            "objects": [{"name": "t", "type": "text"}],
            "controls": [{"name": "c", "type": "number", "to": "t"}],
        }
    )
    with pytest.raises(InvalidError, match="problem"):
        diff_schemas(old, new, [])
