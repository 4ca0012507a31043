"""Postil <-> Label Studio result conversion: documented shapes and round trips."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from postil.core.errors import InvalidError
from postil.core.formats.brush import (
    mask_from_brush_rle,
    mask_from_coco,
    mask_to_brush_rle,
    mask_to_coco,
)
from postil.core.formats.labelstudio import from_labelstudio_result, to_labelstudio_result
from postil.core.geometry.rle import string_to_counts

TEXT = "\U0001f4a9This is an annotation."
OBJECTS: dict[str, dict[str, Any]] = {
    "image": {"type": "image", "width": 640, "height": 480},
    "text": {"type": "text", "text": TEXT},
    "audio": {"type": "audio", "duration": 12.5},
    "video": {"type": "video", "width": 1280, "height": 720, "frames": 250, "duration": 10.0},
}


def res(
    rid: str,
    control: str,
    obj: str | None,
    kind: str,
    value: dict[str, Any],
    score: float | None = None,
    parent: str | None = None,
) -> dict[str, Any]:
    return {
        "id": rid,
        "control": control,
        "object": obj,
        "type": kind,
        "value": value,
        "score": score,
        "parent_id": parent,
    }


def _mask() -> dict[str, Any]:
    mask = np.zeros((480, 640), dtype=bool)
    mask[10:200, 30:90] = True
    mask[300, 5] = True
    return mask_to_coco(mask)


CASES = {
    "choices": res("c1", "animal", "image", "choices", {"choices": ["Cat", "Dog"]}, 0.7),
    "rating": res("r1", "quality", "image", "rating", {"rating": 4}),
    "number": res("n1", "count", "image", "number", {"number": 2.5}),
    "textarea": res("t1", "note", "image", "textarea", {"text": ["a", "b"]}),
    "taxonomy": res("x1", "tax", "image", "taxonomy", {"taxonomy": [["Animal", "Cat"]]}),
    "box": res(
        "b1",
        "boxes",
        "image",
        "box",
        {
            "x": 10.5,
            "y": 20.25,
            "width": 100.0,
            "height": 50.0,
            "rotation": 15.0,
            "labels": ["Car"],
        },
        0.9,
    ),
    "polygon": res(
        "p1",
        "poly",
        "image",
        "polygon",
        {"points": [[1.0, 2.0], [100.0, 2.0], [50.5, 80.0]], "labels": ["Lake"]},
    ),
    "polyline": res(
        "l1",
        "line",
        "image",
        "polyline",
        {"points": [[1.0, 2.0], [10.0, 20.0]], "labels": ["Road"]},
    ),
    "keypoints": res(
        "k1",
        "pose",
        "image",
        "keypoints",
        {
            "points": [
                {"name": "nose", "x": 10.0, "y": 20.0, "visible": 2},
                {"name": "eye", "x": 12.0, "y": 18.0, "visible": 1},
            ],
            "labels": ["person"],
        },
    ),
    "mask": res("m1", "paint", "image", "mask", {"rle": _mask(), "labels": ["Sky"]}),
    "span": res(
        "s1",
        "ner",
        "text",
        "span",
        {"start": 12, "end": 22, "text": "annotation", "labels": ["NOUN"]},
    ),
    "segment": res(
        "a1",
        "speaker",
        "audio",
        "segment",
        {"start": 1.25, "end": 3.5, "channel": 0, "labels": ["Alice"]},
    ),
    "track": res(
        "v1",
        "tracks",
        "video",
        "track",
        {
            "keyframes": [
                {
                    "frame": 1,
                    "x": 10.0,
                    "y": 20.0,
                    "width": 30.0,
                    "height": 40.0,
                    "rotation": 0.0,
                    "enabled": True,
                },
                {
                    "frame": 25,
                    "x": 20.0,
                    "y": 30.0,
                    "width": 30.0,
                    "height": 40.0,
                    "rotation": 5.0,
                    "enabled": False,
                },
            ],
            "labels": ["Car"],
        },
    ),
    "relation": res(
        "rel1",
        "rels",
        None,
        "relation",
        {"from_id": "b1", "to_id": "p1", "direction": "bi", "labels": ["near"]},
    ),
}


def _approx(value: Any) -> Any:
    if isinstance(value, float):
        return pytest.approx(value, abs=1e-9)
    if isinstance(value, list):
        return [_approx(v) for v in value]
    if isinstance(value, dict):
        return {k: _approx(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("kind", sorted(CASES))
def test_round_trip_is_identity(kind: str) -> None:
    skipped: list[dict[str, Any]] = []
    items = to_labelstudio_result([CASES[kind]], OBJECTS, skipped=skipped)
    assert skipped == []
    assert from_labelstudio_result(items, objects=OBJECTS) == _approx([CASES[kind]])


def test_round_trip_of_a_whole_annotation_with_per_region_transcript() -> None:
    transcript = res("a1-note", "note", "audio", "textarea", {"text": ["hello"]}, parent="a1")
    result = [*CASES.values(), transcript]
    items = to_labelstudio_result(result, OBJECTS)
    assert from_labelstudio_result(items, objects=OBJECTS) == _approx(result)


def test_rectangle_matches_label_studio_shape() -> None:
    (item,) = to_labelstudio_result([CASES["box"]], OBJECTS)
    assert item["id"] == "b1" and item["type"] == "rectanglelabels"
    assert (item["from_name"], item["to_name"]) == ("boxes", "image")
    assert (item["original_width"], item["original_height"]) == (640, 480)
    assert item["score"] == 0.9
    assert item["value"] == _approx(
        {
            "x": 10.5 / 6.4,
            "y": 20.25 / 4.8,
            "width": 100 / 6.4,
            "height": 50 / 4.8,
            "rotation": 15.0,
            "rectanglelabels": ["Car"],
        }
    )


def test_other_shapes_match_label_studio() -> None:
    items = {
        i["id"]: i
        for i in to_labelstudio_result(
            [CASES[k] for k in ("choices", "polygon", "span", "segment", "track", "relation")],
            OBJECTS,
        )
    }
    assert items["c1"]["value"] == {"choices": ["Cat", "Dog"]}
    assert items["p1"]["value"]["points"][0] == _approx([1 / 6.4, 2 / 4.8])
    assert items["p1"]["value"]["polygonlabels"] == ["Lake"]
    # Label Studio counts code points, as Postil does: the emoji is one of them.
    assert items["s1"]["type"] == items["a1"]["type"] == "labels"
    assert items["a1"]["value"] == {"start": 1.25, "end": 3.5, "channel": 0, "labels": ["Alice"]}
    assert items["s1"]["value"] == {
        "start": 12,
        "end": 22,
        "text": "annotation",
        "labels": ["NOUN"],
    }
    video = items["v1"]["value"]
    assert (video["framesCount"], video["duration"], video["labels"]) == (250, 10.0, ["Car"])
    assert set(video["sequence"][0]) == {
        "frame",
        "time",
        "x",
        "y",
        "width",
        "height",
        "rotation",
        "enabled",
    }
    relation = items["rel1"]
    assert {k: relation[k] for k in ("from_id", "to_id", "direction", "labels")} == {
        "from_id": "b1",
        "to_id": "p1",
        "direction": "bi",
        "labels": ["near"],
    }


def test_keypoints_become_one_item_per_point_grouped_by_parent() -> None:
    items = to_labelstudio_result([CASES["keypoints"]], OBJECTS)
    assert [i["type"] for i in items] == ["keypointlabels", "keypointlabels"]
    assert {i["parentID"] for i in items} == {"k1"}
    assert items[0]["value"]["keypointlabels"] == ["nose"]
    assert items[0]["value"]["x"] == pytest.approx(10 / 6.4)


def test_lossy_cases_are_reported() -> None:
    holes = res(
        "p2",
        "poly",
        "image",
        "polygon",
        {
            "points": [[0.0, 0.0], [9.0, 0.0], [0.0, 9.0]],
            "holes": [[[1.0, 1.0], [2.0, 1.0], [1.0, 2.0]]],
            "labels": [],
        },
    )
    unknown_size = res(
        "b2",
        "boxes",
        "img2",
        "box",
        {"x": 1.0, "y": 1.0, "width": 1.0, "height": 1.0, "rotation": 0.0, "labels": []},
    )
    skipped: list[dict[str, Any]] = []
    items = to_labelstudio_result([holes, unknown_size], OBJECTS, skipped=skipped)
    assert [i["id"] for i in items] == ["p2"]
    assert [s["id"] for s in skipped] == ["p2", "b2"]
    assert "holes" in skipped[0]["reason"] and "size" in skipped[1]["reason"]


def test_import_accepts_label_studio_variants() -> None:
    items = [
        {
            "id": "r",
            "from_name": "b",
            "to_name": "img",
            "type": "rectangle",
            "original_width": 200,
            "original_height": 100,
            "value": {"x": 50, "y": 50, "width": 10, "height": 10},
        },
        {
            "id": "t",
            "from_name": "note",
            "to_name": "img",
            "type": "textarea",
            "value": {"text": "bare string"},
        },
        {"from_id": "r", "to_id": "t", "type": "relation", "direction": "right"},
    ]
    box, note, relation = from_labelstudio_result(items)
    assert box["value"] == {
        "x": 100.0,
        "y": 50.0,
        "width": 20.0,
        "height": 10.0,
        "rotation": 0.0,
        "labels": [],
    }
    assert note["value"] == {"text": ["bare string"]}
    assert relation["value"]["from_id"] == "r" and relation["control"] is None


@pytest.mark.parametrize(
    "items",
    [
        [{"id": "e", "from_name": "e", "to_name": "i", "type": "ellipselabels", "value": {}}],
        [
            {
                "id": "r",
                "from_name": "b",
                "to_name": "i",
                "type": "rectanglelabels",
                "value": {"x": 1, "y": 1, "width": 1, "height": 1},
            }
        ],
        [
            {
                "id": "r",
                "from_name": "b",
                "to_name": "i",
                "type": "rectanglelabels",
                "original_width": 10,
                "original_height": 10,
                "value": {"x": 1},
            }
        ],
        ["not an object"],
    ],
)
def test_import_rejects_what_it_cannot_convert(items: list[Any]) -> None:
    with pytest.raises(InvalidError):
        from_labelstudio_result(items)


def _reference_decode(rle: list[int]) -> np.ndarray:
    """Label Studio's decode_rle (label-studio-converter brush.py), kept literal on purpose."""
    bits = "".join(f"{b:08b}" for b in rle)
    pos = 0

    def read(n: int) -> int:
        nonlocal pos
        pos += n
        return int(bits[pos - n : pos], 2)

    num, word = read(32), read(5) + 1
    sizes = [read(4) + 1 for _ in range(4)]
    out, i = np.zeros(num, dtype=np.uint8), 0
    while i < num:
        x = read(1)
        j = i + 1 + read(sizes[read(2)])
        if x:
            out[i:j] = read(word)
            i = j
        else:
            while i < j:
                out[i] = read(word)
                i += 1
    return out


def test_brush_rle_matches_label_studio_decoder() -> None:
    rng = np.random.default_rng(1)
    mask = rng.random((37, 53)) > 0.6
    mask[:, :20] = True  # long runs too
    rle = mask_to_brush_rle(mask)
    rgba = _reference_decode(rle).reshape(37, 53, 4)
    assert np.array_equal(rgba[:, :, 3] > 0, mask)
    assert np.array_equal(mask_from_brush_rle(rle, 37, 53), mask)


def test_brush_rle_splits_runs_longer_than_65536() -> None:
    mask = np.ones((300, 300), dtype=bool)
    assert np.array_equal(mask_from_brush_rle(mask_to_brush_rle(mask), 300, 300), mask)


def test_coco_rle_agrees_with_pycocotools() -> None:
    mask_utils = pytest.importorskip("pycocotools.mask")
    rng = np.random.default_rng(2)
    mask = rng.random((31, 17)) > 0.5
    ours = mask_to_coco(mask)
    theirs = mask_utils.encode(np.asfortranarray(mask.astype(np.uint8)))
    assert ours["counts"] == theirs["counts"].decode()
    assert np.array_equal(mask_from_coco(ours), mask)
    assert np.array_equal(
        mask_from_coco({"size": [31, 17], "counts": string_to_counts(ours["counts"])}), mask
    )
