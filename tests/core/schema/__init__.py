"""Tests of postil.core.schema."""
