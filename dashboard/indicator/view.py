"""The view a link asks for: ``/indicator/<code>?area=<code>&view=trend|spc&ci=on|off``.

The view lives in the URL, so a link reproduces it. Every control is an ordinary link to another view, and
Dash's page router rebuilds the page on the server.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import routes, urlstate
from data.areas import CAMBRIDGESHIRE, LOCAL_AREAS

VIEWS = ("trend", "spc")
CI_CHOICES = ("on", "off")
DEFAULT_AREA = CAMBRIDGESHIRE
KEEPS_FOCUS = "app-keeps-focus"
"""Links that change the view in place: after the page is rebuilt, the focus returns to the control with the
same id, where the reader was, rather than to the top of the page (``dashboard/assets/indicator.js``)."""


@dataclass(frozen=True)
class View:
    """One indicator for one area, as the trend or SPC chart, with or without confidence intervals."""

    code: str
    area: str
    view: str
    ci: bool
    ignored: tuple[tuple[str, str], ...] = ()
    """Settings in the link that the page does not recognise, as (name, value)."""

    def href(self, **changes: str) -> str:
        """The link to this view with ``changes`` (area, view, ci) applied."""
        values = {"area": self.area, "view": self.view, "ci": "on" if self.ci else "off"} | changes
        filters = {
            "area": values["area"],
            "view": None if values["view"] == "trend" else values["view"],
            "ci": None if values["ci"] == "on" else values["ci"],
        }
        return routes.indicator_href(self.code, filters)

    def as_data(self) -> dict:
        """The view as the page's store holds it, for the download callback."""
        return {"code": self.code, "area": self.area, "view": self.view, "ci": "on" if self.ci else "off"}


def read_view(code: str, query: dict, areas_with_data: list[str]) -> View:
    """The view from the query string: an unknown area, view or CI setting falls back to the default (and is
    listed in ``ignored``). The default area is Cambridgeshire, or the first local area with figures."""
    allowed = {"area": set(LOCAL_AREAS), "view": set(VIEWS), "ci": set(CI_CHOICES)}
    filters = urlstate.parse(query, allowed)
    default = DEFAULT_AREA if DEFAULT_AREA in areas_with_data or not areas_with_data else areas_with_data[0]
    return View(
        code=code,
        area=filters.get("area", default),
        view=filters.get("view", "trend"),
        ci=filters.get("ci", "on") == "on",
        ignored=filters.ignored,
    )
