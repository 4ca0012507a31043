"""The one table mapping domain errors to HTTP status codes, and the handlers that use it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from postil.api.models import ErrorOut
from postil.core.errors import (
    ConflictError,
    ForbiddenError,
    InvalidError,
    NotFoundError,
    PostilError,
    ThrottledError,
    TooLargeError,
    UnauthenticatedError,
)

STATUS: dict[type[PostilError], int] = {
    InvalidError: 422,
    NotFoundError: 404,
    ForbiddenError: 403,
    UnauthenticatedError: 401,
    ConflictError: 409,
    TooLargeError: 413,
    ThrottledError: 429,
}


def status_of(err: PostilError) -> int:
    for kind in type(err).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def error_body(err: PostilError) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": err.message}
    if isinstance(err, InvalidError):
        body["errors"] = err.errors
    if isinstance(err, ConflictError) and err.current is not None:
        body["current"] = err.current
    return body


async def _domain(_request: Request, err: Exception) -> JSONResponse:
    # Registered for PostilError only: the assert narrows the type for mypy, it checks nothing.
    assert isinstance(err, PostilError)  # noqa: S101  # nosec B101
    headers = {"Retry-After": str(err.retry_after)} if isinstance(err, ThrottledError) else None
    return JSONResponse(jsonable_encoder(error_body(err)), status_code=status_of(err),
                        headers=headers)


async def _validation(_request: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, RequestValidationError)  # noqa: S101  # nosec B101  # as above
    errors = [{"loc": list(e.get("loc", [])), "msg": e.get("msg", "invalid")}
              for e in err.errors()]
    return JSONResponse({"detail": "invalid request", "errors": jsonable_encoder(errors)},
                        status_code=422)


def _documented(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The app's OpenAPI with our 422 body (ErrorOut) in place of FastAPI's own, which the
    handlers above never send."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        doc = generate()  # cached by FastAPI as app.openapi_schema: edited in place
        schemas = doc["components"]["schemas"]
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        error = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(error.pop("$defs"), ErrorOut=error)
        for operation in (op for item in doc["paths"].values() for op in item.values()):
            if "422" in operation["responses"]:
                content = operation["responses"]["422"]["content"]["application/json"]
                content["schema"] = {"$ref": "#/components/schemas/ErrorOut"}
        return doc

    return openapi


def install(app: FastAPI) -> None:
    app.add_exception_handler(PostilError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.openapi = _documented(app)  # type: ignore[method-assign]  # FastAPI's documented hook
