"""Running as more than one process: what replicas and workers share.

Embedded (the default, REDIS_URL unset): the in-process `ReviewQueue` and no shared claims,
exactly the single process of before. With REDIS_URL, `coordination()` hands out the same
interfaces backed by Redis (core/scale/redis.py), so a bot never knows which one it holds —
the way an httpx client never knows its transport.
"""

from core.scale.coordination import Coordination, EventClaims, coordination

__all__ = ["Coordination", "EventClaims", "coordination"]
