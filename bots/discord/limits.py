"""Discord's limits, owned by the Discord adapter (core knows no platform).

https://discord.com/developers/docs/resources/message and …/resources/channel
"""

from __future__ import annotations

DISCORD_INTERACTION_ACK_SECONDS = 3
DISCORD_TOKEN_LIFETIME_SECONDS = 15 * 60  # an interaction's token: edits and follow-ups, then 401
DISCORD_TOKEN_MARGIN_SECONDS = 60  # hand an answer over this long before the token expires
DISCORD_CONTENT_MAX = 2000
DISCORD_EMBED_TITLE_MAX = 256
DISCORD_EMBED_DESCRIPTION_MAX = 4096
DISCORD_EMBED_FIELDS_MAX = 25
DISCORD_EMBED_FIELD_NAME_MAX = 256
DISCORD_EMBED_FIELD_VALUE_MAX = 1024
DISCORD_EMBED_FOOTER_MAX = 2048
DISCORD_EMBED_TOTAL_MAX = 6000
DISCORD_EMBEDS_PER_MESSAGE = 10
DISCORD_DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024
DISCORD_THREAD_NAME_MAX = 100
DISCORD_FILES_PER_MESSAGE = 10
DISCORD_STRING_OPTION_MAX = 6000  # a slash command's string option
