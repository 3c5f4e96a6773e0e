"""What the bot remembers between messages: versions per conversation, reviews in flight.

See store.py for what is kept (and `open_state`), vault.py for how text is
protected at rest, and migrations/ for the schema (Alembic, applied at start-up).
The database library is imported only by store.py, so code that merely names a
`ConversationKey` (and the CLI) pays nothing for it.
"""

from core.state.keys import ConversationKey

__all__ = ["ConversationKey"]
