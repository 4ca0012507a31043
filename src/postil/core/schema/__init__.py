"""Label schema: model, parsing, templates, Label Studio XML conversion and evolution."""

from postil.core.schema.model import (
    ControlSpec,
    LabelSpec,
    ObjectSpec,
    Schema,
    Skeleton,
    TaxonomyNode,
)
from postil.core.schema.parse import parse_schema

__all__ = [
    "ControlSpec",
    "LabelSpec",
    "ObjectSpec",
    "Schema",
    "Skeleton",
    "TaxonomyNode",
    "parse_schema",
]
