"""resume-bot's core: reads, reviews and rewrites resumes. Never imports Slack or Discord.

`from core import review_resume` still works, but nothing is imported until a
name is asked for: importing `resume_bot.cli` (or any one core module) must not pull
in the parsers, the exporter and the model engine through this file.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.config import Settings as Settings
    from core.config import load_settings as load_settings
    from core.errors import ResumeBotError as ResumeBotError
    from core.models import ReviewResult as ReviewResult
    from core.review import (
        ReviewRequest as ReviewRequest,
    )
    from core.review import (
        check_upload_size as check_upload_size,
    )
    from core.review import (
        review_resume as review_resume,
    )

_WHERE = {
    "ResumeBotError": "core.errors",
    "ReviewRequest": "core.review",
    "ReviewResult": "core.models",
    "Settings": "core.config",
    "check_upload_size": "core.review",
    "load_settings": "core.config",
    "review_resume": "core.review",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'core' has no attribute {name!r}")
