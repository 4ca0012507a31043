"""Schema changes: each refused change names its place and reason; the plan's notes and sets;
relations and per-region results left without their region (cases found by mutation testing,
docs/mutation.md)."""

from __future__ import annotations

from typing import Any

import pytest

from postil.core.errors import InvalidError
from postil.core.schema import Schema, parse_schema
from postil.core.schema.evolution import diff_schemas, migrate_results


def make(*controls: dict[str, Any]) -> Schema:
    return parse_schema({"objects": [{"name": "image", "type": "image"}],
                         "controls": list(controls)})


def boxes(name: str, *labels: str) -> dict[str, Any]:
    return {"name": name, "type": "box", "to": "image", "labels": list(labels)}


def animal(*labels: str) -> dict[str, Any]:
    return {"name": "animal", "type": "choices", "to": "image", "labels": list(labels)}


RATING = {"name": "quality", "type": "rating", "to": "image"}
CATS = make(animal("Cat", "Dog"))


def problems(old: Schema, new: Schema, changes: list[Any]) -> list[dict[str, Any]]:
    with pytest.raises(InvalidError) as info:
        diff_schemas(old, new, changes)
    return list(info.value.errors)


OPS = ("op must be one of ['add_control', 'merge_labels', 'remove_control', 'rename_control', "
       "'rename_label', 'retire_label', 'split_label']")


@pytest.mark.parametrize(("changes", "expected"), [
    ([{"op": "explode"}, "not a change"],
     [{"loc": ["changes", 0, "op"], "msg": OPS}, {"loc": ["changes", 1, "op"], "msg": OPS}]),
    ([{"op": "rename_label", "control": "animal", "from": ["Cat"], "to": 5}],
     [{"loc": ["changes", 0, "from"], "msg": "from must be a string"},
      {"loc": ["changes", 0, "to"], "msg": "to must be a string"}]),
    ([{"op": "merge_labels", "control": "animal", "from": ["Cat", 1], "to": "Cat"}],
     [{"loc": ["changes", 0, "from"], "msg": "from must be a list of strings"}]),
])
def test_changes_of_the_wrong_shape(changes: list[Any], expected: list[dict[str, Any]]) -> None:
    assert problems(CATS, CATS, changes) == expected


def test_label_changes_name_the_field_at_fault() -> None:
    new = make(animal("Cat", "Kitten"))
    assert problems(CATS, new, [
        {"op": "retire_label", "control": "animal", "label": "Cat"},
        {"op": "rename_label", "control": "animal", "from": "Dog", "to": "Kitten"},
    ]) == [{"loc": ["changes", 0, "label"], "msg": "'Cat' still exists in the new schema"}]
    assert problems(CATS, make(animal("Cat", "Dog", "Pup")), [
        {"op": "split_label", "control": "animal", "from": "Dog", "into": ["Pup"]},
    ]) == [{"loc": ["changes", 0, "into"], "msg": "a split needs at least two new labels"}]
    assert problems(CATS, make(animal("Cat", "Pup", "Hound")), [
        {"op": "split_label", "control": "animal", "from": "Dog", "into": ["Pup", "Wolf"]},
    ]) == [{"loc": ["changes", 0, "into"],
            "msg": "'Wolf' is not a label of the control in the new schema"}]
    assert problems(CATS, make(animal("Cat", "Pup")), [
        {"op": "rename_label", "control": "animal", "from": "Dog", "to": "Puppy"},
    ])[0] == {"loc": ["changes", 0, "to"],
              "msg": "'Puppy' is not a label of the control in the new schema"}


def test_a_renamed_label_still_in_the_new_schema() -> None:
    new = make(animal("Cat", "Dog", "Hound"))
    assert problems(CATS, new, [
        {"op": "rename_label", "control": "animal", "from": "Dog", "to": "Hound"},
    ]) == [{"loc": ["changes", 0, "from"], "msg": "'Dog' still exists in the new schema"}]


def test_a_label_changed_twice_names_the_second_change() -> None:
    assert problems(CATS, make(animal("Cat")), [
        {"op": "retire_label", "control": "animal", "label": "Dog"},
        {"op": "retire_label", "control": "animal", "label": "Dog"},
    ]) == [{"loc": ["changes", 1, "label"],
            "msg": "label 'Dog' of 'animal' is changed by two operations"}]


@pytest.mark.parametrize(("old", "new", "control"), [
    (make(animal("Cat"), boxes("cars", "Car")), make(animal("Cat")), "cars"),
    (make(animal("Cat")), make(animal("Cat"), boxes("cars", "Car")), "cars"),
    (make(animal("Cat")), make(animal("Cat")), "ghost"),
])
def test_label_changes_on_a_control_that_is_not_kept(old: Schema, new: Schema,
                                                     control: str) -> None:
    found = problems(old, new, [
        {"op": "retire_label", "control": control, "label": "Car"},
    ])
    assert found[0] == {"loc": ["changes", 0, "control"],
                        "msg": f"'{control}' is not a control kept from the old schema"}


def test_control_changes_name_the_field_at_fault() -> None:
    old = make(animal("Cat"), boxes("cars", "Car"), RATING)
    new = make(animal("Cat"), boxes("vehicles", "Car"), RATING)
    assert problems(old, new, [
        {"op": "rename_control", "from": "ghost", "to": "vehicles"},
        {"op": "rename_control", "from": "cars", "to": "ghost"},
        {"op": "rename_control", "from": "cars", "to": "animal"},
        {"op": "rename_control", "from": "animal", "to": "vehicles"},
        {"op": "remove_control", "control": "animal"},
        {"op": "remove_control", "control": "ghost"},
        {"op": "add_control", "control": "quality"},
        {"op": "add_control", "control": "ghost"},
    ])[:8] == [
        {"loc": ["changes", 0, "from"], "msg": "'ghost' is not a control of the old schema"},
        {"loc": ["changes", 1, "to"], "msg": "'ghost' is not a control of the new schema"},
        {"loc": ["changes", 2], "msg": "renaming 'cars' to 'animal' collides with a kept control"},
        {"loc": ["changes", 3],
         "msg": "renaming 'animal' to 'vehicles' collides with a kept control"},
        {"loc": ["changes", 4, "control"],
         "msg": "'animal' must be in the old schema and not the new"},
        {"loc": ["changes", 5, "control"],
         "msg": "'ghost' must be in the old schema and not the new"},
        {"loc": ["changes", 6, "control"],
         "msg": "'quality' must be in the new schema and not the old"},
        {"loc": ["changes", 7, "control"],
         "msg": "'ghost' must be in the new schema and not the old"},
    ]


def test_a_rename_onto_a_control_only_the_old_schema_has() -> None:
    old = make(animal("Cat"), boxes("cars", "Car"), boxes("trucks", "Truck"))
    new = make(animal("Cat"), boxes("trucks", "Car"))
    assert problems(old, new, [
        {"op": "rename_control", "from": "cars", "to": "trucks"},
    ])[0] == {"loc": ["changes", 0],
              "msg": "renaming 'cars' to 'trucks' collides with a kept control"}


def test_controls_and_labels_left_without_an_operation_are_all_listed() -> None:
    old = make(boxes("cars", "Car"), animal("Cat", "Dog"), RATING)
    new = make(animal("Pet"), {**RATING, "type": "number"}, boxes("people", "Adult"))
    assert problems(old, new, [{"op": "remove_control", "control": "cars"}]) == [
        {"loc": ["changes"], "msg": "control 'quality' changes type rating -> number: "
                                    "remove it and add a new control instead"},
        {"loc": ["changes"], "msg": "control 'people' is new: add an add_control op"},
        {"loc": ["changes"], "msg": "label 'Cat' of 'animal' is gone without an operation"},
        {"loc": ["changes"], "msg": "label 'Dog' of 'animal' is gone without an operation"},
    ]
    assert problems(make(RATING, boxes("cars", "Car"), animal("Cat")), make(animal("Dog")), [
        {"op": "remove_control", "control": "quality"}]) == [
        {"loc": ["changes"],
         "msg": "control 'cars' is gone: add a remove_control or rename_control op"},
        {"loc": ["changes"], "msg": "label 'Cat' of 'animal' is gone without an operation"},
    ]


def test_labels_of_a_renamed_control_are_checked_under_its_new_name() -> None:
    old = make(animal("Cat"), boxes("cars", "Car", "Truck"))
    new = make(animal("Cat"), boxes("vehicles", "Car"))
    assert problems(old, new, [{"op": "rename_control", "from": "cars", "to": "vehicles"}]) == [
        {"loc": ["changes"], "msg": "label 'Truck' of 'cars' is gone without an operation"}]


def test_the_plan_and_its_notes() -> None:
    old = make(animal("Cat", "Kitten", "Dog", "Pet", "Fish"), boxes("cars", "Car"),
               boxes("trucks", "Truck"))
    new = make(animal("Cat", "Hound", "Bird", "Parrot", "Fish"), boxes("vehicles", "Car"),
               {**RATING, "required": True}, {**RATING, "name": "tone"})
    changes = [
        {"op": "merge_labels", "control": "animal", "from": ["Cat", "Kitten"], "to": "Cat"},
        {"op": "rename_label", "control": "animal", "from": "Dog", "to": "Hound"},
        {"op": "split_label", "control": "animal", "from": "Pet", "into": ["Bird", "Parrot"]},
        {"op": "rename_control", "from": "cars", "to": "vehicles"},
        {"op": "remove_control", "control": "trucks"},
        {"op": "add_control", "control": "quality"},
        {"op": "add_control", "control": "tone"},
    ]
    plan = diff_schemas(old, new, changes)
    assert plan.old is old and plan.new is new
    assert plan.control_names == {"animal": "animal", "cars": "vehicles"}
    assert plan.label_maps == {"animal": {"Cat": "Cat", "Kitten": "Cat", "Dog": "Hound"}}
    assert plan.relabel_labels == {"animal": frozenset({"Pet"})}
    assert plan.removed_controls == frozenset({"trucks"})
    assert plan.added_controls == frozenset({"quality", "tone"})
    assert plan.added_required == frozenset({"quality"})
    assert plan.notes == (
        "control 'cars' is renamed to 'vehicles'",
        "results of control 'trucks' are dropped",
        "animal: Cat, Kitten -> Cat",
        "animal: Dog -> Hound",
        "animal: results labelled 'Pet' need relabelling",
        "new required control 'quality': annotations need review",
    )


def test_retiring_notes_the_relabelling() -> None:
    plan = diff_schemas(CATS, make(animal("Cat")),
                        [{"op": "retire_label", "control": "animal", "label": "Dog"}])
    assert plan.notes == ("animal: results labelled 'Dog' need relabelling",)


def test_an_optional_new_control_needs_no_relabelling() -> None:
    plan = diff_schemas(CATS, make(animal("Cat", "Dog"), RATING),
                        [{"op": "add_control", "control": "quality"}])
    assert plan.added_required == frozenset()
    cat = {"id": "a", "control": "animal", "type": "choices", "value": {"choices": ["Cat"]}}
    assert migrate_results(plan, [cat]) == ([cat], False)


RELATION_SCHEMA = make(boxes("people", "Adult"), boxes("cars", "Car"),
                       {"name": "rel", "type": "relation", "to": ["people", "cars"]},
                       {"name": "note", "type": "textarea", "to": "image", "per_region": True})
WITHOUT_CARS = make(boxes("people", "Adult"),
                    {"name": "rel", "type": "relation", "to": ["people"]},
                    {"name": "note", "type": "textarea", "to": "image", "per_region": True})


def region(rid: str, control: str, label: str) -> dict[str, Any]:
    return {"id": rid, "control": control, "type": "box",
            "value": {"x": 0, "y": 0, "width": 1, "height": 1, "labels": [label]}}


def relation(rid: str, source: str, target: str) -> dict[str, Any]:
    return {"id": rid, "control": "rel", "type": "relation",
            "value": {"from_id": source, "to_id": target}}


def test_results_pointing_at_a_dropped_region_go_with_it_transitively() -> None:
    plan = diff_schemas(RELATION_SCHEMA, WITHOUT_CARS,
                        [{"op": "remove_control", "control": "cars"}])
    results = [
        region("car", "cars", "Car"),
        region("p1", "people", "Adult"),
        region("p2", "people", "Adult"),
        relation("r1", "car", "p1"),
        relation("r2", "p2", "car"),
        relation("r3", "p1", "p2"),
        {"id": "n1", "control": "note", "type": "textarea", "parent_id": "car",
         "value": {"text": ["a car"]}},
        {"id": "n2", "control": "note", "type": "textarea", "parent_id": "r1",
         "value": {"text": ["on a relation to a car"]}},
        {"id": "n3", "control": "note", "type": "textarea", "parent_id": "p1", "value": "odd"},
    ]
    migrated, relabel = migrate_results(plan, results)
    assert [r["id"] for r in migrated] == ["p1", "p2", "r3", "n3"]
    assert relabel is False


def test_results_the_plan_does_not_know_are_copied_unflagged() -> None:
    plan = diff_schemas(CATS, make(animal("Cat")),
                        [{"op": "retire_label", "control": "animal", "label": "Dog"}])
    unknown = {"id": "x", "control": "ghost", "type": "choices", "value": {"choices": ["Dog"]}}
    no_control = {"id": "y", "type": "choices", "value": {"choices": ["Dog"]}}
    no_labels = {"id": "z", "control": "animal", "type": "choices", "value": {"text": "Dog"}}
    not_a_dict = {"id": "w", "control": "animal", "type": "choices", "value": ["Dog"]}
    for result in (unknown, no_control, no_labels, not_a_dict):
        assert migrate_results(plan, [result]) == ([result], False)


def test_results_after_a_removed_controls_result_are_kept() -> None:
    old = make(animal("Cat"), boxes("cars", "Car"))
    plan = diff_schemas(old, make(animal("Cat")), [{"op": "remove_control", "control": "cars"}])
    cat = {"id": "a", "control": "animal", "type": "choices", "value": {"choices": ["Cat"]}}
    migrated, _ = migrate_results(plan, [region("c", "cars", "Car"), cat])
    assert migrated == [cat]
