"""Server-side caching of query results (flask-caching).

One :class:`flask_caching.Cache` serves every app the factory builds; each app gets its own store, so a
test app on a test database never sees another app's results. The default is an in-process
``SimpleCache``; set ``KPI_CACHE_TYPE`` (e.g. ``FileSystemCache`` with ``KPI_CACHE_DIR``, or ``RedisCache``
with ``KPI_CACHE_REDIS_URL``) to share one cache between gunicorn workers, and ``KPI_CACHE_TIMEOUT``
(seconds, default 600) for how long a result is kept. After an import, results refresh within that time,
or at once when the server restarts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from flask import Flask
from flask_caching import Cache

cache = Cache()

DEFAULT_TIMEOUT = 600

_ENVIRONMENT = {
    "KPI_CACHE_TYPE": "CACHE_TYPE",
    "KPI_CACHE_TIMEOUT": "CACHE_DEFAULT_TIMEOUT",
    "KPI_CACHE_DIR": "CACHE_DIR",
    "KPI_CACHE_REDIS_URL": "CACHE_REDIS_URL",
}


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
    """Attach the cache to ``server`` with ``config`` (default :func:`config_from_environment`)."""
    settings = dict(config if config is not None else config_from_environment())
    settings.setdefault("CACHE_NO_NULL_WARNING", True)  # tests use NullCache on purpose
    cache.init_app(server, config=settings)
    return cache


def clear_all() -> None:
    """Forget every cached result, after a load or a rollback changed the figures.

    With a shared cache (``RedisCache``, or ``FileSystemCache`` on a shared folder) this clears it for every
    worker at once; an in-process ``SimpleCache`` is cleared for this process only.
    """
    cache.clear()
