"""The payment as a workbook a finance officer can audit: Calculation, Forecast and Audit history sheets.

* **Calculation**: the inputs (budget, share at risk, each KPI's weight, target, floor and polarity, and each
  period's reported value) and the workings as live Excel formulas: at risk = ROUND(budget x share, 2), each
  period's achievement from the target and floor, the KPI's mean achievement, at stake and earned =
  ROUND(at risk x weight x achievement, 2), withheld, the totals and two checks that come to zero. Beside the
  formulas, the dashboard's own figure and the difference, so a mismatch shows at once.
* **Forecast**: the year-end range. Periods not yet reported are assumed to achieve 0 (worst), 1 (best) or, in
  the expected case, what the KPI's SPC assurance says (consistently passing 1, consistently failing 0, hit
  and miss its mean achievement so far), all as formulas on the Calculation sheet.
* **Audit history**: every version of the scheme and every audit-log entry (who, when, what changed, why).
* **About**: what the file is, for which council and year, its unit, source and licence, and when it was made.

Every cell goes through :func:`data.exports.put`: text typed by a user (a KPI's label, a reason) is always
written as text, and only the workings built here (:class:`data.exports.Formula`) are formulas.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

import pandas as pd

from data.column_letters import column_letter
from data.contracts import StoredScheme
from data.exports import ABOUT_SHEET, Formula, about_rows, put, write_about_sheet
from data.payment_export.priced import WHAT_IF_LABEL, Payment, period_status, what_if_text

if TYPE_CHECKING:  # openpyxl is slow to import: it is imported only when a workbook is written
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.worksheet import Worksheet

CALCULATION, FORECAST, AUDIT = "Calculation", "Forecast", "Audit history"

# What the sheets write in a cell: text (always written as text), a formula the workbook itself builds, a
# number, a date and time, or nothing (see data.exports).
CellValue: TypeAlias = Formula | str | int | float | Decimal | dt.datetime | None

ASSURANCE_WORDS = {
    "consistent_pass": "Consistently passing the target",
    "consistent_fail": "Consistently failing the target",
    "inconsistent": "Hit and miss",
    None: "No assurance (too few figures)",
}

_POUNDS = '"£"#,##0.00'
_PERCENT = "0.0%"
_ACHIEVEMENT = "0.0000%"


class _Styles(NamedTuple):
    """The fonts, fills and wrapping the sheets use."""

    plain: Font
    bold: Font
    italic: Font
    heading: Font
    warning: Font
    input_fill: PatternFill
    header_fill: PatternFill
    wrap: Alignment


@functools.cache
def _style() -> _Styles:
    """The workbook's fonts, fills and wrapping, made when the first workbook is written."""
    from openpyxl.styles import Alignment, Font, PatternFill

    return _Styles(
        plain=Font(),
        bold=Font(bold=True),
        italic=Font(italic=True),
        heading=Font(bold=True, size=14),
        warning=Font(bold=True, color="801650"),
        input_fill=PatternFill(
            "solid", fgColor="FFF2CC"
        ),  # inputs: pale yellow, as finance templates mark them
        header_fill=PatternFill("solid", fgColor="D9E1F2"),
        wrap=Alignment(wrap_text=True, vertical="top"),
    )


# Calculation sheet: where things are. Rows are 1-based, as in Excel.
BUDGET_ROW, SHARE_ROW, AT_RISK_ROW, FIXED_ROW = 7, 8, 9, 10
HEADER_ROW = 12
FIRST_KPI_ROW = 13
_BUDGET, _SHARE, _AT_RISK, _FIXED = (f"$C${row}" for row in (BUDGET_ROW, SHARE_ROW, AT_RISK_ROW, FIXED_ROW))
_AT_RISK_FORMULA = Formula(f"=ROUND({_BUDGET}*{_SHARE},2)")
_FIXED_FORMULA = Formula(f"={_BUDGET}-{_AT_RISK}")

CALCULATION_COLUMNS = (
    ("code", "Code", 10),
    ("kpi", "KPI", 34),
    ("indicator", "Indicator", 26),
    ("polarity", "Polarity", 18),
    ("direction", "Direction (+1 higher is better, -1 lower)", 14),
    ("basis", "Basis", 11),
    ("periods", "Periods", 9),
    ("weight", "Weight", 9),
    ("target", "Target", 9),
    ("floor", "Floor (blank: none)", 10),
    ("v1", "Q1 (or year) value", 12),
    ("v2", "Q2 value", 12),
    ("v3", "Q3 value", 12),
    ("v4", "Q4 value", 12),
    ("a1", "Q1 (or year) achievement", 13),
    ("a2", "Q2 achievement", 13),
    ("a3", "Q3 achievement", 13),
    ("a4", "Q4 achievement", 13),
    ("achievement", "Achievement", 13),
    ("at_stake", "At stake (£)", 15),
    ("earned", "Earned (£)", 15),
    ("withheld", "Not earned (£): withheld, or in periods not yet reported", 17),
    ("dashboard_earned", "Earned: dashboard's figure (£)", 17),
    ("difference", "Difference (should be 0)", 12),
    ("s1", "Q1 (or year) status", 16),
    ("s2", "Q2 status", 16),
    ("s3", "Q3 status", 16),
    ("s4", "Q4 status", 16),
)
COLUMN_NUMBER = {key: i for i, (key, _, _) in enumerate(CALCULATION_COLUMNS, start=1)}
COLUMN = {key: column_letter(i) for key, i in COLUMN_NUMBER.items()}

FORECAST_COLUMNS = (
    ("code", "Code", 10),
    ("kpi", "KPI", 34),
    ("assurance", "SPC assurance", 18),
    ("assurance_words", "SPC assurance in words", 30),
    ("periods", "Periods", 9),
    ("reported", "Periods reported", 10),
    ("remaining", "Periods to forecast", 10),
    ("achieved", "Achievement so far (sum over periods)", 14),
    ("assumed", "Assumed achievement of each period to forecast (expected)", 16),
    ("worst", "Worst (£)", 15),
    ("expected", "Expected (£)", 15),
    ("best", "Best (£)", 15),
    ("withheld_so_far", "Withheld in the periods reported (£)", 15),
    ("to_assess", "Still to be assessed (£)", 15),
    ("dashboard_expected", "Expected: dashboard's figure (£)", 17),
    ("difference", "Difference (should be 0)", 12),
)
MONEY_FORECAST_COLUMNS = (
    "worst",
    "expected",
    "best",
    "withheld_so_far",
    "to_assess",
    "dashboard_expected",
    "difference",
)
FCOLUMN_NUMBER = {key: i for i, (key, _, _) in enumerate(FORECAST_COLUMNS, start=1)}
FCOLUMN = {key: column_letter(i) for key, i in FCOLUMN_NUMBER.items()}
FORECAST_HEADER_ROW = 6

CALCULATION_NOTES = (
    "How the workings go (the rules of the Annual Development Plan scheme):",
    "A period achieves 1 when its value meets the target (at or above it when higher is better, at or "
    "below it when lower is better). With a floor, achievement falls in a straight line from 1 at the "
    "target to 0 at the floor, and is 0 at or beyond the floor; without a floor a missed target achieves 0.",
    "A blank value achieves 0: either a quarter the provider reported no figure for ('no data') or one not "
    "yet reported, so the earned column is what has been earned so far.",
    "A quarterly KPI's achievement is the mean of its four quarters (each carries a quarter of its weight); "
    "an annual KPI is assessed once, on the year's figure.",
    "Earned = ROUND(at risk × weight × achievement, 2); withheld = at stake − earned. The totals use at "
    "risk itself, so fixed + earned + withheld = budget to the penny.",
    "Yellow cells are inputs; change them to test a case, and every other figure follows.",
)
FORECAST_NOTES = (
    "How the forecast is made:",
    "Periods already reported are assessed as on the Calculation sheet. Each period not yet reported is "
    "assumed to achieve 0 in the worst case and 1 in the best case.",
    "In the expected case it follows the KPI's statistical process control (SPC) assurance, worked out "
    "from its quarterly figures against its target: consistently passing 1 (met), consistently failing 0 "
    "(not met), hit and miss (or no assurance) its mean achievement over the periods reported so far.",
    "Earned = ROUND(at risk × weight × (achievement so far + periods to forecast × assumed) ÷ periods, 2).",
    "So far: the worst case is what has been earned on the periods reported; the best case less the worst "
    "is still to be assessed; at stake less the best case has been withheld in the periods reported. The "
    "totals use at risk itself, so earned + withheld + still to be assessed = at risk to the penny.",
)


def _illustrative_text(scheme: StoredScheme) -> str | None:
    """The warning on every sheet of an illustrative scheme (None for a real one)."""
    if not scheme.illustrative:
        return None
    return (
        "ILLUSTRATIVE: this scheme is marked illustrative (its KPIs, weights, targets or floors, or its "
        "budget, are not from a public source). Reason recorded: " + scheme.reason
    )


def _header(sheet: Worksheet, columns: Sequence[tuple[str, str, int]], row: int) -> None:
    """A sheet's column headers, with their widths, and the panes frozen below them."""
    for i, (_, title, width) in enumerate(columns, start=1):
        cell = put(sheet, row, i, title)
        style = _style()
        cell.font, cell.fill, cell.alignment = style.bold, style.header_fill, style.wrap
        sheet.column_dimensions[column_letter(i)].width = width
    sheet.freeze_panes = sheet.cell(row=row + 1, column=3).coordinate


def _top(
    sheet: Worksheet, title: str, payment: Payment, what_if: Sequence[str], generated_at: dt.datetime
) -> None:
    """The lines at the top of a sheet: its title, whether it is a what-if, and which scheme."""
    scheme = payment.scheme
    put(sheet, 1, 1, title).font = _style().heading
    put(sheet, 2, 1, what_if_text(what_if)).font = _style().warning if what_if else _style().italic
    illustrative = _illustrative_text(scheme)
    if illustrative:
        put(sheet, 3, 1, illustrative).font = _style().warning
    put(
        sheet,
        4,
        1,
        f"Scheme version {scheme.version} ({scheme.status}), agreement {scheme.contract_code}, "
        f"financial year {scheme.financial_year}. Written by the dashboard on "
        f"{generated_at:%d %B %Y at %H:%M}.",
    )


def _inputs(sheet: Worksheet, payment: Payment) -> None:
    """The budget and share (inputs), and at risk and fixed as formulas on them."""
    scheme = payment.scheme
    for column, heading in enumerate(("Inputs and workings", "Value", "How it is worked out"), start=2):
        put(sheet, 6, column, heading).font = _style().bold
    rows = (
        (BUDGET_ROW, "Budget (£)", scheme.budget, "Input: the year's budget", _POUNDS),
        (SHARE_ROW, "Share at risk", scheme.share, "Input: the share paid only on performance", "0.00%"),
        (AT_RISK_ROW, "At risk (£)", _AT_RISK_FORMULA, "= ROUND(budget × share, 2)", _POUNDS),
        (FIXED_ROW, "Fixed (£): paid regardless", _FIXED_FORMULA, "= budget − at risk", _POUNDS),
    )
    for row, label, value, how, number_format in rows:
        put(sheet, row, 2, label)
        cell = put(sheet, row, 3, value)
        cell.number_format = number_format
        if not isinstance(value, Formula):
            cell.fill = _style().input_fill
        put(sheet, row, 4, how)


def _kpi_cells(payment: Payment, index: int) -> dict[str, CellValue]:
    """A KPI's row of the Calculation sheet, by column key: its inputs, and its workings as formulas."""
    kpi = payment.scheme.kpis[index]
    c, r = COLUMN, FIRST_KPI_ROW + index
    values = list(payment.so_far.get(kpi.code, ()))
    periods = 1 if kpi.basis == "annual" else 4
    cells: dict[str, CellValue] = {
        "code": kpi.code,
        "kpi": kpi.label,
        "indicator": kpi.indicator_code,
        "polarity": kpi.polarity,
        "direction": Formula(f'=IF({c["polarity"]}{r}="lower_is_better",-1,1)'),
        "basis": kpi.basis,
        "periods": Formula(f'=IF({c["basis"]}{r}="annual",1,4)'),
        "weight": kpi.weight,
        "target": kpi.target,
        "floor": kpi.floor,
        "achievement": Formula(f"=IF({c['periods']}{r}=1,{c['a1']}{r},AVERAGE({c['a1']}{r}:{c['a4']}{r}))"),
        "at_stake": Formula(f"=ROUND({_AT_RISK}*{c['weight']}{r},2)"),
        "earned": Formula(f"=ROUND({_AT_RISK}*{c['weight']}{r}*{c['achievement']}{r},2)"),
        "withheld": Formula(f"={c['at_stake']}{r}-{c['earned']}{r}"),
        "dashboard_earned": payment.result.kpis[index].earned,
        "difference": Formula(f"={c['earned']}{r}-{c['dashboard_earned']}{r}"),
    }
    direction, target, floor = (f"${c[k]}{r}" for k in ("direction", "target", "floor"))
    for p in range(periods):
        value = f"{c[f'v{p + 1}']}{r}"
        cells[f"v{p + 1}"] = values[p] if p < len(values) else None
        cells[f"a{p + 1}"] = Formula(
            f'=IF({value}="",0,IF({direction}*({value}-{target})>=0,1,IF({floor}="",0,'
            f"IF({direction}*({value}-{floor})<=0,0,({value}-{floor})/({target}-{floor})))))"
        )
        cells[f"s{p + 1}"] = period_status(payment, index, p)
    for p in range(periods, 4):
        cells[f"s{p + 1}"] = "not assessed (annual KPI)"
    return cells


def _number_format(key: str) -> str | None:
    """How a Calculation column's figures are written: a percentage, an achievement, or pounds."""
    if key == "weight":
        return _PERCENT
    if key.startswith("a") and key != "at_stake":
        return _ACHIEVEMENT
    if key in ("at_stake", "earned", "withheld", "dashboard_earned", "difference"):
        return _POUNDS
    return None


def _kpi_row(sheet: Worksheet, payment: Payment, index: int) -> None:
    """Write a KPI's row of the Calculation sheet, inputs shaded as inputs."""
    cells = _kpi_cells(payment, index)
    for i, (key, _, _) in enumerate(CALCULATION_COLUMNS, start=1):
        if key not in cells:
            continue
        cell = put(sheet, FIRST_KPI_ROW + index, i, cells[key])
        if key in ("weight", "target", "floor") or key.startswith("v"):
            cell.fill = _style().input_fill
        number_format = _number_format(key)
        if number_format:
            cell.number_format = number_format


def _totals(sheet: Worksheet, payment: Payment, total: int) -> None:
    """The totals row, and the two checks beneath it that come to zero."""
    c, last = COLUMN, total - 1
    put(sheet, total, 1, "Total").font = _style().bold
    totals = {
        "weight": Formula(f"=SUM({c['weight']}{FIRST_KPI_ROW}:{c['weight']}{last})"),
        "at_stake": Formula(f"={_AT_RISK}"),
        "earned": Formula(f"=SUM({c['earned']}{FIRST_KPI_ROW}:{c['earned']}{last})"),
        "withheld": Formula(f"={_AT_RISK}-{c['earned']}{total}"),
        "dashboard_earned": payment.result.earned,
        "difference": Formula(f"={c['earned']}{total}-{c['dashboard_earned']}{total}"),
    }
    for key, value in totals.items():
        cell = put(sheet, total, COLUMN_NUMBER[key], value)
        cell.font = _style().bold
        cell.number_format = _PERCENT if key == "weight" else _POUNDS
    checks = (
        (
            total + 2,
            "Check: fixed + earned + withheld − budget (should be 0)",
            Formula(f"={_FIXED}+{c['earned']}{total}+{c['withheld']}{total}-{_BUDGET}"),
        ),
        (total + 3, "Check: weights − 100% (should be 0)", Formula(f"={c['weight']}{total}-1")),
    )
    for row, label, formula in checks:
        put(sheet, row, 2, label)
        put(sheet, row, 3, formula).number_format = "0.00"


def _notes(sheet: Worksheet, notes: Sequence[str], first_row: int) -> None:
    """Notes under the workings, the first one a bold heading."""
    for offset, text in enumerate(notes):
        put(sheet, first_row + offset, 2, text).font = _style().bold if offset == 0 else _style().plain


def _calculation_sheet(
    sheet: Worksheet, payment: Payment, what_if: Sequence[str], generated_at: dt.datetime, commissioner: str
) -> int:
    """Write the Calculation sheet; return the totals row."""
    scheme = payment.scheme
    _top(
        sheet,
        f"Performance-linked payment: {commissioner}, {scheme.financial_year}",
        payment,
        what_if,
        generated_at,
    )
    _inputs(sheet, payment)
    _header(sheet, CALCULATION_COLUMNS, HEADER_ROW)
    for index in range(len(scheme.kpis)):
        _kpi_row(sheet, payment, index)
    total = FIRST_KPI_ROW + len(scheme.kpis)
    _totals(sheet, payment, total)
    _notes(sheet, CALCULATION_NOTES, total + 5)
    return total


def _forecast_sheet(
    sheet: Worksheet, payment: Payment, what_if: Sequence[str], generated_at: dt.datetime, commissioner: str
) -> None:
    """Write the Forecast sheet: each KPI's three year ends as formulas on the Calculation sheet."""
    scheme = payment.scheme
    _top(sheet, f"Year-end forecast: {commissioner}, {scheme.financial_year}", payment, what_if, generated_at)
    _header(sheet, FORECAST_COLUMNS, FORECAST_HEADER_ROW)
    c, f = COLUMN, FCOLUMN
    calc = f"'{CALCULATION}'!"
    at_risk = f"{calc}{_AT_RISK}"
    first = FORECAST_HEADER_ROW + 1
    last = first + len(scheme.kpis) - 1
    for index, kpi in enumerate(scheme.kpis):
        r, source = first + index, FIRST_KPI_ROW + index
        assurance = payment.assumptions.get(kpi.code)
        weight = f"{calc}${c['weight']}${source}"
        spread = f"({f['achieved']}{r}+{f['remaining']}{r}*{f['assumed']}{r})"
        cells: dict[str, CellValue] = {
            "code": Formula(f"={calc}{c['code']}{source}"),
            "kpi": Formula(f"={calc}{c['kpi']}{source}"),
            "assurance": assurance or "",
            "assurance_words": ASSURANCE_WORDS.get(assurance, str(assurance)),
            "periods": Formula(f"={calc}{c['periods']}{source}"),
            "reported": len(payment.so_far.get(kpi.code, ())),
            "remaining": Formula(f"={f['periods']}{r}-{f['reported']}{r}"),
            "achieved": Formula(f"=SUM({calc}{c['a1']}{source}:{c['a4']}{source})"),
            "assumed": Formula(
                f'=IF({f["assurance"]}{r}="consistent_pass",1,IF({f["assurance"]}{r}="consistent_fail",0,'
                f"IF({f['reported']}{r}=0,0,{f['achieved']}{r}/{f['reported']}{r})))"
            ),
            "worst": Formula(f"=ROUND({at_risk}*{weight}*{f['achieved']}{r}/{f['periods']}{r},2)"),
            "expected": Formula(f"=ROUND({at_risk}*{weight}*{spread}/{f['periods']}{r},2)"),
            "best": Formula(
                f"=ROUND({at_risk}*{weight}*({f['achieved']}{r}+{f['remaining']}{r})/{f['periods']}{r},2)"
            ),
            "withheld_so_far": Formula(f"={calc}{c['at_stake']}{source}-{f['best']}{r}"),
            "to_assess": Formula(f"={f['best']}{r}-{f['worst']}{r}"),
            "dashboard_expected": payment.range.expected.kpis[index].earned,
            "difference": Formula(f"={f['expected']}{r}-{f['dashboard_expected']}{r}"),
        }
        for i, (key, _, _) in enumerate(FORECAST_COLUMNS, start=1):
            cell = put(sheet, r, i, cells[key])
            if key in ("assurance", "reported"):
                cell.fill = _style().input_fill
            if key in ("achieved", "assumed"):
                cell.number_format = _ACHIEVEMENT if key == "assumed" else "0.0000"
            elif key in MONEY_FORECAST_COLUMNS:
                cell.number_format = _POUNDS
    total = last + 1
    put(sheet, total, 1, "Total").font = _style().bold
    totals = {key: Formula(f"=SUM({f[key]}{first}:{f[key]}{last})") for key in ("worst", "expected", "best")}
    totals["withheld_so_far"] = Formula(f"={at_risk}-{f['best']}{total}")
    totals["to_assess"] = Formula(f"={f['best']}{total}-{f['worst']}{total}")
    for key, formula in totals.items():
        cell = put(sheet, total, FCOLUMN_NUMBER[key], formula)
        cell.font, cell.number_format = _style().bold, _POUNDS
    put(
        sheet, total, FCOLUMN_NUMBER["dashboard_expected"], payment.range.expected.earned
    ).number_format = _POUNDS
    put(
        sheet,
        total,
        FCOLUMN_NUMBER["difference"],
        Formula(f"={f['expected']}{total}-{f['dashboard_expected']}{total}"),
    )
    _notes(sheet, FORECAST_NOTES, total + 2)


def _audit_sheet(
    sheet: Worksheet, versions: Sequence[StoredScheme], audit: pd.DataFrame | None, what_if: Sequence[str]
) -> None:
    """Write the Audit history sheet: every version of the scheme, then the audit log."""
    put(sheet, 1, 1, "Audit history of the scheme").font = _style().heading
    put(
        sheet,
        2,
        1,
        "The versions and audit log as stored. What-if changes made on screen are never saved, so "
        "they do not appear here."
        if what_if
        else "The versions and audit log as stored.",
    )
    row = 4
    put(sheet, row, 1, "Versions").font = _style().bold
    headers = (
        "Version",
        "Status",
        "Budget (£)",
        "Budget basis",
        "Share at risk",
        "KPIs",
        "Illustrative",
        "Created by",
        "Created at",
        "Reason",
    )
    widths = (9, 10, 16, 22, 12, 8, 12, 18, 20, 80)
    row += 1
    for i, (title, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = put(sheet, row, i, title)
        style = _style()
        cell.font, cell.fill, cell.alignment = style.bold, style.header_fill, style.wrap
        sheet.column_dimensions[column_letter(i)].width = width
    for version in versions:
        row += 1
        values: tuple[CellValue, ...] = (
            version.version,
            version.status,
            version.budget,
            version.budget_basis,
            version.share,
            len(version.kpis),
            "yes" if version.illustrative else "no",
            version.created_by,
            version.created_at,
            version.reason,
        )
        for i, value in enumerate(values, start=1):
            cell = put(sheet, row, i, value)
            cell.alignment = _style().wrap
        sheet.cell(row=row, column=3).number_format = _POUNDS
        sheet.cell(row=row, column=5).number_format = "0.00%"
        sheet.cell(row=row, column=9).number_format = "d mmmm yyyy hh:mm"
    row += 2
    put(sheet, row, 1, "Audit log, newest first").font = _style().bold
    row += 1
    for i, title in enumerate(("When", "Who", "Action", "What changed", "Reason"), start=1):
        cell = put(sheet, row, i, title)
        cell.font, cell.fill = _style().bold, _style().header_fill
    if audit is None or audit.empty:
        put(sheet, row + 1, 1, "No audit entries.")
        return
    entries = zip(
        audit["changed_at"], audit["who"], audit["action"], audit["change"], audit["reason"], strict=True
    )
    for changed_at, who, action, change, reason in entries:
        row += 1
        for i, value in enumerate(
            (pd.Timestamp(changed_at).to_pydatetime(), who, action, change, reason), start=1
        ):
            put(sheet, row, i, value).alignment = _style().wrap
        sheet.cell(row=row, column=1).number_format = "d mmmm yyyy hh:mm"


def about(
    payment: Payment, commissioner: str, what_if: Sequence[str], generated_at: dt.datetime
) -> list[tuple[str, str]]:
    """The descriptive block of the payment's files: what, where, when, in what unit, from where, and when
    the file was made."""
    scheme = payment.scheme
    return about_rows(
        {
            "Title": f"Performance-linked payment, agreement {scheme.contract_code}, scheme version "
            f"{scheme.version} ({scheme.status})"
            + (" (what-if: changes made on screen, not saved)" if what_if else ""),
            "Area": commissioner,
            "Period": f"Financial year {scheme.financial_year}",
            "Unit": "Pounds sterling (£), to the penny; achievements as fractions of 1",
            "Source": "The payment scheme as stored in the dashboard, and the provider's quarterly returns"
            + (" (illustrative figures, not from a public source)" if scheme.illustrative else ""),
            "Licence": "Contract monitoring information for the commissioner and the provider; not open data",
            "Date made": f"{generated_at:%d %B %Y %H:%M}",
        }
    )


def workbook_bytes(
    payment: Payment,
    *,
    commissioner: str = "",
    versions: Sequence[StoredScheme] = (),
    audit: pd.DataFrame | None = None,
    what_if: Sequence[str] = (),
    generated_at: dt.datetime | None = None,
) -> bytes:
    """The XLSX workbook (Calculation, Forecast, Audit history, About) as bytes. ``what_if`` lists the
    changes made on screen, in words; when there are any the sheets say "WHAT-IF" at the top."""
    generated_at = generated_at or dt.datetime.now()
    from openpyxl import Workbook  # imported only here, as openpyxl is slow to import
    from openpyxl.worksheet.worksheet import Worksheet

    commissioner = commissioner or payment.scheme.contract_code
    book = Workbook()
    first = book.active  # a new workbook has one worksheet, active
    calculation = first if isinstance(first, Worksheet) else book.create_sheet(index=0)
    calculation.title = CALCULATION
    _calculation_sheet(calculation, payment, what_if, generated_at, commissioner)
    _forecast_sheet(book.create_sheet(FORECAST), payment, what_if, generated_at, commissioner)
    _audit_sheet(book.create_sheet(AUDIT), versions, audit, what_if)
    write_about_sheet(
        book.create_sheet(ABOUT_SHEET), about(payment, commissioner, what_if, generated_at), "About this file"
    )
    book.properties.title = (
        f"Performance-linked payment {payment.scheme.contract_code} {payment.scheme.financial_year}"
    )
    if what_if:
        book.properties.keywords = WHAT_IF_LABEL
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
