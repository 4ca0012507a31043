"""JSONL, CSV/TSV and URL-list readers, the dispatcher, laziness and bounded memory."""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Iterator

import orjson
import pytest

from postil.core.errors import InvalidError
from postil.core.formats.readers import ReadLimits, read_jsonl, read_tasks

from .conftest import CountingStream, assert_invalid_at, read_all


def test_jsonl_lines_and_blank_lines() -> None:
    payload = b'{"text": "a"}\n\n  \n{"data": {"text": "b"}, "external_id": "e2"}\r\n'
    first, second = read_all(payload, "tasks.jsonl")
    assert (first.data, first.line) == ({"text": "a"}, 1)
    assert (second.data, second.external_id, second.line) == ({"text": "b"}, "e2", 4)
    assert read_all(payload, "tasks.NDJSON")[1].line == 4


@pytest.mark.parametrize(
    "bad",
    [
        b'{"a": NaN}',
        b'{"a": "\\udc00"}',
        b'{"a": "\xc3\x28"}',
        b"[1, 2]",
        b'{"data": 1}',
        b'{"a": 1',
        b'{"\\u0007": 1}',
        b'{"data": {}, "predictions": [{"score": "high"}]}',
        b'{"a": "x\\u0000"}',
    ],
)
def test_jsonl_bad_line(bad: bytes) -> None:
    assert_invalid_at(b'{"a": 1}\n\n' + bad + b'\n{"a": 2}\n', "t.jsonl", 3)


def test_jsonl_line_too_long() -> None:
    limits = ReadLimits(max_record_bytes=64)
    assert_invalid_at(b'{"a": 1}\n{"a": "' + b"x" * 100 + b'"}\n', "t.jsonl", 2, limits=limits)


def _generated(bad_line: int, total: int) -> Iterator[bytes]:
    for number in range(1, total + 1):
        if number == bad_line:
            yield b'{"data": ["not", "an", "object"]}\n'
        else:
            yield b'{"data": {"text": "task %d"}}\n' % number


def test_jsonl_error_on_line_70001_is_found_lazily() -> None:
    stream = CountingStream(_generated(70_001, 100_000))
    buffered = io.BufferedReader(stream)
    with pytest.raises(InvalidError) as info:
        for _ in read_tasks(buffered, "big.jsonl"):
            pass
    assert info.value.errors[0]["loc"] == ["line", 70_001, "data"]
    assert "line 70001" in info.value.message
    total = sum(len(line) for line in _generated(70_001, 100_000))
    assert stream.consumed < total * 0.8  # the tail of the file was never read


@pytest.mark.slow
def test_jsonl_200k_lines_in_bounded_memory(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "big.jsonl"  # type: ignore[operator]
    with open(path, "wb") as out:
        for number in range(200_000):
            out.write(orjson.dumps({"data": {"text": f"task {number} " + "x" * 40}, "id": number}))
            out.write(b"\n")
    size = path.stat().st_size
    count = 0
    tracemalloc.start()
    try:
        with open(path, "rb") as stream:
            for record in read_jsonl(stream):
                count += 1
                assert record.line == count
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_000
    assert peak < size / 20, (peak, size)


def test_csv_with_bom_quotes_and_external_id() -> None:
    payload = (
        '\ufeffexternal_id,text,label\r\na1,"hello, world",x\r\na2,"two\nlines",\r\n,plain,y\r\n'
    ).encode()
    first, second, third = read_all(payload, "tasks.csv")
    assert first.data == {"text": "hello, world", "label": "x"}
    assert first.external_id == "a1" and first.line == 2
    assert second.data["text"] == "two\nlines" and second.line == 4
    assert third.external_id is None and third.line == 5


def test_tsv() -> None:
    (task,) = read_all(b"text\tscore\nhi there\t3\n", "t.TSV")
    assert task.data == {"text": "hi there", "score": "3"}


@pytest.mark.parametrize(
    ("payload", "line"),
    [
        (b"a,b\n1,2\n1,2,3\n", 3),
        (b"a,b\n1,2\n\xff,2\n", 3),
        (b"a,b\n1,2\n\xed\xa0\x80,2\n", 3),
        (b'a,b\n1,2\n"open,2\n', 3),
        (b"a,a\n1,2\n", 1),
        (b"a,\x07b\n1,2\n", 1),
        (b"a,\xe2\x80\xaeb\n1,2\n", 1),
        (b"", 1),
        (b"a,b\n1,2\n\x00,2\n", 3),
    ],
)
def test_csv_bad_input(payload: bytes, line: int) -> None:
    assert_invalid_at(payload, "t.csv", line)


def test_csv_long_value_capped() -> None:
    assert_invalid_at(
        b"a\nshort\n" + b"x" * 50 + b"\n", "t.csv", 3, limits=ReadLimits(max_string_length=10)
    )


def test_url_list() -> None:
    payload = b"\xef\xbb\xbfhttps://x.test/1.png\n\n# comment\n  s3://bucket/2.jpg  \r\n"
    first, second = read_all(payload, "urls.txt", url_key="img")
    assert first.data == {"img": "https://x.test/1.png"} and first.line == 1
    assert second.data == {"img": "s3://bucket/2.jpg"} and second.line == 4


@pytest.mark.parametrize(
    "bad",
    [
        b"https://x.test/a b.png",
        b"https://x.test/\x00",
        b"\xff",
        b"https://x.test/\xe2\x80\xae.png",
    ],
)
def test_url_list_bad_line(bad: bytes) -> None:
    assert_invalid_at(b"https://ok.test/1\n" + bad + b"\n", "urls.txt", 2)


@pytest.mark.parametrize("name", ["tasks.xml", "tasks", "tasks.json.exe", ""])
def test_unknown_extension(name: str) -> None:
    with pytest.raises(InvalidError) as info:
        read_tasks(io.BytesIO(b"{}"), name)
    assert info.value.errors[0]["loc"] == ["filename"]
