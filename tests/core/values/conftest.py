"""The schema with every control kind, as a fixture."""

from __future__ import annotations

import pytest

from postil.core.schema import Schema, parse_schema

from .support import DOC


@pytest.fixture(scope="session")
def schema() -> Schema:
    return parse_schema(DOC)
