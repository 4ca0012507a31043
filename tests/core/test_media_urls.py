"""Media fields hold URLs that can only be media: web URLs, relative paths, media data URIs."""

from __future__ import annotations

import pytest

from postil.core.media_urls import media_url_problem

SCHEME_REFUSED = "image URL scheme {!r} is not allowed (use http, https or an upload)"


@pytest.mark.parametrize("url", [
    "https://example.com/a.jpg",
    "http://example.com/a.png",
    "HTTPS://EXAMPLE.COM/A.JPG",
    "  https://example.com/a.jpg",
    "//cdn.example.com/a.png",
    "/api/media/ab/cdef.png",
    "/data/local-files/?d=project1/images/photo.jpg",
    "a.png",
    "images/1.jpg",
    "https://example.com/a.png?next=javascript:alert(1)",
    "data:image/png;base64,iVBORw0KGgo=",
    "DATA:Image/PNG;base64,iVBORw0KGgo=",
    "data:image/svg+xml,%3Csvg%3E%3C/svg%3E",
])
def test_image_urls_that_can_be_media(url: str) -> None:
    assert media_url_problem("image", url) is None


@pytest.mark.parametrize(("url", "problem"), [
    ("javascript:alert(1)", SCHEME_REFUSED.format("javascript")),
    (" JaVaScRiPt:alert(1)", SCHEME_REFUSED.format("javascript")),
    ("vbscript:msgbox(1)", SCHEME_REFUSED.format("vbscript")),
    ("file:///etc/passwd", SCHEME_REFUSED.format("file")),
    ("blob:https://example.com/0b1c", SCHEME_REFUSED.format("blob")),
    ("java\tscript:alert(1)", "image URL contains a control character"),
    ("java\nscript:alert(1)", "image URL contains a control character"),
    ("\x01javascript:alert(1)", "image URL contains a control character"),
    ("https://example.com/a.png\x00", "image URL contains a control character"),
    ("data:text/html,<script>alert(1)</script>",
     "image URL is a data URI of type 'text/html'"),
    ("DATA:Text/HTML;base64,PHNjcmlwdD4=", "image URL is a data URI of type 'Text/HTML'"),
    ("data:,hello", "image URL is a data URI of type 'text/plain'"),
    ("data:audio/wav;base64,UklGRg==", "image URL is a data URI of type 'audio/wav'"),
])
def test_image_urls_that_cannot_be_media(url: str, problem: str) -> None:
    assert media_url_problem("image", url) == problem


def test_audio_and_video_take_their_own_data_uris() -> None:
    assert media_url_problem("audio", "data:audio/wav;base64,UklGRg==") is None
    assert media_url_problem("video", "data:video/mp4;base64,AAAA") is None
    assert media_url_problem("audio", "data:image/png;base64,iVBO") == (
        "audio URL is a data URI of type 'image/png'")
    assert media_url_problem("video", "javascript:alert(1)") == (
        "video URL scheme 'javascript' is not allowed (use http, https or an upload)")


def test_text_is_text_whatever_it_says() -> None:
    assert media_url_problem("text", "javascript:alert(1)") is None
