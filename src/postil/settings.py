"""Settings from the environment (prefix POSTIL_) and CLI flags, passed down explicitly."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of a Postil install; the defaults suit one machine."""

    model_config = SettingsConfigDict(env_prefix="POSTIL_", extra="ignore")

    data_dir: Path = Field(default=Path(".postil"), description="Database, media and secrets.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; SQLite if unset.")
    redis_url: str | None = Field(default=None, description="Redis for job workers, if set.")
    max_upload_bytes: int = Field(default=2 * 1024**3, description="Largest import body.")
    max_media_bytes: int = Field(default=512 * 1024**2, description="Largest single media file.")
    max_image_pixels: int = Field(default=100_000_000, description="Pillow decompression cap.")
    max_zip_entries: int = 100_000
    max_zip_ratio: float = 200.0
    session_days: int = 14
    login_throttle: bool = Field(
        default=True, description="Delay logins after repeated failures, per account and address.")
    login_free_failures: int = Field(
        default=5, ge=1, description="Failures in a row before logins wait (1 s, doubling).")
    login_max_delay_seconds: int = Field(
        default=300, ge=1, description="The longest wait after failed logins.")
    lease_seconds: int = 600
    signup_open: bool = False
    secure_cookies: bool = False
    allow_private_urls: bool = Field(default=False, description="URL imports may reach LAN IPs.")
    allowed_url_hosts: list[str] = Field(default_factory=list)

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'postil.db').resolve()}"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    def ensure_dirs(self) -> None:
        """The data and media folders, created readable by their owner only."""
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.media_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
