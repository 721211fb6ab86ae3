"""The Redis cache backend: Django's, keeping one client a connection pool."""

from __future__ import annotations

import uuid

from django.core.cache import caches

from careeros.cache import RedisCache


def test_the_cache_keeps_one_client_and_still_reads_and_writes_redis() -> None:
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    key = f"test-{uuid.uuid4().hex}"
    assert cache.get(key) is None
    assert cache.add(key, {"n": 1}, timeout=30)
    assert not cache.add(key, {"n": 2}, timeout=30)
    assert cache.get(key) == {"n": 1}
    cache.set(key, [1, 2], timeout=30)
    assert cache.get_many([key, f"{key}-missing"]) == {key: [1, 2]}
    cache.delete(key)
    assert cache.get(key) is None
