"""Text at rest: encrypted with STATE_KEY (Fernet), or not written at all.

Resume text, findings (they quote the resume), structure and job descriptions
travel as one payload per row. With a key the payload is compressed and
encrypted before it reaches the database, and the key is never stored there.
Without a key the payload stays in this process's memory only, so follow-ups
work until a restart (`doctor` says so) and the database holds scores alone.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken


class Vault:
    """Seals payloads for the database, or keeps them in memory when there is no key."""

    def __init__(self, key: str | None) -> None:
        self._fernet = Fernet(key.encode()) if key else None
        self._memory: dict[tuple[str, int], dict[str, Any]] = {}

    @property
    def durable(self) -> bool:
        """True when text survives a restart (it is written encrypted)."""
        return self._fernet is not None

    def seal(self, payload: dict[str, Any]) -> bytes | None:
        """The bytes to store, or None (no key: nothing textual goes to disk)."""
        if self._fernet is None:
            return None
        raw = zlib.compress(json.dumps(payload, ensure_ascii=False).encode(), 6)
        return self._fernet.encrypt(raw)

    def open(self, token: bytes | None) -> dict[str, Any] | None:
        """A stored payload back; None when missing or sealed with another key."""
        if token is None or self._fernet is None:
            return None
        try:
            return json.loads(zlib.decompress(self._fernet.decrypt(bytes(token))))
        except (InvalidToken, zlib.error, ValueError):
            return None  # the key changed: the row's text is unreadable, its scores still count

    # --- memory-only payloads (no key) --------------------------------------------------
    def keep(self, table: str, row_id: int, payload: dict[str, Any]) -> None:
        if self._fernet is None:
            self._memory[(table, row_id)] = payload

    def recall(self, table: str, row_id: int) -> dict[str, Any] | None:
        return self._memory.get((table, row_id))

    def drop(self, table: str, row_ids: list[int]) -> None:
        for row_id in row_ids:
            self._memory.pop((table, row_id), None)
