"""Postil: data labeling and annotation."""

__version__ = "0.1.0"
