"""Ids and versions: the integer ranges the databases hold (others must not reach a query)."""

from __future__ import annotations

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1  # ids: BIGINT on PostgreSQL, INTEGER on SQLite
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1  # versions: INTEGER on PostgreSQL
