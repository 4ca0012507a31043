"""The FastAPI application: routers, error table, security headers, docs and the web app."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from postil import __version__
from postil.api import errors
from postil.api.body import MAX_JSON_BYTES
from postil.api.routers import annotations as annotations_routes
from postil.api.routers import (
    audit,
    auth,
    exports,
    imports,
    instance_settings,
    media,
    projects,
    schemas,
    tasks,
    users,
)
from postil.api.security import BodyLimits, SecurityHeaders
from postil.services.imports import recover_interrupted
from postil.services.runtime import Runtime
from postil.settings import Settings

# Routes match in order, router by router: the labeling loop's routes come first.
ROUTERS = (tasks, annotations_routes, auth, users, projects, schemas, imports, exports, media,
           audit, instance_settings)
WEB_DIR = Path(str(files("postil.api") / "static"))
DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:")


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """The app for the settings; tests may hand in a runtime they opened themselves."""
    settings = settings or (runtime.settings if runtime else Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rt = runtime or Runtime.open(settings)
        recover_interrupted(rt)
        rt.indexer.start()
        app.state.runtime = rt
        if runtime is None:
            # What start-up loaded lives as long as the server: keep it out of the collector's
            # full passes, which otherwise walk it all (10% of a million-task import).
            gc.freeze()
        yield
        if runtime is None:
            rt.close()

    app = FastAPI(title="Postil", version=__version__, lifespan=lifespan,
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
                  description="Data labeling and annotation. Authenticate with a session "
                  "cookie (+ X-CSRF-Token header) or `Authorization: Token <token>`.")
    if runtime is not None:
        app.state.runtime = runtime
    errors.install(app)
    for module in ROUTERS:
        app.include_router(module.router)
    _docs(app)
    _web(app)
    app.add_middleware(BodyLimits, default=MAX_JSON_BYTES, uploads=settings.max_upload_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def _docs(app: FastAPI) -> None:
    app.mount("/api/docs-assets", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url="/api/openapi.json", title="Postil API",
            swagger_js_url="/api/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/api/docs-assets/swagger-ui.css",
            swagger_favicon_url="/api/docs-assets/favicon.png")
        # Swagger UI starts from an inline script; this page shows no user content.
        page.headers["Content-Security-Policy"] = DOCS_CSP
        return page

    @app.get("/api/health", include_in_schema=False)
    def health() -> JSONResponse:
        return JSONResponse({"status": "ok", "version": __version__})


def _web(app: FastAPI) -> None:
    """The built web app; any non-API path falls back to index.html (client-side routes)."""
    index = WEB_DIR / "index.html"
    if (WEB_DIR / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=WEB_DIR / "assets"), name="assets")

    @app.get("/{path:path}", include_in_schema=False, response_model=None)
    def web(path: str) -> Response:
        if path.startswith("api/"):
            return JSONResponse({"detail": "not found"}, status_code=404)
        if index.is_file():
            return FileResponse(index, headers={"Cache-Control": "no-cache"})
        return HTMLResponse("<h1>Postil</h1><p>The web app is not built: run "
                            "<code>make web</code>. The API is at <a href='/api/docs'>/api/docs"
                            "</a>.</p>")
