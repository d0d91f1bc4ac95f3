"""The "Build the committee pack" button: for signed-in users, built in the background, progress shown.

:func:`pack_panel` is the section a page adds (the quarter view does, for its area and quarter end). A click
starts the build in a background thread (:mod:`dashboard.pack.jobs`) and turns on a one-second poll, so
the page stays usable; a status line says what the build is doing, then offers the PDF and the slides as
links to a route that checks, on the server, that the person downloading is the signed-in person who asked.
Someone not signed in sees a sentence saying to sign in, and a forged click from them is refused.
"""

from __future__ import annotations

import datetime as dt
import time

import dash
from dash import Input, Output, State, dcc, html
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import auth, formatting
from dashboard.components.attributes import extra
from dashboard.pack import jobs

BUTTON, REQUEST, JOB, POLL, PROGRESS = "pack-build", "pack-request", "pack-job", "pack-poll", "pack-progress"
POLL_MS = 1000


def pack_panel(area: str, area_name: str, as_at: str | None, framework: str = "cyp-outcomes") -> html.Section:
    """The committee pack section for ``area`` with the figures to ``as_at`` (an ISO date, or None for the
    latest figures)."""
    signed_in = auth.current_user().signed_in
    when = (
        f"the figures to {formatting.date(dt.date.fromisoformat(as_at))}" if as_at else "the latest figures"
    )
    return html.Section(
        [
            html.H2("Committee pack", className="app-heading-l", id="pack-heading"),
            html.P(
                f"The pack for {area_name} with {when}: an A4 PDF (summary, scorecard, one page per "
                "exception, what has changed, the payment position, definitions and sources) and the same "
                "as slides, from the same figures as the dashboard. It takes about a minute; you can go on "
                "using the page meanwhile.",
                className="app-body",
            ),
            html.P(
                "Sign in to build the committee pack.",
                className="app-body",
                id="pack-sign-in",
                hidden=signed_in,
            ),
            html.Button(
                "Build the committee pack",
                id=BUTTON,
                className="app-button",
                type="button",
                hidden=not signed_in,
            ),
            dcc.Store(id=REQUEST, data={"area": area, "as_at": as_at, "framework": framework}),
            dcc.Store(id=JOB),
            dcc.Interval(id=POLL, interval=POLL_MS, disabled=True),
            html.Div(id=PROGRESS, role="status", className="app-body", **extra({"aria-live": "polite"})),
        ],
        className="app-monitor__section app-no-print",
        id="pack-section",
        **extra({"aria-labelledby": "pack-heading"}),
    )


def _message(text: str, kind: str = "progress") -> html.P:
    return html.P(text, className=f"app-body app-pack__{kind}", id="pack-message")


def start_build(clicks: int | None, request: dict | None) -> tuple:
    """Start the build for a signed-in user (job id, poll on, first message, button off), or say why not."""
    from dashboard.components.scorecard_filters import choices
    from dashboard.pack.build import Request

    if not isinstance(clicks, int) or clicks < 1:
        raise PreventUpdate
    user = auth.current_user()
    if not user.signed_in:
        return None, True, _message("Sign in to build the committee pack.", "error"), False
    request = request if isinstance(request, dict) else {}
    allowed = choices().allowed
    area, as_at, framework = request.get("area"), request.get("as_at"), request.get("framework")
    if (
        area not in allowed["area"]
        or framework not in allowed["framework"]
        or (as_at is not None and (not isinstance(as_at, str) or as_at not in allowed["as_at"]))
    ):
        return None, True, _message("The pack could not be built for this page's choices.", "error"), False
    job = jobs.start(Request((str(area),), str(framework), as_at), user.name)
    return job, False, _message("Building the committee pack: starting…"), True


def poll(_ticks: int | None, job: object) -> tuple:
    """The build's progress; when it is done, the links to the files (and the poll off, the button on)."""
    found = jobs.state(job)
    user = auth.current_user()
    if found is None or not user.signed_in or user.name != found.user:
        return _message("The pack is no longer available: build it again.", "error"), True, False
    if found.status == jobs.RUNNING:
        elapsed = int(time.time() - found.started)
        return (
            _message(f"Building the committee pack: {found.message}… ({elapsed} seconds so far)"),
            False,
            True,
        )
    if found.status == jobs.FAILED:
        return _message(f"The pack could not be built. {found.message}", "error"), True, False
    links: list[str | Component] = [
        html.A(
            f"Download the PDF ({found.pages} pages)",
            href=dash.get_relative_path(f"/pack/{job}/{jobs.FILES['pdf']}"),
            className="app-link",
            id="pack-pdf-link",
        ),
        " · ",
        html.A(
            f"Download the slides ({found.slides} slides)",
            href=dash.get_relative_path(f"/pack/{job}/{jobs.FILES['pptx']}"),
            className="app-link",
            id="pack-pptx-link",
        ),
    ]
    seconds = formatting.plural(round(found.seconds or 0), "second")
    return (
        html.Div([_message(f"The committee pack is ready, built in {seconds}.", "done"), html.P(links)]),
        True,
        False,
    )


def register() -> None:
    """Register the button's callbacks with Dash (once, when the page that shows it is imported)."""
    dash.callback(
        Output(JOB, "data"),
        Output(POLL, "disabled"),
        Output(PROGRESS, "children"),
        Output(BUTTON, "disabled"),
        Input(BUTTON, "n_clicks"),
        State(REQUEST, "data"),
        prevent_initial_call=True,
    )(start_build)
    dash.callback(
        Output(PROGRESS, "children", allow_duplicate=True),
        Output(POLL, "disabled", allow_duplicate=True),
        Output(BUTTON, "disabled", allow_duplicate=True),
        Input(POLL, "n_intervals"),
        State(JOB, "data"),
        prevent_initial_call=True,
    )(poll)
