"""Server-side caching of query results (flask-caching), kept in step with the store across every worker.

One cache object serves every app the factory builds; each app gets its own store, so a test app on a test
database never sees another app's results. The default is an in-process ``SimpleCache``; set
``KPI_CACHE_TYPE`` (e.g. ``RedisCache`` with ``KPI_CACHE_REDIS_URL``, or ``FileSystemCache`` with
``KPI_CACHE_DIR``) to share one cache between gunicorn workers, ``KPI_CACHE_TIMEOUT`` (seconds, default
600) for how long a result is kept, and ``KPI_CACHE_KEY_PREFIX`` when several dashboards share one Redis.

New data shows at once on every worker, whichever cache is used: every cached result is filed under the
store's data generation (:func:`data.generation.data_generation`, a stamp that moves with every import,
rollback, commentary, action or scheme change, made by any worker or by the ``kpi`` command line). Each app
reads the stamp with one small query at most once every :data:`GENERATION_MAX_AGE` seconds, so a change
made by another worker shows within a second; a worker's own change shows at its very next request. When
the stamp has moved, results filed under the old one are never read again, and an in-process cache drops
them to free the memory.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, has_app_context
from flask_caching import Cache

DEFAULT_TIMEOUT = 600
GENERATION_MAX_AGE = 1.0
"""Seconds an app trusts the data generation it last read before reading it again."""
GENERATION = "hcp_data_generation"
"""Where each app keeps the generation it last read (``server.extensions``)."""
LOCAL_CACHES = frozenset({"SimpleCache", "simple", "NullCache", "null"})
"""Cache types held inside one process (a change elsewhere is only seen through the generation)."""

_ENVIRONMENT = {
    "KPI_CACHE_TYPE": "CACHE_TYPE",
    "KPI_CACHE_TIMEOUT": "CACHE_DEFAULT_TIMEOUT",
    "KPI_CACHE_DIR": "CACHE_DIR",
    "KPI_CACHE_REDIS_URL": "CACHE_REDIS_URL",
    "KPI_CACHE_KEY_PREFIX": "CACHE_KEY_PREFIX",
}


@dataclass
class _Generation:
    """One app's view of the store's data generation: the stamp, when it was read, and a lock so that one
    thread at a time reads it."""

    value: str | None = None
    read_at: float = float("-inf")
    local: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock)


def _read_generation() -> str:
    from dashboard import data_access  # data_access imports this module

    return data_access.data_generation()


def current_generation(read: Callable[[], str] = _read_generation) -> str:
    """The store's data generation as this app last read it, read again when older than
    :data:`GENERATION_MAX_AGE` ('' outside an app, or while the store cannot be read and was never read).

    When it has moved, an in-process cache is cleared: its results were for the old generation.
    """
    if not has_app_context():
        return ""
    state: _Generation | None = current_app.extensions.get(GENERATION)
    if state is None:
        return ""
    with state.lock:
        now = time.monotonic()
        if now - state.read_at <= GENERATION_MAX_AGE and state.value is not None:
            return state.value
        from dashboard.data_access import DataUnavailable

        try:
            value = read()
        except DataUnavailable:
            return state.value or ""
        if state.value is not None and value != state.value and state.local:
            cache.clear()
        state.value, state.read_at = value, now
        return value


class GenerationCache(Cache):
    """A flask-caching ``Cache`` whose memoized results are filed under the store's data generation, so no
    worker reads a result made before the latest change to the store."""

    def _memoize_make_cache_key(
        self,
        make_name: Callable[..., str] | None = None,
        hash_method: Callable[..., Any] | None = None,
        source_check: bool | None = None,
        args_to_ignore: list[str] | None = None,
    ) -> Callable[..., str]:
        def name_with_generation(name: str) -> str:
            base = make_name(name) if callable(make_name) else name
            return f"{base}@{current_generation()}"

        return super()._memoize_make_cache_key(
            make_name=name_with_generation,
            hash_method=hash_method,
            source_check=source_check,
            args_to_ignore=args_to_ignore,
        )


cache = GenerationCache()


def config_from_environment(environ: Mapping[str, str] = os.environ) -> dict:
    """The cache configuration: ``SimpleCache`` for 600 seconds unless the environment says otherwise."""
    config: dict = {
        "CACHE_TYPE": "SimpleCache",
        "CACHE_DEFAULT_TIMEOUT": DEFAULT_TIMEOUT,
        "CACHE_THRESHOLD": 500,
    }
    for variable, key in _ENVIRONMENT.items():
        if environ.get(variable):
            config[key] = environ[variable]
    config["CACHE_DEFAULT_TIMEOUT"] = int(config["CACHE_DEFAULT_TIMEOUT"])
    return config


def init_cache(server: Flask, config: Mapping | None = None) -> Cache:
    """Attach the cache to ``server`` with ``config`` (default :func:`config_from_environment`), filing
    results under the data generation of the server's store."""
    settings = dict(config if config is not None else config_from_environment())
    settings.setdefault("CACHE_NO_NULL_WARNING", True)  # tests use NullCache on purpose
    cache.init_app(server, config=settings)
    cache_type = str(settings.get("CACHE_TYPE", "SimpleCache")).rsplit(".", 1)[-1]
    server.extensions[GENERATION] = _Generation(local=cache_type in LOCAL_CACHES)
    return cache


def clear_all() -> None:
    """Forget every cached result, after this worker made a load or a rollback, and read the generation
    afresh at the next cached read, so this worker shows the change at once.

    Other workers see the change through the generation within :data:`GENERATION_MAX_AGE` seconds; a shared
    cache (``RedisCache``) is cleared for all of them.
    """
    cache.clear()
    if has_app_context() and (state := current_app.extensions.get(GENERATION)) is not None:
        with state.lock:
            state.read_at = float("-inf")
