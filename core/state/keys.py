"""Who and where a conversation is: the key every stored row hangs from.

A conversation is one person in one place (a Slack thread, a Discord thread, a
DM): two people in the same thread never see each other's versions. `person` is
what "forget me" deletes; the adapter says what identifies a person on its
platform (a Slack user id is per workspace, a Discord user id is global).
"""

from __future__ import annotations

from dataclasses import dataclass


def _join(*parts: object) -> str:
    return ":".join(str(p) if p not in (None, "") else "-" for p in parts)


@dataclass(frozen=True, slots=True)
class ConversationKey:
    """(platform, workspace/guild, channel, thread, user); `thread` None: the whole channel."""

    platform: str
    workspace: str | None
    channel: str
    thread: str | None
    user: str
    person: str = ""

    def __post_init__(self) -> None:
        if not self.person:
            object.__setattr__(self, "person", _join(self.platform, self.workspace, self.user))

    def fields(self) -> dict[str, str | None]:
        """The key as plain data (kept with a review in flight, to rebuild it after a restart)."""
        return {
            "platform": self.platform,
            "workspace": self.workspace,
            "channel": self.channel,
            "thread": self.thread,
            "user": self.user,
            "person": self.person,
        }

    @property
    def conversation(self) -> str:
        """The stored id of this conversation (ids only: no names, no text)."""
        return _join(self.platform, self.workspace, self.channel, self.thread, self.user)
