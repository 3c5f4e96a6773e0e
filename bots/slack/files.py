"""Getting an uploaded file's bytes out of Slack without leaking the bot token.

The token goes only to Slack's own file host (files.slack.com, or the origin of
SLACK_API_URL for proxies, GovSlack and tests). A file object in a payload
names its own URL, so every URL is checked before the token is attached, and
redirects are followed by hand so a redirect can't carry the token elsewhere.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack.limits import SLACK_FILE_HOST
from core.config import Settings
from core.errors import FileTooLargeError, InputError

log = logging.getLogger(__name__)

MAX_REDIRECTS = 3
_HTML_MARKERS = (b"<!doctype html", b"<html")


class SlackFileError(InputError):
    """Slack wouldn't hand over the file (gone, hidden, login page, untrusted host)."""

    user_message = "I couldn't download that file from Slack."
    hint = "Please upload it again (as a file, not a link) and mention me or DM it to me."


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


def trusted_origins(settings: Settings) -> set[tuple[str, str, int | None]]:
    """Where the bot token may go: Slack's file host and the configured Web API's origin."""
    return {("https", SLACK_FILE_HOST, 443), _origin(settings.slack_api_url)}


def looks_like_html(head: bytes) -> bool:
    """Slack answers a download it won't authorise with its sign-in page, status 200."""
    return head.lstrip()[:64].lower().startswith(_HTML_MARKERS)


class SlackFiles:
    """Resolves a file object from an event or modal into (bytes, filename)."""

    def __init__(self, settings: Settings, client: AsyncWebClient, http: httpx.AsyncClient) -> None:
        self._settings = settings
        self._client = client
        self._http = http
        self._trusted = trusted_origins(settings)

    async def resolve(self, file: dict[str, Any]) -> dict[str, Any]:
        """Slack Connect files come as a stub (`file_access: check_file_info`): ask files.info."""
        if file.get("file_access") == "check_file_info" or (
            file.get("id")
            and not (file.get("url_private_download") or file.get("url_private"))
            and file.get("mode") not in ("tombstone", "hidden_by_limit")
        ):
            try:
                response = await self._client.files_info(file=file["id"])
            except SlackApiError as exc:
                log.warning("files.info failed: %s", exc.response.get("error"))
                raise SlackFileError(
                    "Slack didn't let me open that file.",
                    hint="If it was shared from another organisation, upload a copy directly here.",
                ) from None
            return dict(response["file"])
        return file

    async def fetch(self, file: dict[str, Any]) -> tuple[bytes, str]:
        """Download a file the user shared; raises an InputError with user-facing text."""
        file = await self.resolve(file)
        name = str(file.get("name") or file.get("title") or "resume")
        # the declared size was checked by the conversation; `download` bounds the bytes read
        url = file.get("url_private_download") or file.get("url_private")
        if not url:
            raise SlackFileError(
                "Slack didn't give me access to that file.",
                hint="It may have been deleted or hidden by the workspace's plan; please upload it again.",
            )
        return await self.download(str(url)), name

    async def download(self, url: str) -> bytes:
        token = self._settings.slack_bot_token
        for _ in range(MAX_REDIRECTS + 1):
            if _origin(url) not in self._trusted:
                log.warning("refusing to send the bot token to host %s", urlsplit(url).hostname)
                raise SlackFileError(
                    "That file points to a server outside Slack, so I didn't download it.",
                    hint="Upload the resume file itself into Slack and try again.",
                )
            headers = {"Authorization": f"Bearer {token.get_secret_value()}"} if token else {}
            async with self._http.stream(
                "GET", url, headers=headers, follow_redirects=False
            ) as resp:
                if resp.is_redirect and "location" in resp.headers:
                    url = urljoin(url, resp.headers["location"])
                    continue
                if resp.status_code != httpx.codes.OK:
                    log.warning("file download failed with HTTP %s", resp.status_code)
                    raise SlackFileError()
                if "text/html" in resp.headers.get("content-type", ""):
                    raise self._login_page()
                body = bytearray()
                async for chunk in resp.aiter_bytes():
                    body += chunk
                    if len(body) > self._settings.max_file_bytes:
                        raise FileTooLargeError(
                            f"That file is larger than the {self._settings.max_file_mb:g} MB limit."
                        )
                if looks_like_html(bytes(body[:256])):
                    raise self._login_page()
                log.info("downloaded file: %d bytes", len(body))
                return bytes(body)
        raise SlackFileError()

    @staticmethod
    def _login_page() -> SlackFileError:
        log.warning("file download returned an HTML page instead of the file")
        return SlackFileError(
            "Slack sent me a sign-in page instead of your file, so I couldn't read it.",
            hint="Ask a workspace admin to reinstall resume-bot (it needs the files:read permission), then try again.",
        )
