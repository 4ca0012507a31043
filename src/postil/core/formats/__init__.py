"""Import readers and export formats; importing this package registers the built-in formats."""

from __future__ import annotations

from postil.core.formats import csv, json, jsonl, labelstudio_json
from postil.core.formats.registry import (
    ExportContext,
    ExportFormat,
    ExportReport,
    FormatInfo,
    get_format,
    list_formats,
    register_format,
)

__all__ = [
    "ExportContext",
    "ExportFormat",
    "ExportReport",
    "FormatInfo",
    "csv",
    "get_format",
    "json",
    "jsonl",
    "labelstudio_json",
    "list_formats",
    "register_format",
]
