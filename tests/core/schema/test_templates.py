"""Built-in templates: all parse, labels and hotkeys unique, expected content present."""

from __future__ import annotations

import pytest

from postil.core.errors import NotFoundError
from postil.core.schema import parse_schema
from postil.core.schema.templates import get_template, list_templates

REQUIRED = {
    "image_classification",
    "object_detection",
    "instance_segmentation",
    "human_pose",
    "face_landmarks",
    "text_classification",
    "sentiment",
    "spam_filtering",
    "named_entities",
    "relation_extraction",
    "voice_command_classification",
    "audio_segmentation_transcripts",
    "video_object_tracking",
}
NAMES = [info.name for info in list_templates()]


def test_registry_lists_every_required_template() -> None:
    assert set(NAMES) >= REQUIRED
    for info in list_templates():
        assert info.title and info.description and info.category


@pytest.mark.parametrize("name", NAMES)
def test_template_parses_with_unique_labels_hotkeys_and_guidelines(name: str) -> None:
    schema = parse_schema(get_template(name))
    assert len(schema.guidelines) > 80
    hotkeys = [lab.hotkey.lower() for c in schema.controls for lab in c.labels if lab.hotkey]
    assert len(hotkeys) == len(set(hotkeys))
    for control in schema.controls:
        values = control.label_values()
        assert len(values) == len(set(values))
    assert parse_schema(schema.to_dict()) == schema


def test_get_template_returns_a_fresh_copy_without_metadata() -> None:
    first = get_template("sentiment")
    assert "template" not in first
    first["controls"].clear()
    assert get_template("sentiment")["controls"]


@pytest.mark.parametrize("name", ["nope", "../pyproject", "Sentiment", ""])
def test_unknown_template(name: str) -> None:
    with pytest.raises(NotFoundError):
        get_template(name)


def test_human_pose_is_the_coco_skeleton() -> None:
    skeleton = parse_schema(get_template("human_pose")).control("pose").skeleton
    assert skeleton is not None
    assert len(skeleton.points) == 17
    assert skeleton.points[0] == "nose" and skeleton.points[16] == "right_ankle"
    assert len(skeleton.edges) == 19
    # COCO's 1-based [16, 14] (left_ankle - left_knee) is 0-based (15, 13)
    assert (15, 13) in skeleton.edges
    for i, j in skeleton.flip:
        left, right = skeleton.points[i], skeleton.points[j]
        assert left.startswith("left_") and right == left.replace("left_", "right_")


def test_face_landmarks_has_68_points_along_contours() -> None:
    skeleton = parse_schema(get_template("face_landmarks")).control("landmarks").skeleton
    assert skeleton is not None
    assert len(skeleton.points) == 68
    assert skeleton.points[:2] == ["jaw_1", "jaw_2"]
    assert (41, 36) in skeleton.edges  # the right eye is a closed loop
    flips = {frozenset(pair) for pair in skeleton.flip}
    assert frozenset((0, 16)) in flips and frozenset((36, 45)) in flips


def test_per_region_transcripts_and_relations() -> None:
    audio = parse_schema(get_template("audio_segmentation_transcripts"))
    assert audio.control("transcript").per_region
    relations = parse_schema(get_template("relation_extraction")).control("relations")
    assert relations.type == "relation" and relations.to == ["entities"]
