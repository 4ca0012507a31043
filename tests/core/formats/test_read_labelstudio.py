"""Label Studio JSON tasks with annotations and predictions import as Postil results."""

from __future__ import annotations

import orjson
import pytest

from .conftest import assert_invalid_at, read_all

LS_TASKS = [
    {
        "id": 1,
        "data": {"image": "https://example.com/1.jpg", "text": "\U0001f4a9 Bob went"},
        "annotations": [
            {
                "id": "1001",
                "completed_by": 10,
                "lead_time": 4.288,
                "was_cancelled": False,
                "created_at": "2021-03-09T22:16:08.728353Z",
                "result": [
                    {
                        "id": "Dx_aB91ISN",
                        "from_name": "tag",
                        "to_name": "img",
                        "type": "rectanglelabels",
                        "original_width": 1000,
                        "original_height": 500,
                        "value": {
                            "x": 50.8,
                            "y": 5.0,
                            "width": 12.4,
                            "height": 10.0,
                            "rotation": 0,
                            "rectanglelabels": ["Moonwalker"],
                        },
                    },
                    {
                        "id": "Dx_aB91ISN",
                        "from_name": "desc",
                        "to_name": "img",
                        "type": "textarea",
                        "value": {"text": ["a rover"]},
                    },
                    {
                        "id": "sp",
                        "from_name": "ner",
                        "to_name": "text",
                        "type": "labels",
                        "value": {"start": 2, "end": 5, "text": "Bob", "labels": ["PER"]},
                    },
                ],
            }
        ],
        "predictions": [
            {
                "model_version": "model 1",
                "score": 0.5,
                "result": [
                    {
                        "id": "t5",
                        "from_name": "tag",
                        "to_name": "img",
                        "type": "rectanglelabels",
                        "original_width": 1000,
                        "original_height": 500,
                        "score": 0.8,
                        "value": {
                            "x": 10,
                            "y": 10,
                            "width": 10,
                            "height": 10,
                            "rotation": 0,
                            "rectanglelabels": ["Moonwalker"],
                        },
                    }
                ],
            }
        ],
    },
]


def test_label_studio_task_import() -> None:
    (task,) = read_all(orjson.dumps(LS_TASKS), "export.json")
    assert task.external_id == "1"
    (annotation,) = task.annotations
    assert annotation.completed_by is None and annotation.lead_time == pytest.approx(4.288)
    box, transcript, span = annotation.result
    assert box["type"] == "box" and box["control"] == "tag" and box["object"] == "img"
    assert box["value"]["x"] == pytest.approx(508.0)
    assert box["value"]["height"] == pytest.approx(50.0)
    assert transcript["parent_id"] == "Dx_aB91ISN" and transcript["value"] == {"text": ["a rover"]}
    assert (span["value"]["start"], span["value"]["end"]) == (2, 5)  # code points
    (prediction,) = task.predictions
    assert (prediction.model_version, prediction.score) == ("model 1", 0.5)
    assert prediction.result[0]["score"] == 0.8
    assert prediction.result[0]["value"]["width"] == pytest.approx(100.0)


@pytest.mark.parametrize(
    "broken",
    [
        {"type": "rectanglelabels", "value": {"x": 1, "y": 1, "width": 1, "height": 1}},
        {"type": "ellipselabels", "value": {}},
    ],
)
def test_label_studio_item_that_cannot_convert_names_the_record(broken: dict) -> None:
    bad = {
        "data": {"image": "x"},
        "annotations": [{"result": [{"id": "z", "from_name": "tag", "to_name": "img", **broken}]}],
    }
    error = assert_invalid_at(orjson.dumps([{"a": 1}, bad]), "ls.json", 2)
    assert error.errors[0]["loc"][2:] == ["annotations", 0, "result"]
