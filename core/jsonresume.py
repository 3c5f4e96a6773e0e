"""Moved to core/reading/jsonresume.py; kept so existing imports work."""

from core.reading.jsonresume import looks_like_json_resume, read_json_resume, render_json_resume  # noqa: F401
