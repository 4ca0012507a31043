"""Tests of postil.core.values."""
