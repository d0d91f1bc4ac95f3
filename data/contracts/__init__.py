"""The Section 75 agreements and their performance-linked payment schemes: seeding, queries, audited changes.

Cambridgeshire County Council's Children and Young People Committee (8 October 2024, recommendation c and
paragraph 4.8) agreed that 3% of the 2025/26 Healthy Child Programme budget is paid to the provider only as
far as the Annual Development Plan's targets are achieved. This package stores each year's scheme (budget,
share at risk, weighted KPIs) so that :mod:`metrics.payment` can price it, and reads the provider's reported
figures for its KPIs.

* :mod:`~data.contracts.records`: the records (:class:`StoredScheme`, :class:`SchemeKpi`, :class:`Extension`),
  the words for their states and the checks every write makes;
* :mod:`~data.contracts.agreements`: the agreements and the decisions on their extension options;
* :mod:`~data.contracts.schemes`: reading a scheme's versions, and saving, agreeing and uplifting them;
* :mod:`~data.contracts.actuals`: the provider's reported figures for a scheme;
* :mod:`~data.contracts.audit`: the audit log and the plain-English line for each change;
* :mod:`~data.contracts.seeding`: loading what ships in ``catalogue/contracts.yaml``.

Every write takes the :class:`~data.access.User` making it and calls :func:`data.access.require` before
opening its transaction; the change and its ``audit_log`` row are written in one transaction.
"""

from data.contracts.actuals import actuals_for_scheme, actuals_to_date, scheme_actuals, scheme_actuals_in
from data.contracts.agreements import list_contracts, list_extensions, record_extension_decision
from data.contracts.audit import audit_entries, describe_change
from data.contracts.records import (
    AGREED,
    CONTRACTS_FILE,
    DECISIONS,
    DRAFT,
    ENTERED,
    EXTENDED,
    EXTENSION_ENTITY,
    NOT_EXTENDED,
    NOT_YET_DECIDED,
    SCHEME_ENTITY,
    SEEDED_BY,
    UPLIFT,
    Extension,
    NoScheme,
    SchemeKpi,
    StoredScheme,
    extension_key,
    financial_year,
    scheme_key,
)
from data.contracts.schemes import (
    agree_scheme,
    get_scheme,
    list_schemes,
    new_year_from_uplift,
    save_scheme_version,
    scheme_history,
)
from data.contracts.seeding import load_contracts, seed_contracts

__all__ = [
    "AGREED",
    "CONTRACTS_FILE",
    "DECISIONS",
    "DRAFT",
    "ENTERED",
    "EXTENDED",
    "EXTENSION_ENTITY",
    "NOT_EXTENDED",
    "NOT_YET_DECIDED",
    "SCHEME_ENTITY",
    "SEEDED_BY",
    "UPLIFT",
    "Extension",
    "NoScheme",
    "SchemeKpi",
    "StoredScheme",
    "actuals_for_scheme",
    "actuals_to_date",
    "agree_scheme",
    "audit_entries",
    "describe_change",
    "extension_key",
    "financial_year",
    "get_scheme",
    "list_contracts",
    "list_extensions",
    "list_schemes",
    "load_contracts",
    "new_year_from_uplift",
    "record_extension_decision",
    "save_scheme_version",
    "scheme_actuals",
    "scheme_actuals_in",
    "scheme_history",
    "scheme_key",
    "seed_contracts",
]
