"""resume-bot's core: reads, reviews and rewrites resumes. Never imports Slack or Discord."""

from core.config import Settings, load_settings
from core.errors import ResumeBotError
from core.models import ReviewResult
from core.review import ReviewRequest, check_upload_size, review_resume

__all__ = ["ResumeBotError", "ReviewRequest", "ReviewResult", "Settings", "check_upload_size", "load_settings", "review_resume"]
