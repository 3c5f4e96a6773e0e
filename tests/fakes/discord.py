"""A fake Discord (REST + gateway websocket) served by aiohttp on 127.0.0.1.

The real `discord.py` client talks to it over real sockets: it logs in
(`/users/@me`, `/oauth2/applications/@me`), syncs commands, asks `/gateway/bot`
for the websocket, then gets HELLO, heartbeat ACKs and, after IDENTIFY, READY +
GUILD_CREATE. Tests inject `INTERACTION_CREATE` / `MESSAGE_CREATE` and read back
every REST call the bot made (`calls`), so they assert what a user would see.

discord.py parses a body as JSON only when `Content-Type` is exactly
`application/json`, so every JSON answer here sets that header by hand.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

JSON_TYPE = "application/json"
EPHEMERAL_FLAG = 1 << 6
DEFER_WITH_SOURCE = 5  # interaction callback type: "thinking…"
CHANNEL_MESSAGE = 4
HEARTBEAT_INTERVAL_MS = 41_250
TEXT_CHANNEL, DM_CHANNEL, PUBLIC_THREAD, FORUM_CHANNEL = 0, 1, 11, 15
MESSAGE_CONTENT_INTENT = 1 << 15
INVALID_WEBHOOK_TOKEN = 50027
DISALLOWED_INTENTS = 4014  # gateway close code: a privileged intent the portal hasn't enabled
TOKEN_LIFETIME_S = 15 * 60
SLASH_COMMAND, MESSAGE_COMMAND = 1, 3
OPTION_STRING, OPTION_BOOLEAN, OPTION_ATTACHMENT = 3, 5, 11
ALL_PERMISSIONS = str((1 << 50) - 1)
TIMESTAMP = "2025-01-01T00:00:00.000000+00:00"


@dataclass(frozen=True)
class Upload:
    """One file part of a multipart request."""

    filename: str
    content: bytes
    content_type: str | None


@dataclass
class Call:
    """One REST request the bot made, as the fake received it."""

    method: str
    path: str
    query: dict[str, str]
    authorization: str | None
    json: Any
    files: list[Upload]
    at: float  # time.monotonic() on arrival

    @property
    def content(self) -> str:
        return (self.json or {}).get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return (self.json or {}).get("embeds") or []

    @property
    def flags(self) -> int:
        return int((self.json or {}).get("flags") or 0)

    @property
    def filenames(self) -> list[str]:
        return [f.filename for f in self.files]

    @property
    def message_body(self) -> dict[str, Any] | None:
        """The message this call creates or edits (an interaction callback nests it in `data`)."""
        if self.method not in ("POST", "PATCH") or not isinstance(self.json, dict):
            return None
        if self.path.endswith("/callback"):  # a deferral ("thinking…") carries no message
            return self.json.get("data") if self.json.get("type") == CHANNEL_MESSAGE else None
        if self.path.endswith("/threads"):
            return None
        if "/messages" in self.path or "/webhooks/" in self.path:
            return self.json
        return None

    def pings(self) -> set[str]:
        """What Discord would notify for this message, applying its `allowed_mentions` as Discord
        does (absent: every @everyone, @here, user and role mention in the content counts)."""
        body = self.message_body
        if not body:
            return set()
        content = body.get("content") or ""
        allowed = body.get("allowed_mentions")
        parse = {"everyone", "users", "roles"} if allowed is None else set(allowed.get("parse", []))
        found = set()
        if "everyone" in parse:
            found |= {f"@{m}" for m in re.findall(r"@(everyone|here)\b", content)}
        for kind, ids in (
            ("users", re.findall(r"<@!?(\d+)>", content)),
            ("roles", re.findall(r"<@&(\d+)>", content)),
        ):
            listed = set((allowed or {}).get(kind) or [])
            found |= {f"{kind}:{i}" for i in ids if kind in parse or i in listed}
        replied = allowed is None or allowed.get("replied_user", False)
        if body.get("message_reference") and replied:
            found.add("replied_user")
        return found

    def text(self) -> str:
        """Everything a user reads in this message: content and every embed string."""
        parts = [self.content]
        for embed in self.embeds:
            parts += [embed.get("title", ""), embed.get("description", "")]
            parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
            parts.append((embed.get("footer") or {}).get("text", ""))
        return "\n".join(p for p in parts if p)


@dataclass
class FakeDiscord:
    """State of the fake: ids, stored attachments, recorded calls and the gateway socket."""

    token: str = "fake-bot-token"
    attachment_size_limit: int = 10 * 1024 * 1024
    calls: list[Call] = field(default_factory=list)
    identify: dict[str, Any] | None = None
    heartbeats: int = 0
    commands: dict[str, dict[str, Any]] = field(default_factory=dict)
    rate_limit_once: dict[tuple[str, str], float] = field(default_factory=dict)
    """(method, path fragment) → retry_after seconds: the first matching call gets a 429."""
    rate_limited: list[Call] = field(default_factory=list)
    reject_if: Callable[[Call], bool] | None = None
    """Calls it matches get Discord's 400 Invalid Form Body (e.g. an embed Discord won't take)."""
    rejected: list[Call] = field(default_factory=list)
    interaction_token_lifetime_s: float = TOKEN_LIFETIME_S
    """An interaction's token answers 401 (code 50027) this long after its INTERACTION_CREATE."""
    expired: list[Call] = field(default_factory=list)
    """Calls refused with 401/50027 because their interaction token had expired."""
    message_content_allowed: bool = True
    """The portal's Message Content switch: off, IDENTIFY with that intent is closed with 4014."""
    hold_downloads: bool = False
    """True: attachment downloads hang until close (a review in flight when a test kills it)."""

    def __post_init__(self) -> None:
        self._ids = itertools.count(1_100_000_000_000_000_000)
        self.app_id = self.new_id()
        self.bot_id = self.app_id
        self.guild_id = self.new_id()
        self.channel_id = self.new_id()
        self.other_channel_id = self.new_id()  # a text channel that is not a review channel
        self.forum_id = self.new_id()
        self.dm_channel_id = self.new_id()
        self.user_id = self.new_id()
        self.other_bot_id = self.new_id()
        self._files: dict[str, tuple[bytes, str]] = {}
        self._tokens: dict[str, float] = {}  # interaction token → when it was issued
        self._expired_tokens: set[str] = set()
        self.threads: dict[str, dict[str, Any]] = {}  # thread id → channel object
        self._seq = 0
        self._ws: web.WebSocketResponse | None = None
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Event()
        self.ready = asyncio.Event()
        self._released = asyncio.Event()
        self.port = 0

    # --- lifecycle ------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{id}/{name}", self._download)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        self._released.set()
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def new_id(self) -> str:
        return str(next(self._ids))

    # --- payloads ---------------------------------------------------------------
    def user(
        self, user_id: str | None = None, *, name: str = "alex", bot: bool = False
    ) -> dict[str, Any]:
        uid = user_id or self.user_id
        return {
            "id": uid,
            "username": name,
            "global_name": name,
            "discriminator": "0",
            "avatar": None,
            "bot": bot,
        }

    def bot_user(self) -> dict[str, Any]:
        return self.user(self.bot_id, name="resume-bot", bot=True)

    def member(self, user: dict[str, Any] | None = None) -> dict[str, Any]:
        return {
            "user": user or self.user(),
            "roles": [],
            "joined_at": TIMESTAMP,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": ALL_PERMISSIONS,
        }

    def text_channel(
        self, channel_id: str | None = None, name: str = "career-help"
    ) -> dict[str, Any]:
        return {
            "id": channel_id or self.channel_id,
            "type": TEXT_CHANNEL,
            "guild_id": self.guild_id,
            "name": name,
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
        }

    def forum_channel(self) -> dict[str, Any]:
        """A forum: each post is a thread whose first message has the thread's id."""
        return {
            "id": self.forum_id,
            "type": FORUM_CHANNEL,
            "guild_id": self.guild_id,
            "name": "resume-reviews",
            "position": 2,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": "Post your resume for feedback",
            "rate_limit_per_user": 0,
            "default_auto_archive_duration": 1440,
            "flags": 0,
            "available_tags": [],
            "default_reaction_emoji": None,
            "default_thread_rate_limit_per_user": 0,
            "default_sort_order": None,
            "default_forum_layout": 0,
            "last_message_id": None,
        }

    def thread(self, parent_id: str, name: str, *, owner_id: str | None = None) -> dict[str, Any]:
        """A public thread (a forum post, or a thread started from a message), remembered."""
        thread_id = self.new_id()
        data = {
            "id": thread_id,
            "type": PUBLIC_THREAD,
            "guild_id": self.guild_id,
            "parent_id": parent_id,
            "owner_id": owner_id or self.bot_id,
            "name": name,
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "flags": 0,
            "applied_tags": [],
            "last_message_id": None,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": TIMESTAMP,
                "locked": False,
            },
        }
        self.threads[thread_id] = data
        return data

    def forum_post(
        self,
        title: str,
        content: str = "",
        attachments: list[dict[str, Any]] | None = None,
        *,
        author: dict[str, Any] | None = None,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """A new forum post as Discord sends it: THREAD_CREATE, then its first MESSAGE_CREATE."""
        author = author or self.user()
        thread = self.thread(self.forum_id, title, owner_id=author["id"]) | {"newly_created": True}
        first = self.message(content, attachments, author=author, channel_id=thread["id"])
        first["id"] = thread["id"]  # a forum post's first message shares the thread's id
        return thread, first

    def guild(self) -> dict[str, Any]:
        everyone = {
            "id": self.guild_id,
            "name": "@everyone",
            "permissions": ALL_PERMISSIONS,
            "position": 0,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }
        return {
            "id": self.guild_id,
            "name": "Career Help",
            "icon": None,
            "owner_id": self.user_id,
            "roles": [everyone],
            "emojis": [],
            "stickers": [],
            "features": [],
            "member_count": 2,
            "channels": [
                self.text_channel(),
                self.text_channel(self.other_channel_id, "general"),
                self.forum_channel(),
            ],
            "threads": [],
            "members": [self.member(self.bot_user())],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "large": False,
            "unavailable": False,
            "joined_at": TIMESTAMP,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "premium_tier": 0,
            "nsfw_level": 0,
            "preferred_locale": "en-US",
            "system_channel_flags": 0,
        }

    def attachment(
        self,
        filename: str,
        content: bytes,
        content_type: str = "text/plain",
        *,
        size: int | None = None,
    ) -> dict[str, Any]:
        """Store a file the bot may download and return its attachment object.

        `size` lets a test declare a size other than the real one (e.g. too large),
        to check the bot refuses before downloading.
        """
        att_id = self.new_id()
        self._files[att_id] = (content, content_type)
        url = f"{self.base_url}/attachments/{att_id}/{filename}"
        return {
            "id": att_id,
            "filename": filename,
            "size": len(content) if size is None else size,
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
        }

    def message(
        self,
        content: str = "",
        attachments: list[dict[str, Any]] | None = None,
        *,
        dm: bool = False,
        author: dict[str, Any] | None = None,
        mention_bot: bool = False,
        channel_id: str | None = None,
    ) -> dict[str, Any]:
        """A MESSAGE_CREATE payload: in the career channel (or `channel_id`), or a DM."""
        author = author or self.user()
        data: dict[str, Any] = {
            "id": self.new_id(),
            "type": 0,
            "content": content,
            "author": author,
            "channel_id": self.dm_channel_id if dm else (channel_id or self.channel_id),
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [self.bot_user()] if mention_bot else [],
            "mention_roles": [],
            "attachments": attachments or [],
            "embeds": [],
            "pinned": False,
            "flags": 0,
            "components": [],
        }
        if not dm:
            data["guild_id"] = self.guild_id
            data["member"] = {k: v for k, v in self.member(author).items() if k != "user"}
        return data

    def _interaction(
        self, data: dict[str, Any], *, dm: bool = False, user_id: str | None = None
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": self.new_id(),
            "application_id": self.app_id,
            "type": 2,
            "token": f"itoken-{self.new_id()}",
            "version": 1,
            "data": data,
            "app_permissions": ALL_PERMISSIONS,
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": self.attachment_size_limit,
        }
        if dm:
            payload |= {
                "channel_id": self.dm_channel_id,
                "user": self.user(user_id),
                "context": 1,
                "channel": {
                    "id": self.dm_channel_id,
                    "type": DM_CHANNEL,
                    "recipients": [self.user(user_id)],
                },
                "authorizing_integration_owners": {"1": self.user_id},
            }
        else:
            payload |= {
                "guild_id": self.guild_id,
                "channel_id": self.channel_id,
                "member": self.member(self.user(user_id)),
                "channel": self.text_channel(),
                "guild_locale": "en-US",
                "context": 0,
                "guild": {"id": self.guild_id, "locale": "en-US", "features": []},
                "authorizing_integration_owners": {"0": self.guild_id},
            }
        return payload

    def optimize(
        self,
        attachment: dict[str, Any],
        *,
        job_description: str | None = None,
        role: str | None = None,
        private: bool | None = None,
        dm: bool = False,
        user_id: str | None = None,
    ) -> dict[str, Any]:
        """An INTERACTION_CREATE payload for `/optimize resume:<attachment> …` (by `user_id`, default the user)."""
        options: list[dict[str, Any]] = [
            {"name": "resume", "type": OPTION_ATTACHMENT, "value": attachment["id"]}
        ]
        if job_description is not None:
            options.append(
                {"name": "job_description", "type": OPTION_STRING, "value": job_description}
            )
        if role is not None:
            options.append({"name": "role", "type": OPTION_STRING, "value": role})
        if private is not None:
            options.append({"name": "private", "type": OPTION_BOOLEAN, "value": private})
        data = {
            "id": self._command_id("optimize"),
            "name": "optimize",
            "type": SLASH_COMMAND,
            "options": options,
            "resolved": {"attachments": {attachment["id"]: attachment}},
        }
        return self._interaction(data, dm=dm, user_id=user_id)

    def review_menu(self, message: dict[str, Any], name: str = "Review resume") -> dict[str, Any]:
        """An INTERACTION_CREATE payload for the message context menu on `message`."""
        data = {
            "id": self._command_id(name),
            "name": name,
            "type": MESSAGE_COMMAND,
            "target_id": message["id"],
            "resolved": {"messages": {message["id"]: message}},
        }
        return self._interaction(data)

    def button_click(
        self, sent: Call, custom_id: str, *, user_id: str | None = None, dm: bool = True
    ) -> dict[str, Any]:
        """The INTERACTION_CREATE Discord sends when `user_id` clicks a button (`custom_id`)
        on the message the bot sent with the call `sent`."""
        body = sent.json or {}
        message = self.message(body.get("content") or "", author=self.bot_user(), dm=dm)
        message |= {"embeds": body.get("embeds") or [], "components": body.get("components") or []}
        data = {"custom_id": custom_id, "component_type": 2}
        return self._interaction(data, dm=dm, user_id=user_id) | {"type": 3, "message": message}

    def _command_id(self, name: str) -> str:
        return self.commands.get(name, {}).get("id") or self.new_id()

    def _message_reply(
        self, channel_id: str, body: dict[str, Any], files: list[Upload], *, webhook: bool = False
    ) -> dict[str, Any]:
        attachments = [
            {
                "id": self.new_id(),
                "filename": f.filename,
                "size": len(f.content),
                "url": f"{self.base_url}/attachments/0/{f.filename}",
                "proxy_url": f"{self.base_url}/attachments/0/{f.filename}",
            }
            for f in files
        ]
        data = self.message(
            body.get("content") or "",
            attachments,
            author=self.bot_user(),
            dm=channel_id == self.dm_channel_id,
        )
        data |= {
            "channel_id": channel_id,
            "embeds": body.get("embeds") or [],
            "flags": body.get("flags") or 0,
        }
        if webhook:
            data["webhook_id"] = self.app_id
        return data

    def expire_token(self, interaction: dict[str, Any]) -> None:
        """From now on the interaction's token answers 401/50027, as after 15 minutes (also a
        token a test made up, e.g. one kept by a replica that stopped)."""
        self._tokens.setdefault(interaction["token"], time.monotonic())
        self._expired_tokens.add(interaction["token"])

    def _token_expired(self, path: str) -> bool:
        parts = path.strip("/").split("/")  # webhooks/<application id>/<token>/…
        token = parts[2] if len(parts) > 2 and parts[0] == "webhooks" else None
        if token is None or token not in self._tokens:
            return False
        age = time.monotonic() - self._tokens[token]
        return token in self._expired_tokens or age > self.interaction_token_lifetime_s

    def _can_read(self, data: dict[str, Any]) -> bool:
        """Whether Discord would give the bot this message's content and attachments."""
        intents = int((self.identify or {}).get("intents") or 0)
        mentioned = any(u.get("id") == self.bot_id for u in data.get("mentions") or [])
        return bool(intents & MESSAGE_CONTENT_INTENT) or "guild_id" not in data or mentioned

    # --- gateway ----------------------------------------------------------------
    async def dispatch(self, event: str, data: dict[str, Any]) -> float:
        """Send one DISPATCH to the connected bot; returns time.monotonic() at send.

        As Discord does: a server message the bot may not read (no Message Content intent,
        no mention) arrives without content, attachments and embeds; an interaction's token
        starts its lifetime now.
        """
        await asyncio.wait_for(self.ready.wait(), timeout=10)
        assert self._ws is not None
        if event == "INTERACTION_CREATE":
            self._tokens[data["token"]] = time.monotonic()
        if event in ("MESSAGE_CREATE", "MESSAGE_UPDATE") and not self._can_read(data):
            data = data | {"content": "", "attachments": [], "embeds": []}
        self._seq += 1
        frame = json.dumps({"op": 0, "t": event, "s": self._seq, "d": data})
        sent_at = time.monotonic()
        await self._ws.send_str(frame)
        return sent_at

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_json(
            {"op": 10, "s": None, "t": None, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}}
        )
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            if frame["op"] == 1:
                self.heartbeats += 1
                await ws.send_json({"op": 11, "s": None, "t": None, "d": None})
            elif frame["op"] == 2:
                self.identify = frame["d"]
                intents = int(frame["d"].get("intents") or 0)
                if intents & MESSAGE_CONTENT_INTENT and not self.message_content_allowed:
                    await ws.close(code=DISALLOWED_INTENTS, message=b"Disallowed intent(s).")
                    break
                await self._send_ready(ws)
        return ws

    async def _send_ready(self, ws: web.WebSocketResponse) -> None:
        ready = {
            "v": 10,
            "user": self.bot_user() | {"verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [{"id": self.guild_id, "unavailable": True}],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": self.app_id, "flags": 0},
        }
        if (self.identify or {}).get("shard"):  # Discord echoes a shard's [id, count]
            ready["shard"] = self.identify["shard"]
        for event, data in (("READY", ready), ("GUILD_CREATE", self.guild())):
            self._seq += 1
            await ws.send_json({"op": 0, "t": event, "s": self._seq, "d": data})
        self.ready.set()

    # --- REST -------------------------------------------------------------------
    async def _download(self, request: web.Request) -> web.StreamResponse:
        self._record(request, None, [])
        stored = self._files.get(request.match_info["id"])
        if stored is None:
            return web.Response(status=404)
        if self.hold_downloads:
            await self._released.wait()
        return web.Response(body=stored[0], headers={"Content-Type": stored[1]})

    async def _rest(self, request: web.Request) -> web.Response:
        body, files = await self._read_body(request)
        call = self._record(request, body, files)
        path = "/" + request.match_info["tail"]
        for (method, fragment), retry_after in list(self.rate_limit_once.items()):
            if request.method == method and fragment in path:
                del self.rate_limit_once[(method, fragment)]
                self.calls.remove(call)  # `calls` holds what was accepted; 429s are kept apart
                self.rate_limited.append(call)
                # discord.py retries only a 429 that came through Discord's proxy (`Via`), reading `retry_after`
                return _json(
                    {
                        "message": "You are being rate limited.",
                        "retry_after": retry_after,
                        "global": False,
                    },
                    status=429,
                    headers={
                        "Via": "1.1 google",
                        "Retry-After": str(retry_after),
                        "X-RateLimit-Scope": "user",
                    },
                )
        if self.reject_if is not None and self.reject_if(call):
            self.calls.remove(call)
            self.rejected.append(call)
            return _json({"message": "Invalid Form Body", "code": 50035, "errors": {}}, status=400)
        if self._token_expired(path):
            self.calls.remove(call)
            self.expired.append(call)
            return _json(
                {"message": "Invalid Webhook Token", "code": INVALID_WEBHOOK_TOKEN}, status=401
            )
        webhook = path.startswith(("/webhooks/", "/interactions/"))
        if not webhook and call.authorization != f"Bot {self.token}":
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        parts = path.strip("/").split("/")
        match request.method, parts:
            case "GET", ["users", "@me"]:
                return _json(self.bot_user() | {"verified": True, "mfa_enabled": False, "flags": 0})
            case "GET", ["oauth2", "applications", "@me"]:
                return _json(
                    {
                        "id": self.app_id,
                        "name": "resume-bot",
                        "description": "",
                        "icon": None,
                        "bot_public": True,
                        "bot_require_code_grant": False,
                        "owner": self.user(),
                        "verify_key": "0" * 64,
                        # GATEWAY_MESSAGE_CONTENT_LIMITED: the portal switch, for < 100 servers
                        "flags": (1 << 19) if self.message_content_allowed else 0,
                        "summary": "",
                        "bot": self.bot_user(),
                    }
                )
            case "GET", ["gateway", "bot"]:
                return _json(
                    {
                        "url": self.gateway_url,
                        "shards": 1,
                        "session_start_limit": {
                            "total": 1000,
                            "remaining": 1000,
                            "reset_after": 0,
                            "max_concurrency": 1,
                        },
                    }
                )
            case "GET", ["gateway"]:
                return _json({"url": self.gateway_url})
            case "PUT", ["applications", _, "commands"] | [
                "applications",
                _,
                "guilds",
                _,
                "commands",
            ]:
                return _json([self._register(cmd, parts) for cmd in body or []])
            case "POST", ["interactions", interaction_id, _, "callback"]:
                kind = int((body or {}).get("type", 0))
                flags = int(((body or {}).get("data") or {}).get("flags") or 0)
                return _json(
                    {
                        "interaction": {
                            "id": interaction_id,
                            "type": 2,
                            "response_message_loading": kind == DEFER_WITH_SOURCE,
                            "response_message_ephemeral": bool(flags & EPHEMERAL_FLAG),
                        }
                    }
                )
            case "POST", ["webhooks", _, _]:
                return _json(self._message_reply(self.channel_id, body or {}, files, webhook=True))
            case "PATCH", ["webhooks", _, _, "messages", _]:
                return _json(self._message_reply(self.channel_id, body or {}, files, webhook=True))
            case "POST", ["channels", channel_id, "messages"]:
                return _json(self._message_reply(channel_id, body or {}, files))
            case "PATCH", ["channels", channel_id, "messages", message_id]:
                return _json(
                    self._message_reply(channel_id, body or {}, files) | {"id": message_id}
                )
            case "POST", ["channels", channel_id, "messages", _, "threads"]:
                return _json(self.thread(channel_id, (body or {}).get("name", "")))
            case "GET", ["channels", channel_id]:
                if channel_id in self.threads:
                    return _json(self.threads[channel_id])
            case "POST", ["users", "@me", "channels"]:
                recipient = str((body or {}).get("recipient_id"))
                return _json(
                    {
                        "id": self.dm_channel_id,
                        "type": DM_CHANNEL,
                        "last_message_id": None,
                        "recipients": [self.user(recipient)],
                    }
                )
            case "POST", ["channels", _, "typing"]:
                return web.Response(status=204)
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _register(self, cmd: dict[str, Any], parts: list[str]) -> dict[str, Any]:
        known = self.commands.get(cmd["name"], {})
        registered = cmd | {
            "id": known.get("id") or self.new_id(),
            "application_id": self.app_id,
            "version": self.new_id(),
            "description": cmd.get("description", ""),
        }
        if "guilds" in parts:
            registered["guild_id"] = parts[3]
        self.commands[cmd["name"]] = registered
        return registered

    async def _read_body(self, request: web.Request) -> tuple[Any, list[Upload]]:
        if request.content_type.startswith("multipart/"):
            body: Any = None
            files: list[Upload] = []
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                data = await part.read(decode=False)  # type: ignore[union-attr]
                if part.name == "payload_json":  # type: ignore[union-attr]
                    body = json.loads(data)
                else:
                    files.append(
                        Upload(
                            part.filename or "",
                            bytes(data),  # type: ignore[union-attr]
                            part.headers.get("Content-Type"),
                        )
                    )  # type: ignore[union-attr]
            return body, files
        raw = await request.read()
        return (json.loads(raw) if raw else None), []

    def _record(self, request: web.Request, body: Any, files: list[Upload]) -> Call:
        call = Call(
            request.method,
            request.path,
            dict(request.query),
            request.headers.get("Authorization"),
            body,
            files,
            time.monotonic(),
        )
        self.calls.append(call)
        self._changed.set()
        return call

    # --- assertions helpers -----------------------------------------------------------
    def find(self, method: str, fragment: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and fragment in c.path]

    async def wait_for(
        self, predicate: Callable[[Call], bool], *, within_s: float = 60.0, count: int = 1
    ) -> list[Call]:
        """Wait until `count` recorded calls match `predicate`; return them."""
        deadline = time.monotonic() + within_s
        while True:
            found = [c for c in self.calls if predicate(c)]
            if len(found) >= count:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seen = [(c.method, c.path) for c in self.calls]
                raise AssertionError(f"timed out waiting for {count} matching call(s); saw {seen}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=remaining)


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(data).encode(),
        headers={"Content-Type": JSON_TYPE, **(headers or {})},
    )


def is_defer(call: Call) -> bool:
    return (
        call.method == "POST"
        and call.path.endswith("/callback")
        and (call.json or {}).get("type") == DEFER_WITH_SOURCE
    )


def is_original_edit(call: Call) -> bool:
    """PATCH of an interaction's original (deferred) response: where a queued user sees their place."""
    return call.method == "PATCH" and call.path.endswith("/messages/@original")


def is_message_edit(call: Call) -> bool:
    return call.method == "PATCH" and "/channels/" in call.path and "/messages/" in call.path


def is_followup(call: Call) -> bool:
    parts = call.path.strip("/").split("/")
    return call.method == "POST" and len(parts) == 5 and parts[2] == "webhooks"


def is_channel_message(channel_id: str) -> Callable[[Call], bool]:
    return lambda c: c.method == "POST" and c.path.endswith(f"/channels/{channel_id}/messages")


def is_thread_create(call: Call) -> bool:
    return call.method == "POST" and call.path.endswith("/threads")
