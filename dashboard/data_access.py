"""What the pages read, and the only place they read it: cached calls to :mod:`data.queries`.

Each function asks :mod:`data.queries` (which holds all the SQL) on the engine of the app serving the
request, and caches the result (see :mod:`dashboard.cache`). Pages catch :class:`DataUnavailable` and tell
the reader the figures could not be loaded, rather than failing.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date as dt_date
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd
from flask import current_app, g, has_app_context
from sqlalchemy.exc import SQLAlchemyError

from dashboard.cache import cache, clear_all
from data import area_sets as saved_area_sets
from data import (
    catalogue_edits,
    contracts,
    imports,
    monitoring,
    monitoring_quality,
    process_changes,
    queries,
    series_summary,
    users,
)
from data.access import User
from data.areas import BENCHMARK_AREAS, LOCAL_AREAS
from data.catalogue import load_catalogue
from data.importers import formats, pipeline, preview
from data.scorecard_row import ScorecardRow, to_rows

if TYPE_CHECKING:
    import sqlalchemy as sa

EXTENSION = "hcp_dashboard"


class DataUnavailable(RuntimeError):
    """The store could not be read (not created yet, unreachable, or locked by another process)."""


def engine() -> sa.Engine:
    """The engine of the app serving this request (set by :func:`dashboard.create_app`)."""
    return current_app.extensions[EXTENSION]["engine"]


def _read(function, *args):
    try:
        return function(engine(), *args)
    except SQLAlchemyError as error:
        current_app.logger.exception("Reading the indicator store failed")
        raise DataUnavailable(str(error).splitlines()[0]) from error


def _once_per_request(function):
    """Within one request a read is made at most once, whatever the cache holds (even with the cache off):
    the scorecard page asks for the local series, the areas and the catalogue from several places."""

    @functools.wraps(function)
    def read(*args):
        if not has_app_context():
            return function(*args)
        made = g.setdefault("kpi_reads", {})
        key = (function.__qualname__, args)
        if key not in made:
            made[key] = function(*args)
        return made[key]

    return read


def _forget_request_reads() -> None:
    """After a write, the reads this request made are made again when next asked for."""
    if has_app_context():
        g.pop("kpi_reads", None)


@_once_per_request
@cache.memoize()
def areas() -> pd.DataFrame:
    """Areas in display order: code, name, type, parent_code, is_local."""
    frame = _read(queries.list_areas)
    if "type" not in frame.columns and "area_type" in frame.columns:
        frame = frame.assign(type=frame["area_type"])
    if "is_local" not in frame.columns:
        frame = frame.assign(is_local=False)
    return frame


@cache.memoize()
def frameworks() -> pd.DataFrame:
    return _read(queries.list_frameworks)


@cache.memoize()
def framework_nodes(framework_code: str) -> pd.DataFrame:
    return _read(queries.framework_nodes, framework_code)


@_once_per_request
@cache.memoize()
def catalogue() -> pd.DataFrame:
    return _read(queries.indicator_catalogue)


@cache.memoize()
def indicator_links() -> pd.DataFrame:
    """Which framework nodes each indicator serves: indicator_code, framework_code, node_code."""
    return _read(queries.indicator_nodes)


@cache.memoize()
def latest_values(area_code: str) -> pd.DataFrame:
    return _read(queries.latest_values, area_code)


@cache.memoize()
def summary() -> dict:
    """indicators, observations, areas (with data) and last_import (a datetime, or None)."""
    return _read(queries.data_summary)


def has_illustrative_indicators() -> bool:
    """Whether the catalogue holds any indicator whose figures are illustrative (True if it cannot tell,
    including outside a request, when Dash checks the layout at start-up)."""
    if not has_app_context():
        return True
    try:
        frame = catalogue()
    except DataUnavailable:
        return True
    return "illustrative" in frame.columns and bool(frame["illustrative"].fillna(False).astype(bool).any())


# --- Scorecard ---------------------------------------------------------------------------------------------


def _scorecard(area_code: str, as_at: str | None, indicator_codes: tuple[str, ...] | None) -> pd.DataFrame:
    """:func:`data.scorecard.scorecard`, built from the series the page reads for the area
    (:func:`page_series`, which holds the area, England and its region), or for one indicator of a home area
    from the series the indicator page reads of it (:data:`INDICATOR_SERIES_AREAS`), and the catalogue,
    areas and targets the page reads, so the page reads each of them once, not twice."""
    import datetime as dt

    from data.areas import home, region_of
    from data.scorecard import scorecard as build_scorecard

    day = dt.date.fromisoformat(as_at) if as_at else None
    if indicator_codes is None:
        series = page_series(area_code)
    elif (
        len(indicator_codes) == 1
        and area_code in home().areas
        and region_of(area_code) in (None, home().region)
    ):
        series = indicator_series(indicator_codes[0], INDICATOR_SERIES_AREAS)
    else:
        series = None
    return _read(
        lambda engine, area: build_scorecard(
            engine,
            area,
            as_at=day,
            indicator_codes=indicator_codes,
            series=series,
            catalogue=catalogue(),
            areas=areas(),
            targets=current_targets(),
        ),
        area_code,
    )


@cache.memoize()
def scorecard(area_code: str, as_at: str | None = None) -> pd.DataFrame:
    """:func:`data.scorecard.scorecard` for ``area_code`` as at ``as_at`` (an ISO date such as
    '2025-09-30', or None for the latest figures). Cached per area and date, so the changed-since view
    reuses the frames the scorecard has already built."""
    return _scorecard(area_code, as_at, None)


@cache.memoize()
def scorecard_rows(area_code: str, as_at: str | None = None) -> list[ScorecardRow]:
    """The scorecard for ``area_code`` as at ``as_at`` as typed records, one per catalogue indicator."""
    return to_rows(scorecard(area_code, as_at), area_code)


@cache.memoize()
def scorecard_row(area_code: str, indicator_code: str, as_at: str | None = None) -> ScorecardRow | None:
    """One indicator's scorecard record for ``area_code`` (None for an indicator not in the catalogue),
    worked out for that indicator alone: the same record as in the whole scorecard, for a page that shows
    one."""
    rows = to_rows(_scorecard(area_code, as_at, (indicator_code,)), area_code)
    return rows[0] if rows else None


@_once_per_request
@cache.memoize()
def local_series() -> pd.DataFrame:
    """Headline observations for the local areas, England and the East of England, oldest period first
    (for the pages that show every local area)."""
    from data.areas import ENGLAND, home

    codes = [*home().areas, ENGLAND, home().region]
    return _read(lambda engine: series_summary.headline_series(engine, area_codes=codes))


def series_areas(area_code: str) -> tuple[str, ...]:
    """The areas whose headline series a page about ``area_code`` reads: the area; the areas above it that
    hold local figures (each home area, the home region and England) or, for an area outside the home
    set, every area above it up to the first of those; England; and the area's own region."""
    from data.areas import ENGLAND, home, region_of

    settings = home()
    local = {*settings.areas, ENGLAND, settings.region}
    frame = areas()
    parents = {
        code: parent
        for code, parent in zip(frame["code"], frame["parent_code"], strict=False)
        if isinstance(parent, str) and parent
    }
    wanted, seen = [area_code], {area_code}
    outside = area_code not in local
    code = parents.get(area_code)
    while code and code not in seen:
        seen.add(code)
        if code in local or outside:
            wanted.append(code)
        outside = outside and code not in local
        code = parents.get(code)
    return tuple(dict.fromkeys([*wanted, ENGLAND, *filter(None, [region_of(area_code)])]))


@_once_per_request
@cache.memoize()
def page_series(area_code: str) -> pd.DataFrame:
    """Headline observations of :func:`series_areas` for ``area_code``, oldest period first: the area's
    scorecard, sparklines and latest date, and the nearest area above it with a figure."""
    codes = list(series_areas(area_code))
    return _read(lambda engine: series_summary.headline_series(engine, area_codes=codes))


HeldPeriods = series_summary.HeldPeriods


@_once_per_request
@cache.memoize()
def held_periods(area_codes: tuple[str, ...]) -> HeldPeriods:
    """The period ends the headline series of ``area_codes`` hold, read without their figures: the dates
    the pages offer (those of the home areas), and which indicators have figures loaded."""
    return _read(lambda engine: series_summary.held_periods(engine, area_codes))


# --- The indicator page --------------------------------------------------------------------------------


INDICATOR_SERIES_AREAS = (*LOCAL_AREAS, *BENCHMARK_AREAS)
"""The areas the indicator page reads an indicator's series for: the home areas, England and the home
region (the scorecard row of a home area is worked out from the same read)."""


@cache.memoize()
def indicator_series(indicator_code: str, area_codes: tuple[str, ...]) -> pd.DataFrame:
    """One indicator's headline series for ``area_codes``, oldest period first (see
    :func:`data.queries.headline_series`)."""
    return _read(
        lambda e: queries.headline_series(e, area_codes=list(area_codes), indicator_codes=[indicator_code])
    )


@cache.memoize()
def indicator_breakdowns(indicator_code: str, area_codes: tuple[str, ...]) -> pd.DataFrame:
    """One indicator's breakdowns (deprivation, sex, age) for ``area_codes``."""
    return _read(queries.breakdown_series, indicator_code, list(area_codes))


@cache.memoize()
def current_targets() -> pd.DataFrame:
    """The latest version of every target (see :func:`data.queries.current_targets`)."""
    return _read(queries.current_targets)


# --- The performance-linked payment page (dashboard/pages/payment.py) --------------------------------------
#
# Every payment read and write goes through here, on the engine of the app serving the request. A write
# checks who is making it (data.access.require, inside data.contracts), then forgets the cached reads.
# The types and words the page needs are re-exported, so that it never imports data.contracts itself.

# What the payment page needs of data.contracts, so that it never imports it.
AGREED, DRAFT, SEEDED_BY = contracts.AGREED, contracts.DRAFT, contracts.SEEDED_BY
SchemeKpi = contracts.SchemeKpi
StoredScheme = contracts.StoredScheme


@cache.memoize()
def payment_contracts() -> pd.DataFrame:
    """The Section 75 agreements (data.contracts.list_contracts): code, area_code, area_name, commissioner,
    provider, title, start_date, initial_term_end, latest_end, current_end, notes."""
    return _read(contracts.list_contracts)


@cache.memoize()
def payment_scheme_versions(contract: str) -> pd.DataFrame:
    """Every version of the agreement's schemes, without KPIs (data.contracts.list_schemes)."""
    return _read(contracts.list_schemes, contract)


@cache.memoize()
def payment_scheme(contract: str, year: str, version: int | None) -> tuple[StoredScheme | None, str | None]:
    """(the stored scheme version, None) or (None, the plain message saying there is none)."""
    try:
        return _read(contracts.get_scheme, contract, year, version), None
    except contracts.NoScheme as missing:
        return None, str(missing)


@cache.memoize()
def payment_actuals(contract: str, year: str, version: int) -> tuple[dict, dict]:
    """The provider's figures for a scheme version: (reported so far, for forecasting: periods not yet
    reported left off; the year's figures, annual KPIs pooled from the quarters so far), taken from the
    series the page reads for the KPIs' assurance (:func:`_scheme_series`)."""
    scheme, _ = payment_scheme(contract, year, version)
    if scheme is None:
        return {}, {}
    codes = tuple(sorted({kpi.indicator_code for kpi in scheme.kpis}))
    indicators = catalogue()
    multipliers = dict(zip(indicators["code"], indicators["multiplier"], strict=True))
    return contracts.scheme_actuals_in(scheme, _scheme_series(scheme.area_code, codes), multipliers)


@_once_per_request
@cache.memoize()
def _scheme_series(area_code: str, indicator_codes: tuple[str, ...]) -> pd.DataFrame:
    """The headline series of a scheme's indicators for its area, every period: read once for both the
    reported figures and the assurance."""
    return _read(
        lambda e: queries.headline_series(e, area_codes=[area_code], indicator_codes=list(indicator_codes))
    )


@cache.memoize()
def payment_series(area_code: str, indicator_codes: tuple[str, ...], year: str) -> pd.DataFrame:
    """Quarterly headline figures of the indicators for the area, for periods ending by the end of the
    financial year ``year`` ('2025/26'): the series each KPI's SPC assurance is worked out from."""
    up_to = pd.Timestamp(contracts.financial_year(year).end)
    frame = _scheme_series(area_code, indicator_codes)
    frame = frame[(frame["granularity"] == "quarter") & (pd.to_datetime(frame["period_end"]) <= up_to)]
    columns = ["indicator_code", "period_label", "period_start", "period_end", "value"]
    return frame[columns].reset_index(drop=True)


@cache.memoize()
def payment_history(contract: str, year: str) -> tuple[tuple[StoredScheme, ...], pd.DataFrame]:
    """(every version of the year's scheme, oldest first; the scheme's audit log, newest first)."""
    versions = _read(contracts.scheme_history, contract, year)
    audit = _read(contracts.audit_entries, contracts.scheme_key(contract, year))
    return versions, audit


def forget_payment_reads() -> None:
    """Drop the cached payment reads, after a scheme is changed."""
    for function in (
        payment_contracts,
        payment_scheme_versions,
        payment_scheme,
        payment_actuals,
        payment_history,
    ):
        cache.delete_memoized(function)


def _write(function, *args, _forget=None, **kwargs):
    """Make a change to the store, then forget the cached reads it affects (the payment reads, unless
    ``_forget`` says what else to forget). The store failing (read-only, unreachable or locked) raises
    :class:`DataUnavailable`; nothing is changed then, as the change and its audit entry are one
    transaction. A refusal (data.access.PermissionDenied) or an invalid change (ValueError, LookupError) is
    raised as it is, with the words to show."""
    try:
        result = function(engine(), *args, **kwargs)
    except SQLAlchemyError as error:
        current_app.logger.exception("Writing to the store failed")
        raise DataUnavailable(str(error).splitlines()[0]) from error
    (_forget or forget_payment_reads)()
    _forget_request_reads()
    return result


def save_scheme(
    user: User,
    contract: str,
    year: str,
    *,
    budget: Decimal,
    share: Decimal,
    kpis: Sequence[SchemeKpi],
    reason: str,
) -> StoredScheme:
    """Save a change to the agreement's scheme for ``year`` as ``user`` and return the version written
    (data.contracts.save_scheme_version: an agreed version is kept and a new draft added; a draft is changed
    in place). Only an administrator may; anyone else is refused and nothing is written."""
    return _write(
        contracts.save_scheme_version,
        user,
        contract,
        year,
        budget=budget,
        share=share,
        kpis=kpis,
        reason=reason,
    )


def agree_scheme(user: User, contract: str, year: str, reason: str) -> StoredScheme:
    """Agree the latest draft of the year's scheme as ``user`` (data.contracts.agree_scheme); from then on
    it is never edited. Only an administrator may; anyone else is refused and nothing is written."""
    return _write(contracts.agree_scheme, user, contract, year, reason)


# --- Contract monitoring: commentary, remedial actions, data quality (exceptions and quarter pages) --------
#
# Reads are cached per area and period; a write checks who is making it (data.access.require, inside
# data.monitoring) and then forgets the cached commentary and actions, so every page shows it at once.


COMMENTARY_KINDS = monitoring.KINDS
ACTION_STATUSES = monitoring.STATUSES
MonitoringError = monitoring.MonitoringError
Commentary = monitoring.Commentary
Action = monitoring.Action
QuarterQuality = monitoring_quality.QuarterQuality
LATE_AFTER_DAYS = monitoring_quality.LATE_AFTER_DAYS
MAX_MONITORING_TEXT = monitoring.MAX_TEXT


@cache.memoize()
def monitoring_commentary(area_code: str, period_labels: tuple[str, ...] | None = None) -> list[Commentary]:
    """The area's commentary (for ``period_labels`` only, when given), oldest first."""
    return _read(monitoring.commentary_for, area_code, period_labels)


def monitoring_actions(
    area_code: str, period_labels: tuple[str, ...] | None = None, today: str | None = None
) -> list[Action]:
    """The area's remedial actions with their history and status as at ``today`` (an ISO date; default
    today, so an action becomes overdue the day after it is due even while the reads are cached), by due
    date."""
    return _monitoring_actions(area_code, period_labels, today or dt_date.today().isoformat())


@cache.memoize()
def _monitoring_actions(area_code: str, period_labels: tuple[str, ...] | None, today: str) -> list[Action]:
    day = dt_date.fromisoformat(today)
    return _read(lambda e: monitoring.actions_for(e, area_code, period_labels, today=day))


@cache.memoize()
def provider_indicator_codes() -> list[str]:
    """The provider-return indicators, in catalogue order."""
    return _read(monitoring_quality.provider_indicator_codes)


@cache.memoize()
def quarter_quality(area_code: str, quarter: str) -> QuarterQuality:
    """The data quality of the area's provider return for ``quarter`` ('2025/26 Q2')."""
    return _read(monitoring_quality.quarter_quality, area_code, quarter)


def forget_monitoring_reads() -> None:
    """Drop the cached commentary and actions, after one is written."""
    for function in (monitoring_commentary, _monitoring_actions):
        cache.delete_memoized(function)


def _monitoring_write(function, *args, **kwargs):
    """Write through ``function`` then forget the cached commentary and actions (see :func:`_write`)."""
    try:
        result = function(engine(), *args, **kwargs)
    except SQLAlchemyError as error:
        current_app.logger.exception("Writing to the store failed")
        raise DataUnavailable(str(error).splitlines()[0]) from error
    forget_monitoring_reads()
    _forget_request_reads()
    return result


def add_commentary(
    user: User, *, indicator_code: str, area_code: str, period_label: str, kind: str, text: str
) -> Commentary:
    """Record commentary as ``user`` (data.monitoring.add_commentary): an officer or administrator only."""
    return _monitoring_write(
        monitoring.add_commentary,
        user,
        indicator_code=indicator_code,
        area_code=area_code,
        period_label=period_label,
        kind=kind,
        text=text,
    )


def add_action(
    user: User,
    *,
    indicator_code: str,
    area_code: str,
    period_label: str,
    what: str,
    owner: str,
    due_date: dt_date | None,
) -> str:
    """Record a remedial action as ``user`` (data.monitoring.add_action) and return its id."""
    return _monitoring_write(
        monitoring.add_action,
        user,
        indicator_code=indicator_code,
        area_code=area_code,
        period_label=period_label,
        what=what,
        owner=owner,
        due_date=due_date,
    )


def update_action(user: User, action_id: str, status: str, note: str) -> None:
    """Add an update (new status and note) to an action's history as ``user``."""
    _monitoring_write(monitoring.update_action, user, action_id, status, note)


# --- Loading data through the web: upload preview, import history, rollback, agreed quarters ---------------
#
# The upload page (dashboard/pages/upload.py) and the import history (dashboard/pages/imports.py) read and
# write through here. Each write checks who is making it (data.access.require, inside data.imports and
# data.importers.preview) and, after a load or a rollback, clears the whole cache, so every page shows the new
# figures at once. The history is read uncached: it is what an officer checks straight after a change.

ImportPreview = preview.ImportPreview
ImportResult = pipeline.ImportResult
ImportBatch = imports.Batch
Agreement = imports.Agreement
ImportRefused = imports.ImportRefused
FileProblem = formats.FileProblem


def _changing(function, *args, **kwargs):
    """Run a load or a rollback, then clear every cached result; store failures become DataUnavailable."""
    try:
        result = function(engine(), *args, **kwargs)
    except SQLAlchemyError as error:
        current_app.logger.exception("Writing to the store failed")
        raise DataUnavailable(str(error).splitlines()[0]) from error
    clear_all()
    _forget_request_reads()
    return result


def preview_upload(user: User, content: bytes, file_name: str) -> ImportPreview:
    """What loading the file would do, with nothing written (data.importers.preview.preview_bytes)."""
    return _read(lambda e: preview.preview_bytes(e, content, file_name, user))


def load_upload(user: User, content: bytes, file_name: str, expected_sha256: str) -> ImportResult:
    """Load the previewed file as ``user`` in one transaction, then clear the caches."""
    return _changing(imports.load_upload, content, file_name, user, expected_sha256=expected_sha256)


def roll_back_import(user: User, batch_id: str) -> tuple[int, int]:
    """Roll an import back as ``user`` (an administrator); return (rows removed, rows restored)."""
    return _changing(imports.roll_back_batch, batch_id, user)


def import_history() -> list[ImportBatch]:
    """Every import, most recent first, with its counts and any rollback."""
    return _read(imports.history)


def import_rejections(batch_id: str) -> list[tuple[int, str]]:
    """An import's rejected rows: (row number, reasons)."""
    return _read(imports.rejected_rows, batch_id)


def agree_period(user: User, contract_code: str, period_label: str) -> Agreement:
    """Record that a contract's quarter was agreed at a monitoring meeting, by ``user``."""
    return _changing(imports.agree_period, contract_code, period_label, user)


def agreed_periods(contract_code: str) -> list[Agreement]:
    """The contract's quarters agreed at monitoring meetings."""
    return _read(imports.agreed_periods, contract_code)


# --- Sign-in: users (never cached, so a disabled user is signed out at their next request) ----------------


def check_sign_in(name: str, password: str) -> User | None:
    """The user if ``name`` and ``password`` match an enabled user, else None (whichever was wrong)."""
    return _read(users.verify, name, password)


def signed_in_user(name: str) -> User | None:
    """The user a session names, if they still exist and are not disabled."""
    return _read(users.enabled_user, name)


def has_users() -> bool:
    """True once anyone can sign in; before that the sign-in page says how to add the first admin."""
    return _read(users.has_users)


def note_sign_in(name: str) -> None:
    """Record when ``name`` signed in; a store open for reading only just skips it."""
    try:
        users.record_sign_in(engine(), name)
    except SQLAlchemyError:
        current_app.logger.warning("Could not record the sign-in time of %s", name)


# --- Setting up a year's payment scheme on screen, and starting a year from an uplift (payment page) --------
#
# Both write through _write above (the cached payment reads are forgotten after the change), and both
# refuse a year that already has a scheme, in the same transaction as the write.


def set_up_scheme(
    user: User,
    contract: str,
    year: str,
    *,
    budget: Decimal,
    share: Decimal,
    kpis: Sequence[SchemeKpi],
    reason: str,
    illustrative: bool,
) -> StoredScheme:
    """Save version 1 of the agreement's scheme for ``year`` as a draft, as ``user``
    (data.contracts.save_scheme_version). A year that already has a scheme is refused, as is anyone but an
    administrator; nothing is written then."""
    return _write(
        contracts.save_scheme_version,
        user,
        contract,
        year,
        budget=budget,
        share=share,
        kpis=kpis,
        reason=reason,
        illustrative=illustrative,
        first_version_only=True,
    )


def start_year_from_uplift(
    user: User, contract: str, from_year: str, to_year: str, uplift: Decimal, reason: str
) -> StoredScheme:
    """Draft ``to_year``'s scheme from ``from_year``'s agreed one with its budget raised by ``uplift``
    (0.025 for 2.5%; data.contracts.new_year_from_uplift), as ``user``. A ``to_year`` that already has a
    scheme is refused, as is anyone but an administrator; nothing is written then."""
    return _write(
        contracts.new_year_from_uplift,
        user,
        contract,
        from_year,
        to_year,
        uplift,
        reason,
        first_version_only=True,
    )


# --- The data generation: every worker sees a change at once (see dashboard/cache.py) ----------------------


def data_generation() -> str:
    """The store's data generation (:func:`data.generation.data_generation`), read uncached: a stamp that
    moves whenever an import, a rollback, commentary, an action or a scheme change is written anywhere."""
    from data import generation

    try:
        return generation.data_generation(engine())
    except SQLAlchemyError as error:
        current_app.logger.warning("Could not read the data generation: %s", str(error).splitlines()[0])
        raise DataUnavailable(str(error).splitlines()[0]) from error


# --- Rolling an import back: what it would do, for the administrator to confirm --------------------------

RollbackPlan = imports.RollbackPlan


def rollback_plan(user: User, batch_id: str) -> RollbackPlan:
    """What rolling the import back would do (figures restored, new figures removed), with nothing written;
    only an administrator may ask (data.imports.rollback_plan)."""
    return _read(lambda e: imports.rollback_plan(e, batch_id, user))


# --- Several areas on one chart (the indicator page's trend chart and funnel plot) -------------------------


@cache.memoize()
def indicator_areas(indicator_code: str) -> pd.DataFrame:
    """The areas with at least one figure for ``indicator_code`` (code, name, area_type, parent_code,
    figures), by name: what a reader can add to the trend chart."""
    return _read(queries.areas_with_figures, indicator_code)


# --- Files to download: the one writer of every CSV and XLSX (data.exports), for the pages ----------------

from data.exports import OPEN_GOVERNMENT_LICENCE as OPEN_GOVERNMENT_LICENCE  # noqa: E402
from data.exports import csv_text as export_csv  # noqa: E402, F401
from data.exports import frame_csv as frame_csv  # noqa: E402
from data.exports import table_workbook as table_workbook  # noqa: E402

# --- Process changes for SPC (the indicator page's SPC view) ------------------------------------------------
#
# An officer records a change to how a service works; the SPC limits are worked out afresh from it, on the
# indicator page and the scorecard alike. A write checks who is making it (data.access.require, inside
# data.process_changes) and then clears the whole cache, as every scorecard judgement may change with it.

ProcessChange = process_changes.ProcessChange
ProcessChangeError = process_changes.ProcessChangeError
MAX_PROCESS_CHANGE_REASON = process_changes.MAX_REASON


@cache.memoize()
def process_changes_for(
    indicator_code: str, area_code: str, include_withdrawn: bool = False
) -> list[ProcessChange]:
    """The process changes that apply to the indicator in ``area_code`` (its own and every area's), by date;
    withdrawn ones too when ``include_withdrawn``."""
    return _read(
        lambda e: process_changes.changes_for(
            e, indicator_code, area_code, include_withdrawn=include_withdrawn
        )
    )


@functools.cache
def rare_event_indicators() -> frozenset[str]:
    """The indicators the catalogue files flag as counts of rare events (``rare_events: true``), which the
    indicator page offers a chart of the time between events for."""
    return frozenset(ind.code for ind in load_catalogue().indicators if ind.rare_events)


@cache.memoize()
def process_change_dates(area_code: str) -> pd.DataFrame:
    """Every process change in force for ``area_code`` (indicator_code, change_date), as the scorecard
    reads them: the payment page judges each KPI's SPC on its current phase from these."""
    return _read(process_changes.change_dates, area_code)


def _process_change_write(function, *args, **kwargs):
    """Write through ``function``, then forget every cached read (see :func:`_write`)."""
    return _write(function, *args, _forget=clear_all, **kwargs)


def record_process_change(
    user: User,
    *,
    indicator_code: str,
    area_code: str | None,
    change_date: dt_date | None,
    reason: str | None,
) -> ProcessChange:
    """Record a process change as ``user`` (data.process_changes.record): an officer or administrator only;
    ``area_code`` None for every area."""
    return _process_change_write(
        process_changes.record,
        user,
        indicator_code=indicator_code,
        area_code=area_code,
        change_date=change_date,
        reason=reason,
    )


def withdraw_process_change(user: User, change_id: str) -> ProcessChange:
    """Withdraw a process change as ``user`` (kept in the history, no longer splitting the limits)."""
    return _process_change_write(process_changes.withdraw, user, change_id)


# --- Indicators not in a framework, and mapping them into one (data.catalogue_edits) ------------------------


@cache.memoize()
def not_in_a_framework() -> pd.DataFrame:
    """Indicators no framework node serves: code, name, short_name, unit, polarity, fingertips_id, source."""
    return _read(catalogue_edits.not_in_a_framework)


@cache.memoize()
def catalogue_history(indicator_code: str) -> list[catalogue_edits.Version]:
    """Every version of an indicator's catalogue entry, oldest first."""
    return _read(catalogue_edits.history, indicator_code)


def catalogue_entry(indicator_code: str) -> catalogue_edits.Entry:
    """The indicator's entry as it stands (not cached: the edit form starts from it)."""
    return _read(catalogue_edits.entry_of, indicator_code)


def edit_catalogue(user: User, indicator_code: str, **changes) -> catalogue_edits.Version:
    """Map an indicator into a framework or edit its entry as ``user`` (data.catalogue_edits.edit): an
    administrator only; then forget every cached read, as every page lists indicators."""
    return _write(catalogue_edits.edit, user, indicator_code, _forget=clear_all, **changes)


# --- Saved sets of areas to compare with (data.area_sets) ---------------------------------------------------


@cache.memoize()
def area_sets() -> dict[str, tuple[str, ...]]:
    """Every saved set of areas by name."""
    return _read(saved_area_sets.saved_sets)


def save_area_set(user: User, name: str, area_codes: list[str]) -> tuple[str, ...]:
    """Save a named set of areas as ``user`` (anyone signed in), then forget every cached read."""
    return _write(saved_area_sets.save, user, name, area_codes, _forget=clear_all)
