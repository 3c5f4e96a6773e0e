"""The AI engine ("huggingface" to users): an OpenAI-compatible chat-completions client and `improve()`.

The seed called `api-inference.huggingface.co/models/{model}`, which now answers
410 Gone. Today's Hugging Face Inference Providers speak the OpenAI API at
`https://router.huggingface.co/v1`, and so do Inference Endpoints, TGI, vLLM,
Ollama and llama.cpp's `llama-server`; one client serves them all, the key
being optional for local servers.

`improve()` takes the finished offline review and asks the model for a better
rewrite and extra findings. What leaves the machine is redacted (contact details
become placeholders), trimmed to a token budget, and fenced so resume text is
data, never instructions. What comes back is validated with pydantic, the
placeholders restored, and every invented number or name replaced by the
honesty guard. The score is always ours. Any model failure returns the offline
review with one line saying why the AI rewrite is missing.
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import json
import logging
import random
import re
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal, Protocol
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, Field, ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
)
from tenacity.stop import stop_base

from core.config import Settings
from core.errors import (
    ModelAuthError,
    ModelError,
    ModelNotServedError,
    ModelOutputError,
    ModelQuotaError,
    ModelUnavailableError,
)
from core.honesty import guard_rewrite, neutralise_injections, prompt_injection_spans
from core.models import Document, Finding, ReviewResult, SectionName
from core.privacy import Redactor
from core.rewrite import keep_links

if TYPE_CHECKING:  # core.review imports this module lazily; the type is only for annotations
    from core.review import ReviewRequest

log = logging.getLogger(__name__)

# --- knobs -----------------------------------------------------------------------------

CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 75.0  # a whole-resume rewrite from a 20B model takes tens of seconds
WRITE_TIMEOUT_S = 10.0
POOL_TIMEOUT_S = 10.0
REQUEST_TIMEOUT = httpx.Timeout(
    connect=CONNECT_TIMEOUT_S, read=READ_TIMEOUT_S, write=WRITE_TIMEOUT_S, pool=POOL_TIMEOUT_S
)
TEMPERATURE = 0.2  # a rewrite, not creative writing
MIN_COMPLETION_TOKENS = 2048  # reasoning models (gpt-oss) spend some of it thinking
MAX_COMPLETION_TOKENS = 8192
CHARS_PER_TOKEN = 4  # the usual estimate for English text; CJK counts one token per character
MAX_FINDINGS_SENT = 20
FINDING_QUOTE_CHARS = 200
JOB_SHARE_OF_BUDGET = 0.25
MAX_MODEL_FINDINGS = 10
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 522, 524, 529})
LEGACY_MODELS = {
    "mistralai/Mistral-7B-Instruct-v0.2": "openai/gpt-oss-20b",
    "mistralai/Mistral-7B-Instruct-v0.1": "openai/gpt-oss-20b",
    "HuggingFaceH4/zephyr-7b-beta": "openai/gpt-oss-20b",
}

FormatMode = Literal["json_schema", "json_object", "none"]
_NEXT_MODE: dict[FormatMode, FormatMode | None] = {
    "json_schema": "json_object",
    "json_object": "none",
    "none": None,
}


@dataclass(frozen=True)
class RetryPolicy:
    """How the client retries (tenacity does the looping): backoff, attempts, and the clock.

    Passed in (`improve(..., retry=)`, `review_resume(..., retry=)`), so tests run
    backoff on a virtual clock without swapping module state.
    """

    base_s: float = 1.0
    max_backoff_s: float = 20.0
    jitter: float = 0.25  # ± share of each wait
    max_attempts: int = 6
    connect_attempts: int = 2  # "connection refused" rarely heals by waiting
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    clock: Callable[[], float] = time.monotonic

    def backoff(self, attempt: int) -> float:
        """The wait after the `attempt`-th failure (0-based), without a server hint: exponential ± jitter."""
        wait = min(self.max_backoff_s, self.base_s * 2**attempt)
        return max(0.0, wait * (1 + random.uniform(-self.jitter, self.jitter)))


class _Retryable(Exception):
    """One failed attempt worth retrying; `wait_s` is what the server asked for (Retry-After)."""

    def __init__(self, reason: str, wait_s: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait_s = wait_s


class _past_deadline(stop_base):
    """Stop when the next wait would end after `deadline` (tenacity computes the wait first)."""

    def __init__(self, deadline: float, clock: Callable[[], float]) -> None:
        self.deadline = deadline
        self.clock = clock

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self.clock() + retry_state.upcoming_sleep > self.deadline


# What worked per (server, model): json_schema, json_object or none. Kept with the
# httpx.AsyncClient that talked to the server, so a long-lived client probes a server once and
# a new client (a restart, each test) starts fresh; nothing global for anyone to reset.
_formats_by_client: weakref.WeakKeyDictionary[
    httpx.AsyncClient, dict[tuple[str, str], FormatMode]
] = weakref.WeakKeyDictionary()


def _format_memory(http: httpx.AsyncClient) -> dict[tuple[str, str], FormatMode]:
    return _formats_by_client.setdefault(http, {})


# --- what we ask for ---------------------------------------------------------------------

_CATEGORIES = ["impact", "clarity", "ats", "completeness", "keywords"]


class ModelFinding(BaseModel):
    section: str = ""
    before: str = ""
    after: str = ""
    message: str
    severity: Literal["high", "medium", "low"] = "medium"
    category: Literal["impact", "clarity", "ats", "completeness", "keywords"] = "clarity"


class ModelAnswer(BaseModel):
    """The model's answer. There is deliberately no score: the score is ours."""

    rewritten_markdown: str = Field(min_length=20)
    findings: list[ModelFinding] = Field(default_factory=list)


ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "rewritten_markdown": {"type": "string"},
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "section": {"type": "string"},
                    "before": {"type": "string"},
                    "after": {"type": "string"},
                    "message": {"type": "string"},
                    "severity": {"type": "string", "enum": ["high", "medium", "low"]},
                    "category": {"type": "string", "enum": _CATEGORIES},
                },
                "required": ["section", "before", "after", "message", "severity", "category"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["rewritten_markdown", "findings"],
    "additionalProperties": False,
}

# The model's instructions are data (core/data/system_prompt.txt), read once; the text is exact.
SYSTEM_PROMPT = (
    resources.files("core.data").joinpath("system_prompt.txt").read_text(encoding="utf-8")
)

# What a cached answer was asked with: a new system prompt or answer schema misses the cache.
PROMPT_VERSION = hashlib.sha256(
    (SYSTEM_PROMPT + json.dumps(ANSWER_SCHEMA, sort_keys=True)).encode()
).hexdigest()[:16]

# Why a review has no model rewrite (`ReviewResult.fallback`, the stats' "fallbacks by reason")
FALLBACK_REASONS: dict[type[ModelError], str] = {
    ModelAuthError: "auth",
    ModelQuotaError: "quota",
    ModelNotServedError: "model_not_served",
    ModelUnavailableError: "unavailable",
    ModelOutputError: "bad_output",
}


def fallback_reason(exc: BaseException) -> str:
    if isinstance(exc, ModelError):
        return FALLBACK_REASONS.get(type(exc), "error")
    return "bug"


class AnswerCache(Protocol):
    """Where model answers are kept between reviews (core/state/cache.py: the state store)."""

    async def get(self, key: str) -> dict[str, Any] | None: ...

    async def put(self, key: str, answer: dict[str, Any]) -> None: ...


def cache_key(resume: str, job: str | None, role: str | None, settings: Settings) -> str:
    """The hash a model answer is cached under: the same resume text, job, role, model, server
    and prompt version ask the same question, so they get the same answer back."""
    parts = [
        resume,
        (job or "").strip(),
        (role or "").strip(),
        settings.huggingface_model,
        settings.huggingface_base_url.rstrip("/"),
        PROMPT_VERSION,
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


REPAIR_PROMPT = (
    "Your answer could not be used: {problem}. Reply again with only the JSON object described "
    "in the instructions, with no text or code fences around it."
)


# --- budget ------------------------------------------------------------------------------


def estimate_tokens(text: str) -> int:
    """Rough token count: ASCII at 4 characters a token, anything else (CJK…) one token a character.

    Good to ±20% for English against GPT-style tokenizers; only used to keep
    prompts within budget, never to bill.
    """
    ascii_chars = sum(1 for ch in text if ord(ch) < 128)
    return -(-ascii_chars // CHARS_PER_TOKEN) + (len(text) - ascii_chars)


def _trim_to_tokens(text: str, budget: int) -> tuple[str, bool]:
    """Cut `text` at a line boundary so it fits `budget` tokens; True when something was cut."""
    if estimate_tokens(text) <= budget:
        return text, False
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix within budget
        mid = (lo + hi + 1) // 2
        if estimate_tokens(text[:mid]) <= budget:
            lo = mid
        else:
            hi = mid - 1
    cut = text.rfind("\n", 0, lo)
    cut = cut if cut > lo // 2 else lo
    return text[:cut].rstrip(), True


@dataclass
class Prompt:
    messages: list[dict[str, str]]
    redactor: Redactor
    tokens: int
    max_tokens: int
    notes: list[str] = field(default_factory=list)


def build_prompt(
    result: ReviewResult,
    document: Document,
    job_description: str | None,
    role: str | None,
    settings: Settings,
) -> Prompt:
    """The messages we send: redacted, injection-neutralised, within the token budget."""
    redactor = Redactor()
    notes: list[str] = []
    budget = settings.huggingface_max_prompt_tokens - estimate_tokens(SYSTEM_PROMPT)
    budget -= estimate_tokens(
        json.dumps(ANSWER_SCHEMA)
    )  # room for the schema when it goes in the prompt

    problems = []
    for f in result.findings[:MAX_FINDINGS_SENT]:
        if f.category == "security":
            continue  # injection quotes are not sent back to the model
        line = f"- [{f.rule}] {f.section or 'general'}: {f.message}"
        if f.before:
            line += f' (quote: "{redactor.redact(f.before[:FINDING_QUOTE_CHARS])}")'
        problems.append(line)
    problems_text = "\n".join(problems) or "- none found"
    budget -= estimate_tokens(problems_text) + 60

    job_block = ""
    if job_description and job_description.strip():
        job = redactor.redact(neutralise_injections(job_description.strip()))
        job, cut = _trim_to_tokens(
            job, int(settings.huggingface_max_prompt_tokens * JOB_SHARE_OF_BUDGET)
        )
        if cut:
            notes.append("The job description was long; the AI saw its first part only.")
        job_block = f"<job>\n{_fence(job, 'job')}\n</job>\n\n"
        budget -= estimate_tokens(job_block)
    role_line = f"Target role: {role.strip()[:120]}\n\n" if role and role.strip() else ""

    resume = redactor.redact(neutralise_injections(document.text))
    resume, cut = _trim_to_tokens(resume, max(budget - estimate_tokens(role_line), 200))
    if cut:
        notes.append(
            "Your resume is long, so the AI rewrite covers its first part only; the offline review covers all of it."
        )
        resume += "\n[… rest of the resume not sent]"
    user = (
        f"{role_line}{job_block}Problems our checks found:\n{problems_text}\n\n"
        f"<resume>\n{_fence(resume, 'resume')}\n</resume>"
    )
    messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]
    resume_tokens = estimate_tokens(resume)
    max_tokens = min(MAX_COMPLETION_TOKENS, max(MIN_COMPLETION_TOKENS, 2 * resume_tokens + 1024))
    tokens = sum(estimate_tokens(m["content"]) for m in messages)
    return Prompt(messages, redactor, tokens, max_tokens, notes)


def _fence(text: str, tag: str) -> str:
    """Stop a resume closing our delimiter early with its own `</resume>`."""
    return re.sub(rf"</?\s*{tag}\s*>", f"[{tag}]", text, flags=re.I)


# --- the client --------------------------------------------------------------------------


class _FormatRejected(Exception):
    """The server refused our response_format; try the next weaker one."""


class InvalidAnswer(ValueError):
    """The model's text held no JSON matching our schema; `str()` says why, without quoting it."""


def _error_text(response: httpx.Response) -> tuple[str, str]:
    """(message, code) from `{"error": "text"}` or `{"error": {"message", "code"}}` bodies."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200], ""
    if not isinstance(body, dict):
        return "", ""
    err = body.get("error", body.get("detail", ""))
    if isinstance(err, dict):
        return str(err.get("message", "")), str(err.get("code") or err.get("type") or "")
    if isinstance(err, list):  # FastAPI-style validation list
        return "; ".join(str(e.get("msg", "")) for e in err if isinstance(e, dict)), "validation"
    return str(err), str(body.get("code", "") or body.get("error_type", ""))


def _wait_hint(response: httpx.Response) -> float | None:
    """Seconds the server asked us to wait: Retry-After (seconds or HTTP date) or estimated_time."""
    header = response.headers.get("retry-after")
    if header:
        try:
            return max(0.0, float(header))
        except ValueError:
            parsed = email.utils.parsedate_to_datetime(header) if header else None
            if parsed is not None:
                return max(0.0, parsed.timestamp() - time.time())
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict) and isinstance(body.get("estimated_time"), int | float):
        return float(body["estimated_time"])
    return None


def _safe_log_message(message: str) -> str:
    """Server error text for an operator log line: short, and never an echo of our input."""
    if len(message) > 160 or "content" in message or "messages" in message:
        return "(message withheld)"
    return message


@dataclass
class ChatClient:
    """One OpenAI-compatible `/chat/completions` endpoint, with retries inside a deadline."""

    http: httpx.AsyncClient
    settings: Settings
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    calls: int = 0

    @property
    def url(self) -> str:
        return self.settings.huggingface_base_url.rstrip("/") + "/chat/completions"

    @property
    def host(self) -> str:
        return urlsplit(self.settings.huggingface_base_url).netloc

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        key = self.settings.huggingface_api_key
        if key and key.get_secret_value():
            headers["Authorization"] = f"Bearer {key.get_secret_value()}"
        return headers

    async def complete_json(self, messages: list[dict[str, str]], max_tokens: int) -> ModelAnswer:
        """Ask for our JSON, falling back across response_format modes; one repair on bad JSON."""
        deadline = self.policy.clock() + self.settings.huggingface_deadline_s
        server = (self.settings.huggingface_base_url.rstrip("/"), self.settings.huggingface_model)
        memory = _format_memory(self.http)
        mode: FormatMode | None = memory.get(server, "json_schema")
        while mode is not None:
            try:
                content = await self._chat(messages, mode, max_tokens, deadline)
                break
            except _FormatRejected:
                log.info("%s rejected response_format=%s; trying the next", self.host, mode)
                mode = _NEXT_MODE[mode]
        else:  # pragma: no cover - the "none" mode never raises _FormatRejected
            raise ModelError()
        memory[server] = mode
        try:
            return parse_answer(content)
        except InvalidAnswer as exc:
            log.warning("model answer unusable (%s); asking once for a repair", exc)
            repair = [
                *messages,
                {
                    "role": "assistant",
                    "content": content[: MAX_COMPLETION_TOKENS * CHARS_PER_TOKEN],
                },
                {"role": "user", "content": REPAIR_PROMPT.format(problem=exc)},
            ]
        content = await self._chat(repair, mode, max_tokens, deadline)
        try:
            return parse_answer(content)
        except InvalidAnswer as exc:
            log.error(
                "model answer still unusable after a repair (%s); returning the offline review", exc
            )
            raise ModelOutputError() from None

    def _body(
        self, messages: list[dict[str, str]], mode: FormatMode, max_tokens: int
    ) -> dict[str, Any]:
        if mode != "json_schema":  # the schema goes in the prompt when the server can't enforce it
            schema_note = "\n\nThe JSON must match this JSON Schema:\n" + json.dumps(ANSWER_SCHEMA)
            messages = [
                {**messages[0], "content": messages[0]["content"] + schema_note},
                *messages[1:],
            ]
        body: dict[str, Any] = {
            "model": self.settings.huggingface_model,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": TEMPERATURE,
        }
        if mode == "json_schema":
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "resume_review", "schema": ANSWER_SCHEMA, "strict": True},
            }
        elif mode == "json_object":
            body["response_format"] = {"type": "json_object"}
        return body

    async def _chat(
        self, messages: list[dict[str, str]], mode: FormatMode, max_tokens: int, deadline: float
    ) -> str:
        """One logical request: retried on 429/408/5xx/timeouts (tenacity) until `deadline`.

        A server's Retry-After (or `estimated_time`) is the wait when it gives one;
        otherwise exponential backoff with jitter. A wait that would end past the
        deadline is not started.
        """
        body = self._body(messages, mode, max_tokens)
        policy = self.policy
        connect_failures = 0

        def wait(state: RetryCallState) -> float:
            failure = state.outcome.exception() if state.outcome else None
            if isinstance(failure, _Retryable) and failure.wait_s is not None:
                return failure.wait_s
            return policy.backoff(state.attempt_number - 1)

        def before_sleep(state: RetryCallState) -> None:
            failure = state.outcome.exception() if state.outcome else None
            reason = failure.reason if isinstance(failure, _Retryable) else "?"
            log.info(
                "model server %s: %s; retry %d in %.1fs",
                self.host,
                reason,
                state.attempt_number,
                state.upcoming_sleep,
            )

        async def attempt() -> str:
            nonlocal connect_failures
            remaining = deadline - policy.clock()
            if remaining <= 0:
                raise self._unavailable("deadline passed")
            timeout = httpx.Timeout(
                connect=min(CONNECT_TIMEOUT_S, remaining),
                read=min(READ_TIMEOUT_S, remaining),
                write=min(WRITE_TIMEOUT_S, remaining),
                pool=min(POOL_TIMEOUT_S, remaining),
            )
            try:
                self.calls += 1
                response = await self.http.post(
                    self.url, json=body, headers=self._headers(), timeout=timeout
                )
            except httpx.ConnectError:
                connect_failures += 1
                if connect_failures >= policy.connect_attempts:
                    log.error("model server %s refused the connection; is it running?", self.host)
                    raise ModelUnavailableError(
                        "The AI rewrite is missing: the model service couldn't be reached."
                    ) from None
                raise _Retryable("connection failed") from None
            except httpx.TransportError as exc:  # timeouts, a connection dropped mid-answer
                raise _Retryable(type(exc).__name__) from None
            if response.status_code == httpx.codes.OK:
                return _content_of(response)
            self._raise_for_final(response, mode)
            raise _Retryable(f"HTTP {response.status_code}", _wait_hint(response))

        retrying = AsyncRetrying(
            retry=retry_if_exception_type(_Retryable),
            wait=wait,
            stop=stop_after_attempt(policy.max_attempts) | _past_deadline(deadline, policy.clock),
            sleep=policy.sleep,
            before_sleep=before_sleep,
            reraise=True,
        )
        try:
            return await retrying(attempt)
        except _Retryable as exc:
            raise self._unavailable(f"{exc.reason}; gave up") from None

    def _unavailable(self, why: str) -> ModelUnavailableError:
        log.error(
            "model server %s gave no answer within %.0fs (%s); returning the offline review",
            self.host,
            self.settings.huggingface_deadline_s,
            why,
        )
        return ModelUnavailableError()

    def _raise_for_final(self, response: httpx.Response, mode: FormatMode) -> None:
        """Raise for answers that retrying won't fix; return for retryable ones."""
        status = response.status_code
        message, code = _error_text(response)
        model = self.settings.huggingface_model
        if status in RETRYABLE_STATUS:
            return
        if status in (401, 403):
            log.error(
                "%s rejected the token (HTTP %d): check HUGGINGFACE_API_KEY", self.host, status
            )
            raise ModelAuthError()
        if status == 402:
            log.error(
                "%s: monthly credits used up (HTTP 402); the offline review is used", self.host
            )
            raise ModelQuotaError()
        not_served = code in ("model_not_supported", "model_not_found") or re.search(
            r"model.{0,40}(not (supported|found|served|available)|does not exist)", message, re.I
        )
        if status == 404 or (status in (400, 422) and not_served):
            replacement = LEGACY_MODELS.get(model, "openai/gpt-oss-20b")
            log.error(
                "%s does not serve model %r (HTTP %d %s); set HUGGINGFACE_MODEL, e.g. %s",
                self.host,
                model,
                status,
                code or "",
                replacement,
            )
            raise ModelNotServedError()
        if status in (400, 415, 422) and mode != "none":
            raise _FormatRejected()
        log.error("%s answered HTTP %d %s: %s", self.host, status, code, _safe_log_message(message))
        raise ModelError()


def _content_of(response: httpx.Response) -> str:
    """The assistant's text from an OpenAI-style answer (string or list-of-parts content)."""
    try:
        data = response.json()
        content = data["choices"][0]["message"].get("content")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return ""
    if isinstance(content, list):
        content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content if isinstance(content, str) else ""


_FENCE_RE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.S)


def parse_answer(content: str) -> ModelAnswer:
    """Find the JSON object in `content` (code fences and chatter around it are fine) and validate it."""
    candidates = [m.group(1) for m in _FENCE_RE.finditer(content)] + [content]
    decoder = json.JSONDecoder()
    problem = "no JSON object found"
    for candidate in candidates:
        for start in (i for i, ch in enumerate(candidate) if ch == "{"):
            try:
                obj, _ = decoder.raw_decode(candidate, start)
            except ValueError:
                continue
            if not isinstance(obj, dict):
                continue
            try:
                return ModelAnswer.model_validate(obj)
            except ValidationError as exc:
                first = exc.errors(include_input=False, include_url=False)[0]
                where = ".".join(str(p) for p in first["loc"]) or "the object"
                problem = f"{where}: {first['msg']}"
                break  # the first complete object was the answer; it just has the wrong shape
    raise InvalidAnswer(problem)


# --- the engine --------------------------------------------------------------------------


def engine_name(settings: Settings) -> str:
    return f"huggingface:{settings.huggingface_model}"


async def improve(
    result: ReviewResult,
    document: Document,
    request: ReviewRequest,
    settings: Settings,
    http: httpx.AsyncClient | None = None,
    *,
    retry: RetryPolicy | None = None,
    cache: AnswerCache | None = None,
) -> ReviewResult:
    """The offline `result`, improved by the model; never raises for model problems.

    `request` carries the job description and role; `retry` is how the model's
    transient failures are retried (default: `RetryPolicy()`); `cache`, when given, answers
    a question asked before without a model call (the answer is guarded and scored again).
    """
    owns_client = http is None
    client = http or httpx.AsyncClient(timeout=REQUEST_TIMEOUT)
    try:
        return await _improve(
            result, document, request, settings, client, retry or RetryPolicy(), cache
        )
    except ModelError as exc:
        log.warning("AI rewrite skipped (%s); the offline review is returned", type(exc).__name__)
        return replace(
            result,
            warnings=[*result.warnings, exc.user_message],
            fallback=fallback_reason(exc),
        )
    except Exception as exc:  # never let a model-side bug cost the user their review
        log.error(
            "AI rewrite failed unexpectedly (%s); the offline review is returned",
            type(exc).__name__,
        )
        return replace(
            result,
            warnings=[*result.warnings, ModelError().user_message],
            fallback=fallback_reason(exc),
        )
    finally:
        if owns_client:
            await client.aclose()


async def _improve(
    result: ReviewResult,
    document: Document,
    request: ReviewRequest,
    settings: Settings,
    http: httpx.AsyncClient,
    retry: RetryPolicy,
    cache: AnswerCache | None = None,
) -> ReviewResult:
    job, role = request.job_description, request.role
    # redaction, trimming and the guard are pure CPU work: keep them off the event loop
    prompt = await asyncio.to_thread(build_prompt, result, document, job, role, settings)
    key = cache_key(document.text, job, role, settings) if cache is not None else ""
    answer = await _cached(cache, key)
    if answer is not None:
        log.info("AI rewrite from the cache (model %s): no model call", settings.huggingface_model)
        merged = await asyncio.to_thread(_merge, result, document, answer, prompt, settings)
        return replace(merged, model_cache="hit")
    client = ChatClient(http, settings, retry)
    started = time.monotonic()
    answer = await client.complete_json(prompt.messages, prompt.max_tokens)
    log.info(
        "AI rewrite from %s in %.1fs: %d HTTP call(s), ~%d prompt tokens, %d placeholders",
        client.host,
        time.monotonic() - started,
        client.calls,
        prompt.tokens,
        prompt.redactor.count,
    )
    merged = await asyncio.to_thread(_merge, result, document, answer, prompt, settings)
    if cache is None:
        return merged
    try:  # the answer as the model gave it (placeholders, not contact details), sealed
        await cache.put(key, answer.model_dump(mode="json"))
    except Exception as exc:  # a cache that can't write costs a later call, not this review
        log.warning("model cache: could not keep an answer: %s", type(exc).__name__)
    return replace(merged, model_cache="miss")


async def _cached(cache: AnswerCache | None, key: str) -> ModelAnswer | None:
    """The cached answer for `key`, or None (no cache, nothing cached, or unreadable)."""
    if cache is None:
        return None
    try:
        data = await cache.get(key)
        return ModelAnswer.model_validate(data) if data is not None else None
    except Exception as exc:  # a cache that can't be read costs a model call, never the review
        log.warning("model cache: could not read: %s", type(exc).__name__)
        return None


def _merge(
    result: ReviewResult,
    document: Document,
    answer: ModelAnswer,
    prompt: Prompt,
    settings: Settings,
) -> ReviewResult:
    """The offline result with the model's guarded rewrite and findings; the score stays ours."""
    original = document.text
    rewritten = prompt.redactor.restore(answer.rewritten_markdown)
    rewritten, guard_warnings = guard_rewrite(original, rewritten)
    if result.structure is not None:  # the addresses behind 'LinkedIn', which it never saw
        rewritten = keep_links(rewritten, result.structure.contact.links)
    findings = [*result.findings, *_injection_findings(result, original)]
    findings += _model_findings(answer.findings, findings, prompt.redactor, original)
    return replace(
        result,
        rewritten=rewritten.strip() + "\n",
        engine=engine_name(settings),
        findings=findings,
        warnings=[*result.warnings, *prompt.notes, *guard_warnings],
    )


def _injection_findings(result: ReviewResult, original: str) -> list[Finding]:
    """`security.prompt_injection` findings, unless the offline rules already made them."""
    from core.rules import REGISTRY

    rule = REGISTRY["security.prompt_injection"]
    if any(f.rule == rule.id for f in result.findings):
        return []
    return [
        Finding(
            rule=rule.id,
            severity=rule.severity,
            category=rule.category,
            before=quote,
            message="This reads like an instruction to an AI screener. I treated it as text; "
            "recruiters' tools flag it, so remove it.",
        )
        for quote in prompt_injection_spans(original)
    ]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _model_findings(
    items: list[ModelFinding], existing: list[Finding], redactor: Redactor, original: str
) -> list[Finding]:
    """Model findings that quote the resume truthfully and say something new, guarded like the rewrite."""
    original_norm = _norm(original)
    seen = {_norm(f.before) for f in existing if f.before}
    out: list[Finding] = []
    for item in items:
        before = redactor.restore(item.before).strip()
        if before and _norm(before) not in original_norm:
            continue  # a "quote" that isn't in the resume
        if before and _norm(before) in seen:
            continue
        after, _ = (
            guard_rewrite(original, redactor.restore(item.after).strip())
            if item.after
            else ("", [])
        )
        message, _ = guard_rewrite(original, redactor.restore(item.message).strip())
        if not message:
            continue
        section = item.section.strip().lower()
        out.append(
            Finding(
                rule=f"ai.{item.category}",
                severity=item.severity,
                category=item.category,
                section=SectionName(section) if section in SectionName._value2member_map_ else None,
                before=before or None,
                after=after or None,
                message=message,
            )
        )
        if before:
            seen.add(_norm(before))
        if len(out) >= MAX_MODEL_FINDINGS:
            break
    return out
