"""The view a link asks for:
``/indicator/<code>?area=<code>&view=trend|spc&ci=on|off&with=<codes>&baseline=<n>``.

The view lives in the URL, so a link reproduces it. Every control is an ordinary link to another view, and
Dash's page router rebuilds the page on the server.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from dashboard import routes, urlstate
from data.areas import home

VIEWS = ("trend", "spc")
CI_CHOICES = ("on", "off")
COMPARE_CHOICES = ("local", "region", "type")
SET_PREFIX = "set:"
"""The areas the compare view and the funnel plot show (``compare``): the home areas, every authority of the
area's tier in its own region, or every authority of its tier in England; or a saved set, ``set:<name>``."""
KEEPS_FOCUS = "app-keeps-focus"
"""Links that change the view in place: after the page is rebuilt, the focus returns to the control with the
same id, where the reader was, rather than to the top of the page (``dashboard/assets/indicator.js``)."""
BASELINE_RANGE = range(2, 1001)
"""``baseline=N`` (SPC view): the process limits of each phase fixed on its first N figures
(:func:`metrics.spc.xmr`'s ``baseline``); from 2, as the method needs two figures for a moving range."""
WITH_NONE = "none"
"""``with=none``: the trend chart shows the area alone (no ``with`` at all shows the default lines)."""


@dataclass(frozen=True)
class View:
    """One indicator for one area, as the trend or SPC chart, with or without confidence intervals."""

    code: str
    area: str
    view: str
    ci: bool
    ignored: tuple[tuple[str, str], ...] = ()
    """Settings in the link that the page does not recognise, as (name, value)."""
    with_areas: tuple[str, ...] | None = None
    """The other areas the reader chose for the trend chart, in the link's order (``with``); None when the
    link chooses none, so the chart shows its default lines (England and the region)."""
    baseline: int | None = None
    """On the SPC chart, the number of figures at the start of each phase that the limits are fixed on
    (``baseline``); None: every figure of the phase, as the scorecard judges."""
    compare: str = "local"
    """Which areas the compare view and funnel plot show (:data:`COMPARE_CHOICES`)."""

    def href(self, **changes: str) -> str:
        """The link to this view with ``changes`` (area, view, ci, ``with`` as comma-separated codes, and
        ``baseline``, "" for none) applied. The baseline belongs to the SPC view and is left out of others."""
        values = {"area": self.area, "view": self.view, "ci": "on" if self.ci else "off"}
        values["with"] = with_value(self.with_areas)
        values["baseline"] = str(self.baseline) if self.baseline else ""
        values["compare"] = self.compare
        values |= changes
        filters = {
            "area": values["area"],
            "view": None if values["view"] == "trend" else values["view"],
            "ci": None if values["ci"] == "on" else values["ci"],
            "with": values["with"] or None,
            "baseline": (values["baseline"] or None) if values["view"] == "spc" else None,
            "compare": None if values["compare"] == "local" else values["compare"],
        }
        return routes.indicator_href(self.code, filters)

    def as_data(self) -> dict:
        """The view as the page's store holds it, for the download callback."""
        data = {"code": self.code, "area": self.area, "view": self.view, "ci": "on" if self.ci else "off"}
        if self.with_areas is not None:
            data["with"] = with_value(self.with_areas)
        if self.baseline is not None:
            data["baseline"] = str(self.baseline)
        if self.compare != "local":
            data["compare"] = self.compare
        return data


def with_value(codes: tuple[str, ...] | None) -> str:
    """``with`` as the link writes it: codes joined by commas, "none" for the area alone, "" for default."""
    if codes is None:
        return ""
    return ",".join(codes) or WITH_NONE


def _values(raw: str | Iterable[str] | None) -> list[str]:
    """A setting's values, whether it came once, repeated (a form's checkboxes) or comma-separated."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


def read_with(
    raw: str | Iterable[str] | None, area: str, known: Collection[str]
) -> tuple[tuple[str, ...] | None, tuple[tuple[str, str], ...]]:
    """The areas ``with`` names (known area codes, each once, not the area itself) and the codes it names
    that no area has, to report as ignored. No ``with`` gives None (the default lines); "none" alone, the
    area alone."""
    values = _values(raw)
    if not values:
        return None, ()
    chosen: list[str] = []
    ignored: list[tuple[str, str]] = []
    for code in values:
        if code == WITH_NONE:
            continue
        if code not in known:
            ignored.append(("with", code))
        elif code != area and code not in chosen:
            chosen.append(code)
    if not chosen and WITH_NONE not in values:
        return None, tuple(ignored)
    return tuple(chosen), tuple(ignored)


def read_baseline(raw: str | Iterable[str] | None) -> tuple[int | None, tuple[tuple[str, str], ...]]:
    """The ``baseline`` a link asks for (a whole number in :data:`BASELINE_RANGE`), or None and the value
    to report as ignored."""
    values = _values(raw)
    if not values:
        return None, ()
    first = values[0]
    if first.isdigit() and int(first) in BASELINE_RANGE:
        return int(first), tuple(("baseline", v) for v in values[1:])
    return None, tuple(("baseline", v) for v in values)


def read_view(
    code: str,
    query: dict,
    areas_with_data: list[str],
    known_areas: Collection[str] = (),
    saved_sets: Collection[str] = (),
) -> View:
    """The view from the query string: an area not in ``known_areas`` (any English area in the store; the
    home areas when none are given), an unknown view or CI setting falls back to the default (and is listed
    in ``ignored``), as does a ``with`` code that is not in ``known_areas``. The default area is the home
    setting's (Cambridgeshire), or the first home area with figures.

    The trend chart's form sends ``ci`` twice when its box is ticked ("on", then a hidden "off" that stands
    for an unticked box), so only the first ``ci`` counts. ``compare`` may also name a saved set of areas
    (``set:<name>``, one of ``saved_sets``)."""
    query = dict(query)
    raw_with = query.pop("with", None)
    baseline, ignored_baseline = read_baseline(query.pop("baseline", None))
    if isinstance(query.get("ci"), list | tuple) and query["ci"]:
        query["ci"] = query["ci"][0]
    areas = set(known_areas) | set(home().areas)
    allowed = {
        "area": areas,
        "view": set(VIEWS),
        "ci": set(CI_CHOICES),
        "compare": {*COMPARE_CHOICES, *(f"{SET_PREFIX}{name}" for name in saved_sets)},
    }
    filters = urlstate.parse(query, allowed)
    default_area = home().default_area
    default = default_area if default_area in areas_with_data or not areas_with_data else areas_with_data[0]
    area = filters.get("area", default)
    with_areas, ignored_with = read_with(raw_with, area, known_areas)
    return View(
        code=code,
        area=area,
        view=filters.get("view", "trend"),
        ci=filters.get("ci", "on") == "on",
        ignored=filters.ignored + ignored_with + ignored_baseline,
        with_areas=with_areas,
        baseline=baseline,
        compare=filters.get("compare", "local"),
    )
