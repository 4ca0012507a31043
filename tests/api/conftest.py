"""API test fixtures: cheap password hashing (argon2 still, smaller costs)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from postil.services import users

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test creates several users; default argon2 costs would dominate the run time."""
    monkeypatch.setattr(users, "_hasher", FAST_HASHER)
