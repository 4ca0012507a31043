"""JSON array / single object reader: shapes, streaming splitter, bad input."""

from __future__ import annotations

import io

import orjson
import pytest

from postil.core.formats.readers import ReadLimits, json_array, read_json

from .conftest import assert_invalid_at, read_all


def test_array_of_flat_and_wrapped_tasks() -> None:
    payload = orjson.dumps(
        [
            {"image": "a.png", "external_id": "x1"},
            {"data": {"image": "b.png"}, "id": 7, "meta": {"w": 1}},
            {"data": {"image": "c.png"}, "external_id": None, "id": 8},
        ]
    )
    first, second, third = read_all(payload, "tasks.json")
    assert (first.data, first.external_id, first.line) == ({"image": "a.png"}, "x1", 1)
    assert (second.data, second.external_id, second.meta) == ({"image": "b.png"}, "7", {"w": 1})
    assert third.external_id is None  # an explicit external_id wins over the LS id
    assert third.line == 3


def test_single_object_and_empty_array() -> None:
    assert read_all(b' {"text": "hi"} \n', "one.json")[0].data == {"text": "hi"}
    assert read_all(b"[ ]", "none.json") == []
    assert read_all(b'\xef\xbb\xbf[{"a": 1}]', "bom.json")[0].data == {"a": 1}


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64 * 1024])
def test_splitter_survives_any_chunk_boundary(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(json_array, "_CHUNK", chunk)
    tasks = [
        {"text": 'quote \\" and ] } [ { inside', "n": [1, {"x": []}]},
        {"text": "\\\\", "u": "\u00e9\U0001f4a9"},
        {"data": {"text": "esc\\"}, "annotations": []},
    ]
    payload = b" [\n" + b" ,\n ".join(orjson.dumps(t) for t in tasks) + b"\n] \n"
    records = list(read_json(io.BytesIO(payload)))
    assert [r.data for r in records[:2]] == tasks[:2]
    assert records[2].data == {"text": "esc\\"}


BAD_RECORDS = [
    (b'{"a": NaN}', "NaN"),
    (b'{"a": Infinity}', "Infinity"),
    (b'{"a": -Infinity}', "-Infinity"),
    (b'{"a": "\\ud800"}', "lone surrogate escape"),
    (b'{"a": "\xed\xa0\x80"}', "encoded surrogate"),
    (b'{"a": "\xff\xfe"}', "invalid UTF-8"),
    (b'{"a": 1,}', "trailing comma"),
    (b'{"a" 1}', "missing colon"),
    (b"3", "number task"),
    (b'"text"', "string task"),
    (b"[1]", "array task"),
    (b'{"data": "x"}', "data not an object"),
    (b'{"data": [1]}', "data an array"),
    (b'{"a\\u0000b": 1}', "NUL in key"),
    (b'{"a\\nb": 1}', "newline in key"),
    (b'{"\\u202eevil": 1}', "RTL override in key"),
    (b'{"data": {"a": 1}, "meta": 3}', "meta not an object"),
    (b'{"data": {}, "annotations": {}}', "annotations not an array"),
    (b'{"data": {}, "annotations": [{"result": 5}]}', "result not an array"),
    (b'{"external_id": [1]}', "external id not scalar"),
]


@pytest.mark.parametrize(("record", "why"), BAD_RECORDS, ids=[b[1] for b in BAD_RECORDS])
def test_bad_record_names_its_record_number(record: bytes, why: str) -> None:
    payload = b'[{"ok": 1},\n{"ok": 2},\n' + record + b"]"
    assert_invalid_at(payload, "tasks.json", 3)


def test_deep_nesting_is_rejected_but_64_is_fine() -> None:
    def nested(depth: int) -> bytes:
        return b'{"a": ' + b"[" * (depth - 1) + b"1" + b"]" * (depth - 1) + b"}"

    assert read_all(b"[" + nested(64) + b"]", "deep.json")
    assert_invalid_at(b"[" + nested(65) + b"]", "deep.json", 1)
    assert_invalid_at(b"[" + nested(100_000) + b"]", "deep.json", 1)


def test_long_strings_and_records_are_capped() -> None:
    limits = ReadLimits(max_string_length=10, max_record_bytes=200)
    assert read_all(b'[{"a": "0123456789"}]', "t.json", limits=limits)
    assert_invalid_at(b'[{"a": 1}, {"a": "01234567890"}]', "t.json", 2, limits=limits)
    huge = b'[{"a": "' + b"x" * 1000 + b'"}]'
    assert_invalid_at(huge, "t.json", 1, limits=ReadLimits(max_record_bytes=200))


@pytest.mark.parametrize(
    ("payload", "line"),
    [
        (b"", 1),
        (b"[", 1),
        (b'[{"a": 1}', 1),
        (b'[{"a": 1} {"b": 2}]', 1),
        (b'[{"a": 1}, ]', 2),
        (b'[{"a": 1}] trailing', 1),
        (b'{"a": 1} {"b": 2}', 1),
        (b'[{"a": "unterminated}]', 1),
        (b"nope", 1),
    ],
)
def test_malformed_structure(payload: bytes, line: int) -> None:
    assert_invalid_at(payload, "tasks.json", line)


def test_array_is_read_lazily() -> None:
    good = b",".join(orjson.dumps({"n": i, "pad": "x" * 50}) for i in range(2000))
    stream = io.BytesIO(b"[" + good + b',\n{"n": NaN},' + good + b"]")
    with pytest.raises(Exception, match="line 2001"):
        list(read_json(stream))
    assert stream.tell() < len(stream.getvalue()) // 2 + 2 * 64 * 1024
