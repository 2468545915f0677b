"""Per-client token buckets in Django's cache (locmem per process in the demo; set
FRONTDOOR_CACHE_URL=redis://… so every worker shares one bucket per key).

A bucket holds `per_minute` tokens and refills continuously at per_minute/60 a second, so a
client may burst up to its minute's allowance and then proceeds at the steady rate. The
read-modify-write is not atomic across processes: two workers racing may each let one
request through, which errs towards serving the client (the limit protects capacity; it is
not a security boundary).
"""

from __future__ import annotations

from django.core.cache import cache

from frontdoor.api.errors import RateLimited


def take_token(*, bucket: str, per_minute: int, now: float) -> None:
    """Spend one request from the bucket or raise RateLimited with the seconds to wait."""
    cache_key = f"frontdoor:ratelimit:{bucket}"
    state = cache.get(cache_key)
    tokens, at = state if state else (float(per_minute), now)
    tokens = min(float(per_minute), tokens + max(0.0, now - at) * per_minute / 60.0)
    if tokens < 1.0:
        cache.set(cache_key, (tokens, now), timeout=120)
        raise RateLimited(retry_after=(1.0 - tokens) * 60.0 / per_minute, limit=per_minute)
    cache.set(cache_key, (tokens - 1.0, now), timeout=120)
