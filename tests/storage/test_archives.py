"""Zip extraction: hostile entries are refused before any write, and failure leaves nothing."""

from __future__ import annotations

import io
import stat
import warnings
import zipfile
from pathlib import Path

import pytest

from postil.core.errors import InvalidError, TooLargeError
from postil.storage.archives import UnpackBudget, copy_capped, extract_zip, iter_media_files

MB = 1 << 20


def limits(max_entries: int = 100, max_bytes: int = 50 * MB, max_ratio: float = 200.0,
           packed_bytes: int = MB) -> UnpackBudget:
    return UnpackBudget(max_bytes=max_bytes, max_entries=max_entries, max_ratio=max_ratio,
                        packed_bytes=packed_bytes)


def build_zip(entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns on duplicate names
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return out.getvalue()


def symlink_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def lie_about_size(data: bytes, declared: int) -> bytes:
    """Rewrite the uncompressed size in the local and central headers of a one-entry zip."""
    patched = bytearray(data)
    local = patched.index(b"PK\x03\x04")
    central = patched.index(b"PK\x01\x02")
    patched[local + 22 : local + 26] = declared.to_bytes(4, "little")
    patched[central + 24 : central + 28] = declared.to_bytes(4, "little")
    return bytes(patched)


def snapshot(root: Path) -> set[Path]:
    return set(root.rglob("*"))


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "uploads").mkdir()
    return tmp_path / "uploads"


class TestExtract:
    def test_extracts_files_skipping_dotfiles_and_macosx(self, work: Path) -> None:
        data = build_zip(
            [
                ("images/", b""),
                ("images/a.png", b"png-a"),
                ("./b.txt", b"text-b"),
                ("__MACOSX/images/._a.png", b"junk"),
                (".DS_Store", b"junk"),
                ("images/.hidden/x.png", b"junk"),
            ]
        )
        dest = work / "dest"
        files = extract_zip(io.BytesIO(data), dest, limits())
        assert files == [dest / "b.txt", dest / "images" / "a.png"]
        assert (dest / "images" / "a.png").read_bytes() == b"png-a"
        assert sorted(p.name for p in work.iterdir()) == ["dest"]  # no staging left
        assert stat.S_IMODE(dest.stat().st_mode) == 0o700

    def test_accepts_a_path_and_an_empty_existing_dest(self, work: Path) -> None:
        src = work / "in.zip"
        src.write_bytes(build_zip([("a.txt", b"a")]))
        dest = work / "dest"
        dest.mkdir()
        assert extract_zip(src, dest, limits()) == [dest / "a.txt"]

    def test_non_empty_dest_is_refused(self, work: Path) -> None:
        dest = work / "dest"
        dest.mkdir()
        (dest / "old.txt").write_text("old")
        with pytest.raises(FileExistsError):
            extract_zip(io.BytesIO(build_zip([("a.txt", b"a")])), dest, limits())
        assert (dest / "old.txt").read_text() == "old"


class TestHostileEntries:
    @pytest.mark.parametrize(
        ("entry", "msg"),
        [
            ("../evil", "outside"),
            ("images/../../evil", "outside"),
            ("/tmp/abs-evil", "absolute"),
            ("C:/Windows/evil", "absolute"),
            ("..\\evil", "backslash"),
            ("a/b\nc.txt", "control character"),
            ("../.evil", "outside"),  # a dotfile is skipped only after the traversal check
        ],
    )
    def test_traversal_and_absolute_are_refused(self, work: Path, entry: str, msg: str) -> None:
        data = build_zip([("ok.txt", b"fine"), (entry, b"evil")])
        before = snapshot(work.parent)
        with pytest.raises(InvalidError) as err:
            extract_zip(io.BytesIO(data), work / "dest", limits())
        assert msg in err.value.message
        assert repr(entry) in err.value.message
        assert snapshot(work.parent) == before
        assert not Path("/tmp/abs-evil").exists()

    def test_symlink_entry_is_refused(self, work: Path) -> None:
        data = build_zip([("ok.txt", b"fine"), (symlink_entry("link"), b"/etc/passwd")])
        before = snapshot(work.parent)
        with pytest.raises(InvalidError, match="symbolic link"):
            extract_zip(io.BytesIO(data), work / "dest", limits())
        assert snapshot(work.parent) == before

    def test_duplicate_names_are_refused(self, work: Path) -> None:
        data = build_zip([("a.txt", b"one"), ("a.txt", b"two")])
        with pytest.raises(InvalidError, match="twice"):
            extract_zip(io.BytesIO(data), work / "dest", limits())
        assert list(work.iterdir()) == []

    def test_file_and_folder_clash_is_refused(self, work: Path) -> None:
        data = build_zip([("a", b"file"), ("a/b.txt", b"inside")])
        with pytest.raises(InvalidError, match="which is a file"):
            extract_zip(io.BytesIO(data), work / "dest", limits())
        assert list(work.iterdir()) == []

    def test_not_a_zip(self, work: Path) -> None:
        with pytest.raises(InvalidError, match="not a valid zip"):
            extract_zip(io.BytesIO(b"PK\x03\x04 but not really"), work / "dest", limits())
        assert list(work.iterdir()) == []


class TestBombs:
    def test_too_many_entries(self, work: Path) -> None:
        data = build_zip([(f"{i}.txt", b"x") for i in range(11)])
        with pytest.raises(TooLargeError, match="11 entries"):
            extract_zip(io.BytesIO(data), work / "dest", limits(max_entries=10))
        assert list(work.iterdir()) == []

    def test_declared_total_over_cap(self, work: Path) -> None:
        data = build_zip([("zeros.bin", b"\x00" * (10 * MB))])
        assert len(data) < 100_000
        with pytest.raises(TooLargeError, match="over 1048576 bytes"):
            extract_zip(io.BytesIO(data), work / "dest", limits(max_bytes=MB, max_ratio=1e9))
        assert list(work.iterdir()) == []

    def test_compression_ratio_over_cap(self, work: Path) -> None:
        data = build_zip([("zeros.bin", b"\x00" * (10 * MB))])
        with pytest.raises(TooLargeError, match="'zeros.bin' has a compression ratio"):
            extract_zip(io.BytesIO(data), work / "dest", limits())
        assert list(work.iterdir()) == []

    def test_header_lying_about_size_stops_and_leaves_nothing(self, work: Path) -> None:
        data = lie_about_size(build_zip([("liar.bin", b"\x00" * MB)]), declared=100)
        with pytest.raises((InvalidError, TooLargeError), match="liar.bin"):
            extract_zip(io.BytesIO(data), work / "dest", limits(max_bytes=1000))
        assert list(work.iterdir()) == []

    def test_copy_counts_real_bytes_not_declared_ones(self) -> None:
        out = io.BytesIO()
        with pytest.raises(TooLargeError, match="liar.bin"):
            copy_capped(io.BytesIO(b"\x00" * 5000), out, 1000, "liar.bin")
        assert len(out.getvalue()) <= 1000


class TestOneBudgetPerUpload:
    """Every archive of an upload, at every level of nesting, spends one budget."""

    def test_a_second_archive_spends_what_the_first_left(self, work: Path) -> None:
        data = build_zip([("zeros.bin", b"\x00" * (6 * MB))])
        budget = limits(max_bytes=10 * MB, max_ratio=1e9)
        extract_zip(io.BytesIO(data), work / "first", budget)
        with pytest.raises(TooLargeError, match="over 10485760 bytes"):
            extract_zip(io.BytesIO(data), work / "second", budget)
        assert sorted(p.name for p in work.iterdir()) == ["first"]

    def test_entries_count_across_archives(self, work: Path) -> None:
        data = build_zip([(f"{i}.txt", b"x") for i in range(6)])
        budget = limits(max_entries=10)
        extract_zip(io.BytesIO(data), work / "first", budget)
        with pytest.raises(TooLargeError, match="6 entries \\(and 6 before it\\), over the "
                                                "limit of 10"):
            extract_zip(io.BytesIO(data), work / "second", budget)
        assert sorted(p.name for p in work.iterdir()) == ["first"]

    def test_small_entries_cannot_dodge_the_ratio(self, work: Path) -> None:
        # Each entry is under the 1 MiB below which one entry's ratio is not judged.
        data = build_zip([(f"{i}.bin", b"\x00" * (MB - 1)) for i in range(20)])
        assert len(data) < 40_000
        budget = limits(max_bytes=50 * MB, packed_bytes=len(data))
        with pytest.raises(TooLargeError, match="compression ratio over the limit of 200"):
            extract_zip(io.BytesIO(data), work / "dest", budget)
        assert list(work.iterdir()) == []

    def test_a_small_file_may_compress_well(self, work: Path) -> None:
        data = build_zip([("spaces.txt", b" " * 900_000)])
        assert len(data) < 2000
        files = extract_zip(io.BytesIO(data), work / "dest", limits(packed_bytes=len(data)))
        assert [p.stat().st_size for p in files] == [900_000]

    def test_nesting_deeper_than_three_is_refused(self) -> None:
        budget = limits()
        with budget.nested("a.zip"), budget.nested("a.zip/b.zip"), \
                budget.nested("a.zip/b.zip/c.zip"), pytest.raises(InvalidError) as err, \
                budget.nested("a.zip/b.zip/c.zip/d.zip"):
            pass
        assert err.value.message == ("a.zip/b.zip/c.zip/d.zip: archives nested more than 3 "
                                     "deep are not accepted")
        with budget.nested("e.zip"):  # the levels are handed back on the way out
            pass


class TestIterMediaFiles:
    def test_sorted_regular_files_without_symlinks(self, tmp_path: Path) -> None:
        folder = tmp_path / "folder"
        outside = tmp_path / "outside"
        (folder / "b").mkdir(parents=True)
        (folder / ".git").mkdir()
        (folder / "__MACOSX").mkdir()
        outside.mkdir()
        (outside / "secret.png").write_bytes(b"secret")
        for rel in ("z.png", "a.png", "b/c.png", ".hidden.png", ".git/x.png", "__MACOSX/y.png"):
            (folder / rel).write_bytes(b"x")
        (folder / "link.png").symlink_to(outside / "secret.png")
        (folder / "linkdir").symlink_to(outside)
        assert list(iter_media_files(folder)) == [
            folder / "a.png",
            folder / "b" / "c.png",
            folder / "z.png",
        ]
