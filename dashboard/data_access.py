"""What the pages read, and the only place they read it: cached calls to :mod:`data.queries`.

Each function asks :mod:`data.queries` (which holds all the SQL) on the engine of the app serving the
request, and caches the result (see :mod:`dashboard.cache`). Pages catch :class:`DataUnavailable` and tell
the reader the figures could not be loaded, rather than failing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd
from flask import current_app, has_app_context
from sqlalchemy.exc import SQLAlchemyError

from dashboard.cache import cache
from data import contracts, queries
from data.access import User
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


@cache.memoize()
def scorecard(area_code: str, as_at: str | None = None) -> pd.DataFrame:
    """:func:`data.scorecard.scorecard` for ``area_code`` as at ``as_at`` (an ISO date such as
    '2025-09-30', or None for the latest figures). Cached per area and date, so the changed-since view
    reuses the frames the scorecard has already built."""
    import datetime as dt

    from data.scorecard import scorecard as build_scorecard

    day = dt.date.fromisoformat(as_at) if as_at else None
    return _read(lambda engine, area: build_scorecard(engine, area, as_at=day), area_code)


@cache.memoize()
def scorecard_rows(area_code: str, as_at: str | None = None) -> list[ScorecardRow]:
    """The scorecard for ``area_code`` as at ``as_at`` as typed records, one per catalogue indicator."""
    return to_rows(scorecard(area_code, as_at), area_code)


def scorecard_row(area_code: str, indicator_code: str, as_at: str | None = None) -> ScorecardRow | None:
    """One indicator's scorecard record for ``area_code`` (None for an indicator not in the catalogue)."""
    return next(
        (row for row in scorecard_rows(area_code, as_at) if row.indicator_code == indicator_code), None
    )


@cache.memoize()
def local_series() -> pd.DataFrame:
    """Headline observations for the local areas, England and the East of England, oldest period first
    (for sparklines, the periods a reader can choose, and the nearest area with data)."""
    from data.areas import BENCHMARK_AREAS, LOCAL_AREAS

    return _read(lambda engine: queries.headline_series(engine, area_codes=[*LOCAL_AREAS, *BENCHMARK_AREAS]))


# --- The indicator page --------------------------------------------------------------------------------


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
    reported left off; the year's figures, annual KPIs pooled from the quarters so far)."""
    scheme, _ = payment_scheme(contract, year, version)
    if scheme is None:
        return {}, {}
    return _read(contracts.actuals_to_date, scheme), _read(contracts.actuals_for_scheme, scheme)


@cache.memoize()
def payment_series(area_code: str, indicator_codes: tuple[str, ...], year: str) -> pd.DataFrame:
    """Quarterly headline figures of the indicators for the area, for periods ending by the end of the
    financial year ``year`` ('2025/26'): the series each KPI's SPC assurance is worked out from."""
    up_to = pd.Timestamp(contracts.financial_year(year).end)
    frame = _read(
        lambda e: queries.headline_series(e, area_codes=[area_code], indicator_codes=list(indicator_codes))
    )
    frame = frame[(frame["granularity"] == "quarter") & (pd.to_datetime(frame["period_end"]) <= up_to)]
    return frame[["indicator_code", "period_label", "period_end", "value"]].reset_index(drop=True)


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


def _write(function, *args, **kwargs):
    """Make a change to the store, then forget the cached payment reads. The store failing (read-only,
    unreachable or locked) raises :class:`DataUnavailable`; nothing is changed then, as the change and its
    audit entry are one transaction. A refusal (data.access.PermissionDenied) or an invalid change
    (ValueError, LookupError) is raised as it is, with the words to show."""
    try:
        result = function(engine(), *args, **kwargs)
    except SQLAlchemyError as error:
        current_app.logger.exception("Writing to the store failed")
        raise DataUnavailable(str(error).splitlines()[0]) from error
    forget_payment_reads()
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


# --- Sign-in: users (never cached, so a disabled user is signed out at their next request) ----------------


def _users():
    from data import users

    return users


def check_sign_in(name: str, password: str) -> User | None:
    """The user if ``name`` and ``password`` match an enabled user, else None (whichever was wrong)."""
    return _read(_users().verify, name, password)


def signed_in_user(name: str) -> User | None:
    """The user a session names, if they still exist and are not disabled."""
    return _read(_users().enabled_user, name)


def has_users() -> bool:
    """True once anyone can sign in; before that the sign-in page says how to add the first admin."""
    return _read(_users().has_users)


def note_sign_in(name: str) -> None:
    """Record when ``name`` signed in; a store open for reading only just skips it."""
    try:
        _users().record_sign_in(engine(), name)
    except SQLAlchemyError:
        current_app.logger.warning("Could not record the sign-in time of %s", name)
