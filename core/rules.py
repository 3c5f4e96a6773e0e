"""Where a resume is reviewed offline: deterministic rules, each finding quoting the resume.

Every rule is declared once, in `REGISTRY` at the end of this module: its stable id (users,
tests and adapters refer to it), category, usual severity and the check that finds it. The
collector fills each finding's category and severity from there; scoring and the report read
the penalties, score caps and quoting from there. Adding a rule: write its check, declare it in
`REGISTRY`, test it in tests/test_rules.py (tests/test_registry.py checks that you did).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from core import limits, regex_cache
from core.models import (
    Category,
    Document,
    Finding,
    KeywordMatch,
    Resume,
    Role,
    Section,
    SectionName,
    Severity,
)
from core.registry import Check, Registry, Rule
from core.spelling import preload as preload
from core.spelling import speller as _speller
from core.structure import DATE_RANGE_RE, heading_section
from core.wording import (
    BUZZWORDS,
    PLACEHOLDER_BULLETS,
    SPELLING_OK,
    SYNONYMS,
    drop_first_person,
    opener_verb,
    past_tense,
    present_tense_opener,
    weak_opener,
)

MAX_PER_RULE = 4  # findings shown per rule; the score counts them all

_METRIC_RE = regex_cache.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundred|hundreds|thousand|thousands|million|millions|billion|dozen|dozens|double[ds]?|"
    r"tripled?|half|halved|percent)\b",
    re.I,
)
_FIRST_PERSON_RE = regex_cache.compile(
    r"(?<![\w/])I(?![\w/'’.-])(?!\s*/)|\b(?:me|my|mine|myself|we|our|ours|us)\b"
)
_ROMAN_CONTEXT = regex_cache.compile(
    r"(?:phase|level|tier|part|type|grade|class|war|stage|series|gen)\s+$", re.I
)
_PASSIVE_RE = regex_cache.compile(
    r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?(\w+(?:ed|en|wn|lt|ght))\b(?:\s+by\b)?", re.I
)
_PASSIVE_BY_ME = regex_cache.compile(
    r"^(?P<obj>.+?)\s+(?:was|were)\s+(?P<verb>\w+ed)\s+by\s+(?:me|myself)\b(?P<rest>.*)$", re.I
)
# "… when a button is pressed": a condition the product reacts to, not the person's work hidden
_WHEN_CLAUSE = regex_cache.compile(
    r"\b(?:when|whenever|if|once|until|unless|as soon as)\s+(?:\w+\s+){0,4}$", re.I
)
_NOT_PASSIVE = {
    "based",
    "located",
    "interested",
    "involved",
    "experienced",
    "skilled",
    "used",
    "known",
    "born",
    "given",
}


def _load(name: str) -> dict:
    return json.loads(resources.files("core.data").joinpath(name).read_text(encoding="utf-8"))


_CJK = regex_cache.compile(r"[\u3040-\u9fff]")
_WORD_START = regex_cache.compile(r"\w")


def _label_pattern(labels: list[str]) -> re.Pattern[str]:
    """Labels followed by a value: 'Date of birth: 1 May 1990', 'Nationalität deutsch', '生年月日 1990年'."""
    words = [w for w in labels if w.isascii() or not _CJK.search(w)]
    latin = [re.escape(w) for w in words]
    cjk = [re.escape(w) for w in labels if _CJK.search(w)]
    parts = []
    if latin:
        # Not after a word character. When every label starts with one, that is '\b' plus a
        # look-ahead for the labels' first letters: the same matches, but a position inside a
        # word or at another letter fails at once instead of after a look-behind and every
        # label in turn (the pattern is tried at every position: about twice as fast).
        first = sorted({w[0] for w in words})
        lead = (
            r"\b(?=[" + "".join(re.escape(c) for c in first) + "])"
            if all(_WORD_START.match(c) for c in first)
            else r"(?<![\w])"
        )
        parts.append(
            lead
            + r"(?:"
            + "|".join(sorted(latin, key=len, reverse=True))
            + r")(?!\w)\.?\s*[:：]?\s*(?=[\w(])"
        )
    if cjk:
        parts.append("(?:" + "|".join(cjk) + ")")
    return regex_cache.compile("|".join(parts), re.I)


_SENSITIVE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (_label_pattern(words), label)
    for label, words in _load("personal.json").items()
    if not label.startswith("_")
)
_NEEDS_COLON = {
    "age",
    "gender",
    "national ID number",
    "religion",
}  # short words: only as a label ('Age: 31')
_AGE_PHRASE = regex_cache.compile(
    r"\b(?:\d{2}|XX|NN)\s*(?:years? old|jahre alt|(?:ans|años|anos|anni|jaar)\b"
    # '10 años de experiencia' is experience, not an age
    r"(?!\s+(?:de\s+|d[’']|di\s+)?"
    r"(?:experi|expéri|esperi|trabalho|travail|carrera|carreira|lavoro|ervaring)))\b"
    r"|[（(]?満\s*\d{2}\s*歳|\b\d{2}\s*岁",
    re.I,
)
_TEMPLATE_TEXT = _load("placeholders.json")
_PLACEHOLDERS = tuple(regex_cache.compile(p, re.I) for p in _TEMPLATE_TEXT["patterns"])
_TO_THE_READER = regex_cache.compile(
    r"\b(?:" + "|".join(map(re.escape, _TEMPLATE_TEXT["reader_words"])) + r")\b", re.I
)


def addresses_reader(text: str | None) -> bool:
    """A title or heading that speaks to whoever fills the template in ('Your Most Recent Work
    Experience', 'That Other Job You Had'): no real job title, employer or section name does
    (a project's name may: 'A mapping engine that misguides you')."""
    return text is not None and _TO_THE_READER.search(text) is not None


# "by 30" with nothing after it: 30 what? (a year, "by 2021", is a deadline, not a figure)
_BARE_NUMBER = regex_cache.compile(
    r"\bby\s+(?:about\s+|over\s+|nearly\s+|almost\s+|~)?(?!(?:19|20)\d{2}\b)(\d+(?:[.,]\d+)?)(?![\d.,]*[\w%$€£])"
    r"(?=\s*(?:[.;,)]|$)|\s+(?:and|while|through|with|via|in|for|across|over|using|after|within|by|from|on)\b)",
    re.I,
)


def _words(items: list[str]) -> str:
    return "|".join(sorted(items, key=len, reverse=True))


_UNQUANTIFIED = _load("advice.json")["unquantified"]
_MAGNITUDE_RE = regex_cache.compile(
    rf"\b(?:{_words(_UNQUANTIFIED['magnitudes'])})|"
    rf"(?<!\w)(?:{_words(_UNQUANTIFIED['number_words'])})(?!\w)",
    re.I,
)
# What in a bullet claims a figure exists, strongest first: (kind, pattern).
_CLAIMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "change",
        regex_cache.compile(
            rf"\b(?:{_words(_UNQUANTIFIED['change_verbs'])})\w*"
            rf"(?:[^\w,.;:]+\w+){{0,5}}?[^\w,.;:]+(?:{_words(_UNQUANTIFIED['measurable'])})\b",
            re.I,
        ),
    ),
    (
        "team",
        regex_cache.compile(
            rf"\b(?:{_words(_UNQUANTIFIED['lead_verbs'])})\s+(?:(?:a|an|the|my|our)\s+)?"
            r"(?:[\w-]+\s+){0,2}?team(?:\s+of)?\b",
            re.I,
        ),
    ),
    (
        "vague",
        regex_cache.compile(
            rf"\b(?:{_words(_UNQUANTIFIED['vague_amounts'])})"
            r"(?:\s+(?!(?:in|to|for|of|and|with|on|at|by|from|across)\b)[\w/-]+){1,2}",
            re.I,
        ),
    ),
    (
        "large",
        regex_cache.compile(
            rf"\b(?:{_words(_UNQUANTIFIED['large'])})\s+(?:[\w-]+\s+)?"
            rf"(?:{_words(_UNQUANTIFIED['large_nouns'])})\b",
            re.I,
        ),
    ),
    ("intensifier", regex_cache.compile(rf"\b(?:{_words(_UNQUANTIFIED['intensifiers'])})\b", re.I)),
)


def _unquantified_claim(text: str) -> tuple[str, str] | None:
    """(kind, the words) when the bullet claims a figure it doesn't give, else None.

    Only such a bullet is asked for a number: 'Improved the efficiency' has a 'by how much', and
    'Led a team' a size, that the person knows. A duty ('Conducted penetration testing on the
    Smart TV') has no figure to give, so asking for one would invite a made-up number.
    """
    if _METRIC_RE.search(text) or _MAGNITUDE_RE.search(text):
        return None
    for kind, pattern in _CLAIMS:
        m = pattern.search(text)
        if m:
            return kind, m.group(0)
    return None


def _ask_for_figure(kind: str, words: str) -> str:
    """The question a coach would ask about the claim, and what to do without the figure."""
    quoted = f"'{words}'"
    if kind == "change":
        return (
            f"{quoted}: by how much? If you measured it, give the change (a percentage, a time, "
            "an amount, or before and after). If you didn't, leave it as it is: "
            "I won't invent a number, and neither should you."
        )
    if kind == "team":
        return (
            f"{quoted}: how many people? The team's size shows the scope of what you led; "
            "add it if you know it."
        )
    if kind == "vague":
        return (
            f"{quoted}: how many? You know the count, so say it. If you don't, "
            "leave it: I won't invent a number."
        )
    if kind == "large":
        return (
            f"{quoted}: how large? Rows, gigabytes, users or sources, if you know them; "
            "otherwise leave it. I won't invent a number."
        )
    return (
        f"{quoted} asks the reader to take your word for it. Give the figure if you have one; "
        "if not, cut the word rather than guess."
    )


_SENTENCE_BREAK = regex_cache.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _statements(role: Role) -> list[str]:
    """Bullets, or for paragraph-style entries the sentences of their description."""
    if role.bullets:
        return role.bullets
    prose = " ".join(
        line for line in role.description if len(line.split()) >= 6 or line.endswith(".")
    )
    return [s.strip() for s in _SENTENCE_BREAK.split(prose) if len(s.split()) >= 4]


# An entry titled like one of these sections is a list of that kind inside Experience or Projects
# ('Skills', 'Programming Languages' as a term under 'Technical Experience'), not work to advise on.
_NOT_WORK_TITLES = frozenset(
    {
        SectionName.SKILLS,
        SectionName.LANGUAGES,
        SectionName.INTERESTS,
        SectionName.REFERENCES,
        SectionName.CERTIFICATIONS,
        SectionName.EDUCATION,
    }
)


def is_work_role(section: SectionName, role: Role) -> bool:
    """A role whose statements the rules judge and the rewrite fixes: the same ones, always."""
    if section not in (SectionName.EXPERIENCE, SectionName.PROJECTS):
        return False
    if section is SectionName.EXPERIENCE and (
        addresses_reader(role.title) or addresses_reader(role.organization)
    ):  # a template's sample job: its lines are instructions, not work ('A mapping engine
        return False  # that misguides you' is a real project's name: projects are left be)
    return not (role.title and heading_section(role.title) in _NOT_WORK_TITLES)


def _work_statements(resume: Resume) -> Iterator[tuple[SectionName, Role, str]]:
    for section in resume.sections:
        for role in section.roles:
            if is_work_role(section.name, role):
                for text in _statements(role):
                    yield section.name, role, text


def _quote(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _past_role(section: SectionName | None, role: Role | None) -> bool:
    return (
        section is SectionName.EXPERIENCE
        and role is not None
        and role.dates is not None
        and not role.current
    )


def _rewritten(section: SectionName | None, role: Role | None, text: str) -> str | None:
    """The statement as the rewrite prints it (every honest fix at once), or None when it stays as is."""
    from core.rewrite import improve_statement

    if role is not None and not role.bullets and not any(text in ln for ln in role.description):
        return None  # a sentence wrapped across a paragraph's lines: the rewrite leaves it be
    better = improve_statement(text, _past_role(section, role))

    def same(
        a: str, b: str
    ) -> bool:  # a capital letter or a double space is no fix worth a finding
        a, b = " ".join(a.split()), " ".join(b.split())
        return a[:1].upper() + a[1:] == b[:1].upper() + b[1:]

    return None if same(better, text) else better


@dataclass(frozen=True, slots=True)
class Context:
    """What a check may look at."""

    resume: Resume
    document: Document
    keywords: KeywordMatch | None
    target_role: str | None


class _Collector:
    """Findings as the checks report them: category and severity come from the registry."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.counts: Counter[str] = Counter()
        self.added: Counter[str] = Counter()
        # over the display cap: named in the last shown one
        self.hidden: dict[str, list[Finding]] = {}

    def add(
        self, rule_id: str, *, severity: Severity | None = None, weight: int = 1, **fields: Any
    ) -> None:
        """Record one finding of a registered rule (`severity` overrides the rule's usual one;
        `weight`: how many statements it stands for in the score, for a summary of many)."""
        rule = REGISTRY[rule_id]
        finding = Finding(
            rule=rule.id, severity=severity or rule.severity, category=rule.category, **fields
        )
        self.counts[rule.id] += weight
        self.added[rule.id] += 1
        if self.added[rule.id] <= MAX_PER_RULE or (finding.after and rule.rewrites):
            self.findings.append(finding)
        else:
            self.hidden.setdefault(rule.id, []).append(finding)


def run_rules(
    resume: Resume,
    document: Document,
    keywords: KeywordMatch | None,
    target_role: str | None = None,
) -> tuple[list[Finding], Counter[str]]:
    """The findings to show (at most MAX_PER_RULE per rule, most severe first) and every rule's
    full count: each registered check runs in order, when its condition holds."""
    context = Context(resume, document, keywords, target_role)
    out = _Collector()
    for check in REGISTRY.checks:
        if check.when is None or check.when(context):
            check.run(context, out)
    _summarise_overflow(out)
    return sorted(out.findings, key=lambda f: f.severity.rank), out.counts


# --- contact & sections --------------------------------------------------------------


def _contact(resume: Resume, out: _Collector) -> None:
    if resume.form:
        return  # a shokumu keirekisho leaves contact details to the rirekisho sent with it
    if not resume.email:
        out.add(
            "contact.email_missing",
            section=SectionName.CONTACT,
            message="No email address found: recruiters need one to reply. Add it to the top line.",
        )
    if not resume.phone:
        out.add(
            "contact.phone_missing",
            section=SectionName.CONTACT,
            message="No phone number found. Most recruiters call before they email; add one at the top.",
        )
    if not any(
        re.search(r"linkedin|github|gitlab|behance|dribbble|portfolio|http|www\.", link, re.I)
        for link in resume.links
    ):
        out.add(
            "contact.link_missing",
            section=SectionName.CONTACT,
            message="No LinkedIn, GitHub or portfolio link. A link lets a reviewer check your work in one click.",
        )


def _sections(resume: Resume, out: _Collector) -> None:
    present = {s.name for s in resume.sections}
    # a sub-heading counts: 'Skills' or 'Programming Languages' as a term inside another section
    present |= {heading_section(r.title) for s in resume.sections for r in s.roles if r.title}
    if resume.form:
        # a Japanese form has its own fixed boxes, and a shokumu keirekisho leaves education
        # to the rirekisho sent with it
        present |= {SectionName.SKILLS, SectionName.EDUCATION}
    advice = {
        SectionName.EXPERIENCE: (
            "No work experience section found. Add one (internships, projects and volunteering "
            "count) with a heading like 'Experience'."
        ),
        SectionName.EDUCATION: (
            "No education section found. Add your degree, school and year under a heading like "
            "'Education'."
        ),
        SectionName.SKILLS: (
            "No skills section found. ATS software matches skills by keyword: add a 'Skills' "
            "section listing your tools and languages."
        ),
    }
    projects_only = SectionName.PROJECTS in present
    if projects_only:
        advice[SectionName.EXPERIENCE] = (
            "No work experience section: your projects carry this resume, which is fine early on. "
            "If you have had an internship, a part-time job or volunteering, add it under "
            "'Experience'; if not, keep the projects first."
        )
    for name, message in advice.items():
        if name not in present:
            out.add(
                "section.missing",
                severity=Severity.HIGH
                if name is SectionName.EXPERIENCE and not projects_only
                else None,
                section=name,
                message=message,
            )


# --- bullets --------------------------------------------------------------------------


def _figureless(resume: Resume, out: _Collector) -> None:
    """One finding for experience bullets with no figure and no claim of one, when they are most.

    A coach says 'quantify where you can' once, not on every duty: a bullet like 'Conducted
    penetration testing on the Smart TV' has nothing to count, and asking it for a number would
    invite a made-up one. The finding stands for each such bullet in the impact score.
    """
    experience = [t for s, _r, t in _work_statements(resume) if s is SectionName.EXPERIENCE]
    figureless = [
        t
        for t in experience
        if len(t.split()) >= 4 and not _METRIC_RE.search(t) and not _MAGNITUDE_RE.search(t)
    ]
    # a bullet that claims a figure has its own finding ('by how much?') and its own count
    bare = [t for t in figureless if not (resume.language == "en" and _unquantified_claim(t))]
    if len(bare) < 3 or len(figureless) * 2 < len(experience):
        return
    out.add(
        "bullet.no_metric",
        weight=len(bare),
        section=SectionName.EXPERIENCE,
        message=(
            f"{len(figureless)} of {len(experience)} experience bullets show no figure. Where "
            "you know one, add it (how many, how much, how often, how fast); a duty with "
            "nothing to count can stay as it is. I won't invent numbers."
        ),
    )


def _bullets(resume: Resume, out: _Collector) -> None:
    _figureless(resume, out)
    for section, role, text in _work_statements(resume):
        weak = weak_opener(text)
        if weak:
            phrase, better, choices = weak
            if better:
                message = f"'{phrase}' describes a duty, not a result. Start with a strong verb for what you did."
            else:
                message = (
                    f"'{phrase}' hides what you did. Say it with a verb: {', '.join(choices)}… whichever is true"
                    " (I can't tell which from the words)."
                )
            out.add(
                "bullet.weak_opener",
                section=section,
                before=_quote(text),
                after=_rewritten(section, role, text) if better else None,
                message=message,
            )
        claim = _unquantified_claim(text) if resume.language == "en" else None
        if section is SectionName.EXPERIENCE and claim:
            out.add(
                "bullet.no_metric",
                section=section,
                before=_quote(text),
                message=_ask_for_figure(*claim),
            )
        bare = _BARE_NUMBER.search(text)
        if bare:
            n = bare.group(1)
            out.add(
                "bullet.number_without_unit",
                section=section,
                before=_quote(text),
                message=(
                    f"'{bare.group(0).strip()}': {n} what? Give the unit ({n}%, {n} ms, {n} "
                    "points…) so the figure means something."
                ),
            )
        words = len(text.split())
        if words > limits.BULLET_MAX_WORDS:
            parts = [p.strip() for p in re.split(r";\s+|(?<=\.)\s+(?=[A-Z])", text) if p.strip()]
            after = " / ".join(p.rstrip(".;") for p in parts) if len(parts) > 1 else None
            out.add(
                "bullet.too_long",
                section=section,
                before=_quote(text),
                after=after,
                message=(
                    f"{words} words: bullets over {limits.BULLET_MAX_WORDS} words get skimmed. "
                    "Split it or keep the result and cut the rest."
                ),
            )


def _placeholder_bullets(resume: Resume, out: _Collector) -> None:
    """Template filler left as a bullet: 'Accomplishment 2', 'Etc.'."""
    for section in resume.sections:
        items = [b for r in section.roles for b in r.bullets] + [
            ln[2:] for ln in section.lines if ln.startswith("• ")
        ]
        for item in dict.fromkeys(items):
            if any(p.match(item.strip()) for p in PLACEHOLDER_BULLETS):
                out.add(
                    "bullet.placeholder",
                    section=section.name,
                    before=item.strip(),
                    message=(
                        "This bullet is template filler, not something you did. Replace it "
                        "with a result of yours, or delete it."
                    ),
                )


# --- style ----------------------------------------------------------------------------


def _first_person_hits(text: str) -> list[str]:
    hits = []
    for m in _FIRST_PERSON_RE.finditer(text):
        if m.group(0) == "I":
            # "Phase I": only the word right before this I's spaces can match, so search
            # that window, not the whole prefix again (4,000 "I"s on a line took 25 s)
            gap = m.start()
            while gap and text[gap - 1].isspace():
                gap -= 1
            if gap < m.start() and _ROMAN_CONTEXT.search(text, max(0, gap - 8), m.start()):
                continue
        hits.append(m.group(0))
    return hits


def _style(resume: Resume, text: str, out: _Collector) -> None:
    statements = list(_work_statements(resume))
    summary = resume.section(SectionName.SUMMARY)
    summary_lines = [
        (SectionName.SUMMARY, None, line) for line in (summary.lines if summary else [])
    ]
    for section, role, line in statements + summary_lines:
        hits = _first_person_hits(line)
        if not hits:
            continue
        after = drop_first_person(line) if role is None else _rewritten(section, role, line)
        if resume.language != "en" and after is None:
            continue  # the pronoun list is English: 'me' in Portuguese is no advice of ours
        if re.match(rf"^\s*{re.escape(hits[0])}\b", line):
            message = f"Resumes drop first-person words ('{hits[0]}'): start with the verb instead."
        else:
            message = (
                f"Resumes leave out first-person words: drop '{hits[0]}' "
                "(the reader knows it's about you)."
            )
        out.add(
            "style.first_person",
            section=section,
            before=_quote(line),
            after=after,
            message=message,
        )
    if (
        resume.language == "en"
    ):  # the cliché list is English ('Synergy' may name a Portuguese project)
        seen_buzz: set[str] = set()
        titles = [r.title.lower() for sec in resume.sections for r in sec.roles if r.title]
        lines = text.split("\n")
        lows = [raw.lower() for raw in lines]
        # Only the clichés somewhere in the text are looked for line by line (a cliché without
        # a line break is in a line exactly when it is in the lines joined by line breaks).
        joined = "\n".join(lows)
        present = [b for b in BUZZWORDS if "\n" in b or b in joined]
        for raw, low in zip(lines, lows, strict=True):
            if not present:
                break
            hits = [
                b
                for b in present
                if b in low
                and b not in seen_buzz
                and re.search(rf"(?<!\w){re.escape(b)}(?!\w)", low)
            ]
            hits = [
                b for b in hits if not any(b != other and b in other for other in hits)
            ]  # the longest phrase only
            if not hits:
                continue
            seen_buzz.update(hits)
            named = " and ".join(f"'{b}'" for b in hits[:3])
            message = (
                f"{named} {'is a cliché' if len(hits) == 1 else 'are clichés'} recruiters "
                "skip. Show it with a concrete example instead."
            )
            if any(b in title for b in hits for title in titles):
                # 'Head Code Ninja' was the job's name: no example replaces a title
                message = (
                    f"{named} in a job title: recruiters and ATS search by standard titles. If it "
                    "was the official title, keep it and add the standard one in brackets."
                )
            out.add(
                "style.buzzword",
                section=_section_of(resume, raw.strip()),
                before=_quote(raw.strip().lstrip("• ")),
                message=message,
            )
    for section, role, line in statements:
        m = next(
            (
                m
                for m in _PASSIVE_RE.finditer(line)
                if m.group(1).lower() not in _NOT_PASSIVE
                and not _WHEN_CLAUSE.search(line[: m.start()])
            ),
            None,
        )
        by_me = _PASSIVE_BY_ME.match(line)
        if m or by_me:
            after = _rewritten(section, role, line) if by_me else None
            out.add(
                "style.passive_voice",
                section=section,
                before=_quote(line),
                after=after,
                message="Passive voice hides who did the work. Say what you did, with an active verb.",
            )
    _tense(resume, out)
    _repeated_verbs(statements, out)
    _misspellings(resume, statements + summary_lines, out)


_LOWER_WORD = regex_cache.compile(r"(?<![\w.@/'’#+-])([a-z]{5,})(?![\w.@/'’#+-])")


def _misspellings(
    resume: Resume, statements: list[tuple[SectionName, Role | None, str]], out: _Collector
) -> None:
    """Common misspellings ('strategiy', 'managable') in English prose. Only lower-case words of five
    letters or more are checked, so names, tools and acronyms are never flagged; nor is a word the
    keyword vocabulary or core/data/advice.json's 'spelling_ok' knows, nor a plural the dictionary lacks."""
    if resume.language != "en":
        return
    from core.keywords import is_known_skill

    speller = _speller()
    reported: set[str] = set()
    for section, _role, text in statements:
        words = [m.group(1) for m in _LOWER_WORD.finditer(text)]
        for word in speller.unknown(w for w in words if w not in SPELLING_OK and w not in reported):
            better = speller.correction(word)
            if (
                not better
                or better == word
                or (word in (better + "s", better + "es") and not better.endswith("s"))
                or is_known_skill(word)
            ):
                continue
            reported.add(word)
            out.add(
                "style.misspelling",
                section=section,
                before=_quote(text),
                message=(
                    f"'{word}' looks misspelt: did you mean '{better}'? Spelling slips are "
                    "what a recruiter notices first."
                ),
            )


def _section_of(resume: Resume, line: str) -> SectionName | None:
    for section in resume.sections:
        if line in section.lines or "• " + line.lstrip("• ") in section.lines:
            return section.name
    return None


def _tense(resume: Resume, out: _Collector) -> None:
    # every experience section (a resume may have two): the rewrite puts all of them in the past
    past = [
        role
        for section in resume.sections
        for role in section.roles
        if _past_role(section.name, role) and is_work_role(section.name, role)
    ]
    for role in past:  # present tense is right in a current role, so those are left out
        for bullet in _statements(role):  # a paragraph's sentences too: the rewrite fixes both
            verb = present_tense_opener(bullet)
            if verb:
                out.add(
                    "style.tense_mismatch",
                    section=SectionName.EXPERIENCE,
                    before=_quote(bullet),
                    after=_rewritten(SectionName.EXPERIENCE, role, bullet),
                    message=(
                        f"This role ended ({role.dates}), so use the past tense: "
                        f"'{past_tense(verb)}', not '{verb}'."
                    ),
                )


def _repeated_verbs(statements: list[tuple[SectionName, Role, str]], out: _Collector) -> None:
    """A verb opening three or more bullets: list them and suggest same-meaning verbs.

    The rewrite never swaps them itself: which bullet gets which verb is the person's call.
    """
    verbs = [(opener_verb(text), section, text) for section, _role, text in statements]
    counts = Counter(v for v, _, _ in verbs if v)
    for verb, n in counts.most_common():
        if n < 3:
            break
        uses = [(section, text) for v, section, text in verbs if v == verb]
        section, text = uses[1]
        starts = "; ".join(
            "'" + " ".join(t.split()[:6]) + ("…'" if len(t.split()) > 6 else "'")
            for _, t in uses[:5]
        )
        alternatives = SYNONYMS.get(verb)
        out.add(
            "style.repeated_verb",
            section=section,
            before=_quote(text),
            after=None,
            message=f"'{verb.capitalize()}' opens {n} bullets: {starts}. Vary the verbs where another is just as true"
            + (f" (e.g. {', '.join(alternatives)})." if alternatives else "."),
        )


# --- format & extraction ---------------------------------------------------------------

_DATE_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("MM/YYYY", regex_cache.compile(r"^\d{1,2}[/.](?:19|20)\d{2}$")),
    ("Mon. YYYY", regex_cache.compile(r"^[A-Za-z]{3,4}\.\s+(?:19|20)\d{2}$")),
    ("Month YYYY", regex_cache.compile(r"^[A-Za-z]{3,9}\s+(?:19|20)\d{2}$")),
    ("YYYY", regex_cache.compile(r"^(?:19|20)\d{2}$")),
    ("YYYY-MM", regex_cache.compile(r"^(?:19|20)\d{2}[-/.]\d{1,2}$")),
)


# Months written in full even where the others are abbreviated ('Mar. 2010' beside 'May 2018' is
# one style: May has no abbreviation; AP style spells out March–July; French keeps mars, mai, juin, août).
_UNABBREVIATED = frozenset(
    [
        "march",
        "april",
        "may",
        "june",
        "july",
        "mars",
        "mai",
        "juin",
        "août",
        "aout",
        "mayo",
        "maio",
        "mei",
        "juni",
        "juli",
        "märz",
        "maj",
    ]
)


_MONTH_YEAR = regex_cache.compile(r"^([^\W\d_]+)\s+(?:19|20)\d{2}$")


def _date_style(date: str) -> str | None:
    date = date.strip()
    month = _MONTH_YEAR.match(date)
    if month and month.group(1).lower() in _UNABBREVIATED:
        return None  # fits either month style
    for name, pattern in _DATE_STYLES:
        if pattern.match(date):
            return name
    return None


def _format(resume: Resume, document: Document, out: _Collector) -> None:
    extraction = document.extraction
    if extraction.pages > limits.TARGET_PAGES:
        message = (
            f"{extraction.pages} pages: recruiters skim, so keep a resume to one or two "
            "pages (an academic CV is the exception)."
        )
        academic = resume.section(SectionName.PUBLICATIONS) is not None
        if academic:  # with a publication list this may be an academic CV, which runs long
            message = (
                f"{extraction.pages} pages: fine for an academic CV. For an industry job, cut it "
                "to two: keep the most relevant work and a few selected publications."
            )
        out.add("format.too_long", severity=Severity.LOW if academic else None, message=message)
    styles: dict[str, str] = {}  # style → the first date written that way
    for section in resume.sections:
        for role in section.roles:
            if not role.dates:
                continue
            m = DATE_RANGE_RE.search(role.dates)
            if m:
                for part in (m["start"], m["end"]):
                    if not part:  # an open range ('since 2020') has one end only
                        continue
                    style = _date_style(part)
                    if style and style != "YYYY":
                        styles.setdefault(style, part.strip())
    if len(styles) > 1:
        examples = list(styles.values())[:2]
        out.add(
            "format.dates_inconsistent",
            section=SectionName.EXPERIENCE,
            before=" vs ".join(f"'{d}'" for d in examples),
            message=(
                f"Dates are written {len(styles)} ways ({', '.join(styles)}). Pick one format, "
                "e.g. 'Jan 2020 – Mar 2022', everywhere."
            ),
        )
    if extraction.quality == "poor" or extraction.garbled_ratio > limits.GARBLED_FAIR_RATIO:
        out.add(
            "extraction.garbled",
            severity=Severity.HIGH if extraction.quality == "poor" else None,
            message=(
                f"About {extraction.garbled_ratio:.0%} of the characters in this file can't be "
                "read back as text. ATS software will see the same gaps: export again with "
                "standard fonts."
            ),
        )
    # a Japanese form's grid is the form itself; unreadable text is the problem to fix first
    if extraction.multi_column and not resume.form and extraction.quality != "poor":
        out.add(
            "extraction.multi_column",
            message=(
                "This looks like a multi-column layout. Many ATS parsers read columns in the "
                "wrong order; a single column is safest."
            ),
        )
    if extraction.empty_pages:
        out.add(
            "extraction.no_text_layer",
            message=(
                f"{extraction.empty_pages} page(s) have no text layer (a scan or an image). "
                "ATS software can't read them: export the PDF from your editor."
            ),
        )


_PHOTO_CUSTOMARY = frozenset({"ja", "zh", "ko"})


def _privacy(resume: Resume, text: str, out: _Collector) -> None:
    """Personal data (date of birth, age, nationality, photo …) in any of the languages we read.

    A Japanese rirekisho or shokumu keirekisho is a form that asks for these, so it is exempt,
    and so is a resume written in Chinese, Japanese or Korean, where hiring customs expect a
    photo, birth date and gender (the advice to leave them off is for other markets).
    """
    if resume.form or resume.language in _PHOTO_CUSTOMARY:
        return
    lines = text.split("\n")
    for pattern, label in _SENSITIVE:
        # A label pattern (`_label_pattern`) that matches a line matches the joined text at the
        # same place (its look-arounds see a line break as they see a line's end), so one search
        # of the text skips the line-by-line pass for the labels a resume doesn't have.
        if not pattern.search(text):
            continue
        for line in lines:
            m = pattern.search(line)
            if not m:
                continue
            if (
                label in _NEEDS_COLON
                and not re.search(r"[:：]", line[m.start() : m.end() + 2])
                and not _CJK.search(m.group(0))
            ):
                continue
            out.add(
                "privacy.sensitive_data",
                section=SectionName.CONTACT,
                before=_quote(line.strip(), 120),
                message=(
                    f"Your {label} is on the resume. In the US, UK and Canada leave it off (it "
                    "invites bias); it's only expected in some countries (e.g. a Japanese "
                    "rirekisho)."
                ),
            )
            break
    age = next((ln for ln in lines if _AGE_PHRASE.search(ln)), None)
    if age:
        out.add(
            "privacy.sensitive_data",
            section=SectionName.CONTACT,
            before=_quote(age.strip(), 120),
            message=(
                "Your age is on the resume. Many countries advise leaving it off: it invites "
                "bias and says nothing about your work."
            ),
        )
    if resume.photo:
        out.add(
            "privacy.sensitive_data",
            severity=Severity.LOW,
            section=SectionName.CONTACT,
            message=(
                "There's a photo on the resume. In the US, UK and Canada leave it off "
                "(recruiters often must discard resumes with photos); keep it only where it's "
                "expected."
            ),
        )


def _template(text: str, resume: Resume, out: _Collector) -> None:
    """Template text nobody filled in: a resume with 'YOUR NAME HERE' or 'Month 20XX' is not ready
    to send. So is one whose entries and headings still speak to whoever fills it in."""
    found: list[str] = []
    addressed = list(
        dict.fromkeys(
            t.strip().rstrip(":")
            for section in resume.sections
            for t in (
                section.heading,
                *(r.title for r in section.roles if section.name is SectionName.EXPERIENCE),
            )
            if addresses_reader(t)
        )
    )
    hits = 0  # 'xxx' ten times over is as unfilled as two different placeholders
    for pattern in _PLACEHOLDERS:
        for m in pattern.finditer(text):
            token = m.group(0).strip()
            hits += bool(token)
            if token and token.lower() not in (f.lower() for f in found):
                found.append(token)
            if len(found) >= 8:
                break
    strong = any(re.search(r"\byour\b|lorem|\{\{", f, re.I) for f in found)
    if len(addressed) >= 2:
        found += [t for t in addressed if t.lower() not in (f.lower() for f in found)]
        strong = True
    if len(found) >= 2 or strong or hits >= 3:
        out.add(
            "template.unfilled",
            before=", ".join(f"'{f}'" for f in found[:6]),
            message=(
                "This still holds template text nobody filled in. Replace every placeholder "
                "with your own details before you send it."
            ),
        )


def _injection(text: str, out: _Collector) -> None:
    try:
        from core.honesty import prompt_injection_spans
    except ImportError:  # pragma: no cover - the model engine's module ships with core
        return
    for span in prompt_injection_spans(text)[:2]:
        out.add(
            "security.prompt_injection",
            before=_quote(span),
            message=(
                "This text tries to instruct an AI screener. Recruiters and ATS vendors treat "
                "that as a red flag: remove it."
            ),
        )


def _keywords(keywords: KeywordMatch, out: _Collector) -> None:
    missing = keywords.missing[:12]
    gap = "below" if keywords.match_percent < keywords.target_percent else "at or above"
    out.add(
        "keywords.missing",
        severity=Severity.HIGH if keywords.match_percent < 50 else None,
        section=SectionName.SKILLS,
        before=", ".join(missing),
        message=(
            f"{keywords.match_percent}% of the job's keywords appear in your resume ({gap} the "
            f"{keywords.target_percent}% to aim for). Add the ones you genuinely have, in your "
            "own words."
        ),
    )


_ROLE_STOP = {
    "senior",
    "junior",
    "lead",
    "principal",
    "staff",
    "the",
    "a",
    "an",
    "of",
    "and",
    "for",
    "in",
    "ii",
    "iii",
    "sr",
    "jr",
}


def _target_role(resume: Resume, role: str, out: _Collector) -> None:
    """The role someone is aiming for should be named where recruiters look first."""
    words = [w for w in re.findall(r"[\w+#.]+", role.lower()) if w not in _ROLE_STOP]
    if not words:
        return
    top = [
        *(
            (
                resume.section(SectionName.CONTACT) or Section(name=SectionName.CONTACT, heading="")
            ).lines
        ),
        *(
            (
                resume.section(SectionName.SUMMARY) or Section(name=SectionName.SUMMARY, heading="")
            ).lines
        ),
    ]
    head = " ".join(top).lower()
    if all(re.search(rf"(?<!\w){re.escape(w)}", head) for w in words):
        return
    out.add(
        "summary.target_role",
        section=SectionName.SUMMARY,
        message=f"Your headline and summary never name the role you're aiming for ('{role.strip()}'). "
        "Recruiters search by title: name it at the top, if your experience supports it.",
    )


def _where(hidden: list[Finding]) -> str:
    """Where the findings not shown are: the first words of each ('Created RESTful services…')."""
    starts = [" ".join(f.before.split()[:4]) + "…" for f in hidden if f.before]
    if not starts:
        sections = sorted({f.section.value for f in hidden if f.section})
        return f" in {', '.join(sections)}" if sections else ""
    named = ", ".join(f"'{s}'" for s in starts[:3])
    return f": {named}" + (f" and {len(starts) - 3} more" if len(starts) > 3 else "")


def _summarise_overflow(out: _Collector) -> None:
    for rule, hidden in out.hidden.items():
        if hidden:
            last = max(i for i, f in enumerate(out.findings) if f.rule == rule)
            f = out.findings[last]
            where = _where(hidden)
            out.findings[last] = replace(
                f, message=f"{f.message} ({len(hidden)} more like this{where}.)"
            )


# --- the registry: every rule, its category and usual severity, and the check that finds it ---

_C, _S = Category, Severity


def _readable(c: Context) -> bool:  # unreadable text: don't claim what we couldn't read is missing
    return c.document.extraction.quality != "poor"


REGISTRY = Registry(
    [
        Check(
            lambda c, out: _contact(c.resume, out),
            (
                Rule("contact.email_missing", _C.COMPLETENESS, _S.HIGH, "no email address"),
                Rule("contact.phone_missing", _C.COMPLETENESS, _S.MEDIUM, "no phone number"),
                Rule("contact.link_missing", _C.COMPLETENESS, _S.LOW, "no LinkedIn/GitHub/site"),
            ),
        ),
        Check(
            lambda c, out: _sections(c.resume, out),
            (
                Rule(
                    "section.missing",
                    _C.COMPLETENESS,
                    _S.MEDIUM,
                    "no experience (high), education or skills section",
                ),
            ),
            when=_readable,
        ),
        Check(
            lambda c, out: _bullets(c.resume, out),
            (
                Rule(
                    "bullet.weak_opener",
                    _C.IMPACT,
                    _S.MEDIUM,
                    "a bullet opens with a duty, not a verb",
                    share_penalty=45,
                    rewrites=True,
                ),
                Rule(
                    "bullet.no_metric",
                    _C.IMPACT,
                    _S.LOW,
                    "a claimed result without its figure; most bullets without one",
                    share_penalty=45,
                ),
                Rule("bullet.number_without_unit", _C.CLARITY, _S.LOW, "'by 30': 30 what?"),
                Rule("bullet.too_long", _C.CLARITY, _S.LOW, "a bullet over the word limit"),
            ),
        ),
        Check(
            lambda c, out: _placeholder_bullets(c.resume, out),
            (Rule("bullet.placeholder", _C.COMPLETENESS, _S.MEDIUM, "template filler bullet"),),
        ),
        Check(
            lambda c, out: _style(c.resume, c.document.text, out),
            (
                Rule(
                    "style.first_person",
                    _C.CLARITY,
                    _S.LOW,
                    "I/my/we in bullets or summary",
                    rewrites=True,
                ),
                Rule("style.buzzword", _C.CLARITY, _S.LOW, "clichés (English)"),
                Rule(
                    "style.passive_voice",
                    _C.CLARITY,
                    _S.LOW,
                    "passive voice hides who did it",
                    rewrites=True,
                ),
                Rule(
                    "style.tense_mismatch",
                    _C.CLARITY,
                    _S.LOW,
                    "present tense in a past role",
                    rewrites=True,
                ),
                Rule("style.repeated_verb", _C.CLARITY, _S.LOW, "one verb opens 3+ bullets"),
                Rule("style.misspelling", _C.CLARITY, _S.LOW, "a common misspelling (English)"),
            ),
        ),
        Check(
            lambda c, out: _format(c.resume, c.document, out),
            (
                Rule("format.too_long", _C.ATS, _S.MEDIUM, "more pages than recruiters read"),
                Rule(
                    "format.dates_inconsistent",
                    _C.ATS,
                    _S.LOW,
                    "dates written more than one way",
                    quotes_resume=False,
                ),
                Rule("extraction.garbled", _C.ATS, _S.MEDIUM, "characters that can't be read"),
                Rule("extraction.multi_column", _C.ATS, _S.LOW, "a multi-column layout"),
                Rule("extraction.no_text_layer", _C.ATS, _S.HIGH, "pages without a text layer"),
            ),
        ),
        Check(
            lambda c, out: _privacy(c.resume, c.document.text, out),
            (
                Rule(
                    "privacy.sensitive_data",
                    _C.COMPLETENESS,
                    _S.MEDIUM,
                    "birth date, age, photo, nationality…",
                ),
            ),
        ),
        Check(
            lambda c, out: _template(c.document.text, c.resume, out),
            (
                Rule(
                    "template.unfilled",
                    _C.COMPLETENESS,
                    _S.HIGH,
                    "template text left in",
                    caps_score=40,
                    quotes_resume=False,
                ),
            ),
        ),
        Check(
            lambda c, out: _injection(c.document.text, out),
            (
                Rule(
                    "security.prompt_injection",
                    _C.SECURITY,
                    _S.HIGH,
                    "instructions to AI screeners",
                    caps_score=40,
                ),
            ),
        ),
        Check(
            lambda c, out: _keywords(c.keywords, out),
            (
                Rule(
                    "keywords.missing",
                    _C.KEYWORDS,
                    _S.MEDIUM,
                    "the job's keywords the resume lacks (high under 50 %)",
                    quotes_resume=False,
                ),
            ),
            when=lambda c: c.keywords is not None and bool(c.keywords.missing),
        ),
        Check(
            lambda c, out: _target_role(c.resume, c.target_role, out),
            (Rule("summary.target_role", _C.KEYWORDS, _S.MEDIUM, "the target role isn't named"),),
            when=lambda c: bool(c.target_role),
        ),
    ]
)
# The rules whose "after" the rewrite applies: each of their findings is shown, never capped,
# so every edit in the rewrite is listed with its before and after.
REWRITE_RULES = REGISTRY.ids(rewrites=True)
