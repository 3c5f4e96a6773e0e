"""One error tree for everything that can go wrong in a review.

    ResumeBotError
    ├── ConfigError              bad settings at start-up (operator's problem)
    ├── InputError               the user's file or text can't be reviewed
    │   ├── EmptyFileError
    │   ├── FileTooLargeError
    │   ├── TooManyPagesError
    │   ├── UnsupportedFileError      wrong type, judged from the bytes
    │   ├── EncryptedFileError        password-protected PDF (never cracked)
    │   ├── DamagedFileError          truncated or corrupt PDF/DOCX
    │   ├── NoTextError               scanned PDF without a text layer
    │   └── NotAResumeError           readable, but too little text to review
    ├── LimitError               the bot can't take this review now
    │   ├── RateLimitedError          the user's hourly quota is used up
    │   └── ShuttingDownError         the bot is restarting
    ├── ProcessingError          our side failed while reading the file
    │   └── ParseLimitError           the isolated reader ran out of time or memory, or
    │                                 crashed (`ParseTimeoutError` is its old name)
    └── ModelError               the model engine failed (the user still gets
        │                        the offline review; these never reach them raw)
        ├── ModelAuthError            401/403: bad or missing token
        ├── ModelQuotaError           402: monthly credits used up
        ├── ModelNotServedError       400 model_not_supported / 404
        ├── ModelUnavailableError     429/5xx/timeouts after retries
        └── ModelOutputError          the answer wasn't valid JSON for our schema

Every error carries `user_message` (plain words, what went wrong) and `hint`
(what to do). Neither ever contains resume text: they are written here, not
formatted from the input, so they are safe to show and to log.
"""

from __future__ import annotations


class ResumeBotError(Exception):
    """Base of every error this project raises on purpose."""

    user_message: str = "Something went wrong while reviewing your resume."
    hint: str = "Please try again in a minute."

    def __init__(self, user_message: str | None = None, *, hint: str | None = None) -> None:
        if user_message is not None:
            self.user_message = user_message
        if hint is not None:
            self.hint = hint
        super().__init__(self.user_message)

    def __reduce__(self) -> tuple[object, ...]:
        # keep a custom message and hint when the error crosses a process boundary
        return (self.__class__, (self.user_message,), {"hint": self.hint})

    def for_user(self) -> str:
        """The whole message a user sees: what happened, then what to do."""
        return f"{self.user_message} {self.hint}".strip()


class ConfigError(ResumeBotError):
    hint = "Fix the value in your environment or .env file (see env.example) and restart."


class InputError(ResumeBotError):
    user_message = "I couldn't read that file."
    hint = "Please upload your resume as a PDF, DOCX, TXT or Markdown file."


class EmptyFileError(InputError):
    user_message = "That file is empty."
    hint = "Please upload your resume as a PDF, DOCX, TXT or Markdown file."


class FileTooLargeError(InputError):
    user_message = "That file is too large."
    hint = "Resumes are usually well under 1 MB: export it again without embedded images, or upload a DOCX."


class TooManyPagesError(InputError):
    user_message = "That document has too many pages to be a resume."
    hint = "Upload just your resume (one or two pages is ideal)."


class UnsupportedFileError(InputError):
    user_message = "That file isn't a PDF, DOCX, TXT or Markdown document."
    hint = "Export your resume as PDF or DOCX from your editor and upload that."


class EncryptedFileError(InputError):
    user_message = "That PDF is password-protected, so I can't open it."
    hint = "Export it again without a password (or upload the DOCX) and send it here."


class DamagedFileError(InputError):
    user_message = "That file looks damaged or incomplete, so I couldn't read it."
    hint = "Export it again from your editor (or upload the DOCX) and try once more."


class NoTextError(InputError):
    user_message = "That PDF has no text layer: it looks like a scan or a picture of a resume."
    hint = (
        "Applicant tracking systems can't read it either. Export the PDF straight from your "
        "editor (Word, Google Docs, LaTeX…) or upload the DOCX."
    )


class NotAResumeError(InputError):
    user_message = "I found almost no text in that file."
    hint = "Please upload the full resume as a PDF, DOCX, TXT or Markdown file."


class LimitError(ResumeBotError):
    user_message = "I can't take another review right now."
    hint = "Please try again in a few minutes."


class RateLimitedError(LimitError):
    user_message = "You've reached the hourly limit of reviews."
    hint = "Please try again later."


class ShuttingDownError(LimitError):
    user_message = "I'm restarting and can't start this review."
    hint = "Please send the file again in a minute."


class ProcessingError(ResumeBotError):
    user_message = "Something went wrong on my side while reading your resume."
    hint = "Please try again; if it keeps happening, upload it as DOCX or PDF exported from your editor."


class ParseLimitError(ProcessingError):
    """The isolated child reading the file hit its time or memory limit, or died in C code.

    All three look the same from outside (no answer in time, or none at all), and a
    hostile or pathological file is the usual cause of each, so one error and one text.
    """

    user_message = "Reading that file took too long or needed too much memory, so I stopped."
    hint = "Export a simpler PDF (no embedded images or scans) or upload the DOCX."


# The old name, which undersold it (memory limits and crashes too). core/isolation.py still
# raises it under this name; it is the same class, so `except ParseLimitError` catches it.
ParseTimeoutError = ParseLimitError


class ModelError(ResumeBotError):
    user_message = "The AI rewrite isn't available right now."
    hint = "You still get the full offline review."


class ModelAuthError(ModelError):
    user_message = "The AI rewrite is missing: the Hugging Face token was rejected."
    hint = "The bot's operator should check HUGGINGFACE_API_KEY."


class ModelQuotaError(ModelError):
    user_message = "The AI rewrite is missing: this month's Hugging Face credits are used up."
    hint = "The offline review below is complete; the AI rewrite will be back when credits renew."


class ModelNotServedError(ModelError):
    user_message = "The AI rewrite is missing: the configured model is not served."
    hint = "The bot's operator should pick a served model in HUGGINGFACE_MODEL (`resume-bot doctor` helps)."


class ModelUnavailableError(ModelError):
    user_message = "The AI rewrite is missing: the model service didn't answer in time."
    hint = "The offline review below is complete; try again later for the AI rewrite."


class ModelOutputError(ModelError):
    user_message = "The AI rewrite is missing: the model's answer couldn't be used."
    hint = "The offline review below is complete."
