"""JSON Resume (jsonresume.org) files read as the resume they describe.

People who keep their resume as `resume.json` (JSON Resume, FRESH exports) upload
that file; reviewing the raw JSON would flag braces, not writing. This renders the
standard fields as the plain text a PDF of it would contain, in reading order.
Only what the file holds is used: nothing is filled in.
"""

from __future__ import annotations

import json
from typing import Any

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def looks_like_json_resume(text: str) -> dict[str, Any] | None:
    """The parsed document when `text` is a JSON Resume, else None."""
    stripped = text.lstrip()
    if not stripped.startswith("{"):
        return None
    try:
        data = json.loads(stripped)
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("basics"), dict) and ("work" in data or "education" in data):
        return data
    return None


def _date(value: object) -> str:
    """'2013-12-01' → 'Dec 2013', '2013' → '2013'; an empty end date means the role is current."""
    if not isinstance(value, str) or not value.strip():
        return ""
    parts = value.strip().split("-")
    if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def _range(item: dict[str, Any]) -> str:
    start, end = _date(item.get("startDate")), _date(item.get("endDate"))
    if not start:
        return end
    return f"{start} – {end or 'Present'}"


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def _entries(lines: list[str], heading: str, items: object, title_keys: tuple[str, ...],
             org_keys: tuple[str, ...], bullets_key: str = "highlights") -> None:
    if not isinstance(items, list) or not items:
        return
    lines += ["", heading]
    for item in items:
        if not isinstance(item, dict):
            continue
        title = next((_text(item[k]) for k in title_keys if item.get(k)), "")
        org = next((_text(item[k]) for k in org_keys if item.get(k)), "")
        header = ", ".join(p for p in (title, org) if p)
        dates = _range(item)
        lines.append(f"{header} — {dates}" if dates and header else header or dates)
        if item.get("summary"):
            lines.append(_text(item["summary"]))
        for bullet in item.get(bullets_key) or []:
            lines.append(f"• {_text(bullet)}")


def render_json_resume(data: dict[str, Any]) -> str:
    """The resume as plain text with headings and bullets, like its PDF would read."""
    basics = data.get("basics") or {}
    lines = [_text(basics.get("name")) or "Resume"]
    if basics.get("label"):
        lines.append(_text(basics["label"]))
    contact = [_text(basics.get(k)) for k in ("email", "phone", "url") if basics.get(k)]
    location = basics.get("location") or {}
    if isinstance(location, dict):
        place = ", ".join(_text(location[k]) for k in ("city", "region", "countryCode") if location.get(k))
        if place:
            contact.append(place)
    for profile in basics.get("profiles") or []:
        if isinstance(profile, dict) and (profile.get("url") or profile.get("username")):
            contact.append(_text(profile.get("url") or f"{profile.get('network', '')}: {profile['username']}"))
    if contact:
        lines.append(" | ".join(contact))
    if basics.get("summary"):
        lines += ["", "Summary", _text(basics["summary"])]
    _entries(lines, "Experience", data.get("work"), ("position",), ("name", "company"))
    _entries(lines, "Projects", data.get("projects"), ("name",), ("entity", "type"))
    _entries(lines, "Volunteer", data.get("volunteer"), ("position",), ("organization",))
    education = data.get("education")
    if isinstance(education, list) and education:
        lines += ["", "Education"]
        for item in education:
            if isinstance(item, dict):
                degree = " in ".join(p for p in (_text(item.get("studyType")), _text(item.get("area"))) if p)
                header = ", ".join(p for p in (degree, _text(item.get("institution"))) if p)
                dates = _range(item)
                lines.append(f"{header} — {dates}" if dates else header)
    skills = data.get("skills")
    if isinstance(skills, list) and skills:
        lines += ["", "Skills"]
        for skill in skills:
            if isinstance(skill, dict):
                keywords = ", ".join(_text(k) for k in skill.get("keywords") or [])
                name = _text(skill.get("name"))
                lines.append(f"{name}: {keywords}" if name and keywords else name or keywords)
    certificates = data.get("certificates")
    if isinstance(certificates, list) and certificates:
        lines += ["", "Certifications"]
        lines += [
            ", ".join(p for p in (_text(c.get("name")), _text(c.get("issuer")), _date(c.get("date"))) if p)
            for c in certificates if isinstance(c, dict)
        ]
    for key, heading in (("awards", "Awards"), ("publications", "Publications"), ("languages", "Languages")):
        items = data.get(key)
        if isinstance(items, list) and items:
            lines += ["", heading]
            for item in items:
                if isinstance(item, dict):
                    lines.append(", ".join(_text(v) for k, v in item.items()
                                           if k in ("title", "name", "awarder", "publisher", "language", "fluency") and v))
    return "\n".join(line for line in lines if line is not None)
