"""The payment page's test store, app and helpers, shared by its page tests and its scheme-change tests: an
in-memory store with the bundled illustrative provider returns, Cambridgeshire's 2025/26 scheme, and ways to
render the page and call its callbacks as Dash would."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from plotly.utils import PlotlyJSONEncoder

from dashboard import payment_callbacks
from dashboard.components.payment import whatif
from data import schema
from data.contracts import actuals_to_date, get_scheme
from data.db import make_engine
from data.seed import seed
from tests.dashboard.pages import find, render

RETURNS = (
    Path(__file__).resolve().parents[3]
    / "data"
    / "bundled"
    / "illustrative"
    / "provider_quarterly_returns.csv"
)
CCC, PCC, YEAR = "ccc-hcp-s75", "pcc-hcp-s75", "2025/26"
C2_INDICATOR = "hv-new-birth-visit-14d"
CONTEXT = {"contract": CCC, "year": YEAR, "version": 1, "palette": "standard"}
WRITTEN = (schema.payment_schemes, schema.scheme_kpis, schema.audit_log)


def payment_store() -> sa.Engine:
    engine = make_engine("duckdb:///:memory:")
    seed(engine, files=[RETURNS])
    return engine


def callbacks():
    return payment_callbacks


def render_payment(app, **query):
    return render(app, "/payment", **query)


def find_id(component, wanted):
    """The first component whose id is ``wanted`` (depth first), or None."""
    return next(iter(find(component, lambda c: getattr(c, "id", None) == wanted)), None)


def text_of(component) -> str:
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(text_of(c) for c in component)
    return text_of(getattr(component, "children", None))


def as_json(component) -> str:
    return json.dumps(component, cls=PlotlyJSONEncoder, ensure_ascii=False)


def row_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() for t in WRITTEN}


def reported_inputs(engine) -> dict:
    scheme = get_scheme(engine, CCC, YEAR)
    return whatif.default_inputs(scheme, actuals_to_date(engine, scheme))


def what_if(app, engine, change=None, weights=None):
    payment = callbacks()
    initial = reported_inputs(engine)
    values = [list(row) for row in initial["values"]]
    if change:
        change(values)
    with app.server.test_request_context("/payment"):
        return payment.what_if_outputs(CONTEXT, initial, values, weights or initial["weights"])
