"""Uploaded text: UTF-8 and UTF-16/32 with a BOM are read, other encodings refused by name."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from postil.core.errors import InvalidError
from postil.services.text_encoding import CHUNK, as_utf8, first_invalid_utf8

TEXT = "Grüße \U0001f600\r\nzweite Zeile\n"


def _file(tmp_path: Path, body: bytes) -> Path:
    path = tmp_path / "upload"
    path.write_bytes(body)
    return path


@pytest.mark.parametrize("body", [TEXT.encode(), codecs.BOM_UTF8 + TEXT.encode()])
def test_utf8_is_read_in_place(tmp_path: Path, body: bytes) -> None:
    path = _file(tmp_path, body)
    assert as_utf8(path, "a.txt", tmp_path) == path


@pytest.mark.parametrize("body", [
    codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
    codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"),
])
def test_utf16_and_utf32_with_a_bom_become_utf8(tmp_path: Path, body: bytes) -> None:
    copy = as_utf8(_file(tmp_path, body), "a.txt", tmp_path)
    assert copy.read_bytes() == "Grüße 😀\r\nzweite Zeile\n".encode()


def test_broken_utf16_names_its_line(tmp_path: Path) -> None:
    body = codecs.BOM_UTF16_LE + "one\ntwo \ud800 lone\n".encode("utf-16-le", "surrogatepass")
    with pytest.raises(InvalidError) as caught:
        as_utf8(_file(tmp_path, body), "a.txt", tmp_path)
    assert caught.value.errors == [{"loc": ["a.txt", "line", 2],
                                    "msg": "line 2 is not valid UTF-16 (illegal UTF-16 surrogate)"}]


def test_latin1_is_refused_naming_likely_encodings(tmp_path: Path) -> None:
    body = "Café crème brûlée\nDeuxième ligne: à bientôt, garçon!\n".encode("latin-1")
    with pytest.raises(InvalidError) as caught:
        as_utf8(_file(tmp_path, body), "notes.txt", tmp_path)
    assert caught.value.message == (
        "notes.txt: the file is not UTF-8 (line 1); it looks like cp1250, cp1252 or cp1257: "
        "save it as UTF-8 and upload it again")
    assert caught.value.errors[0]["loc"] == ["notes.txt", "line", 1]


def test_cyrillic_code_page_is_named(tmp_path: Path) -> None:
    body = "Привет, как дела? Это тест.\n".encode("cp1251")
    with pytest.raises(InvalidError, match="it looks like cp1251 or cp1253"):
        as_utf8(_file(tmp_path, body), "ru.txt", tmp_path)


def test_a_character_split_by_the_read_chunk_is_not_an_error(tmp_path: Path) -> None:
    # "é" is two bytes: its first is the last byte of the first chunk.
    body = b"a\n" * ((CHUNK - 1) // 2) + b"x" * ((CHUNK - 1) % 2) + "é\nok\n".encode()
    assert body[CHUNK - 1 : CHUNK + 1] == "é".encode()
    assert first_invalid_utf8(_file(tmp_path, body)) is None


def test_first_bad_byte_after_the_first_chunk_has_its_line(tmp_path: Path) -> None:
    lines = b"line\n" * 300_000  # 1.5 MB: past the first 1 MiB chunk
    body = lines + b"caf\xe9\n" + b"more\n"
    assert first_invalid_utf8(_file(tmp_path, body)) == (1_500_003, 300_001)


def test_a_truncated_last_character_is_on_the_last_line(tmp_path: Path) -> None:
    assert first_invalid_utf8(_file(tmp_path, b"one\ntwo \xe2\x82")) == (8, 2)
