"""The committed OpenAPI document is what the app serves; the docs page works offline."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from postil.api.app import create_app
from postil.api.models import ErrorOut
from postil.api.openapi import document

COMMITTED = Path(__file__).parents[2] / "openapi.json"


def test_committed_openapi_matches_the_app() -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(create_app().openapi()))
    assert committed == json.loads(json.dumps(document()))


def test_served_openapi_matches_the_app(client_for) -> None:  # type: ignore[no-untyped-def]
    served = client_for(None).get("/api/openapi.json")
    assert served.status_code == 200
    assert served.json() == json.loads(COMMITTED.read_text(encoding="utf-8"))


def test_docs_page_is_html(client_for) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = client_for(None)
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "swagger-ui" in response.text
    assert "/api/openapi.json" in response.text
    asset = client.get("/api/docs-assets/swagger-ui-bundle.js")
    assert asset.status_code == 200


def test_every_operation_has_an_id_and_a_tag() -> None:
    for path, operations in create_app().openapi()["paths"].items():
        for method, operation in operations.items():
            assert operation.get("operationId"), (method, path)
            assert operation.get("tags"), (method, path)


def test_declared_422_body_is_the_one_sent(make_user, client_for) -> None:  # type: ignore[no-untyped-def]
    """Request validation and domain errors both send ErrorOut, and that is what is declared."""
    doc = create_app().openapi()
    declared = doc["paths"]["/api/projects"]["post"]["responses"]["422"]["content"]
    assert declared["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    client: TestClient = client_for(make_user())
    for body in ({"name": ["not", "a", "string"]}, {"name": "neither schema nor template"}):
        response = client.post("/api/projects", json=body)
        assert response.status_code == 422
        error = ErrorOut.model_validate(response.json())
        assert error.detail and error.errors and error.errors[0].msg
