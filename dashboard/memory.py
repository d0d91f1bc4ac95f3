"""Keeping Python's cyclic garbage collector off the objects a dashboard process holds for its lifetime.

The collector's full passes look at every object that has survived earlier passes. A dashboard process holds
about 160,000 such objects once it has started (the modules, Dash's page registry and components, the
caches), and a scorecard request on a national store makes enough new objects to set off full passes:
measured on the national benchmark store, 61 ms of a 280-380 ms scorecard page went on collecting, and 10 ms
once the objects held from the start were frozen. :func:`freeze_held_objects` does that, once the app is
built: Python's documented way (``gc.freeze``) for a long-running server to take what it keeps for its
lifetime out of the collector's sight. Frozen objects are still freed when nothing refers to them; only a
cycle among them would be kept, and what is frozen is what the process keeps anyway.
"""

from __future__ import annotations

import gc


def freeze_held_objects() -> int:
    """Collect what is already garbage, then freeze everything left (see the module's notes); returns how
    many objects the collector no longer looks at."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
