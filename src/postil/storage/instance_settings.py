"""Queries for instance-wide settings: one row per setting that differs from its default."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from postil.storage.tables import instance_settings


def get_all(conn: Connection) -> dict[str, Any]:
    rows = conn.execute(select(instance_settings.c.name, instance_settings.c.value))
    return {name: value for name, value in rows}


def put(conn: Connection, name: str, value: Any) -> None:
    found = conn.execute(update(instance_settings).where(instance_settings.c.name == name)
                         .values(value=value))
    if found.rowcount == 0:
        conn.execute(insert(instance_settings).values(name=name, value=value))
