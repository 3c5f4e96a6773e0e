"""A fake Slack (Web API, file host, upload URLs, Socket Mode websocket) on 127.0.0.1.

It records every request with its Authorization header so tests can assert
what a user would see (messages posted and updated in place, files uploaded
into a thread) and where the bot token went. Also: builders for the payloads
Slack sends (signed `event_callback`, slash command form, `view_submission`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_TOKEN = "xoxb-test-bot-token"
APP_TOKEN = "xapp-test-app-token"
SIGNING_SECRET = "test-signing-secret"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0001"
LOCALHOST = "127.0.0.1"

_LOGIN_PAGE = (
    b"<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to Slack</body></html>"
)
_JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata")
# what Slack turns into a notification or a link in mrkdwn:
# <!here>, <!channel>, <@U…>, <#C…>, <url>
PING = re.compile(r"<(?:![a-z]+(?:\^[A-Z0-9]+)?|[@#][A-Z0-9]+|https?:[^>]*)(?:\|[^>]*)?>")
# the methods and fields whose text Slack reads as mrkdwn (a header or input is plain_text)
_SHOWN_TEXT = {
    "chat.postMessage": ("text",),
    "chat.update": ("text",),
    "chat.postEphemeral": ("text",),
    "files.completeUploadExternal": ("initial_comment",),
    "views.open": (),
}


def mrkdwn_strings(node: Any) -> list[str]:
    """Every `mrkdwn` text in a block tree (plain_text objects are shown as typed, never parsed)."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
            found.append(node["text"])
        for value in node.values():
            found += mrkdwn_strings(value)
    elif isinstance(node, list):
        for item in node:
            found += mrkdwn_strings(item)
    return found


@dataclass
class Call:
    """One request the fake received."""

    method: str  # Web API method ("chat.postMessage") or "GET /files/F1/cv.txt"
    params: dict[str, Any]
    authorization: str | None


@dataclass
class Message:
    """A message as it now stands in the fake workspace (updates replace text and blocks)."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None
    history: list[str] = field(default_factory=list)  # earlier versions of `text`
    posted_at: float = field(default_factory=time.perf_counter)  # for latency measurements

    def all_text(self) -> str:
        """Text plus every block's text, as a user reads it."""
        return self.text + "\n" + json.dumps(self.blocks, ensure_ascii=False)


@dataclass
class Upload:
    file_id: str
    filename: str
    content: bytes
    channel: str | None = None
    thread_ts: str | None = None
    title: str | None = None


class SlackError(Exception):
    """Raised by a fake method to answer `{"ok": false, "error": ...}`."""


class _Server:
    """An aiohttp app on 127.0.0.1:<random port>."""

    def __init__(self) -> None:
        self.web = web.Application()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://{LOCALHOST}:{self.port}"

    async def start(self) -> None:
        self._runner = web.AppRunner(self.web, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, LOCALHOST, 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


class ForeignServer(_Server):
    """A host that is not Slack: records whatever reaches it (it must never see a token)."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[Call] = []
        self.web.router.add_route("*", "/{tail:.*}", self._any)

    async def _any(self, request: web.Request) -> web.Response:
        self.requests.append(
            Call(f"{request.method} {request.path}", {}, request.headers.get("Authorization"))
        )
        return web.Response(body=b"Jane Doe resume text " * 20, content_type="text/plain")


class FakeSlack(_Server):
    """Slack's Web API under /api/, its file host under /files/, uploads under /upload/, Socket Mode at /socket."""

    def __init__(self, *, bot_token: str = BOT_TOKEN, app_token: str = APP_TOKEN) -> None:
        super().__init__()
        self.bot_token = bot_token
        self.app_token = app_token
        self.calls: list[Call] = []
        self.messages: list[Message] = []
        self.views: list[dict[str, Any]] = []
        self.files: dict[str, dict[str, Any]] = {}
        self.file_bodies: dict[str, tuple[bytes, str]] = {}
        self.uploads: dict[str, Upload] = {}
        self.socket_acks: list[dict[str, Any]] = []
        # what auth.test's x-oauth-scopes says the install granted
        self.scopes = ["app_mentions:read", "chat:write", "commands", "files:read", "files:write"]
        self.scopes += ["im:history", "im:write", "channels:history", "groups:history"]
        self.fail_methods: dict[str, str] = {}  # method → Slack error to answer with
        # method → a check of its params that returns a Slack error to answer with, or None
        self.fail_if: dict[str, Callable[[dict[str, Any]], str | None]] = {}
        self.not_member_of: set[str] = set()  # channels where chat.postMessage says not_in_channel
        self.admins: set[str] = set()  # users whose users.info says is_admin
        self.rate_limit_once: dict[
            str, int
        ] = {}  # method → Retry-After seconds, answered once with 429
        self.rate_limited: list[str] = []  # methods that got a 429
        # True: file downloads hang until close (a review in flight when a test kills the bot)
        self.hold_downloads = False
        self._released = asyncio.Event()
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._sockets: list[web.WebSocketResponse] = []
        self._socket_ready = asyncio.Event()
        self.web.router.add_route("*", "/api/{method}", self._api)
        self.web.router.add_get("/files/{file_id}/{name}", self._download)
        self.web.router.add_post("/upload/{file_id}", self._upload)
        self.web.router.add_get("/socket", self._socket)
        self.web.router.add_get("/redirect", self._redirect)

    # --- set-up ----------------------------------------------------------------
    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def add_file(
        self,
        name: str,
        content: bytes,
        *,
        mimetype: str = "text/plain",
        size: int | None = None,
        url: str | None = None,
        serve_as: str = "application/octet-stream",
    ) -> dict[str, Any]:
        """Store a file and return its object as it appears in an event's `files`."""
        file_id = f"F{next(self._ids):04d}"
        obj = {
            "id": file_id,
            "name": name,
            "title": name,
            "mimetype": mimetype,
            "filetype": name.rsplit(".", 1)[-1],
            "size": len(content) if size is None else size,
            "mode": "hosted",
            "url_private": url or f"{self.base}/files/{file_id}/{name}",
            "url_private_download": url or f"{self.base}/files/{file_id}/{name}?download=1",
        }
        self.files[file_id] = obj
        self.file_bodies[file_id] = (content, serve_as)
        return dict(obj)

    def connect_stub(self, file: dict[str, Any]) -> dict[str, Any]:
        """The same file as a Slack Connect event shows it: no URLs, check files.info."""
        return {"id": file["id"], "file_access": "check_file_info", "mode": "hosted"}

    # --- what the user sees -------------------------------------------------------
    def thread(self, channel: str, thread_ts: str) -> list[Message]:
        return [m for m in self.messages if m.channel == channel and m.thread_ts == thread_ts]

    def uploads_in(self, channel: str, thread_ts: str) -> list[Upload]:
        return [
            u for u in self.uploads.values() if u.channel == channel and u.thread_ts == thread_ts
        ]

    def api_calls(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def shown_texts(self) -> list[tuple[str, str]]:
        """(method, text) for every string the bot sent that Slack renders as mrkdwn."""
        shown: list[tuple[str, str]] = []
        for call in self.calls:
            if call.method not in _SHOWN_TEXT:
                continue
            for name in _SHOWN_TEXT[call.method]:
                if isinstance(call.params.get(name), str):
                    shown.append((call.method, call.params[name]))
            for tree in (call.params.get("blocks"), call.params.get("view")):
                shown += [(call.method, text) for text in mrkdwn_strings(tree)]
        return shown

    def pings(self) -> list[tuple[str, str]]:
        """Every mention, channel ping or link Slack would make of what the bot sent."""
        return [(m, hit) for m, text in self.shown_texts() for hit in PING.findall(text)]

    async def wait_for(self, predicate: Callable[[], Any], within_s: float = 60.0) -> Any:
        """Wait until `predicate()` is truthy (re-checked whenever the fake receives a request)."""
        async with asyncio.timeout(within_s), self._changed:
            while not (value := predicate()):
                await self._changed.wait()
            return value

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # --- Web API ----------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.method == "GET":
            params = {}
        elif request.content_type == "application/json":
            params = dict(await request.json())
        else:
            params = {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
        params.update({k: v for k, v in request.query.items() if k not in params})
        for key in _JSON_FIELDS:
            if isinstance(params.get(key), str):
                with contextlib.suppress(json.JSONDecodeError):
                    params[key] = json.loads(params[key])
        return params

    def _next_ts(self) -> str:
        return f"{1_700_000_000 + next(self._ts)}.000100"

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        auth = request.headers.get("Authorization")
        self.calls.append(Call(method, params, auth))
        try:
            expected = self.app_token if method == "apps.connections.open" else self.bot_token
            if auth != f"Bearer {expected}":
                return web.json_response({"ok": False, "error": "invalid_auth"})
            if method in self.rate_limit_once:  # Slack's answer to too many calls of one method
                retry_after = self.rate_limit_once.pop(method)
                self.rate_limited.append(method)
                return web.json_response(
                    {"ok": False, "error": "ratelimited"},
                    status=429,
                    headers={"Retry-After": str(retry_after)},
                )
            if method in self.fail_methods:
                return web.json_response({"ok": False, "error": self.fail_methods[method]})
            if method in self.fail_if and (error := self.fail_if[method](params)):
                return web.json_response({"ok": False, "error": error})
            handler = getattr(self, "_m_" + method.replace(".", "_"), None)
            if handler is None:
                return web.json_response({"ok": False, "error": "unknown_method"})
            headers = {"x-oauth-scopes": ",".join(self.scopes)} if method == "auth.test" else {}
            return web.json_response({"ok": True, **handler(params)}, headers=headers)
        except SlackError as exc:
            return web.json_response({"ok": False, "error": str(exc)})
        finally:
            await self._notify()

    def _m_auth_test(self, _: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://fake.slack.com/",
            "team": "Fake",
            "user": "resume-bot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _m_apps_connections_open(self, _: dict[str, Any]) -> dict[str, Any]:
        return {"url": f"ws://{LOCALHOST}:{self.port}/socket"}

    def _m_chat_postMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        if p["channel"] in self.not_member_of:
            raise SlackError("not_in_channel")
        msg = Message(
            p["channel"],
            self._next_ts(),
            p.get("text", ""),
            p.get("blocks") or [],
            p.get("thread_ts") or None,
        )
        self.messages.append(msg)
        return {"channel": msg.channel, "ts": msg.ts, "message": {"text": msg.text, "ts": msg.ts}}

    def _m_chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        msg = next(
            (m for m in self.messages if m.channel == p["channel"] and m.ts == p["ts"]), None
        )
        if msg is None:
            raise SlackError("message_not_found")
        msg.history.append(msg.text)
        msg.text, msg.blocks = p.get("text", ""), p.get("blocks") or []
        return {"channel": msg.channel, "ts": msg.ts}

    def _m_users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        user = str(p.get("user"))
        return {"user": {"id": user, "team_id": TEAM_ID, "is_admin": user in self.admins}}

    def _m_conversations_open(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"channel": {"id": "D" + str(p["users"]).split(",")[0]}}

    def _m_views_open(self, p: dict[str, Any]) -> dict[str, Any]:
        self.views.append(p["view"])
        return {"view": {"id": f"V{len(self.views):04d}", **p["view"]}}

    def _m_files_info(self, p: dict[str, Any]) -> dict[str, Any]:
        if p["file"] not in self.files:
            raise SlackError("file_not_found")
        return {"file": self.files[p["file"]]}

    def _m_files_getUploadURLExternal(self, p: dict[str, Any]) -> dict[str, Any]:
        file_id = f"FUP{next(self._ids):04d}"
        self.uploads[file_id] = Upload(file_id, p["filename"], b"")
        return {"upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, p: dict[str, Any]) -> dict[str, Any]:
        done = []
        for f in p["files"]:
            up = self.uploads[f["id"]]
            up.channel, up.thread_ts, up.title = (
                p.get("channel_id"),
                p.get("thread_ts"),
                f.get("title"),
            )
            done.append({"id": up.file_id, "title": up.title, "name": up.filename})
        return {"files": done}

    # --- file host and upload URLs -------------------------------------------------
    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        auth = request.headers.get("Authorization")
        self.calls.append(Call(f"GET {request.path}", dict(request.query), auth))
        await self._notify()
        if auth != f"Bearer {self.bot_token}":  # Slack shows its sign-in page, status 200
            return web.Response(body=_LOGIN_PAGE, content_type="text/html")
        if file_id not in self.file_bodies:
            raise web.HTTPNotFound()
        if self.hold_downloads:
            await self._released.wait()
        body, content_type = self.file_bodies[file_id]
        return web.Response(body=body, content_type=content_type)

    async def _redirect(self, request: web.Request) -> web.Response:
        """A trusted-host URL that bounces elsewhere (`?to=`), as a hostile payload might arrange."""
        self.calls.append(
            Call(f"GET {request.path}", dict(request.query), request.headers.get("Authorization"))
        )
        raise web.HTTPFound(request.query["to"])

    async def _upload(self, request: web.Request) -> web.Response:
        up = self.uploads[request.match_info["file_id"]]
        up.content = await request.read()
        self.calls.append(
            Call(
                f"POST {request.path}",
                {"bytes": len(up.content)},
                request.headers.get("Authorization"),
            )
        )
        await self._notify()
        return web.Response(text=f"OK - {len(up.content)}")

    # --- Socket Mode ------------------------------------------------------------------
    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}})
        self._socket_ready.set()
        await self._notify()
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(msg.data))
                await self._notify()
        return ws

    @property
    def socket_connected(self) -> bool:
        return any(not ws.closed for ws in self._sockets)

    async def push_envelope(
        self, payload: dict[str, Any], *, kind: str = "events_api", retry: int = 0
    ) -> str:
        """Send an envelope to the connected Socket Mode client; returns its envelope_id."""
        await asyncio.wait_for(self._socket_ready.wait(), 10)
        envelope_id = f"env-{next(self._ids)}"
        await self._sockets[-1].send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": retry,
                "retry_reason": "",
            }
        )
        return envelope_id

    async def close(self) -> None:
        self._released.set()
        for ws in self._sockets:
            await ws.close()
        await super().close()


# --- what Slack sends ----------------------------------------------------------------------
_event_ids = itertools.count(1)


def sign(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """Slack's request signature headers (v0) for `body`."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def event_callback(event: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": "A0001",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_event_ids):08d}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def dm_file_share(
    files: list[dict[str, Any]],
    *,
    text: str = "",
    user: str = "U0USER",
    ts: str = "1700000001.000200",
    channel: str = "D0USER",
) -> dict[str, Any]:
    """A `message` event (subtype file_share) in the bot's DM."""
    return {
        "type": "message",
        "subtype": "file_share",
        "text": text,
        "files": files,
        "upload": False,
        "user": user,
        "display_as_bot": False,
        "ts": ts,
        "channel": channel,
        "channel_type": "im",
        "event_ts": ts,
    }


def app_mention(
    files: list[dict[str, Any]] | None = None,
    *,
    text: str = f"<@{BOT_USER_ID}> please review",
    user: str = "U0USER",
    ts: str = "1700000002.000300",
    channel: str = "C0CAREER",
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "app_mention",
        "text": text,
        "user": user,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }
    if files:
        event["files"] = files
    return event


def slash_command(text: str = "", *, channel: str = "C0CAREER", user: str = "U0USER") -> str:
    """The urlencoded form Slack POSTs for `/optimize`."""
    return urllib.parse.urlencode(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "team_domain": "fake",
            "channel_id": channel,
            "channel_name": "career-help",
            "user_id": user,
            "user_name": "jane",
            "command": "/optimize",
            "text": text,
            "api_app_id": "A0001",
            "response_url": "https://hooks.slack.com/commands/T/1/x",
            "trigger_id": "1337.42.abcd",
        }
    )


def view_submission(
    view: dict[str, Any],
    *,
    files: list[dict[str, Any]],
    job: str | None = None,
    role: str | None = None,
    where: str = "dm",
    user: str = "U0USER",
) -> str:
    """The urlencoded form Slack POSTs when the `/optimize` modal is submitted."""
    values = {
        "resume": {"file": {"type": "file_input", "files": files}},
        "job": {"text": {"type": "plain_text_input", "value": job}},
        "role": {"text": {"type": "plain_text_input", "value": role}},
        "where": {"where": {"type": "radio_buttons", "selected_option": {"value": where}}},
    }
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "legacy",
        "trigger_id": "1337.43.efgh",
        "view": {
            **view,
            "id": "V0001",
            "hash": "h1",
            "state": {"values": values},
            "team_id": TEAM_ID,
        },
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def channel_message(
    files: list[dict[str, Any]] | None = None,
    *,
    text: str = "Here's my resume, feedback welcome",
    user: str = "U0USER",
    ts: str = "1700000300.000100",
    channel: str = "C0REVIEW",
    channel_type: str = "channel",
    thread_ts: str | None = None,
) -> dict[str, Any]:
    """A `message` event in a channel (message.channels; `channel_type="group"`: private)."""
    event: dict[str, Any] = {
        "type": "message",
        "text": text,
        "user": user,
        "ts": ts,
        "channel": channel,
        "channel_type": channel_type,
        "event_ts": ts,
    }
    if files:
        event |= {"subtype": "file_share", "files": files, "upload": False}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def message_changed(original: dict[str, Any], new_text: str) -> dict[str, Any]:
    """The `message` event Slack sends when `original` is edited."""
    edited = {k: v for k, v in original.items() if k not in ("channel", "channel_type")}
    ts = f"{float(original['ts']) + 5:.6f}"
    return {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": original["channel"],
        "channel_type": original["channel_type"],
        "ts": ts,
        "event_ts": ts,
        "message": edited | {"text": new_text, "edited": {"user": original["user"], "ts": ts}},
        "previous_message": edited,
    }


def message_shortcut(
    message: dict[str, Any],
    *,
    callback_id: str = "review_resume",
    user: str = "U0MENTOR",
    channel: str | None = None,
) -> str:
    """The urlencoded form Slack POSTs when a message shortcut is run on `message`."""
    channel = channel or message.get("channel") or "C0CAREER"
    inner = {k: v for k, v in message.items() if k not in ("channel", "channel_type", "event_ts")}
    payload = {
        "type": "message_action",
        "token": "legacy",
        "action_ts": f"{time.time():.6f}",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": user, "username": "mentor", "team_id": TEAM_ID, "name": "mentor"},
        "channel": {"id": channel, "name": "career-help"},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": "1337.44.ijkl",
        "response_url": "https://hooks.slack.com/app/T/1/x",
        "message_ts": message["ts"],
        "message": {"type": "message", **inner},
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def form_submission(view: dict[str, Any], values: dict[str, Any], *, user: str = "U0MENTOR") -> str:
    """The urlencoded form Slack POSTs when a modal opened with `view` is submitted."""
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "legacy",
        "trigger_id": "1337.45.mnop",
        "view": {
            **view,
            "id": f"V{next(_event_ids):04d}",
            "hash": "h2",
            "state": {"values": values},
            "team_id": TEAM_ID,
        },
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def shortcut_values(
    where: str = "thread", job: str | None = None, role: str | None = None
) -> dict[str, Any]:
    """The Review resume form's state as the person left it."""
    return {
        "where": {"where": {"type": "radio_buttons", "selected_option": {"value": where}}},
        "job": {"text": {"type": "plain_text_input", "value": job}},
        "role": {"text": {"type": "plain_text_input", "value": role}},
    }


def block_action(
    message: Message, action_id: str, *, user: str = "U0USER", block_id: str | None = None
) -> str:
    """The urlencoded form Slack POSTs when `user` clicks the button `action_id` in `message`."""
    button = next(
        element
        for block in message.blocks
        if block.get("type") == "actions"
        for element in block.get("elements", [])
        if element.get("action_id") == action_id
    )
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": user, "username": "person", "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "legacy",
        "trigger_id": "1337.46.qrst",
        "container": {
            "type": "message",
            "message_ts": message.ts,
            "channel_id": message.channel,
            "is_ephemeral": False,
        },
        "channel": {"id": message.channel, "name": "directmessage"},
        "message": {
            "type": "message",
            "ts": message.ts,
            "text": message.text,
            "blocks": message.blocks,
        },
        "response_url": "https://hooks.slack.com/actions/T/1/x",
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": block_id or "feedback",
                "value": button["value"],
                "text": button["text"],
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)})
