"""Tests of postil.core.geometry."""
