"""The model answer cache as the AI engine sees it: one person's view of the state store.

The store keeps answers by the hash of what was asked (`ai_engine.cache_key`), sealed like
other resume text; the person is recorded so `forget` removes what their reviews filled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.state.store import StateStore


@dataclass(frozen=True, slots=True)
class ModelCache:
    """`ai_engine.AnswerCache` over the state store, for reviews of `person`."""

    store: StateStore
    person: str

    async def get(self, key: str) -> dict[str, Any] | None:
        return await self.store.cached_answer(key)

    async def put(self, key: str, answer: dict[str, Any]) -> None:
        await self.store.keep_answer(key, self.person, answer)
