"""Two models side by side (A/B): which one a person gets, the same one every time.

With `HUGGINGFACE_MODEL_B` set, a share `MODEL_B_SHARE` of people are given model B. The
choice is a hash of the person's platform id, not a coin toss per review, so a person sees
one model consistently and a restart changes nothing; the result's engine name says which.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from core.config import Settings

HASH_BYTES = 8  # 64 bits: far finer than any share anyone will set


def share_point(person: str) -> float:
    """Where `person` falls in [0, 1), the same on every machine and every run."""
    digest = hashlib.sha256(f"resume-bot-ab:{person}".encode()).digest()
    return int.from_bytes(digest[:HASH_BYTES], "big") / 2 ** (8 * HASH_BYTES)


def model_for(person: str, settings: Settings) -> str:
    """The model `person` is assigned: B for a `MODEL_B_SHARE` of people, else the usual one."""
    model_b = (settings.huggingface_model_b or "").strip()
    if not model_b or share_point(person) >= settings.model_b_share:
        return settings.huggingface_model
    return model_b


def settings_for(person: str, settings: Settings) -> Settings:
    """`settings` with `person`'s model (the same object when nothing changes)."""
    model = model_for(person, settings)
    if model == settings.huggingface_model:
        return settings
    return replace(settings, huggingface_model=model)
