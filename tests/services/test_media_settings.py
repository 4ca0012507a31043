"""Media limits from the settings reach the media store used by imports."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from tests.conftest import empty_database

from postil.core.errors import InvalidError
from postil.services import imports, projects, users
from postil.services.runtime import Actor, Runtime
from postil.settings import Settings


def test_image_pixel_cap_from_settings_refuses_big_images(settings: Settings,
                                                          tmp_path: Path) -> None:
    capped = settings.model_copy(update={"max_image_pixels": 100})
    rt = Runtime.open(capped, upgrade=False)
    try:
        user = users.create_user(rt, "owner", "long enough password", is_admin=True)
        actor = Actor(user["id"], user["username"], True)
        pid = projects.create_project(rt, actor, "Photos", template="image_classification")["id"]
        big = tmp_path / "big.png"
        buffer = io.BytesIO()
        Image.new("RGB", (40, 40), "red").save(buffer, format="PNG")
        big.write_bytes(buffer.getvalue())
        with pytest.raises(InvalidError):
            imports.import_sources(rt, actor, pid, [imports.ImportSource("big.png", big)])
        assert projects.get_project(rt, actor, pid)["task_count"] == 0
    finally:
        empty_database(rt)
        rt.close()
