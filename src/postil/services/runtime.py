"""What every use case needs: settings, the database engine and the media store."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Engine

from postil.services.indexing import Indexer
from postil.settings import Settings
from postil.storage import migrate
from postil.storage.checkpoints import WalCheckpointer
from postil.storage.db import is_sqlite, make_engine, writer_if_free
from postil.storage.media import MediaStore
from postil.storage.scratch import remove_abandoned_dirs


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


@dataclass(frozen=True, slots=True)
class Runtime:
    settings: Settings
    engine: Engine
    media: MediaStore
    indexer: Indexer
    checkpointer: WalCheckpointer

    @classmethod
    def open(cls, settings: Settings, *, upgrade: bool = True) -> Runtime:
        """Connect, bring the database schema up to date, and open the media store."""
        settings.ensure_dirs()
        url = settings.sqlalchemy_url
        if upgrade:
            migrate.upgrade(url)
        engine = make_engine(url, background_checkpoints=True, json_serializer=_dumps,
                             json_deserializer=orjson.loads)
        checkpointer = WalCheckpointer(engine)
        checkpointer.start()
        media = MediaStore(settings.media_dir, max_image_pixels=settings.max_image_pixels)
        remove_abandoned_dirs(settings.data_dir)  # what a crash left: uploads, unpacked zips
        media.remove_abandoned()
        return cls(settings=settings, engine=engine, media=media, indexer=Indexer(engine),
                   checkpointer=checkpointer)

    @property
    def reads_in_place(self) -> bool:
        """Whether a short read is worth running on the event loop: SQLite's are a local file
        read; PostgreSQL's wait on the network."""
        return is_sqlite(self.engine)

    def writer_if_free(self) -> AbstractContextManager[bool]:
        """Holds the database's writer for a block if it is free right now (SQLite only)."""
        return writer_if_free(self.engine)

    def close(self) -> None:
        self.indexer.stop()
        self.checkpointer.stop()
        self.engine.dispose()


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated user a use case acts for."""

    user_id: int
    username: str
    is_admin: bool = False
