"""The person: name, email, phone, links and location, wherever on the page they are.

Contact details sit in the header, in a sidebar, in a 'Contact' section or at the
very end; handles hide behind icons whose link is only in the PDF's link
annotations. A referee's email or phone is not the candidate's.
"""

from __future__ import annotations

import json
import re
from importlib import resources

from core import regex_cache
from core.reading.lines import Line
from core.structure.dates import DATE_RANGE_RE
from core.structure.headings import _CJK_RE, kind_of

EMAIL_RE = regex_cache.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = regex_cache.compile(
    r"(?<![\w/.])\+?\(?\d[\d \t().\-/*]{7,}[\d*](?![\w/]|\.\w)|(?<![\w/.])\+?\(?\d[\d \t().\-/]{5,}\d[xX*]{2,}(?!\w)"
)
LINK_RE = regex_cache.compile(
    r"(?:https?://\S+|www\.\S+|(?:linkedin\.com|github\.com|gitlab\.com|twitter\.com|x\.com|orcid\.org)/\S+"
    r"|(?<![@\w.])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|io|dev|me|org|net|ai|co|app|page|site|xyz|info|tech|de|fr|es|it|nl|br|cn|jp|ru)(?:/\S*)?(?![\w@]))",
    re.I,
)
_LABELLED_LINK = regex_cache.compile(
    r"\b(?P<kind>linkedin|github|gitlab|twitter|orcid|researchgate|mastodon|facebook|instagram|website|portfolio|homepage|blog|web)\s*[:：]\s*(?P<value>\S+)",
    re.I,
)
_NOT_NAME = regex_cache.compile(
    r"^(?:curriculum vitae|cv|resume|résumé|lebenslauf|currículum|curriculo|currículo|"
    r"履歴書|职务经历书|職務経歴書|简历|個人簡歴|"
    r"personal|contact|profile|summary|about me|last updated|updated)\b",
    re.I,
)
_ADDRESS = regex_cache.compile(
    r"\b(?:street|st\.|road|rd\.|avenue|ave\.?|boulevard|blvd|lane|drive|straße|strasse|str\.|platz|weg|rue|avenue|boulevard|"
    r"calle|avenida|rua|via|piazza|viale|straat|laan|plein)\b|\b\d{4,5}\s+[A-ZÀ-Ý][a-zà-ÿ]+|\b[A-Z]{2}\s+\d{5}\b|"
    r"\b\d+[a-z]?\s+(?:[A-Z][\w'-]*\s+){1,3}(?:st|rd|ave|ln|dr|way|ct|pl|blvd|hwy)\b\.?|"
    r"(?:住所|地址|現住所|最寄駅|最寄り駅|所在地|〒\s*\d{3}-?\d{4})|[省市区県都府道]\S*[市区町村]",
    re.I,
)
_CITY_STATE_INLINE = regex_cache.compile(
    r"(?<![\w@.])([A-Z][a-z]+(?: [A-Z][a-z]+){0,2}, (?:[A-Z]{2}|USA|UK))(?![\w.@])"
)
_LOCATION_LABEL = regex_cache.compile(
    r"^(?:address|location|based in|city|adresse|wohnort|ort|dirección|ubicación|endereço|"
    r"localização|indirizzo|residenza|"
    r"adres|woonplaats|адрес|город|住所|地址|所在地)\s*[:：]?\s*\S",
    re.I,
)
_PLACE_WORD = r"(?:[A-ZÀ-Ý][\w'’À-ÿ.-]*|of|de|del|da|do|di|am|an|upon|la|le|sur)"
_CITY_REGION = regex_cache.compile(
    rf"^[A-ZÀ-Ý][\w'’À-ÿ.-]+(?:[ -]{_PLACE_WORD})*,\s*(?:[A-Z]{{2,3}}|[A-ZÀ-Ý][\w'’À-ÿ.-]+(?:[ -]{_PLACE_WORD})*)"
    rf"(?:,\s*[A-ZÀ-Ý][\w'’À-ÿ.-]+(?:[ -]{_PLACE_WORD})*)?(?:\s+\d{{4,6}})?$"
)
_SEGMENT = regex_cache.compile(r"\s*[|·•◦]\s*|\s{2,}|\s+[–—]\s+|;\s*")


# Cheap tests a match can't do without, so most lines skip the long patterns: an email has
# an '@'; a link has '://' or a '.' before a non-space ('x.com', 'www.'); a phone a digit.
# (Without the '@' test EMAIL_RE tries every position of every word, each to its end.)
_LINK_HINT = regex_cache.compile(r"\.\S|://")
_DIGIT = regex_cache.compile(r"\d")


def find_email(text: str) -> re.Match[str] | None:
    """`EMAIL_RE.search(text)`, skipped when `text` has no '@'."""
    return EMAIL_RE.search(text) if "@" in text else None


def find_link(text: str) -> re.Match[str] | None:
    """`LINK_RE.search(text)`, skipped when `text` has nothing a link needs."""
    return LINK_RE.search(text) if _LINK_HINT.search(text) else None


def is_address(text: str) -> bool:
    """A street address ('ABC Road, 100/2 - 12345 Rome', '221B Baker St'): its numbers aren't a phone."""
    return bool(_ADDRESS.search(text))


# what a phone-like run turns out to be instead (phones_in), compiled once: it runs per candidate
_NOT_DIGIT = regex_cache.compile(r"[^\d*xX]")
_YEAR_SPAN = regex_cache.compile(r"(?:19|20)\d{2}\s*[-–/]\s*(?:19|20)\d{2}")
_SHORT_DATE = regex_cache.compile(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}")
_GRADE = regex_cache.compile(r"\d\.\d+\s*/\s*\d")
_FULL_DATE = regex_cache.compile(
    r"(?:19|20)\d\d[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d\d"
)
_DOI = regex_cache.compile(r"10\.\d{4,}/\S+")
_LEAD_SYMBOL = regex_cache.compile(r"^(?:\W+\s)")


def phones_in(text: str) -> list[str]:
    found: list[str] = []
    if not _DIGIT.search(text):
        return found
    for m in PHONE_RE.finditer(text):
        candidate = m.group(0).strip()
        digits = _NOT_DIGIT.sub("", candidate)  # masked digits ('1820 ******') still count
        if not 8 <= len(digits) <= 15 or DATE_RANGE_RE.search(candidate):
            continue
        if _YEAR_SPAN.fullmatch(candidate):
            continue
        if _SHORT_DATE.fullmatch(candidate.replace(" ", "")):
            continue  # a date of birth, not a number
        if _GRADE.search(candidate):
            continue  # a grade: 3.97/4.00
        if _FULL_DATE.fullmatch(candidate.strip()):
            continue  # a date: 2017.07.03
        if _DOI.fullmatch(candidate) or ("/" in candidate and candidate.count("/") > 1):
            continue  # a DOI
        found.append(candidate)
    return found


def links_in(text: str) -> list[str]:
    out = [
        m.group(0).rstrip(".,;)")
        for m in (LINK_RE.finditer(text) if _LINK_HINT.search(text) else ())
        if "@" not in text[max(0, m.start() - 1) : m.start()]
    ]
    out += [f"{m['kind'].lower()}: {m['value']}" for m in _LABELLED_LINK.finditer(text)]
    return [link for link in out if not re.match(r"^(?:mailto|tel):", link, re.I)]


def looks_like_name(text: str) -> bool:
    text = text.strip()
    if (
        not text
        or _NOT_NAME.match(text)
        or kind_of(text) is not None
        or find_email(text)
        or find_link(text)
    ):
        return False
    if any(ch.isdigit() for ch in text) or len(text) > 50:
        return False
    if _CJK_RE.search(text):
        return 2 <= len(text.replace(" ", "").replace("\u3000", "")) <= 12
    words = text.split()
    return 1 <= len(words) <= 5 and all(
        w[:1].isupper() or not w[:1].isalpha() for w in words if len(w) > 3
    )


def is_location_text(text: str) -> bool:
    text = text.strip(" ,")
    if (
        not text
        or find_email(text)
        or len(text) > 90
        or re.search(r"\{\{|<[^>]*>|\[[a-z_ ]+\]", text)
    ):
        return False  # a template's '{{address}}' is not a place
    if _LOCATION_LABEL.match(text) or _ADDRESS.search(text):
        return True
    return bool(_CITY_REGION.match(text)) and len(text) <= 45


_COUNTRIES = frozenset(
    json.loads(resources.files("core.data").joinpath("places.json").read_text(encoding="utf-8"))[
        "countries"
    ]
)
_LOCATION_LINE = regex_cache.compile(
    r"^(?:住所|現住所|最寄り?駅|所在地|地址|address|adresse|wohnort|dirección|endereço|indirizzo|adres|адрес|location)\s*[:：]?\s*(?P<value>.*)$",
    re.I,
)


def labelled_location(lines: list[str]) -> str | None:
    """'Address: 12 Main St', or a label on its own line with the value on the next ('最寄り駅' / '池袋駅')."""
    for k, line in enumerate(lines):
        m = _LOCATION_LINE.match(line.strip())
        if not m:
            continue
        value = m["value"].strip(" :：-–") or (lines[k + 1].strip() if k + 1 < len(lines) else "")
        if (
            value
            and len(value) <= 90
            and not find_email(value)
            and not re.search(r"\{\{|<[^>]*>", value)
        ):
            return value
    return None


def find_location(lines: list[str]) -> str | None:
    for line in lines:
        for segment in _SEGMENT.split(line):
            segment = _LEAD_SYMBOL.sub("", segment).strip()
            phone = "".join(phones_in(segment))
            if is_location_text(segment) and len(phone) < 0.6 * len(segment):
                return segment
    for line in lines:
        m = _CITY_STATE_INLINE.search(line)
        if m and not find_email(m.group(1)):
            return m.group(1)
    for line in lines:
        for segment in _SEGMENT.split(line):
            if segment.strip(" .,").lower() in _COUNTRIES:
                return segment.strip(" .,")  # 'Brasil' alone in a contact line
    return None


_KANA_ONLY = regex_cache.compile(r"[\u3040-\u30ff\s\u3000]+")
_KANJI = regex_cache.compile(r"[\u4e00-\u9fff]")


def _without_headline(text: str) -> str:
    """'João Cercal Principal Engineer' → 'João Cercal': a job title printed on the name's line."""
    from core.structure.entries import _TITLE_WORDS

    words = text.split()
    keep = len(words)
    while keep > 2 and words[keep - 1].lower().strip(",.") in _TITLE_WORDS:
        keep -= 1
    return " ".join(words[:keep]) if keep < len(words) and keep >= 2 else text


_PERSONAL = json.loads(
    resources.files("core.data").joinpath("personal.json").read_text(encoding="utf-8")
)
_CLOSING = regex_cache.compile(
    r"^(?:"
    + "|".join(re.escape(w) for w in sorted(_PERSONAL["_closings"], key=len, reverse=True))
    + r")\s*[,.!:、，]?$",
    re.I,
)
_NAME_PLACEHOLDERS = tuple(
    regex_cache.compile(p, re.I)
    for p in json.loads(
        resources.files("core.data").joinpath("placeholders.json").read_text(encoding="utf-8")
    )["name"]
)


def _placeholder_name(text: str) -> str | None:
    """Template text in the name's place ('[name]', 'Lorem ipsum.'), as printed, loop marks off."""
    text = text.strip().strip("<>").strip()
    return text if any(p.search(text) for p in _NAME_PLACEHOLDERS) else None


def signed_name(lines: list[Line]) -> str | None:
    """The name under a closing ('Mit freundlichen Grüßen' / 'Max Mustermann'): a signed CV."""
    for k in range(len(lines) - 2, -1, -1):
        if _CLOSING.match(lines[k].text.strip()):
            after = lines[k + 1].text.strip()
            if looks_like_name(after) and (_CJK_RE.search(after) or len(after.split()) >= 2):
                return after
    return None


def find_name(
    lines: list[Line],
    title_index: int | None,
    head: list[Line],
    contact: list[Line] | None = None,
) -> str | None:
    """The title line when it reads as a name, else the first name-like line of the header
    (or of a contact block the resume opens with), else the name signed under a closing."""
    if title_index is not None and looks_like_name(lines[title_index].text):
        return _without_headline(lines[title_index].text.strip())
    opening = [*head[:10], *(contact or [])[:3]]
    slot = [lines[title_index]] if title_index is not None else []
    for line in [*slot, *opening[:2]]:
        if placeholder := _placeholder_name(line.text):
            return placeholder
    found: list[str] = []
    for line in opening:
        text = re.sub(
            r"^(?:ふ\s*り\s*が\s*な|フ\s*リ\s*ガ\s*ナ|氏\s*名|名\s*前|name)\s*[:：]?\s*",
            "",
            line.text.strip(),
            flags=re.I,
        )
        if not text:
            continue
        for segment in (text, *re.split(r"\s*[|·•,]\s*", text)):
            if looks_like_name(segment) and len(segment.split()) >= (
                1 if _CJK_RE.search(segment) else 2
            ):
                found.append(_without_headline(segment.strip()))
                break
    for name in found:
        if _KANA_ONLY.fullmatch(name) and any(_KANJI.search(other) for other in found):
            continue  # furigana: the reading printed above the name, not the name
        return name
    return signed_name(lines)
