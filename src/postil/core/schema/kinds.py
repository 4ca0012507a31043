"""The control kinds of a schema: which objects each labels and which options it takes."""

from __future__ import annotations

from dataclasses import dataclass

OBJECT_TYPES = ("image", "text", "audio", "video")
DIRECTIONS = ("right", "left", "bi")


@dataclass(frozen=True)
class ControlKind:
    """What a control type may point at, which options apply, and whether it draws regions."""

    objects: frozenset[str]
    options: frozenset[str] = frozenset()
    labels: str = "none"  # "none": no labels; "optional"; "required": at least one
    region: bool = False  # results are regions (carry labels; relations may link them)


_ANY = frozenset(OBJECT_TYPES)
_IMAGE = frozenset({"image"})

KINDS: dict[str, ControlKind] = {
    "choices": ControlKind(_ANY, frozenset({"multiple"}), labels="required"),
    "rating": ControlKind(_ANY, frozenset({"max"})),
    "number": ControlKind(_ANY, frozenset({"min", "max", "step"})),
    "textarea": ControlKind(_ANY, frozenset({"max_length", "per_region"})),
    "taxonomy": ControlKind(_ANY, frozenset({"taxonomy", "multiple"})),
    "box": ControlKind(frozenset({"image", "video"}), frozenset({"rotation"}), "optional", True),
    "polygon": ControlKind(_IMAGE, frozenset({"holes"}), "optional", True),
    "polyline": ControlKind(_IMAGE, frozenset(), "optional", True),
    "keypoints": ControlKind(_IMAGE, frozenset({"skeleton"}), "optional", True),
    "mask": ControlKind(_IMAGE, frozenset(), "optional", True),
    "span": ControlKind(frozenset({"text"}), frozenset(), "optional", True),
    # relation points at other controls, not objects: checked separately.
    "relation": ControlKind(frozenset(), frozenset({"directions"}), "optional"),
    "segment": ControlKind(frozenset({"audio", "video"}), frozenset(), "optional", True),
    "track": ControlKind(frozenset({"video"}), frozenset({"rotation"}), "optional", True),
}

CONTROL_TYPES = tuple(KINDS)
REGION_TYPES = tuple(name for name, kind in KINDS.items() if kind.region)
