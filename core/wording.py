"""Word lists and the small, honest rewrites the offline reviewer makes.

Every rewrite here only rephrases what the line already says (a weak opener
becomes a verb, "I" goes, a present-tense verb in a past role becomes past
tense). None adds a number, a name or a claim.
"""

from __future__ import annotations

import json
import re
from importlib import resources

from core import regex_cache

# Resume action verbs (base form). Used to tell tense and to spot openers.
ACTION_VERBS = frozenset(
    json.loads(resources.files("core.data").joinpath("wording.json").read_text(encoding="utf-8"))[
        "action_verbs"
    ]
)

IRREGULAR_PAST = {
    "build": "built",
    "lead": "led",
    "run": "ran",
    "write": "wrote",
    "make": "made",
    "oversee": "oversaw",
    "teach": "taught",
    "sell": "sold",
    "drive": "drove",
    "grow": "grew",
    "cut": "cut",
    "set": "set",
    "take": "took",
    "give": "gave",
    "bring": "brought",
    "begin": "began",
    "win": "won",
    "speak": "spoke",
    "hold": "held",
    "find": "found",
    "found": "founded",
    "troubleshoot": "troubleshot",
    "spend": "spent",
    "keep": "kept",
    "think": "thought",
    "know": "knew",
}
_PAST_FORMS = set(IRREGULAR_PAST.values())

# Openers that describe duties instead of results. Value: how to fix it honestly —
# "gerund" ("Responsible for managing X" → "Managed X"), "drop" (the rest already says it),
# or None: no stronger verb follows honestly from the words, so the finding asks the person
# to choose one ("Helped with the rollout" may mean led it, built it or tested it).
WEAK_OPENERS: tuple[tuple[str, str | None], ...] = (
    (r"responsible for ", "gerund"),
    (r"in charge of ", "gerund"),
    (r"duties included ", "drop"),
    (r"duties include ", "drop"),
    (r"tasked with ", "gerund"),
    (r"helped (?:with|in|to) ", None),
    (r"helped ", None),
    (r"assisted (?:with|in) ", None),
    (r"assisted ", None),
    (r"worked on ", None),
    (r"working on ", None),
    (r"worked in ", None),
    (r"working in ", None),
    (r"contributed to ", None),
    (r"contributing to ", None),
    (r"participated in ", None),
    (r"was involved in ", None),
    (r"involved in ", None),
    (r"handled ", None),
)

# First words that make an opener weak: no fix may start with one of these.
WEAK_OPENER_WORDS = frozenset(
    [
        "responsible",
        "in",
        "duties",
        "tasked",
        "helped",
        "assisted",
        "worked",
        "working",
        "participated",
        "involved",
        "was",
        "handled",
        "contributed",
        "contributing",
        "supported",
        "aided",
    ]
)

# Concrete verbs to offer when a weak opener has no honest fix, by what the bullet is about.
_VERB_CHOICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        r"^(?:an?|the)\s+(?:[\w-]+,?\s+){0,3}(?:environment|setting|team)\b",
        ("Built", "Delivered", "Shipped"),
    ),
    (r"migrat", ("Migrated", "Planned", "Tested")),
    (r"life ?cycle|workflow", ("Led", "Ran", "Improved")),
    (r"\bclean", ("Cleaned", "Prepared", "Analyzed")),
    (r"debug|troubleshoot|\bbugs?\b|\bfix|incident|support", ("Diagnosed", "Fixed", "Resolved")),
    (r"\btest|\bqa\b|quality", ("Tested", "Automated", "Designed")),
    (
        r"develop|build|design|implement|system|\bapp|\bapi|code|software|feature|service|model",
        ("Built", "Designed", "Implemented"),
    ),
    (r"analy|data|research|report", ("Analyzed", "Built", "Evaluated")),
    (r"launch|rollout|roll-out|release|project|event|campaign", ("Led", "Planned", "Shipped")),
    (r"customer|client|complaint|request|order|account", ("Resolved", "Managed", "Processed")),
)
_DEFAULT_CHOICES = ("Led", "Built", "Shipped")


def verb_choices(rest: str) -> list[str]:
    """Two or three concrete verbs the person could mean, the bullet's own verb first
    ('… improving the flow' → Improved); the person picks the true one."""
    first = re.match(r"([A-Za-z]+)", rest)
    own: list[str] = []
    # '… in an Agile environment, delivering software' → Delivered: the bullet's own verbs first
    later = [m.group(1) for m in re.finditer(r",\s+([a-z]+ing)\s+(?!and\b)[a-z]", rest)]
    if first:
        word = first.group(1).lower()
        past = gerund_to_past(word) or (
            past_tense(word).capitalize() if word in ACTION_VERBS else None
        )
        if past and past.lower() not in WEAK_OPENER_WORDS:
            own.append(past)
    for word in later:
        past = gerund_to_past(word)
        if past and past.lower() not in WEAK_OPENER_WORDS:
            own.append(past)
    generic = next(
        (verbs for pattern, verbs in _VERB_CHOICES if re.search(pattern, rest, re.I)),
        _DEFAULT_CHOICES,
    )
    out: list[str] = []
    for verb in [*own, *generic]:
        if verb not in out:
            out.append(verb)
    return out[:3]


def _advice_data() -> dict:
    return json.loads(
        resources.files("core.data").joinpath("advice.json").read_text(encoding="utf-8")
    )


_ADVICE = _advice_data()
BUZZWORDS: tuple[str, ...] = tuple(
    _ADVICE["cliches"]
)  # clichés recruiters skip (core/data/advice.json)
SPELLING_OK: frozenset[str] = frozenset(_ADVICE["spelling_ok"])  # never flagged as misspelt
PLACEHOLDER_BULLETS: tuple[re.Pattern[str], ...] = tuple(
    regex_cache.compile(p, re.I) for p in _ADVICE["placeholder_bullets"]
)

# Verbs that say the same thing, offered when one opener repeats (never swapped in automatically).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "developed": ("Built", "Created"),
    "managed": ("Led", "Oversaw", "Directed"),
    "led": ("Headed", "Directed"),
    "created": ("Built", "Produced"),
    "built": ("Developed", "Constructed"),
    "implemented": ("Built", "Developed"),
    "designed": ("Architected", "Devised"),
    "improved": ("Enhanced", "Strengthened"),
    "analyzed": ("Assessed", "Evaluated", "Examined"),
    "maintained": ("Kept up", "Upheld"),
    "collaborated": ("Partnered", "Teamed up"),
    "utilized": ("Used", "Applied"),
    "used": ("Applied", "Employed"),
    "coordinated": ("Organized", "Arranged"),
    "wrote": ("Authored", "Drafted"),
    "conducted": ("Ran", "Carried out"),
    "performed": ("Carried out", "Completed"),
    "established": ("Set up", "Put in place"),
    "provisioned": ("Set up", "Configured"),
    "introduced": ("Brought in", "Adopted"),
    "optimized": ("Tuned", "Streamlined"),
}


def past_tense(verb: str) -> str:
    """'manage' → 'managed', 'lead' → 'led', 'manages' → 'managed'; keeps the capital."""
    word = verb.lower()
    if word not in ACTION_VERBS and word.endswith("s") and word[:-1] in ACTION_VERBS:
        word = word[:-1]
    elif word not in ACTION_VERBS and word.endswith("es") and word[:-2] in ACTION_VERBS:
        word = word[:-2]
    if word in IRREGULAR_PAST:
        past = IRREGULAR_PAST[word]
    elif word.endswith("e"):
        past = word + "d"
    elif re.search(r"[^aeiou]y$", word):
        past = word[:-1] + "ied"
    elif re.search(r"(?:^|[^aeiou])[aeiou][pt]$", word) and len(word) <= 4:
        past = word + word[-1] + "ed"  # plan → planned, ship → shipped
    else:
        past = word + "ed"
    return past.capitalize() if verb[:1].isupper() else past


def gerund_to_past(gerund: str) -> str | None:
    """'managing' → 'Managed'; None when the word isn't a gerund of a known verb."""
    word = gerund.lower()
    if not word.endswith("ing") or len(word) < 5:
        return None
    stem = word[:-3]
    candidates = [stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem]
    if stem.endswith("y"):
        candidates.append(stem)
    for base in candidates:
        if base in ACTION_VERBS or base in IRREGULAR_PAST:
            return past_tense(base).capitalize()
    return None


_FIRST_WORD = regex_cache.compile(r"^([A-Za-z]+)\b")
_LEAD_TITLE = regex_cache.compile(
    r"^lead\s+(?:engineer|developer|designer|analyst|of|role|author)", re.I
)
_NOUN_THEN_PAST = regex_cache.compile(r"^[A-Za-z]+\s+[a-z]+ed\b")


def present_tense_opener(bullet: str) -> str | None:
    """The first word when it is a present-tense action verb ('Manage', 'Leads'), else None."""
    m = _FIRST_WORD.match(bullet)
    if not m:
        return None
    word = m.group(1)
    low = word.lower()
    if low in _PAST_FORMS or low.endswith("ed"):
        return None
    if low == "lead" and _LEAD_TITLE.match(bullet):
        return None  # "Lead engineer on …" is a title, not a verb
    if _NOUN_THEN_PAST.match(bullet):
        return None  # "Research integrated into …": the first word is a noun subject
    if low in ACTION_VERBS or (
        low.endswith("s") and (low[:-1] in ACTION_VERBS or low[:-2] in ACTION_VERBS)
    ):
        return word
    return None


def past_tense_sentence(bullet: str) -> str:
    """Put the opener and the verbs it lists (', collaborate with …', 'and develop …') in the past tense."""
    verb = present_tense_opener(bullet)
    if not verb:
        return bullet
    text = past_tense(verb) + bullet[len(verb) :]

    def repl(m: re.Match[str]) -> str:
        return m.group(1) + past_tense(m.group(2))

    return re.sub(
        r"(,\s+(?:and\s+)?|\band\s+)([a-z]+)\b(?=\s)",
        lambda m: repl(m) if m.group(2) in ACTION_VERBS else m.group(0),
        text,
    )


def opener_verb(bullet: str) -> str | None:
    """The bullet's first word, lowercased, when it's a past-tense action verb."""
    m = _FIRST_WORD.match(bullet)
    if not m:
        return None
    low = m.group(1).lower()
    if low in _PAST_FORMS or (low.endswith("ed") and len(low) > 4):
        return low
    return None


# Each weak opener at the start of a bullet, compiled once; and all of them in one pattern, so a
# bullet that opens with none (most) is answered by one match instead of one per opener.
_WEAK_OPENER_RES = tuple(
    (regex_cache.compile(rf"^\s*{pattern}", re.I), how) for pattern, how in WEAK_OPENERS
)
_ANY_WEAK_OPENER = regex_cache.compile(
    r"^\s*(?:" + "|".join(f"(?:{pattern})" for pattern, _ in WEAK_OPENERS) + ")", re.I
)


def weak_opener(bullet: str) -> tuple[str, str | None, list[str]] | None:
    """(the weak phrase as written, the honest rewrite or None, verbs to choose from), or None.

    The rewrite is None when no stronger verb follows from the words themselves:
    then the person is offered concrete verbs to choose from, and the bullet is left alone.
    """
    if not _ANY_WEAK_OPENER.match(bullet):
        return None
    for pattern, how in _WEAK_OPENER_RES:
        m = pattern.match(bullet)
        if not m:
            continue
        phrase = bullet[: m.end()].strip()
        rest = bullet[m.end() :].strip()
        choices = verb_choices(rest)
        if not rest:
            return phrase, None, choices
        if how == "gerund":
            first, _, tail = rest.partition(" ")
            past = gerund_to_past(first)
            if past:
                return phrase, f"{past} {tail}".strip(), []
            return phrase, f"Owned {rest}", []
        if how == "drop":
            first, _, tail = rest.partition(" ")
            past = gerund_to_past(first)
            return phrase, (f"{past} {tail}".strip() if past else None), choices
        return phrase, None, choices
    return None


def fix_weak_opener(bullet: str) -> tuple[str, str] | None:
    """(the weak phrase, the rewritten bullet) when an honest fix exists, else None."""
    weak = weak_opener(bullet)
    if weak is None or weak[1] is None:
        return None
    return weak[0], weak[1]


def drop_leading_first_person(bullet: str) -> str | None:
    """'I built X' → 'Built X'; None when the sentence can't be fixed mechanically."""
    m = re.match(r"^(?:I|We)\s+(?:have\s+|also\s+)?([a-z]+)\b(.*)$", bullet)
    if not m:
        return None
    verb = m.group(1)
    if verb in {"am", "was", "have", "had", "will", "would", "can", "could", "do", "did", "'m"}:
        return None
    return verb.capitalize() + m.group(2)


_SELF_INTRO = regex_cache.compile(r"^(?:I am|I'm|I’m)\s+(?:an?\s+)?(?=\S)")
_I_HAVE = regex_cache.compile(
    r"^I(?: have|'ve|’ve)\s+(?=(?:\d|over\b|more than\b|nearly\b|almost\b|a\b))"
)


def drop_first_person(text: str) -> str | None:
    """Fix first person sentence by sentence: 'I am a data engineer…' → 'Data engineer…',
    'I have 6 years of…' → '6 years of…', 'I built X' → 'Built X'. None when nothing changed."""
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    changed = False
    out = []
    for sentence in sentences:
        fixed = None
        if (m := _SELF_INTRO.match(sentence)) or (m := _I_HAVE.match(sentence)):
            fixed = sentence[m.end() :]
        else:
            fixed = drop_leading_first_person(sentence)
        if fixed:
            changed = True
            sentence = fixed[:1].upper() + fixed[1:]
        out.append(sentence)
    return " ".join(out) if changed else None
