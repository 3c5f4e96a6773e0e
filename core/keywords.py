"""Job-description keyword match, the way an ATS (or Jobscan) scores it.

Why it works this way: applicant tracking systems rank resumes by literal
keyword overlap with the posting, so a candidate needs to know which of the
posting's skills their resume never *says*. The job text is tokenised (keeping
"C++", "C#", ".NET", "Node.js", "CI/CD" whole), then terms are taken from

1. a curated vocabulary of tech and business skills, each entry a synonym group
   ("Kubernetes" = "K8s", "machine learning" = "ML", "AWS" = "Amazon Web Services"),
2. acronyms the posting defines inline ("Site Reliability Engineering (SRE)"),
3. generic extraction from the requirement/responsibility bullets: tool-like
   names (acronyms, CamelCase such as "FastAPI") and short noun phrases that end
   in a skill noun ("funnel analysis", "contract tests").

Metadata lines (company, location, salary) and sections such as benefits or
"how to apply" are skipped. Matching is case-insensitive on whole tokens, with
plural/singular and British/US spellings folded; a few short ambiguous terms
("REST", "R", "Go", "C") match only as written in capitals.

Weighting of `match_percent`: every term gets the weight of the most important
place it appears: required/qualifications 3, the job title and responsibilities
2, unlabelled text 1.5, "about" text and nice-to-have/"a plus" clauses 1; each
further mention adds 0.5 (at most +1.5); generically extracted terms count 0.6x
a vocabulary term. `match_percent` = matched weight / total weight, rounded.
A posting with no recognisable terms gives 0 with empty lists.

Curated knowledge lives in core/data/keyword_relations.json: extra vocabulary, skills a sentence
implies ("Clean and combine … data" is data cleaning), related terms that meet a job's term
(MySQL or PostgreSQL for SQL), and words that are a skill only when the job says so ("sales
experience", not "weekly sales"). A term whose name sits inside another of the job's terms
("BI" beside "Power BI") is not counted twice, a choice the job offers ("Tableau, Power BI or
Looker", "Python or R") is met by any one of them, and the resume's own employer and school names
(`exclude`) never match ("Harborlight Analytics" is not analytics).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from core import limits, regex_cache
from core.models import KeywordMatch


def _data_text(name: str) -> str:
    return resources.files("core.data").joinpath(name).read_text(encoding="utf-8")


# Display | alias | alias ...   ("=" before an alias: match only with this exact case, one token)
_VOCAB = "".join(
    line + "\n"
    for line in _data_text("skills.txt").splitlines()
    if line and not line.startswith("# ")
)

_RELATIONS = json.loads(_data_text("keyword_relations.json"))
_WORDS = json.loads(_data_text("keywords.json"))
_VOCAB += "\n".join(_RELATIONS["terms"]) + "\n"
_IMPLIED = {
    term: tuple(regex_cache.compile(p, re.I) for p in patterns)
    for term, patterns in _RELATIONS["implied"].items()
}
_FALSE_FRIENDS = tuple(regex_cache.compile(p) for p in _RELATIONS.get("false_friends", ()))
_ELLIPSIS = regex_cache.compile(
    r"\b([A-Za-z][\w-]+)\s+(and|or)\s+([A-Za-z][\w-]+)\s+(analys[ie]s|testing|tests|modell?ing)\b",
    re.I,
)

# Words that are never a skill on their own: function words, resume/JD filler, job-ad boilerplate.
_STOP = frozenset(_WORDS["stop"])

# Verbs and adjectives that start job-ad clauses; they break a noun phrase.
_VERBS = frozenset(_WORDS["verbs"])

# Acronyms that are not skills: places, currencies, file types, ad boilerplate.
_STOP_ACRONYMS = frozenset(_WORDS["stop_acronyms"])

# A generic phrase must end in one of these (normalised) nouns to count as a skill.
_HEAD_NOUNS = frozenset(_WORDS["head_nouns"])

# Metadata lines: "Company: …", "Location: …". The title's skills count; the rest never do.
_META_RE = regex_cache.compile(
    r"^\s*(job title|title|position|role|company|employer|location|locations|employment type|"
    r"job type|contract|type|salary|compensation|pay|department|team|reports to|start date|"
    r"job id|req id|posted|deadline|work model|workplace)\s*:\s*(.*)$",
    re.I,
)
_TITLE_KEYS = {"job title", "title", "position", "role"}
_COMPANY_KEYS = {"company", "employer"}

_SECTION_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("about", regex_cache.compile(r"^about|overview|who we are|^the team|^our team|mission", re.I)),
    (
        "nice",
        regex_cache.compile(
            r"nice[ -]to[ -]have|bonus|preferred|desirable|good to have|pluses|\ba plus\b|extra credit",
            re.I,
        ),
    ),
    (
        "ignore",
        regex_cache.compile(
            r"we offer|benefit|compensation|salary|perks|how to apply|to apply|equal opportunit|"
            r"\beeo\b|diversity|why join|why work|our values|about us|about the company|"
            r"interview process|location",
            re.I,
        ),
    ),
    (
        "required",
        regex_cache.compile(
            r"require|qualification|looking for|must[ -]have|you have|you bring|you need|"
            r"who you are|about you|skills|minimum|essential|what we expect|your profile|"
            r"your background|experience",
            re.I,
        ),
    ),
    (
        "responsibilities",
        regex_cache.compile(
            r"responsib|what you.?ll do|what you will do|the role|duties|you will|day[ -]to[ -]day|"
            r"your impact|in this role|what you.?ll work on|the job",
            re.I,
        ),
    ),
)
_WEIGHTS = {
    "required": 3.0,
    "title": 2.0,
    "responsibilities": 2.0,
    "general": 1.5,
    "about": 1.0,
    "nice": 1.0,
    "ignore": 0.0,
}
_GENERIC_FACTOR = 0.6
_REPEAT_BONUS = 0.5
_REPEAT_BONUS_MAX = 1.5
_MAX_SHOWN = 30
_GENERIC_SECTIONS = frozenset({"required", "responsibilities", "nice", "general"})
_NICE_CLAUSE = regex_cache.compile(
    r"\b(?:nice[ -]to[ -]have|a (?:strong |big |huge )?plus|bonus|preferred|ideally|desirable)\b",
    re.I,
)
_BULLET = regex_cache.compile(r"^\s*(?:[-*•▪◦●–—+]|\d{1,2}[.)])\s+")

# A token keeps "C++", "C#", ".NET", "Node.js", "CI/CD", "R&D", "Bachelor's" whole; "-" separates.
_TOKEN = regex_cache.compile(r"\.?[^\W_]+(?:[./&'’][^\W_]+|[+#]+[^\W_]*)*")
_CAMEL = regex_cache.compile(r"[a-z][A-Z]|[A-Z]{2,}[a-z]")
_ACRONYM = regex_cache.compile(r"^[A-Z][A-Z0-9&/+#]{1,7}s?$")
_PARENS = regex_cache.compile(r"\(([^()\n]{2,80})\)")
_DEF_ACRONYM = regex_cache.compile(r"[A-Z][A-Za-z0-9&/]{1,9}")
_DEF_LOOKBACK = 80
_DEF_MAX_WORDS = 7
_DEF_SKIP = frozenset({"of", "and", "for", "&", "the", "to", "in", "on", "as", "a"})
_SPELLING = {
    "modelling": "modeling",
    "modelled": "modeled",
    "labelling": "labeling",
    "analyses": "analysis",
    "analyse": "analyze",
    "analysing": "analyzing",
    "catalogue": "catalog",
    "behaviour": "behavior",
}


_SENTENCE_ENDS = (".", "!", "?", ":", ";", "•", '"', "(")
_BULLET_GAPS = frozenset({"-", "*", "•", "–"})


@dataclass(slots=True)
class _Tok:
    norm: str
    orig: str
    start: int
    end: int
    joinable: bool  # only spaces or a hyphen since the previous token: may continue a phrase
    sentence_start: bool


@dataclass(slots=True)
class _Term:
    key: object  # group id (int) or a tuple of normalised tokens (generic term)
    display: str
    first: int
    weight: float = 0.0
    mentions: int = 0
    generic: bool = False
    extra_keys: list[tuple[str, ...]] = field(default_factory=list)


@lru_cache(maxsize=1)
def _stem():  # snowballstemmer's English (Porter2) stemmer: one instance, built on first use
    import snowballstemmer

    return snowballstemmer.stemmer("english").stemWord


def preload() -> None:
    """Build the stemmer now (~13 ms: snowballstemmer imports every language's module), so
    review workers forked after this inherit it instead of each building its own."""
    _stem()


@lru_cache(maxsize=8192)
def _norm(word: str) -> str:
    """Lower-case, fold British spellings, then stem, so both texts meet halfway.

    The Porter2 stemmer folds plurals and word forms ('testing', 'tests' → 'test'; 'managed',
    'management' → 'manag'); both the job and the resume go through it, so a stem never shows.
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = _SPELLING.get(w, w)
    if w in _STOP or w in _VERBS or len(w) < 4 or not w.isalpha():
        return w
    if w.endswith("isation"):  # Porter2 stems 'organisation' and 'organization' apart
        w = w[:-7] + "ization"
    return _stem()(w)


@lru_cache(maxsize=1)
def _slash_tokens() -> frozenset[str]:
    return frozenset(a.lower() for line in _VOCAB.splitlines() for a in line.split("|") if "/" in a)


def _tokenize(text: str) -> list[_Tok]:
    """Tokens with their spans; a hot loop (every clause of a 20k-char posting), kept lean."""
    slash = _slash_tokens()
    toks: list[_Tok] = []
    append, norm, make = toks.append, _norm, _Tok
    last = 0
    for m in _TOKEN.finditer(text):
        word = m.group()
        start = m.start()
        if "/" in word and word.lower() not in slash:
            pieces: list[tuple[str, int]] = []
            offset = start
            for piece in word.split("/"):
                if piece:
                    pieces.append((piece, offset))
                offset += len(piece) + 1
        else:
            pieces = [(word, start)]
        for n, (piece, begin) in enumerate(pieces):
            if n:  # "A/B": the pieces of one slashed word belong together
                last = begin + len(piece)
                append(make(norm(piece), piece, begin, last, True, False))
                continue
            if begin - last == 1 and text[last] == " ":
                joinable, sentence_start = True, not toks
            else:
                gap = text[last:begin]
                tail = gap.rstrip()
                joinable = not gap.strip(" \t-")
                sentence_start = (
                    not toks or "\n" in gap or tail.endswith(_SENTENCE_ENDS) or tail in _BULLET_GAPS
                )
            last = begin + len(piece)
            append(make(norm(piece), piece, begin, last, joinable, sentence_start))
    return toks


@dataclass(frozen=True, slots=True)
class _Lexicon:
    phrases: dict[tuple[str, ...], int]
    starts: frozenset[str]  # first tokens of multi-word phrases
    cased: dict[str, int]
    displays: list[str]
    max_len: int


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    phrases: dict[tuple[str, ...], int] = {}
    cased: dict[str, int] = {}
    displays: list[str] = []
    for line in _VOCAB.strip().splitlines():
        names = [n.strip() for n in line.split("|") if n.strip()]
        gid = len(displays)
        displays.append(names[0])
        case_only = {n[1:] for n in names if n.startswith("=")}
        # a name that stems to a capitals-only name ('RESTful' → 'rest') matches as written too
        case_keys = {tuple(t.norm for t in _tokenize(n)) for n in case_only}
        for name in names:
            if name.startswith("="):
                cased[name[1:]] = gid
            elif name not in case_only:
                key = tuple(t.norm for t in _tokenize(name))
                if key in case_keys:
                    cased[name] = gid
                elif key:
                    phrases.setdefault(key, gid)
    starts = frozenset(k[0] for k in phrases if len(k) > 1)
    return _Lexicon(phrases, starts, cased, displays, max(len(k) for k in phrases))


def _find_terms(toks: list[_Tok], lex: _Lexicon) -> list[tuple[int, int, int]]:
    """Greedy longest vocabulary matches: (group, first token, end token)."""
    hits: list[tuple[int, int, int]] = []
    phrases, i, n = lex.phrases, 0, len(toks)
    while i < n:
        found: tuple[int, int, int] | None = None
        first = toks[i].norm
        gid = phrases.get((first,))
        if gid is not None:
            found = (gid, i, i + 1)
        if first in lex.starts:
            key: tuple[str, ...] = (first,)
            for j in range(i + 1, min(i + lex.max_len, n)):
                if not toks[j].joinable:
                    break
                key = (*key, toks[j].norm)
                gid = phrases.get(key)
                if gid is not None:
                    found = (gid, i, j + 1)
        if found is None:
            gid = lex.cased.get(toks[i].orig)
            nxt = toks[i + 1].norm if i + 1 < n else ""
            if gid is not None and not (toks[i].orig == "Go" and nxt == "to"):
                found = (gid, i, i + 1)
        if found:
            hits.append(found)
            i = found[2]
        else:
            i += 1
    return hits


def _initials_match(words: list[str], acronym: str) -> list[str] | None:
    """The trailing words of `words` whose initials spell `acronym` (stop words skipped), or None."""
    letters = [c for c in acronym if c.isupper() or c.isdigit()]
    if len(letters) < 2:
        return None
    picked: list[str] = []
    want = list(reversed(letters))
    for word in reversed(words):
        if not want:
            break
        if word.lower() in _DEF_SKIP:
            picked.append(word)
            continue
        if word[0].upper() != want[0]:
            return None
        want.pop(0)
        picked.append(word)
    if want:
        return None
    while picked and picked[-1].lower() in _DEF_SKIP:
        picked.pop()
    return list(reversed(picked))


def _inline_definitions(text: str) -> list[tuple[str, str]]:
    """("Site Reliability Engineering", "SRE") pairs the text defines, in either order."""
    pairs: list[tuple[str, str]] = []
    for m in _PARENS.finditer(text):
        inside = m[1].strip()
        before = text[max(0, m.start() - _DEF_LOOKBACK) : m.start()].split()
        if _DEF_ACRONYM.fullmatch(inside):  # "Site Reliability Engineering (SRE)"
            words = _initials_match([w.strip(",;:") for w in before[-_DEF_MAX_WORDS:]], inside)
            if words and all(w[:1].isalpha() or w == "&" for w in words):
                pairs.append((" ".join(words), inside))
        elif before and _DEF_ACRONYM.fullmatch(before[-1]):  # "SRE (Site Reliability Engineering)"
            words = inside.split()
            if len(words) <= _DEF_MAX_WORDS and _initials_match(words, before[-1]) == words:
                pairs.append((inside, before[-1]))
    return pairs


def _with_definitions(lex: _Lexicon, texts: tuple[str, ...]) -> _Lexicon:
    """Add inline acronym definitions: joined to a vocabulary group, or a new group of their own."""
    pairs = [p for t in texts for p in _inline_definitions(t)]
    if not pairs:
        return lex
    phrases, displays = dict(lex.phrases), list(lex.displays)
    for long_form, acronym in pairs:
        lkey = tuple(t.norm for t in _tokenize(long_form))
        akey = tuple(t.norm for t in _tokenize(acronym))
        gid = phrases.get(lkey, phrases.get(akey))
        if gid is None:
            gid = len(displays)
            displays.append(f"{long_form} ({acronym})")
        phrases.setdefault(lkey, gid)
        phrases.setdefault(akey, gid)
    starts = frozenset(k[0] for k in phrases if len(k) > 1)
    return _Lexicon(phrases, starts, lex.cased, displays, max(len(k) for k in phrases))


def _classify_heading(text: str) -> str | None:
    for name, pattern in _SECTION_RULES:
        if pattern.search(text):
            return name
    return None


def _looks_like_heading(line: str) -> bool:
    words = line.rstrip(":").split()
    return (
        0 < len(words) <= 7
        and not line.endswith((".", ",", ";"))
        and (line.endswith(":") or line[:1].isupper())
    )


def _clauses(text: str) -> list[str]:
    return [c for c in re.split(r"(?<=[;.!?])\s+|;", text) if c.strip()]


def _job_segments(job_text: str) -> tuple[list[tuple[str, str]], set[str]]:
    """Split the posting into (section kind, text) pieces and collect the company's own words."""
    segments: list[tuple[str, str]] = []
    company_words: set[str] = set()
    section = "general"
    for raw in job_text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if meta := _META_RE.match(line):
            key = meta[1].lower()
            if key in _TITLE_KEYS:
                segments.append(("title", meta[2]))
            elif key in _COMPANY_KEYS:
                company_words |= {t.norm for t in _tokenize(re.sub(r"\(.*?\)", "", meta[2]))}
            continue
        bullet = _BULLET.match(line)
        body = line[bullet.end() :] if bullet else line
        if not bullet:
            label, _, rest = line.partition(":")
            if rest.strip() and len(label.split()) <= 5 and (kind := _classify_heading(label)):
                section = kind
                body = rest.strip()
            elif _looks_like_heading(line):
                section = _classify_heading(line) or "general"
                continue
        label, _, rest = body.partition(":")
        if rest.strip() and len(label.split()) <= 4 and _classify_heading(label) == "nice":
            segments.append(("nice", rest))
            continue
        for clause in _clauses(body):
            kind = "nice" if section != "ignore" and _NICE_CLAUSE.search(clause) else section
            segments.append((kind, clause))
    return segments, company_words


def _is_content(tok: _Tok) -> bool:
    return (
        tok.norm not in _STOP
        and tok.norm not in _VERBS
        and any(c.isalpha() for c in tok.norm)
        and len(tok.norm) > 1
    )


def _generic_terms(
    toks: list[_Tok], used: set[int], banned: set[str]
) -> list[tuple[tuple[str, ...], int, int]]:
    """Tool-like names and skill noun phrases among the tokens no vocabulary term took."""
    out: list[tuple[tuple[str, ...], int, int]] = []
    run: list[int] = []

    def flush() -> None:
        # the last 2-3 words of a run of content words, when it ends in a skill noun
        if len(run) >= 2 and toks[run[-1]].norm in _HEAD_NOUNS:
            words = run[-3:]
            while (
                len(words) > 2
                and toks[words[0]].orig[:1].isupper()
                and toks[words[0]].sentence_start
            ):
                words = words[1:]
            out.append((tuple(toks[j].norm for j in words), words[0], words[-1] + 1))
        run.clear()

    for i, tok in enumerate(toks):
        if i in used or tok.norm in banned or not _is_content(tok):
            flush()
            continue
        orig = tok.orig
        tool_like = not (orig.isalpha() and orig.islower()) and (
            (_ACRONYM.match(orig) and orig.rstrip("s") not in _STOP_ACRONYMS)
            or _CAMEL.search(orig)
            or (orig[:1].isupper() and not tok.sentence_start and not orig.isupper())
            or (re.search(r"[+#]|\.\w", orig) and any(c.isalpha() for c in orig))
        )
        if tool_like and not any(c.isdigit() for c in orig[:1]):
            flush()
            out.append(((tok.norm,), i, i + 1))
            continue
        if run and not tok.joinable:
            flush()
        if orig[:1].isupper() and not tok.sentence_start:
            flush()
            continue
        run.append(i)
    flush()
    return out


def _display(span: str, canonical: str, first: _Tok) -> str:
    """The job's own spelling, unless it is only a capitalised verb opening a bullet ("Mentor")."""
    if first.sentence_start and span.istitle() and " " not in span and canonical.islower():
        return canonical
    return span


def _expand_ellipsis(text: str) -> str:
    """'cohort and funnel analysis' → 'cohort analysis and funnel analysis'."""

    def repl(m: re.Match[str]) -> str:
        if m[1].lower() in _STOP or m[1].lower() in _VERBS:
            return m[0]
        return f"{m[1]} {m[4]} {m[2]} {m[3]} {m[4]}"

    return _ELLIPSIS.sub(repl, text)


def _without_names(text: str, names: Iterable[str]) -> str:
    """The resume without its employers' and schools' names, so 'Harborlight Analytics' isn't analytics."""
    for name in sorted(
        {n.strip() for n in names if n and len(n.strip()) >= 3}, key=len, reverse=True
    ):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)(?!\s+[A-Z])", " \n ", text)
    return text


def _gid(lex: _Lexicon, name: str) -> int | None:
    return lex.phrases.get(tuple(t.norm for t in _tokenize(name)))


@lru_cache(maxsize=1)
def _relations() -> tuple[
    dict[int, frozenset[int]], frozenset[int], dict[int, tuple[re.Pattern[str], ...]]
]:
    lex = _lexicon()
    related: dict[int, frozenset[int]] = {}
    for term, others in _RELATIONS["related"].items():
        gid = _gid(lex, term)
        if gid is not None:
            related[gid] = frozenset(
                g for o in others if (g := _gid(lex, o)) is not None and g != gid
            )
    generic = frozenset(g for t in _RELATIONS["generic"] if (g := _gid(lex, t)) is not None)
    implied = {g: pats for t, pats in _IMPLIED.items() if (g := _gid(lex, t)) is not None}
    return related, generic, implied


_SKILL_AFTER = regex_cache.compile(r"^\s*(?:experience|skills?|background|expertise)\b", re.I)
_SKILL_BEFORE = regex_cache.compile(
    r"\b(?:experience|skills?|background|expertise|knowledge)\s+(?:in|with|of)\s+$", re.I
)


def _dedupe(labels: list[str]) -> set[str]:
    """Labels that sit as whole words inside another label ('BI' in 'Power BI'): shown once, as the longer."""
    low = [label.lower() for label in labels]
    return {
        a
        for a in low
        for b in low
        if a != b and re.search(rf"(?<![\w/]){re.escape(a)}(?![\w/])", b)
    }


_OR_SEP = regex_cache.compile(r"^\s*\)?\s*,?\s*or\s+$", re.I)
_LIST_SEP = regex_cache.compile(r"^\s*,\s*$")
_ONE_OF = regex_cache.compile(
    r"\b(?:at least one|one of|any of|such as|e\.g\.?|for example)\b[^.;]*$", re.I
)


def _alternatives(text: str, spans: list[tuple[int, int, int]]) -> list[set[int]]:
    """Terms the job offers as a choice: 'Python … or R', 'at least one BI tool (Tableau, Power BI or Looker)'."""
    groups: list[set[int]] = []
    for i in range(len(spans) - 1):
        gap = text[spans[i][2] : spans[i + 1][1]]
        if not _OR_SEP.match(gap):
            continue
        group = {spans[i][0], spans[i + 1][0]}
        j = i
        while j > 0 and _LIST_SEP.match(text[spans[j - 1][2] : spans[j][1]]):
            j -= 1
        if j < i and _ONE_OF.search(text[: spans[j][1]]):  # the whole list is the choice
            group |= {g for g, _, _ in spans[j : i + 1]}
        groups.append(group)
    return groups


def match_keywords(job_text: str, resume_text: str, exclude: Iterable[str] = ()) -> KeywordMatch:
    """Score how many of the posting's keywords the resume contains (see the module docstring).

    `exclude`: the resume's employer and school names, whose words are never a skill.
    """
    job_text = _expand_ellipsis(job_text)
    resume_text = _expand_ellipsis(_without_names(resume_text, exclude))
    for false_friend in _FALSE_FRIENDS:
        resume_text = false_friend.sub(" \n ", resume_text)
    related, generic, implied = _relations()
    lex = _with_definitions(_lexicon(), (job_text, resume_text))
    defined = {long.lower(): f"{long} ({short})" for long, short in _inline_definitions(job_text)}
    segments, company_words = _job_segments(job_text)
    terms: dict[object, _Term] = {}
    alternatives: dict[int, set[int]] = {}  # "Tableau, Power BI or Looker": any one of them will do
    offset = 0

    def note(key: object, display: str, weight: float, generic: bool) -> None:
        term = terms.get(key)
        if term is None:
            terms[key] = _Term(key, display, offset, weight, 1, generic)
        else:
            term.mentions += 1
            term.weight = max(term.weight, weight)

    for kind, text in segments:
        weight = _WEIGHTS[kind]
        offset += 1
        if weight <= 0:
            continue
        toks = _tokenize(text)
        used: set[int] = set()
        seen_here: set[int] = set()
        spans: list[tuple[int, int, int]] = []
        for gid, a, b in _find_terms(toks, lex):
            used.update(range(a, b))
            start, end = toks[a].start, toks[b - 1].end
            if gid in generic and not (
                _SKILL_AFTER.match(text[end:]) or _SKILL_BEFORE.search(text[:start])
            ):
                continue  # "weekly sales", "metrics, logs": the business, not a skill asked for
            seen_here.add(gid)
            spans.append((gid, start, end))
            note(gid, _display(text[start:end], lex.displays[gid], toks[a]), weight, False)
        for group in _alternatives(text, spans):
            for gid in group:
                alternatives.setdefault(gid, set()).update(group - {gid})
        for gid, patterns in implied.items():
            if gid not in seen_here and any(p.search(text) for p in patterns):
                note(gid, lex.displays[gid], weight, False)
        if kind in _GENERIC_SECTIONS:
            for key, a, b in _generic_terms(toks, used, company_words):
                note(key, text[toks[a].start : toks[b - 1].end], weight, True)

    if not terms:
        return KeywordMatch(match_percent=0, target_percent=limits.KEYWORD_TARGET_PERCENT)

    resume_toks = _tokenize(resume_text)
    resume_groups = {gid for gid, _, _ in _find_terms(resume_toks, lex)}
    resume_groups |= {
        gid for gid, patterns in implied.items() if any(p.search(resume_text) for p in patterns)
    }
    resume_grams: set[tuple[str, ...]] = set()
    for i in range(len(resume_toks)):
        key: tuple[str, ...] = ()
        for j in range(i, min(i + 3, len(resume_toks))):
            if j > i and not resume_toks[j].joinable:
                break
            key = (*key, resume_toks[j].norm)
            resume_grams.add(key)

    def final_weight(term: _Term) -> float:
        bonus = min(_REPEAT_BONUS_MAX, _REPEAT_BONUS * (term.mentions - 1))
        return (term.weight + bonus) * (_GENERIC_FACTOR if term.generic else 1.0)

    def present(term: _Term) -> bool:
        if isinstance(term.key, int):
            return any(
                gid in resume_groups or related.get(gid, frozenset()) & resume_groups
                for gid in (term.key, *alternatives.get(term.key, ()))
            )
        key = term.key
        assert isinstance(key, tuple)
        return key in resume_grams or (len(key) == 3 and key[1:] in resume_grams)

    ranked = sorted(terms.values(), key=lambda t: (-final_weight(t), t.first))
    matched, missing, seen = [], [], set()
    inside = _dedupe([defined.get(t.display.strip().lower(), t.display.strip()) for t in ranked])
    got = total = 0.0
    for term in ranked:
        label = term.display.strip()
        label = defined.get(label.lower(), label)
        if label.lower() in seen or label.lower() in inside:
            continue
        seen.add(label.lower())
        total += final_weight(term)
        if present(term):
            got += final_weight(term)
            matched.append(label)
        else:
            missing.append(label)
    return KeywordMatch(
        match_percent=max(0, min(100, round(100 * got / total))) if total else 0,
        matched=matched[:_MAX_SHOWN],
        missing=missing[:_MAX_SHOWN],
        target_percent=limits.KEYWORD_TARGET_PERCENT,
    )


def is_known_skill(text: str) -> bool:
    """Is `text` as a whole a skill or tool the vocabulary knows ('HTML', 'Apache Kafka', 'MP4')?"""
    lex = _lexicon()
    toks = _tokenize(text)
    if not toks:
        return False
    key = tuple(t.norm for t in toks)
    return key in lex.phrases or (len(toks) == 1 and text.strip() in lex.cased)
