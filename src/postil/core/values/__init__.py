"""Result values: validation and normalization of annotation results, one module per kind."""

from postil.core.values.context import ObjectContext
from postil.core.values.validate import VALIDATORS, validate_results

__all__ = ["VALIDATORS", "ObjectContext", "validate_results"]
