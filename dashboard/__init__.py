"""The dashboard: Dash pages and components over the indicator store. Build it with :func:`create_app`."""

from dashboard.factory import create_app

__all__ = ["create_app"]
