"""Text tidy-up every reader shares: spaces, hyphens, ligatures, icon glyphs, controls."""

from __future__ import annotations

import re
import unicodedata

# Bullet glyphs PDF and Word emit; a line starting with one (then a space) is a list item.
BULLET_GLYPHS = "•▪▫◦●○■□►▸‣⁃∙·*-–—➢➤✓✔❖♦◆➔→"

# Font Awesome code points (private use area) that stand for a kind of contact detail.
PRIVATE_ICONS = {
    "\uf09b": "github", "\uf113": "github", "\uf092": "github",
    "\uf08c": "linkedin", "\uf0e1": "linkedin",
    "\uf099": "twitter", "\ue61b": "twitter", "\uf081": "twitter",
    "\uf09a": "facebook", "\uf39e": "facebook", "\uf082": "facebook",
    "\uf16d": "instagram",
    "\uf0e0": "email", "\uf003": "email", "\uf199": "email",
    "\uf095": "phone", "\uf10b": "phone", "\uf3cd": "phone", "\uf098": "phone",
    "\uf3c5": "location", "\uf041": "location", "\uf015": "location",
    "\uf0c1": "website", "\uf0ac": "website", "\uf57d": "website",
    "\uf8d2": "orcid", "\uf4e2": "researchgate", "\uf4f6": "mastodon",
}

_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


def tidy(text: str) -> str:
    """One space between words; hyphens, ligatures and NBSPs as plain text; controls and icons gone."""
    text = _ZERO_WIDTH.sub("", text)
    text = text.replace("\u00ad", "-").replace("\u2011", "-").replace("\u2010", "-")
    for lig, plain in _LIGATURES.items():
        text = text.replace(lig, plain)
    text = "".join(ch for ch in text if ch == "\x02" or unicodedata.category(ch) not in ("Cc", "Cs", "Cn") or ch == "\t")
    return _SPACES.sub(" ", text).strip()
