"""Code point <-> UTF-16 offsets, with the vectors of the formats guide."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postil.core.errors import InvalidError
from postil.core.offsets import codepoint_to_utf16, utf16_length, utf16_to_codepoint


def js_index(text: str, needle: str) -> int:
    """What JavaScript's indexOf returns: a UTF-16 offset."""
    return len(text[: text.index(needle)].encode("utf-16-le")) // 2


def test_poop_emoji_shifts_annotation_by_one_unit() -> None:
    text = "💩This is an annotation."
    start, end = text.index("annotation"), text.index("annotation") + len("annotation")
    assert (start, end) == (12, 22)
    assert (codepoint_to_utf16(text, start), codepoint_to_utf16(text, end)) == (13, 23)
    assert (utf16_to_codepoint(text, 13), utf16_to_codepoint(text, 23)) == (12, 22)
    assert text[utf16_to_codepoint(text, 13) : utf16_to_codepoint(text, 23)] == "annotation"


def test_smiley_between_labels() -> None:
    text = "label1 😄 label2"
    assert text[7:8] == "😄"
    assert codepoint_to_utf16(text, 7) == 7
    assert codepoint_to_utf16(text, 8) == 9
    assert utf16_to_codepoint(text, 9) == 8
    assert js_index(text, "label2") == 10
    assert utf16_to_codepoint(text, 10) == text.index("label2")


def test_zwj_firefighter_is_four_code_points_and_seven_units() -> None:
    text = "👨🏻‍🚒 firemen drive firetrucks at work"
    assert len("👨🏻‍🚒") == 4
    assert codepoint_to_utf16(text, 4) == 7
    start = utf16_to_codepoint(text, js_index(text, "firemen"))
    assert text[start : start + 7] == "firemen"


@pytest.mark.parametrize("text", ["e\u0301t\u00e9", "a\r\nb", "مرحبا 😄 بالعالم"])
def test_offsets_survive_combining_marks_crlf_and_rtl(text: str) -> None:
    for offset in range(len(text) + 1):
        assert utf16_to_codepoint(text, codepoint_to_utf16(text, offset)) == offset
    # nothing is normalized: e + combining acute stays two code points
    assert codepoint_to_utf16("e\u0301", 2) == 2


def test_rtl_text_with_emoji_offsets() -> None:
    text = "مرحبا 😄 بالعالم"
    start = text.index("بالعالم")
    assert codepoint_to_utf16(text, start) == start + 1
    assert js_index(text, "بالعالم") == start + 1


def test_text_ending_in_astral_char_end_equals_len() -> None:
    text = "ok 🎉"
    assert utf16_length(text) == 5
    assert codepoint_to_utf16(text, len(text)) == 5
    assert utf16_to_codepoint(text, 5) == len(text)


def test_offset_inside_surrogate_pair_is_refused() -> None:
    with pytest.raises(InvalidError, match="splits the surrogate pair"):
        utf16_to_codepoint("a💩b", 2)


@pytest.mark.parametrize("offset", [-1, 4, 100])
def test_utf16_offset_out_of_range(offset: int) -> None:
    with pytest.raises(InvalidError):
        utf16_to_codepoint("a💩", offset)


@pytest.mark.parametrize("offset", [-1, 3])
def test_codepoint_offset_out_of_range(offset: int) -> None:
    with pytest.raises(InvalidError):
        codepoint_to_utf16("a💩", offset)


def test_bool_offset_is_refused() -> None:
    with pytest.raises(InvalidError):
        codepoint_to_utf16("abc", True)


@given(st.text(), st.data())
def test_codepoint_utf16_round_trip_is_identity(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    u_start, u_end = codepoint_to_utf16(text, start), codepoint_to_utf16(text, end)
    assert utf16_to_codepoint(text, u_start) == start
    assert utf16_to_codepoint(text, u_end) == end
    units = text.encode("utf-16-le", "surrogatepass")
    assert units[2 * u_start : 2 * u_end].decode("utf-16-le", "surrogatepass") == text[start:end]
