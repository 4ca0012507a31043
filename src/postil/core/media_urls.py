"""Which strings may stand for an image, audio or video: web URLs, relative paths, media data."""

from __future__ import annotations

import re

MEDIA_KINDS = frozenset({"image", "audio", "video"})
WEB_SCHEMES = frozenset({"http", "https"})

# A URL scheme as browsers read it (WHATWG URL): a letter, then letters, digits, + - .
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# Browsers drop tabs and newlines anywhere in a URL and C0 controls at either end, so
# "java\tscript:" is "javascript:"; refusing every control character closes all such spellings.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def media_url_problem(kind: str, value: str) -> str | None:
    """Why `value` cannot be the URL of a `kind` object, or None when it can.

    Allowed: http(s) URLs, references without a scheme (uploaded media under /api/media/,
    paths relative to the app) and data URIs of the object's own media type
    (data:image/... for an image). Anything else (javascript:, data:text/html, file:) could
    only ever run or leak something, never show media.
    """
    if kind not in MEDIA_KINDS:
        return None
    if _CONTROL.search(value):
        return f"{kind} URL contains a control character"
    found = _SCHEME.match(value.lstrip(" "))
    if found is None:
        return None
    scheme = found.group(1).lower()
    if scheme in WEB_SCHEMES:
        return None
    if scheme == "data":
        media_type = value.lstrip(" ")[found.end() :].split(";", 1)[0].split(",", 1)[0]
        if media_type.strip().lower().startswith(kind + "/"):
            return None
        return f"{kind} URL is a data URI of type {media_type.strip()[:40] or 'text/plain'!r}"
    return f"{kind} URL scheme {scheme[:40]!r} is not allowed (use http, https or an upload)"
