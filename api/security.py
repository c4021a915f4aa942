"""Who is asking (audience from the bearer key) and how often (per-client rate limit).

The rate limiter keys on the client address in memory only: addresses are never
written anywhere and are forgotten once their window is empty.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import deque
from collections.abc import Callable

from kringwijs.settings import DEFAULT_SECRETS, Settings
from kringwijs.types import Audience

PUBLIC = Audience.PUBLIC
INTERNAL = Audience.INTERNAL
_WINDOW = 60.0


def audience_for(authorization: str | None, settings: Settings) -> str | None:
    """``public`` without a header, ``internal`` for a known key, None for an unknown key."""
    if not authorization:
        return PUBLIC
    scheme, _, key = authorization.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        return None
    # A well-known default key never opens anything, in any environment (production refuses
    # to start with one; see Settings). No key configured: internal access is simply off.
    keys = [
        k for k in [*settings.internal_api_keys, settings.admin_key] if k and k.strip().lower() not in DEFAULT_SECRETS
    ]
    # compare_digest over every key: the time taken does not reveal which one nearly matched.
    matched = False
    for candidate in keys:
        matched |= hmac.compare_digest(candidate.encode(), key.encode())
    return INTERNAL if matched else None


class RateLimiter:
    """Sliding one-minute window per client key, in memory, thread-safe."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._last_sweep = clock()

    def check(self, key: str) -> float | None:
        """Count one request; None when allowed, else the seconds until the next one is."""
        if self.per_minute <= 0:
            return None
        now = self._clock()
        with self._lock:
            if now - self._last_sweep > _WINDOW:
                self._sweep(now)
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] >= _WINDOW:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return max(1.0, _WINDOW - (now - hits[0]))
            hits.append(now)
            return None

    def _sweep(self, now: float) -> None:
        # Forget clients whose window has emptied, so memory stays bounded.
        for key in [k for k, v in self._hits.items() if not v or now - v[-1] >= _WINDOW]:
            del self._hits[key]
        self._last_sweep = now

    def __len__(self) -> int:
        return len(self._hits)
