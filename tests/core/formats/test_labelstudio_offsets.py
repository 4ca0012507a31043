"""Label Studio text offsets are Unicode code points, like Postil's: they pass through as is."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postil.core.formats.labelstudio import from_labelstudio_result, to_labelstudio_result

# (text, entity, code point start, code point end): the formats guide's vectors, and Label
# Studio's own front-end test "Should calculate offsets by code points in text".
VECTORS = [
    ("\U0001f4a9This is an annotation.", "annotation", 12, 22),
    ("label1 \U0001f604 label2", "\U0001f604", 7, 8),
    ("\U0001f468\U0001f3fb\u200d\U0001f692 firemen drive firetrucks at work", "firemen", 5, 12),
    ("\U0001f468\U0001f3fb\u200d\U0001f692 firemen drive firetrucks at work",
     "\U0001f468\U0001f3fb\u200d\U0001f692", 0, 4),
    ("e\u0301 and \u00e9", "\u00e9", 7, 8),
    ("e\u0301 and \u00e9", "e\u0301", 0, 2),
    ("a\r\nb", "b", 3, 4),
    ("\u0645\u0631\u062d\u0628\u0627 \U0001f600 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
     "\u0628\u0627\u0644\u0639\u0627\u0644\u0645", 8, 15),
    ("ends with \U0001f389", "\U0001f389", 10, 11),
    ("\U0001f431 Warning: This is a test text", "test", 21, 25),
]
IDS = [f"{text[:12]!r}:{entity!r}" for text, entity, _, _ in VECTORS]


def _span(start: int, end: int, text: str) -> dict[str, Any]:
    value = {"start": start, "end": end, "text": text, "labels": ["X"]}
    return {"id": "s1", "control": "ner", "object": "text", "type": "span", "value": value,
            "score": None, "parent_id": None}


def _item(start: int, end: int, text: str) -> dict[str, Any]:
    """A text span as Label Studio exports it."""
    return {"id": "s1", "from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": ["X"]}}


@pytest.mark.parametrize(("text", "entity", "start", "end"), VECTORS, ids=IDS)
def test_export_writes_code_points(text: str, entity: str, start: int, end: int) -> None:
    objects = {"text": {"type": "text", "text": text}}
    (item,) = to_labelstudio_result([_span(start, end, entity)], objects)
    assert item["value"] == {"start": start, "end": end, "text": entity, "labels": ["X"]}
    # Label Studio's converter slices Python strings: the same characters come out.
    assert text[item["value"]["start"] : item["value"]["end"]] == entity


@pytest.mark.parametrize(("text", "entity", "start", "end"), VECTORS, ids=IDS)
def test_import_reads_code_points(text: str, entity: str, start: int, end: int) -> None:
    objects = {"text": {"type": "text", "text": text}}
    (result,) = from_labelstudio_result([_item(start, end, entity)], objects=objects)
    assert result["type"] == "span"
    assert result["value"] == {"start": start, "end": end, "text": entity, "labels": ["X"]}


def test_export_without_a_stated_text_takes_it_from_the_task() -> None:
    objects = {"text": {"type": "text", "text": "\U0001f431 Warning: This is a test text"}}
    span = _span(21, 25, "test")
    del span["value"]["text"]
    (item,) = to_labelstudio_result([span], objects)
    assert item["value"] == {"start": 21, "end": 25, "text": "test", "labels": ["X"]}


@pytest.mark.parametrize(("text", "entity", "start", "end"), VECTORS, ids=IDS)
def test_round_trip_keeps_offsets(text: str, entity: str, start: int, end: int) -> None:
    objects = {"text": {"type": "text", "text": text}}
    span = _span(start, end, entity)
    assert from_labelstudio_result(to_labelstudio_result([span], objects),
                                   objects=objects) == [span]


@given(st.text(min_size=1, max_size=40), st.data())
def test_any_span_survives_the_round_trip(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    objects = {"text": {"type": "text", "text": text}}
    span = _span(start, end, text[start:end])
    (item,) = to_labelstudio_result([span], objects)
    assert text[item["value"]["start"] : item["value"]["end"]] == text[start:end]
    assert from_labelstudio_result([item], objects=objects) == [span]
