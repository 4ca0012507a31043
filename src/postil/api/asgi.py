"""The ASGI entry point for uvicorn: settings from the environment."""

from __future__ import annotations

from postil.api.app import create_app

app = create_app()
