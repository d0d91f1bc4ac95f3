"""Who is making a web request: the one place pages and callbacks ask, before any change is written.

Every callback or route that changes data calls :func:`current_user` and passes the user to the store
function, which checks the permission itself (:func:`data.access.require`) before it writes.
"""

from __future__ import annotations

from data import access


def current_user() -> access.User:
    """The user making this request."""
    return access.current_user()
