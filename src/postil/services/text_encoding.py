"""Uploaded text is UTF-8: UTF-16/32 files with a BOM are converted, other encodings refused.

Other encodings are refused rather than guessed: 8-bit code pages cannot be told apart
reliably (a French Latin-1 file reads as Central European cp1250 just as well, turning
"crème" into "črme"), and a wrong guess would change the text every label points into.
The refusal names the likely encoding (charset-normalizer) so the user knows what to convert.
"""

from __future__ import annotations

import codecs
import uuid
from pathlib import Path

from postil.core.errors import InvalidError

CHUNK = 1 << 20
SAMPLE = 64 * 1024
# The UTF-32 LE mark begins with the UTF-16 LE one, so it is tried first.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def as_utf8(path: Path, name: str, staging: Path) -> Path:
    """`path` when it is UTF-8 (with or without a BOM), a UTF-8 copy in `staging` when it is
    UTF-16 or UTF-32 with a BOM; InvalidError naming the line and likely encoding otherwise."""
    with path.open("rb") as f:
        head = f.read(4)
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return _transcode(path, name, (len(bom), encoding), staging)
    bad = first_invalid_utf8(path)
    if bad is not None:
        raise _not_utf8(path, name, *bad)
    return path


def first_invalid_utf8(path: Path) -> tuple[int, int] | None:
    """(byte offset, 1-based line) of the first byte that is not UTF-8, or None."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, lines = 0, 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                before = max(exc.start - pending, 0)
                return offset + before, lines + chunk[:before].count(b"\n") + 1
            offset, lines = offset + len(chunk), lines + chunk.count(b"\n")
    pending = len(decoder.getstate()[0])
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return offset - pending, lines + 1
    return None


# The legacy encodings people still save text in: Windows code pages, KOI8-R and the East
# Asian multi-byte ones. Naming an obscure one (cp1006, mac_iceland) would only confuse.
COMMON_ENCODINGS = [
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "koi8_r", "cp932", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr",
]


def likely_encodings(sample: bytes) -> list[str]:
    """Up to three encodings `sample` reads well in, the likeliest first ([] if none).

    charset-normalizer cannot tell 8-bit code pages apart on short text (a Latin-1 sentence
    scores the same in cp1250 and cp1252), so the ones that read it equally well are named too.
    """
    from charset_normalizer import from_bytes  # loaded only when a file is refused

    matches = from_bytes(sample, cp_isolation=COMMON_ENCODINGS)
    best = matches.best()
    if best is None:
        return []
    names = [best.encoding, *best.could_be_from_charset, *(m.encoding for m in matches)]
    return [n for n in dict.fromkeys(names) if n in COMMON_ENCODINGS][:3]


def _not_utf8(path: Path, name: str, offset: int, line: int) -> InvalidError:
    with path.open("rb") as f:
        f.seek(max(offset - SAMPLE // 2, 0))
        sample = f.read(SAMPLE)
    names = likely_encodings(sample)
    msg = f"line {line} is not UTF-8: save the file as UTF-8 and upload it again"
    if names:
        guess = " or ".join([", ".join(names[:-1]), names[-1]] if names[1:] else names)
        msg = (f"the file is not UTF-8 (line {line}); it looks like {guess}: "
               "save it as UTF-8 and upload it again")
    return line_error(name, line, msg)


def line_error(name: str, line: int, msg: str) -> InvalidError:
    """An InvalidError about one line of one uploaded file."""
    return InvalidError(f"{name}: {msg}", [{"loc": [name, "line", line], "msg": msg}])


def _transcode(path: Path, name: str, bom: tuple[int, str], staging: Path) -> Path:
    skip, encoding = bom
    target = staging / f"utf8-{uuid.uuid4().hex}"
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as out:
        src.seek(skip)
        try:
            while chunk := src.read(CHUNK):
                text = decoder.decode(chunk)
                out.write(text)
                line += text.count("\n")
            out.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError as exc:
            line += exc.object[: exc.start].decode(encoding).count("\n")
            msg = f"line {line} is not valid {encoding[:-3].upper()} ({exc.reason})"
            raise line_error(name, line, msg) from None
    return target
