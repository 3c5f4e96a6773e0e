"""JSON Resume (jsonresume.org) files read as the resume they describe, as Lines.

People who keep their resume as `resume.json` (JSON Resume, FRESH exports) upload
that file; reviewing the raw JSON would flag braces, not writing. Every field the
file holds is kept (scores, GPAs, courses, locations, fluency, keywords, roles,
references, extra keys a tool added such as `nameFurigana`), in file order, with
each top-level key as a section heading. Nothing is filled in: dates are the
file's own, an empty end date is shown as the current role it means.
"""

from __future__ import annotations

import json
import re
from typing import Any

from core.reading.clean import tidy
from core.reading.lines import Layout, Line, lines_to_text

_SKIP_TOP = {"$schema", "meta", "@context", "@type"}
_SKIP_ITEM = {"featured", "inline", "visible", "hidden", "id"}
# keys shown in an entry's own line or aside, not again as "Key: value"
_ENTRY_KEYS = {
    "work": (("position", "title", "role"), ("name", "company", "organization", "employer")),
    "volunteer": (("position", "title", "role"), ("organization", "name", "company")),
    "education": (("studyType", "degree", "area"), ("institution", "school", "name")),
    "projects": (("name", "title"), ("entity",)),
    "awards": (("title", "name"), ("awarder",)),
    "certificates": (("name", "title"), ("issuer",)),
    "publications": (("name", "title"), ("publisher",)),
}
_DATE_KEYS = ("startDate", "endDate", "date", "releaseDate", "start", "end")
_BULLET_KEYS = ("highlights", "courses")


def looks_like_json_resume(text: str) -> dict[str, Any] | None:
    """The parsed document when `text` is a JSON Resume, else None."""
    stripped = text.lstrip()
    if not stripped.startswith("{"):
        return None
    try:
        data = json.loads(stripped)
    except ValueError:
        return None
    if (
        isinstance(data, dict)
        and isinstance(data.get("basics"), dict)
        and ("work" in data or "education" in data)
    ):
        return data
    return None


def render_json_resume(data: dict[str, Any]) -> str:
    """The resume as plain text with headings and bullets, like its PDF would read."""
    return lines_to_text(read_json_resume(data).lines)


def natural(key: str) -> str:
    """'nameFurigana' → 'Name furigana', 'pr' → 'PR', 'work' → 'Work'."""
    if len(key) <= 2:
        return key.upper()
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[_-]+", " ", key).split()
    return " ".join(words).capitalize() if words else key


class _Writer:
    def __init__(self, data: dict[str, Any]) -> None:
        self.layout = Layout()
        sample = json.dumps(data, ensure_ascii=False)
        kana = len(re.findall(r"[\u3040-\u30ff]", sample))
        han = len(re.findall(r"[\u4e00-\u9fff]", sample))
        self.present = "現在" if kana else "至今" if han > 20 else "Present"

    # text helpers

    def text(self, value: object) -> list[str]:
        """A value as display lines: Markdown inline marks removed, link targets recorded."""
        if value is None or value == "" or isinstance(value, bool):
            return []
        if isinstance(value, list):
            return [", ".join(t for v in value for t in self.text(v))] if value else []
        if isinstance(value, dict):
            parts = [
                f"{natural(k)}: {' '.join(self.text(v))}" for k, v in value.items() if self.text(v)
            ]
            return ["; ".join(parts)] if parts else []
        out = []
        for raw in tidy(str(value)).split("\n"):
            raw = raw.strip()
            if not raw:
                continue

            def link(m: re.Match[str]) -> str:
                self.layout.links.append(m.group(2))
                return m.group(1)

            raw = re.sub(r"\[([^\]]*)\]\(([^)\s]+)\)", link, raw)
            raw = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", raw)
            out.append(raw)
        return out

    def one(self, value: object) -> str:
        return " ".join(self.text(value))

    def add(self, text: str, **kw: Any) -> None:
        if text or kw.get("aside"):
            self.layout.lines.append(Line(text=text, source="json", **kw))

    def dates(self, item: dict[str, Any]) -> str:
        start = self.one(item.get("startDate") or item.get("start"))
        end = self.one(item.get("endDate") or item.get("end"))
        single = self.one(item.get("date") or item.get("releaseDate"))
        if start:
            return f"{start} – {end or self.present}"
        return end or single

    # sections

    def basics(self, basics: dict[str, Any]) -> None:
        name = self.one(basics.get("name"))
        if name:
            self.add(name, heading=1, level=1, title=True, bold=True)
        shown = {"name", "label", "summary", "image", "picture", "profiles", "location"}
        for key in ("label",):
            for text in self.text(basics.get(key)):
                self.add(text)
        for text in self.text(basics.get("summary")):
            self.add(text)
        self.add(natural("basics"), heading=1, level=1, gap=1.0)
        for key in ("email", "phone", "url", "website"):
            value = self.one(basics.get(key))
            if value:
                self.add(value)
                shown.add(key)
                if key in ("url", "website"):
                    self.layout.links.append(value)
        place = self.location(basics.get("location"))
        if place:
            self.add(place)
        for profile in basics.get("profiles") or []:
            if isinstance(profile, dict):
                network = self.one(profile.get("network"))
                url, user = self.one(profile.get("url")), self.one(profile.get("username"))
                handle = f"{user} ({url})" if url and user and user not in url else url or user
                if profile.get("url"):
                    self.layout.links.append(self.one(profile["url"]))
                if handle or network:
                    self.add(f"{network}: {handle}" if network and handle else handle or network)
        for key, value in basics.items():
            if key in shown:
                continue
            if isinstance(value, dict):
                text = (
                    self.location(value)
                    if any(k in value for k in ("city", "address", "postalCode"))
                    else self.one(value)
                )
                extra = [
                    f"{natural(k)}: {self.one(v)}"
                    for k, v in value.items()
                    if k in ("phone", "email") and v
                ]
                text = "; ".join([p for p in [text, *extra] if p])
            else:
                text = self.one(value)
            if text:
                self.add(f"{natural(key)}: {text}")
        if basics.get("image") or basics.get("picture"):
            self.layout.images += 1
            self.layout.photo = True

    def location(self, loc: object) -> str:
        if isinstance(loc, str):
            return self.one(loc)
        if not isinstance(loc, dict):
            return ""
        parts: list[str] = []
        for key in ("address", "city", "region", "postalCode", "countryCode", "country"):
            for text in self.text(loc.get(key)):
                for part in text.split(", "):
                    if part and not any(part in p for p in parts):
                        parts.append(part)
        place = ", ".join(parts)
        extra = [
            self.one(v)
            for k, v in loc.items()
            if k
            not in (
                "address",
                "city",
                "region",
                "postalCode",
                "countryCode",
                "country",
                "phone",
                "email",
            )
            and self.one(v)
        ]
        return f"{place} ({'; '.join(extra)})" if extra and place else place or "; ".join(extra)

    def entries(self, key: str, items: list[Any]) -> None:
        title_keys, org_keys = _ENTRY_KEYS.get(
            key, (("name", "title", "position"), ("organization",))
        )
        for item in items:
            if not isinstance(item, dict):
                for text in self.text(item):
                    self.add(text, bullet=True)
                continue
            used: set[str] = set(_DATE_KEYS) | set(_BULLET_KEYS) | _SKIP_ITEM
            if key == "education":
                title = " ".join(t for k in ("studyType", "area") for t in self.text(item.get(k)))
                used |= {"studyType", "area"}
                if not title:
                    title = next((self.one(item[k]) for k in ("degree",) if item.get(k)), "")
                    used.add("degree")
            else:
                title_key = next((k for k in title_keys if item.get(k)), None)
                title = self.one(item[title_key]) if title_key else ""
                used.add(title_key or "")
            org_key = next((k for k in org_keys if item.get(k) and k not in used), None)
            org = self.one(item[org_key]) if org_key else ""
            used.add(org_key or "")
            header = ", ".join(p for p in (title, org) if p)
            # parts: the title and the organization as the file separates them (the parser's hint)
            self.add(
                header,
                aside=self.dates(item),
                bold=bool(header),
                gap=0.0,
                parts=[title, org] if title and org else [],
            )
            for k, value in item.items():
                if k in used or value in (None, "", [], {}):
                    continue
                if k in ("summary", "description", "reference"):
                    for text in self.text(value):
                        self.add(text)
                elif k in ("url", "website"):
                    self.layout.links.append(self.one(value))
                    self.add(self.one(value))
                elif k in ("location",):
                    self.add(self.location(value))
                elif k in ("score", "gpa"):
                    self.add(
                        f"{'GPA' if k == 'gpa' or key == 'education' else natural(k)}: {self.one(value)}"
                    )
                else:
                    self.add(f"{natural(k)}: {self.one(value)}")
            for bullet_key in _BULLET_KEYS:
                for value in item.get(bullet_key) or []:
                    for text in self.text(value):
                        self.add(text, bullet=True)

    def pairs(self, items: list[Any], first: tuple[str, ...], second: tuple[str, ...]) -> None:
        """Skills, languages, interests: one line each, 'Name (level): keywords'."""
        for item in items:
            if not isinstance(item, dict):
                for text in self.text(item):
                    self.add(text)
                continue
            name_key = next((k for k in first if item.get(k)), None)
            name = self.one(item[name_key]) if name_key else ""
            detail_keys = [k for k in second if item.get(k)]
            details = "; ".join(self.one(item[k]) for k in detail_keys)
            rest = [
                f"{natural(k)}: {self.one(v)}"
                for k, v in item.items()
                if k not in (name_key, *detail_keys) and k not in _SKIP_ITEM and self.one(v)
            ]
            level = next(
                (
                    self.one(item[k])
                    for k in ("level", "fluency")
                    if item.get(k) and k not in detail_keys
                ),
                "",
            )
            rest = [r for r in rest if not r.startswith(("Level:", "Fluency:"))]
            label = f"{name} ({level})" if name and level else name or level
            text = f"{label}: {details}" if label and details else label or details
            self.add("; ".join([text, *rest]) if rest else text)

    def section(self, key: str, value: Any) -> None:
        self.add(natural(key), heading=1, level=1, gap=1.0)
        if key == "skills":
            self.pairs(value, ("name",), ("keywords",))
        elif key == "languages":
            self.pairs(value, ("language", "name"), ("fluency",))
        elif key == "interests":
            self.pairs(value, ("name",), ("keywords",))
        elif key == "references":
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    self.add(self.one(item.get("name")), bold=True)
                    for k, v in item.items():
                        if k != "name":
                            for text in self.text(v):
                                self.add(text)
                else:
                    for text in self.text(item):
                        self.add(text)
        elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
            self.entries(key, value)
        elif isinstance(value, list):
            for item in value:
                for text in self.text(item):
                    self.add(text, bullet=True)
        elif isinstance(value, dict):
            for k, v in value.items():
                text = self.one(v)
                if text:
                    self.add(f"{natural(k)}: {text}")
        else:
            for text in self.text(value):
                self.add(text)


def _empty(value: Any) -> bool:
    if value in (None, "", [], {}):
        return True
    if isinstance(value, list):
        return all(_empty(v) for v in value)
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    return False


def read_json_resume(data: dict[str, Any]) -> Layout:
    """A JSON Resume as Lines: each non-empty top-level key a section heading, in file order."""
    writer = _Writer(data)
    for key, value in data.items():
        if key in _SKIP_TOP or _empty(value):
            continue
        if key == "basics" and isinstance(value, dict):
            writer.basics(value)
        else:
            writer.section(key, value)
    layout = writer.layout
    seen: set[str] = set()
    layout.links = [u for u in layout.links if u and not (u in seen or seen.add(u))]
    return layout
