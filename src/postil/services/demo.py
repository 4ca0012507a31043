"""Demo projects with sample data: photos shipped with scikit-image, texts, spoken commands."""

from __future__ import annotations

import io
import secrets
from importlib.resources import files
from pathlib import Path

from PIL import Image

from postil.core.errors import ConflictError
from postil.services import imports, projects, users
from postil.services.cli_actor import actor_for
from postil.services.runtime import Actor, Runtime
from postil.settings import Settings
from postil.storage import users as user_rows
from postil.storage.db import read

PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "camera", "cat", "immunohistochemistry")
ADMIN = "admin"
DEMO_DIR = files("postil") / "demo"


def _photos(folder: Path) -> list[imports.ImportSource]:
    from skimage import data

    sources = []
    for name in PHOTOS:
        loader = getattr(data, name, None)
        if loader is None:
            continue
        image = Image.fromarray(loader())
        target = folder / f"{name}.png"
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        target.write_bytes(buffer.getvalue())
        sources.append(imports.ImportSource(target.name, target))
    return sources


def _demo_file(name: str) -> Path:
    return Path(str(DEMO_DIR / name))


def _projects(rt: Runtime, actor: Actor, staging: Path) -> None:
    photos = _photos(staging)
    texts = imports.ImportSource("texts.jsonl", _demo_file("texts.jsonl"))
    audio = [imports.ImportSource(p.name, p) for p in sorted(_demo_file(".").glob("*.wav"))]
    plan = [
        ("Image classification", "image_classification", photos),
        ("Object detection", "object_detection", photos),
        ("Named entities", "named_entities", [texts]),
        ("Sentiment", "sentiment", [texts]),
        ("Voice commands", "voice_command_classification", audio),
    ]
    for title, template, sources in plan:
        project = projects.create_project(rt, actor, title, template=template)
        imports.import_sources(rt, actor, project["id"], sources)


def _has_users(rt: Runtime) -> bool:
    with read(rt.engine) as conn:
        return user_rows.count_users(conn) > 0


def seed(settings: Settings) -> tuple[str, str]:
    """Create the admin and demo projects once; return the login (kept in the data dir).

    The demo is the instance every other command finds by default, so `postil user create`
    adds people to it; an instance with users of its own is refused rather than mixed with
    sample projects."""
    rt = Runtime.open(settings)
    try:
        login_file = settings.data_dir / "demo-login.txt"
        if login_file.exists():
            name, password = login_file.read_text().split("\n")[:2]
            return name, password
        if _has_users(rt):
            raise ConflictError(f"the instance in {settings.data_dir} has users and is not a "
                                "demo; give the demo a folder of its own with --data-dir")
        password = secrets.token_urlsafe(9)
        users.create_user(rt, ADMIN, password, is_admin=True)
        staging = settings.data_dir / "demo-staging"
        staging.mkdir(exist_ok=True)
        _projects(rt, actor_for(rt, ADMIN), staging)
        login_file.write_text(f"{ADMIN}\n{password}\n")
        login_file.chmod(0o600)
        return ADMIN, password
    finally:
        rt.close()
