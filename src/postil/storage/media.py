"""Content-addressed media store on local disk: sniffed types, capped sizes, paths kept in root."""

from __future__ import annotations

import codecs
import fcntl
import hashlib
import importlib
import os
import re
import shutil
import tempfile
import time
import wave
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

from PIL import Image

from postil.core.errors import InvalidError, NotFoundError, TooLargeError

MediaKind = Literal["image", "audio", "video", "text"]

CHUNK = 1 << 20
HEAD = 4096
STAGING = ".staging"
# Keys are only ever made by put(): "<project>/<2 hex>/<64 hex>.<ext>". Anything else is refused
# before it touches the file system, which rules out "..", "%2e", "\\", NUL and absolute paths.
KEY_PATTERN = re.compile(
    r"(?P<project>[0-9]{1,18})/(?P<fan>[0-9a-f]{2})/(?P<sha>[0-9a-f]{64})"
    r"(?P<ext>\.[a-z0-9]{1,5})"
)
# fmt: off
ACTIVE_EXTENSIONS = frozenset({".svg", ".svgz", ".html", ".htm", ".xhtml", ".xht", ".shtml",
                               ".xml", ".xsl", ".xslt", ".js", ".mjs"})
# WHATWG MIME sniffing: documents starting with these are treated as HTML/XML by browsers.
ACTIVE_PREFIXES = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<svg",
                   b"<?xml", b"<!--", b"<title", b"<style", b"<div", b"<table", b"<font", b"<a",
                   b"<b", b"<br", b"<p", b"<h1", b"<object", b"<embed", b"<math", b"<xsl")
# fmt: on


@dataclass(frozen=True)
class MediaType:
    """One media type we accept: its kind and the extensions a file of it may carry."""

    media_type: str
    kind: MediaKind
    extensions: tuple[str, ...]
    pillow_format: str | None = None


MEDIA_TYPES: dict[str, MediaType] = {
    t.media_type: t
    for t in (
        MediaType("image/jpeg", "image", (".jpg", ".jpeg", ".jpe", ".jfif"), "JPEG"),
        MediaType("image/png", "image", (".png",), "PNG"),
        MediaType("image/gif", "image", (".gif",), "GIF"),
        MediaType("image/webp", "image", (".webp",), "WEBP"),
        MediaType("image/bmp", "image", (".bmp", ".dib"), "BMP"),
        MediaType("image/tiff", "image", (".tif", ".tiff"), "TIFF"),
        MediaType("audio/wav", "audio", (".wav", ".wave")),
        MediaType("audio/mpeg", "audio", (".mp3",)),
        MediaType("audio/flac", "audio", (".flac",)),
        MediaType("audio/ogg", "audio", (".ogg", ".oga", ".opus")),
        MediaType("audio/mp4", "audio", (".m4a", ".m4b", ".mp4")),
        MediaType("video/ogg", "video", (".ogv", ".ogg")),
        MediaType("video/mp4", "video", (".mp4", ".m4v")),
        MediaType("video/quicktime", "video", (".mov", ".qt")),
        MediaType("video/webm", "video", (".webm",)),
        MediaType("text/plain", "text", (".txt", ".text", ".md", ".csv", ".tsv", ".log")),
    )
}
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
EXTENSION_TYPES = {t.extensions[0]: t for t in MEDIA_TYPES.values()}


@dataclass(frozen=True)
class MediaInfo:
    """What the store knows about one stored file; `key` is its path relative to the root."""

    key: str
    kind: MediaKind
    media_type: str
    size: int
    width: int | None
    height: int | None
    duration: float | None
    sha256: str
    # When this put created the file: its mtime then. Any later put of the same content moves
    # the mtime on, so `take_back` can tell a file nobody else has used. None: it was there.
    new_mtime_ns: int | None = None


def display_name(filename: str) -> str:
    """The base name of an uploaded file, safe to put in an error message."""
    base = re.split(r"[/\\]", filename)[-1]
    return "".join(c for c in base if c.isprintable())[:120] or "file"


class MediaStore:
    """Files under `root/<project_id>/<sha256[:2]>/<sha256><ext>`, stored once per content.

    One file may serve the tasks of several imports of a project, so a failed import takes
    back only the files it created and nobody has put since (`take_back`)."""

    def __init__(
        self, root: Path, *, max_image_pixels: int = 100_000_000, cache_max_age: int = 3600
    ) -> None:
        self.root = Path(root)
        self.max_image_pixels = max_image_pixels
        self.cache_max_age = cache_max_age

    def put(self, project_id: int, stream: BinaryIO, filename: str, *, max_bytes: int) -> MediaInfo:
        """Store one upload; raises TooLargeError or InvalidError and then leaves nothing.
        Content stored already is kept as it is, and marked as put again."""
        project_dir = self._project_dir(project_id)
        name = display_name(filename)
        staging = self.root / STAGING
        staging.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp_name = tempfile.mkstemp(dir=staging, prefix="put-")
        tmp = Path(tmp_name)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # in use: start-up removes only unheld ones
            size, sha = self._stage(fd, stream, name, max_bytes)
            mtype = sniff(tmp, name, size)
            check_extension(name, mtype)
            width, height, duration = self._measure(tmp, name, mtype)
            key = f"{project_id}/{sha[:2]}/{sha}{mtype.extensions[0]}"
            new_mtime_ns = self._place(tmp, project_dir, key)
        finally:
            tmp.unlink(missing_ok=True)
            os.close(fd)
        return MediaInfo(key, mtype.kind, mtype.media_type, size, width, height, duration, sha,
                         new_mtime_ns)

    def take_back(self, stored: Iterable[MediaInfo]) -> list[str]:
        """Remove the files these puts created (a failed import's), unless a put of the same
        content has come since: a task of another import may show it. The keys removed."""
        removed: list[str] = []
        created = [info for info in stored if info.new_mtime_ns is not None]
        if not created:
            return removed
        with self._placing(fcntl.LOCK_EX):
            for info in created:
                path = self.root / info.key
                with suppress(FileNotFoundError):
                    if os.stat(path, follow_symlinks=False).st_mtime_ns != info.new_mtime_ns:
                        continue
                    path.unlink()
                    removed.append(info.key)
                    with suppress(OSError):  # not empty: other files share the folder
                        path.parent.rmdir()
        return removed

    def _place(self, staged: Path, project_dir: Path, key: str) -> int | None:
        """Link the staged file in under its key: the new file's mtime, or None when the
        content is there already (its mtime then moves on: it is in use again)."""
        final = self.root / key
        written = os.stat(staged).st_mtime_ns  # before another put can find it and mark it
        with self._placing(fcntl.LOCK_SH):
            project_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            final.parent.mkdir(exist_ok=True, mode=0o700)
            try:
                os.link(staged, final)
            except FileExistsError:
                mark_put_again(final)
                return None
            return written

    @contextmanager
    def _placing(self, how: int) -> Iterator[None]:
        """Puts placing files (shared) and `take_back` (exclusive) take turns, across
        processes: a file is never taken back between a put finding it and marking it. The
        lock is on the staging folder."""
        staging = self.root / STAGING
        staging.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(staging, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            fcntl.flock(fd, how)
            yield
        finally:
            os.close(fd)

    def remove_abandoned(self) -> list[Path]:
        """Remove the half-stored files of processes that died; returns what it removed."""
        removed = []
        for path in sorted((self.root / STAGING).glob("put-*")):
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                path.unlink(missing_ok=True)
                removed.append(path)
            except BlockingIOError:
                pass  # a live process is storing it
            finally:
                os.close(fd)
        return removed

    def resolve(self, key: str) -> Path:
        """The file for a key; NotFoundError for anything malformed, missing or outside root."""
        match = KEY_PATTERN.fullmatch(key) if isinstance(key, str) else None
        if match is None or match["fan"] != match["sha"][:2]:
            raise NotFoundError("media not found")
        root = self.root.resolve()
        path = (root / key).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise NotFoundError("media not found")
        return path

    def open(self, key: str) -> tuple[Path, MediaInfo]:
        """The file and its type for serving; dimensions are not re-read (None)."""
        path = self.resolve(key)
        match = KEY_PATTERN.fullmatch(key)
        mtype = EXTENSION_TYPES.get(match["ext"]) if match else None
        if match is None or mtype is None:
            raise NotFoundError("media not found")
        size = path.stat().st_size
        return path, MediaInfo(
            key, mtype.kind, mtype.media_type, size, None, None, None, match["sha"]
        )

    def delete_project(self, project_id: int) -> None:
        """Remove every file of one project."""
        project_dir = self._project_dir(project_id)
        if project_dir.is_symlink():
            project_dir.unlink()
        elif project_dir.exists():
            shutil.rmtree(project_dir)

    def safe_headers(self, media_type: str) -> dict[str, str]:
        """Response headers for serving a stored file (see the module function)."""
        return safe_headers(media_type, max_age=self.cache_max_age)

    def _project_dir(self, project_id: int) -> Path:
        if isinstance(project_id, bool) or not isinstance(project_id, int) or project_id < 0:
            raise InvalidError(
                "invalid project id",
                [{"loc": ["project_id"], "msg": "must be a non-negative integer"}],
            )
        return self.root / str(project_id)

    def _stage(self, fd: int, stream: BinaryIO, name: str, max_bytes: int) -> tuple[int, str]:
        """Copy the upload into the open staging file; its size and SHA-256."""
        digest, size = hashlib.sha256(), 0
        with open(fd, "wb", closefd=False) as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLargeError(f"{name} is over the limit of {max_bytes} bytes")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise InvalidError(f"{name} is empty", [{"loc": ["file"], "msg": "empty file"}])
        return size, digest.hexdigest()

    def _measure(
        self, path: Path, name: str, mtype: MediaType
    ) -> tuple[int | None, int | None, float | None]:
        if mtype.pillow_format is not None:
            width, height = read_image_size(path, name, mtype.pillow_format, self.max_image_pixels)
            return width, height, None
        if mtype.kind == "audio":
            return None, None, read_audio_duration(path, mtype)
        return None, None, None


def mark_put_again(path: Path) -> None:
    """Move a stored file's mtime on, past any it had: set to the nanosecond (the kernel's own
    clock for "now" may not have moved since the file was made)."""
    before = os.stat(path, follow_symlinks=False)
    later = max(time.time_ns(), before.st_mtime_ns + 1)
    os.utime(path, ns=(before.st_atime_ns, later), follow_symlinks=False)


def invalid(name: str, msg: str) -> InvalidError:
    """An InvalidError about one uploaded file."""
    return InvalidError(f"{name}: {msg}", [{"loc": ["file", name], "msg": msg}])


def sniff(path: Path, name: str, size: int) -> MediaType:
    """The media type of a file from its content; InvalidError for active or unknown types."""
    with path.open("rb") as f:
        head = f.read(HEAD)
    media_type = sniff_binary(head)
    if media_type is not None:
        return MEDIA_TYPES[media_type]
    if is_active_document(head):
        raise invalid(name, "HTML, SVG and XML files are not accepted")
    if is_utf8_text(path):
        return MEDIA_TYPES["text/plain"]
    raise invalid(name, "unsupported file type")


def sniff_binary(head: bytes) -> str | None:
    """Recognise the binary formats we accept by their magic bytes."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE"):
        return "image/webp" if head[8:12] == b"WEBP" else "audio/wav"
    if is_bmp(head):
        return "image/bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head.startswith(b"fLaC"):
        return "audio/flac"
    if head.startswith(b"OggS"):
        return "video/ogg" if b"\x80theora" in head else "audio/ogg"
    if head[4:8] == b"ftyp":
        return sniff_iso_media(head[8:12])
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm" if b"webm" in head[:64] else None
    if head.startswith(b"ID3") or is_mpeg_audio_frame(head):
        return "audio/mpeg"
    return None


def is_bmp(head: bytes) -> bool:
    """'BM' alone is too weak (text can start with it): also check reserved and DIB size."""
    dib_sizes = (12, 40, 52, 56, 64, 108, 124)
    return (
        head.startswith(b"BM")
        and len(head) >= 18
        and head[6:10] == b"\x00" * 4
        and int.from_bytes(head[14:18], "little") in dib_sizes
    )


def is_mpeg_audio_frame(head: bytes) -> bool:
    """An MPEG audio frame sync with a valid version and layer (not AAC ADTS, layer 0)."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    return version != 1 and layer != 0 and head[2] >> 4 != 0xF


def sniff_iso_media(brand: bytes) -> str | None:
    """MP4 family by major brand; HEIF/AVIF images share the container and are refused."""
    if brand in (b"heic", b"heix", b"mif1", b"msf1", b"avif", b"avis", b"hevc"):
        return None
    if brand == b"qt  ":
        return "video/quicktime"
    if brand in (b"M4A ", b"M4B "):
        return "audio/mp4"
    return "video/mp4"


def is_active_document(head: bytes) -> bool:
    """True when a browser would sniff the start of this content as HTML or XML."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n\x0c").lower()
    for prefix in ACTIVE_PREFIXES:
        if text.startswith(prefix):
            rest = text[len(prefix) : len(prefix) + 1]
            if prefix in (b"<!--", b"<?xml") or rest in (b"", b" ", b">", b"\t", b"\n", b"\r"):
                return True
    return False


def is_utf8_text(path: Path) -> bool:
    """Valid UTF-8 all through, without NUL or other C0 controls beyond tab/newlines."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as f:
        try:
            while chunk := f.read(CHUNK):
                text = decoder.decode(chunk)
                if CONTROL_CHARS.search(text):
                    return False
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def check_extension(name: str, mtype: MediaType) -> None:
    """Refuse a file whose extension names another type than its content."""
    ext = os.path.splitext(name)[1].lower()
    if ext in ACTIVE_EXTENSIONS:
        raise invalid(name, "HTML, SVG and XML files are not accepted")
    if ext and ext not in mtype.extensions:
        raise invalid(name, f"the extension {ext} does not match its content ({mtype.media_type})")


def read_image_size(path: Path, name: str, pillow_format: str, max_pixels: int) -> tuple[int, int]:
    """Width and height from the header only; pixel bombs become InvalidError."""
    limit = min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels)
    try:
        with Image.open(path, formats=[pillow_format]) as image:
            width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise invalid(name, f"image is over the limit of {limit} pixels") from None
    except (OSError, SyntaxError, ValueError):
        raise invalid(name, "not a valid image") from None
    if width * height > limit:
        raise invalid(name, f"image is over the limit of {limit} pixels")
    return width, height


def read_audio_duration(path: Path, mtype: MediaType) -> float | None:
    """Seconds of audio: stdlib for WAV, mutagen for others when installed, else None."""
    if mtype.media_type == "audio/wav":
        try:
            with wave.open(str(path), "rb") as w:
                rate = w.getframerate()
                return w.getnframes() / rate if rate else None
        except (wave.Error, EOFError, OSError):
            pass
    return probe_duration(path)


def probe_duration(path: Path) -> float | None:
    """Duration through the optional mutagen package; None when absent or unreadable."""
    try:
        mutagen: Any = importlib.import_module("mutagen")
    except ImportError:
        return None
    try:
        parsed = mutagen.File(path)
        return float(parsed.info.length) if parsed is not None else None
    except Exception:  # mutagen raises many types on corrupt input; a duration is optional
        return None


INLINE_TYPES = frozenset(t.media_type for t in MEDIA_TYPES.values())


def safe_headers(media_type: str, *, max_age: int = 3600) -> dict[str, str]:
    """Headers that keep user content from running in our origin (security promise 4)."""
    base = media_type.split(";")[0].strip().lower()
    inline = base in INLINE_TYPES
    if not inline:
        content_type = "application/octet-stream"
    elif base == "text/plain":
        content_type = "text/plain; charset=utf-8"
    else:
        content_type = base
    return {
        "Content-Type": content_type,
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": "inline" if inline else "attachment",
        "Cache-Control": f"private, max-age={max_age}",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
