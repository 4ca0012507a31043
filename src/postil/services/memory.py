"""Giving memory back to the operating system after bulk work.

glibc keeps freed heap pages for reuse; after an import of a million tasks that is tens of
megabytes a long-running server would hold for nothing. malloc_trim returns them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

_LIBC_NAME = ctypes.util.find_library("c")
_LIBC = ctypes.CDLL(_LIBC_NAME) if _LIBC_NAME else None


def release_memory() -> None:
    """Collect garbage, then hand free heap pages back (a no-op where libc has no trim)."""
    gc.collect()
    trim = getattr(_LIBC, "malloc_trim", None)
    if trim is not None:
        trim(0)


# Uploads and exports this big leave heap behind worth handing back; a full collection costs
# too much (tens of milliseconds in a big process) to pay after small ones.
BULK_BYTES = 8 * 1024 * 1024


def release_after(size: int) -> None:
    """Hand memory back after bulk work of `size` bytes, if it was bulk."""
    if size >= BULK_BYTES:
        release_memory()
