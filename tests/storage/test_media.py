"""Media store: sniffed types, caps, content addressing, traversal and safe serving headers."""

from __future__ import annotations

import hashlib
import io
import os
import wave
from pathlib import Path

import pytest
from PIL import Image

from postil.core.errors import InvalidError, NotFoundError, TooLargeError
from postil.storage.media import MediaStore, safe_headers

MB = 1 << 20


def image_bytes(fmt: str, size: tuple[int, int] = (20, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def wav_bytes(seconds: float, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x00\x00" * int(seconds * rate))
    return out.getvalue()


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink())


@pytest.fixture
def store(tmp_path: Path) -> MediaStore:
    return MediaStore(tmp_path / "media")


def put(store: MediaStore, data: bytes, name: str, max_bytes: int = 10 * MB, project: int = 1):
    return store.put(project, io.BytesIO(data), name, max_bytes=max_bytes)


class TestPut:
    def test_png_is_stored_by_content_with_its_size(self, store: MediaStore) -> None:
        data = image_bytes("PNG")
        info = put(store, data, "cat.png")
        sha = hashlib.sha256(data).hexdigest()
        assert info.key == f"1/{sha[:2]}/{sha}.png"
        assert (info.kind, info.media_type, info.size) == ("image", "image/png", len(data))
        assert (info.width, info.height, info.duration, info.sha256) == (20, 10, None, sha)
        assert (store.root / info.key).read_bytes() == data
        assert stored_files(store.root) == [store.root / info.key]

    def test_same_content_is_stored_once(self, store: MediaStore) -> None:
        data = image_bytes("PNG")
        first = put(store, data, "a.png")
        second = put(store, data, "b.PNG")
        assert first.key == second.key
        assert stored_files(store.root) == [store.root / first.key]

    @pytest.mark.parametrize(
        ("fmt", "name", "media_type"),
        [
            ("JPEG", "a.jpg", "image/jpeg"),
            ("GIF", "a.gif", "image/gif"),
            ("WEBP", "a.webp", "image/webp"),
            ("BMP", "a.bmp", "image/bmp"),
            ("TIFF", "a.tiff", "image/tiff"),
            ("PNG", "noext", "image/png"),
        ],
    )
    def test_image_formats(self, store: MediaStore, fmt: str, name: str, media_type: str) -> None:
        info = put(store, image_bytes(fmt, (7, 5)), name)
        assert (info.kind, info.media_type, info.width, info.height) == ("image", media_type, 7, 5)

    def test_wav_duration(self, store: MediaStore) -> None:
        info = put(store, wav_bytes(0.5), "clip.wav")
        assert (info.kind, info.media_type, info.duration) == ("audio", "audio/wav", 0.5)
        assert info.key.endswith(".wav")

    @pytest.mark.parametrize(
        ("data", "name", "kind", "media_type"),
        [
            (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 64, "a.mp3", "audio", "audio/mpeg"),
            (b"\xff\xfb\x90\x64" + b"\x00" * 64, "a.mp3", "audio", "audio/mpeg"),
            (b"fLaC\x00\x00\x00\x22" + b"\x00" * 64, "a.flac", "audio", "audio/flac"),
            (
                b"OggS\x00\x02" + b"\x00" * 22 + b"\x01vorbis" + b"\x00" * 32,
                "a.ogg",
                "audio",
                "audio/ogg",
            ),
            (
                b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 32,
                "a.mp4",
                "video",
                "video/mp4",
            ),
            (
                b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00" * 32,
                "a.mov",
                "video",
                "video/quicktime",
            ),
            (
                b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 32,
                "a.webm",
                "video",
                "video/webm",
            ),
            ("Un chat noir — 猫\n".encode(), "caption.txt", "text", "text/plain"),
        ],
    )
    def test_other_kinds_by_magic(
        self, store: MediaStore, data: bytes, name: str, kind: str, media_type: str
    ) -> None:
        info = put(store, data, name)
        assert (info.kind, info.media_type) == (kind, media_type)
        assert (info.width, info.height) == (None, None)


class TestTakeBack:
    """A failed import takes back the files it created, and only those nobody put since."""

    def test_a_file_only_its_put_made_is_removed(self, store: MediaStore) -> None:
        kept = put(store, image_bytes("PNG"), "kept.png")
        made = put(store, image_bytes("GIF"), "made.gif")
        assert store.take_back([made]) == [made.key]
        assert stored_files(store.root) == [store.root / kept.key]
        assert not (store.root / made.key).parent.exists()  # its fan-out folder was its own

    def test_a_file_that_was_there_is_never_removed(self, store: MediaStore) -> None:
        first = put(store, image_bytes("PNG"), "a.png")
        again = put(store, image_bytes("PNG"), "b.png")
        assert first.new_mtime_ns is not None and again.new_mtime_ns is None
        assert store.take_back([again]) == []
        assert stored_files(store.root) == [store.root / first.key]

    def test_a_file_put_again_since_is_kept(self, store: MediaStore) -> None:
        made = put(store, image_bytes("PNG"), "a.png")
        put(store, image_bytes("PNG"), "b.png")  # another import, at once (same mtime tick)
        assert store.take_back([made]) == []
        assert (store.root / made.key).read_bytes() == image_bytes("PNG")

class TestRefused:
    @pytest.mark.parametrize(
        ("data", "name", "msg"),
        [
            (b"<html><script>alert(1)</script></html>", "cat.png", "not accepted"),
            (
                b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                "x.svg",
                "not accepted",
            ),
            (
                b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>',
                "x.xml",
                "not accepted",
            ),
            (b"\xef\xbb\xbf  <!DOCTYPE html><p>hi", "notes.txt", "not accepted"),
            (b"just text", "page.html", "not accepted"),
            (image_bytes("PNG"), "cat.svg", "not accepted"),
            (image_bytes("PNG"), "cat.jpg", "does not match"),
            (b"plain words", "cat.png", "does not match"),
            (b"\x00\x01\x02binary\xff\xfe", "blob.bin", "unsupported file type"),
            (b"caf\xe9 latin-1", "latin.txt", "unsupported file type"),
            (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 32, "a.heic", "unsupported file type"),
            (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "broken.png", "not a valid image"),
            (b"", "empty.txt", "empty"),
        ],
    )
    def test_refused_and_nothing_stored(
        self, store: MediaStore, data: bytes, name: str, msg: str
    ) -> None:
        with pytest.raises(InvalidError) as err:
            put(store, data, name)
        assert msg in err.value.message
        assert name in err.value.message
        assert stored_files(store.root) == []

    def test_over_max_bytes_is_too_large_and_leaves_nothing(self, store: MediaStore) -> None:
        with pytest.raises(TooLargeError, match="big.txt"):
            put(store, b"a" * 5000, "big.txt", max_bytes=1000)
        assert stored_files(store.root) == []

    def test_name_in_message_is_a_sanitised_base_name(self, store: MediaStore) -> None:
        with pytest.raises(InvalidError) as err:
            put(store, b"\x00\x01", "../../etc/evil\x1b[31m.bin")
        assert "evil[31m.bin" in err.value.message
        assert ".." not in err.value.message and "\x1b" not in err.value.message

    @pytest.mark.parametrize("project", [-1, True, "1"])
    def test_bad_project_id(self, store: MediaStore, project: object) -> None:
        with pytest.raises(InvalidError):
            store.put(project, io.BytesIO(b"x"), "a.txt", max_bytes=10)  # type: ignore[arg-type]


class TestImageBombs:
    def test_over_store_pixel_limit(self, tmp_path: Path) -> None:
        store = MediaStore(tmp_path / "media", max_image_pixels=1000)
        with pytest.raises(InvalidError, match="over the limit of 1000 pixels"):
            put(store, image_bytes("PNG", (100, 100)), "bomb.png")
        assert stored_files(store.root) == []

    @pytest.mark.parametrize("size", [(15, 10), (100, 100)])  # warning band, then error band
    def test_pillow_bomb_checks_become_invalid(
        self, store: MediaStore, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        data = image_bytes("PNG", size)
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
        with pytest.raises(InvalidError, match="pixels"):
            put(store, data, "bomb.png")
        assert stored_files(store.root) == []


class TestResolve:
    @pytest.mark.parametrize(
        "key",
        [
            "../etc/passwd",
            "/etc/passwd",
            "1/../../outside.png",
            "1\\..\\..\\x.png",
            "%2e%2e/%2e%2e/etc/passwd",
            "1%2fab%2fx.png",
            "..%2f..%2fetc",
            "1/ab/x\x00.png",
            "",
            "C:/windows/win.ini",
            "1/aa/" + "a" * 64 + ".png/..",
            "1/./aa/x.png",
        ],
    )
    def test_malformed_keys_are_not_found(self, store: MediaStore, key: str) -> None:
        put(store, image_bytes("PNG"), "a.png")
        with pytest.raises(NotFoundError) as err:
            store.resolve(key)
        assert err.value.message == "media not found"

    def test_missing_key_is_not_found(self, store: MediaStore) -> None:
        with pytest.raises(NotFoundError):
            store.resolve("1/ab/" + "ab" * 32 + ".png")

    def test_symlink_out_of_root_is_not_found(self, store: MediaStore, tmp_path: Path) -> None:
        secret = tmp_path / "secret.txt"
        secret.write_text("top secret")
        sha = "cd" * 32
        link = store.root / "2" / "cd" / f"{sha}.txt"
        link.parent.mkdir(parents=True)
        link.symlink_to(secret)
        with pytest.raises(NotFoundError):
            store.resolve(f"2/cd/{sha}.txt")

    def test_symlinked_project_dir_out_of_root_is_not_found(
        self, store: MediaStore, tmp_path: Path
    ) -> None:
        outside = tmp_path / "outside" / "cd"
        outside.mkdir(parents=True)
        sha = "cd" * 32
        (outside / f"{sha}.txt").write_text("secret")
        store.root.mkdir(parents=True, exist_ok=True)
        (store.root / "3").symlink_to(outside.parent)
        with pytest.raises(NotFoundError):
            store.resolve(f"3/cd/{sha}.txt")

    def test_open_returns_path_and_type(self, store: MediaStore) -> None:
        info = put(store, wav_bytes(0.1), "a.wav")
        path, found = store.open(info.key)
        assert path == (store.root / info.key).resolve()
        assert (found.key, found.kind, found.media_type, found.size, found.sha256) == (
            info.key,
            "audio",
            "audio/wav",
            info.size,
            info.sha256,
        )


class TestDeleteProject:
    def test_removes_only_that_project(self, store: MediaStore) -> None:
        gone = put(store, image_bytes("PNG"), "a.png", project=1)
        kept = put(store, image_bytes("PNG"), "a.png", project=2)
        store.delete_project(1)
        assert not (store.root / "1").exists()
        assert store.resolve(kept.key).is_file()
        with pytest.raises(NotFoundError):
            store.resolve(gone.key)

    def test_symlinked_project_dir_is_unlinked_not_followed(
        self, store: MediaStore, tmp_path: Path
    ) -> None:
        outside = tmp_path / "outside"
        outside.mkdir()
        (outside / "keep.txt").write_text("keep")
        store.root.mkdir(parents=True)
        (store.root / "4").symlink_to(outside)
        store.delete_project(4)
        assert (outside / "keep.txt").exists()
        assert not os.path.lexists(store.root / "4")

    def test_missing_project_is_fine(self, store: MediaStore) -> None:
        store.delete_project(99)


class TestSafeHeaders:
    @pytest.mark.parametrize("media_type", ["image/png", "audio/wav", "video/mp4"])
    def test_media_inline_with_own_type(self, media_type: str) -> None:
        headers = safe_headers(media_type)
        assert headers["Content-Type"] == media_type
        assert headers["Content-Disposition"] == "inline"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert headers["Cache-Control"].startswith("private, max-age=")

    @pytest.mark.parametrize(
        "media_type",
        [
            "text/html",
            "image/svg+xml",
            "application/xml",
            "text/xml",
            "application/x-unknown",
            "TEXT/HTML",
        ],
    )
    def test_active_or_unknown_is_an_attachment(self, media_type: str) -> None:
        headers = safe_headers(media_type)
        assert headers["Content-Disposition"] == "attachment"
        assert headers["Content-Type"] == "application/octet-stream"
        assert headers["X-Content-Type-Options"] == "nosniff"

    def test_text_gets_charset(self) -> None:
        assert safe_headers("text/plain")["Content-Type"] == "text/plain; charset=utf-8"

    def test_store_uses_its_cache_age(self, tmp_path: Path) -> None:
        store = MediaStore(tmp_path, cache_max_age=60)
        assert store.safe_headers("image/png")["Cache-Control"] == "private, max-age=60"
