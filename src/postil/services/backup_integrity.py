"""What a backup archive carries to prove it is whole: a SHA-256 of every file, and optionally
an HMAC-SHA256 of its manifest under a key the administrator keeps.

The manifest holds the SHA-256 of each table file and of `media.sha256`, which lists the
SHA-256 of each media file (`sha256sum` format: one line per file). Checksums catch a file
that was corrupted or edited on its own; whoever edits a file can also rewrite the manifest
to match, and only the signature, which needs the key, catches that.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from postil.core.errors import InvalidError

SIGNATURE = "manifest.hmac"
MEDIA_LIST = "media.sha256"
MIN_KEY_BYTES = 32
MAX_KEY_BYTES = 4096
MAX_SIGNATURE_BYTES = 256
CHUNK = 1 << 20
HEX64 = re.compile(r"[0-9a-f]{64}")
LISTING_LINE = re.compile(r"(?P<sha>[0-9a-f]{64})  (?P<name>media/[^\n]+)")


def load_key(path: Path) -> bytes:
    """A signing key from a file the administrator keeps (surrounding whitespace ignored)."""
    try:
        with path.open("rb") as f:
            key = f.read(MAX_KEY_BYTES + 1).strip()
    except OSError as exc:
        raise key_error(path, f"cannot be read ({exc.strerror})") from None
    if len(key) > MAX_KEY_BYTES:
        raise key_error(path, f"is over {MAX_KEY_BYTES} bytes: not a key file")
    if len(key) < MIN_KEY_BYTES:
        raise key_error(path, f"holds {len(key)} bytes; a key needs {MIN_KEY_BYTES} or more "
                        "(make one with `openssl rand -hex 32`)")
    return key


def key_error(path: Path, msg: str) -> InvalidError:
    return InvalidError(f"key file {path}: {msg}", [{"loc": ["key_file"], "msg": msg}])


def sign(manifest: bytes, key: bytes) -> bytes:
    """The signature member's content: the hex HMAC-SHA256 of the manifest's exact bytes."""
    return hmac.new(key, manifest, hashlib.sha256).hexdigest().encode() + b"\n"


def check_signature(manifest: bytes, signature: bytes | None, key: bytes) -> None:
    """InvalidError unless `signature` is the manifest's HMAC under `key`."""
    if signature is None:
        raise tampered("the backup is not signed, but a key to verify it was given")
    if not hmac.compare_digest(signature.strip(), sign(manifest, key).strip()):
        raise tampered(f"the signature in {SIGNATURE} does not match: the archive was changed "
                       "after it was signed, or it was signed with another key")


def tampered(msg: str) -> InvalidError:
    return InvalidError(f"refused backup: {msg}", [{"loc": ["file"], "msg": msg}])


def copy_hashing(source: IO[bytes], out: IO[bytes]) -> tuple[int, str]:
    """Copy a stream; its size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        out.write(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_listing(checksums: Iterable[tuple[str, str]]) -> bytes:
    """`sha256sum` lines for (archive name, SHA-256) pairs, sorted by name."""
    return "".join(f"{sha}  {name}\n" for name, sha in sorted(checksums)).encode()


def parse_media_listing(data: bytes) -> dict[str, str]:
    """Archive name -> SHA-256 from a listing; InvalidError names a malformed line."""
    listed: dict[str, str] = {}
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        match = LISTING_LINE.fullmatch(line)
        if match is None or match["name"] in listed:
            msg = f"line {number} is not '<sha256>  media/<key>', or repeats a file"
            raise InvalidError(f"malformed backup: {MEDIA_LIST} {msg}",
                               [{"loc": [MEDIA_LIST, number], "msg": msg}])
        listed[match["name"]] = match["sha"]
    return listed


def is_sha256(value: object) -> bool:
    return isinstance(value, str) and HEX64.fullmatch(value) is not None
