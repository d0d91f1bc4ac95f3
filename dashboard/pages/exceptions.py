"""Exceptions: every indicator that needs an explanation at the contract monitoring meeting.

``/exceptions?area=E10000003&as_at=2025-09-30`` lists, for one area as at one date (default: the latest
figures), every indicator that is off target, significantly worse than England or showing special-cause
concern (:mod:`dashboard.components.monitoring.flagged`), each with its status tags, the reasons, the note
that came in the provider's return, and the commentary and remedial actions recorded for the figure's
period, or "No commentary recorded." / "No action recorded.". Below them is the data quality of the latest
quarter's provider return.

Officers (and administrators) see a form to add commentary and one to record an action on each exception,
and one to update each open action; viewers see none. Hiding them is a courtesy: the callbacks
(:mod:`dashboard.monitoring_callbacks`) pass the signed-in user to the store, which refuses anyone else and
writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import dash
from dash import html

from dashboard import auth, data_access, formatting, monitoring_callbacks, routes, table_downloads, urlstate
from dashboard.components.attributes import extra
from dashboard.components.govuk import select
from dashboard.components.monitoring import downloads, forms, records
from dashboard.components.monitoring.flagged import Flagged, flagged, status_tags
from dashboard.components.monitoring.quality import quality_section
from dashboard.components.notices import (
    ignored_settings,
    illustrative_banner,
    page_or_unavailable,
)
from dashboard.components.scorecard_filters import DEFAULT_AREA, Choices, choices, latest_date
from dashboard.components.scorecard_table import value_text
from data import access
from data.access import ROLE_NAMES

TITLE = routes.TITLES[routes.EXCEPTIONS]

dash.register_page(
    __name__,
    path=routes.EXCEPTIONS,
    name=TITLE,
    title=routes.page_title(TITLE),
    description="Indicators off target, significantly worse than England or showing special-cause concern, "
    "with their commentary and remedial actions, and the data quality of the provider's return.",
    order=3,
)
monitoring_callbacks.register()


def layout(**query: str) -> html.Div:
    return page_or_unavailable(
        lambda: _page(query, choices()),
        title=TITLE,
        cannot="show the exceptions",
        id="exceptions-data-unavailable",
        class_name="app-page app-page--monitoring app-page--exceptions",
    )


def _selector(area: str, as_at: str | None, options: Choices) -> html.Form:
    """Choose the area and the date: an ordinary form, so the choice lands in the link."""
    dates = [("", "Latest figures"), *options.dates]
    return html.Form(
        [
            _choose("area", "Area", options.areas, area),
            _choose("as_at", "Figures as at", dates, as_at or ""),
            html.Button("Show exceptions", type="submit", className="app-button"),
        ],
        method="get",
        action=routes.href(routes.EXCEPTIONS),
        className="app-monitor__selector",
        id="exceptions-selector",
    )


def who_line(user: access.User, can_write: bool) -> html.P:
    """Who is using the page and what they can do on it."""
    role = ROLE_NAMES.get(next(iter(sorted(user.roles)), "viewer"), "a viewer")
    can = (
        "you can add commentary and record and update remedial actions."
        if can_write
        else "you can read the commentary and actions; only an officer or an administrator can add them."
    )
    return html.P(
        f"You are using the dashboard as {user.name}, {role}: {can}",
        className="app-body",
        id="exceptions-who",
    )


def exception_section(
    item: Flagged, index: int, *, can_write: bool, palette: str, area_filters: dict
) -> html.Section:
    """One exception: what and why, the provider's note, its commentary and actions, and (for an officer)
    the forms."""
    row = item.row
    period = row.period_label or ""
    heading_id = f"exception-{index}-heading"
    children: list = [
        html.H2(
            html.A(row.short_name, href=routes.indicator_href(row.indicator_code, area_filters)),
            className="app-heading-m",
            id=heading_id,
        ),
        html.P(
            [html.Strong(value_text(row)), *([" (illustrative)"] if row.illustrative else [])],
            className="app-body",
        ),
        *status_tags(row, palette),
        html.Ul([html.Li(words) for _, words in item.reasons], className="app-list app-list--bullet"),
        *records.provider_note(row.value_note),
        html.Div(
            records.record(row.indicator_code, row.area_code, period, can_manage=can_write),
            id=forms.key(forms.RECORD, row.indicator_code, row.area_code, period),
        ),
    ]
    if can_write:
        children.append(
            html.Div(
                [
                    forms.commentary_form(row.indicator_code, row.area_code, period),
                    forms.action_form(row.indicator_code, row.area_code, period),
                ],
                className="app-monitor__forms app-no-print",
            )
        )
    return html.Section(
        children,
        className="app-monitor__exception",
        id=f"exception-{row.indicator_code}",
        **extra({"aria-labelledby": heading_id}),
    )


def _latest_quarter(rows) -> str | None:
    """The latest quarter of the provider's figures among the scorecard rows."""
    quarters = [r for r in rows if r.granularity == "quarter" and r.period_end is not None]
    return max(quarters, key=lambda r: r.period_end).period_label if quarters else None


def _read(query: Mapping[str, str], options: Choices) -> tuple[urlstate.Filters, str, str | None]:
    """The link's filters, the area and the date (None: each indicator's latest figures)."""
    filters = urlstate.parse(query, {"area": options.allowed["area"], "as_at": options.allowed["as_at"]})
    return filters, filters.get("area", DEFAULT_AREA), filters.get("as_at")


def download_file(query: Mapping[str, str]) -> table_downloads.TableFile:
    """The exceptions the page lists for the area and date in ``query``, one row each."""
    options = choices()
    _, area, as_at = _read(query, options)
    area_name = options.names.get(area, area)
    day = dt.date.fromisoformat(as_at) if as_at else latest_date(data_access.local_series(), area)
    about = {
        "Title": f"Exceptions for {area_name}: indicators off target, significantly worse than England or "
        "showing special-cause concern",
        "Area": area_name,
        "Period": f"Each indicator's latest period to {formatting.date(day)} (column Period)"
        if day
        else "No figures yet",
        "Unit": "As given for each indicator (column Unit)",
        "Source": downloads.SOURCE,
        "Licence": downloads.LICENCE,
    }
    frame = downloads.exceptions_frame(flagged(data_access.scorecard_rows(area, as_at)))
    return table_downloads.TableFile(frame, about, f"exceptions-{area}")


table_downloads.register_table("exceptions", download_file)


def _page(query: dict, options: Choices) -> list:
    filters, area, as_at = _read(query, options)
    area_name = options.names.get(area, area)
    rows = data_access.scorecard_rows(area, as_at)
    found = flagged(rows)
    user = auth.current_user()
    can_write = access.can(user, access.WRITE_COMMENTARY)
    day = dt.date.fromisoformat(as_at) if as_at else latest_date(data_access.local_series(), area)
    as_at_text = f"figures to {formatting.date(day)}" if day else "no figures yet"
    children: list = [
        html.H1(f"Exceptions for {area_name}", className="app-heading-xl", id="exceptions-heading"),
        html.P(
            "Indicators off target, significantly worse than England or showing special-cause concern, "
            f"{as_at_text}: {formatting.plural(len(found), 'exception')}.",
            className="app-body-l",
            id="exceptions-lead",
        ),
    ]
    if filters.ignored:
        children.append(
            ignored_settings(
                filters.ignored,
                page="exceptions",
                outcome="so it shows the usual choices instead",
                id="exceptions-ignored",
            )
        )
    if any(item.row.illustrative for item in found):
        children.append(
            illustrative_banner(
                "Exceptions marked \u201cillustrative\u201d are provider KPIs with made-up figures "
                "and targets.",
                id="exceptions-illustrative-banner",
            )
        )
    children += [_selector(area, as_at, options), who_line(user, can_write)]
    if found:
        children.append(
            table_downloads.download_links(
                "exceptions",
                {"area": area, "as_at": as_at},
                f"the {formatting.plural(len(found), 'exception')}",
                "exceptions-downloads",
            )
        )
    if not found:
        children.append(
            html.P(
                f"No indicator for {area_name} is an exception.", className="app-body", id="exceptions-none"
            )
        )
    area_filters = {"area": area}
    children += [
        exception_section(item, i, can_write=can_write, palette="standard", area_filters=area_filters)
        for i, item in enumerate(found)
    ]
    quarter = _latest_quarter(rows)
    if quarter:
        catalogue = data_access.catalogue()
        names = dict(zip(catalogue["code"], catalogue["short_name"], strict=False))
        children.append(
            quality_section(data_access.quarter_quality(area, quarter), names, id="exceptions-quality")
        )
    return children


def _choose(name: str, label: str, options: list[tuple[str, str]], selected: str) -> html.Div:
    """The page's labelled drop-down for ``name``."""
    return select(f"exceptions-choose-{name}", name, label, options, selected)
