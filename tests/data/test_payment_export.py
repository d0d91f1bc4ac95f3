"""The payment workbook and CSV: a finance officer opening the workbook gets, from its own formulas, exactly
the pennies the dashboard shows.

No spreadsheet program runs here, so the workbook's formulas are evaluated by the small evaluator below: it
reads each cell's formula as written, and works it out exactly (in fractions) with Excel's meaning of the few
functions the workbook uses (ROUND half away from zero, IF, SUM, AVERAGE ignoring blanks, a blank cell is 0 in
arithmetic and "" in a comparison with text)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import operator
import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from data import payment_export as export
from data.contracts import SchemeKpi, StoredScheme, audit_entries, get_scheme, scheme_history, scheme_key
from data.exports import csv_table_lines
from data.payment_export import Payment, csv_text, file_name, workbook_bytes
from metrics.money import to_pennies

CCC, YEAR = "ccc-hcp-s75", "2025/26"

# The illustrative returns for Cambridgeshire, 2025/26 Q1 and Q2 (as data.contracts.actuals_to_date gives
# them).
REPORTED = {
    "C2": [100 * 1365 / 1545, 100 * 1465 / 1607],
    "6-8W": [100 * 1417 / 1580, 100 * 1520 / 1676],
    "12M": [100 * 1334 / 1661, 100 * 1344 / 1644],
    "2.5Y": [100 * 1408 / 1697, 100 * 1443 / 1673],
    "ASQ3": [],
    "VAC": [6.4, 5.8],
}
ASSURANCE = {
    "C2": "inconsistent",
    "6-8W": "inconsistent",
    "12M": "consistent_fail",
    "2.5Y": "consistent_fail",
    "ASQ3": "consistent_pass",
    "VAC": "inconsistent",
}


# -- A small evaluator for the workbook's formulas -----------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>"(?:[^"]|"")*")
    | (?P<ref>(?:'(?P<quoted>[^']+)'!|(?P<sheet>[A-Za-z_][A-Za-z0-9_]*)!)?
              \$?(?P<c1>[A-Z]{1,3})\$?(?P<r1>[0-9]+)(?::\$?(?P<c2>[A-Z]{1,3})\$?(?P<r2>[0-9]+))?)
    | (?P<function>[A-Z]+)\(
    | (?P<number>[0-9]+(?:\.[0-9]+)?)
    | (?P<op><=|>=|<>|[-+*/=<>(),])
    )""",
    re.VERBOSE,
)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class Workbook:
    """Evaluates any cell of an openpyxl workbook loaded with its formulas."""

    def __init__(self, book) -> None:
        self.book = book
        self.cache: dict[tuple[str, str], object] = {}

    def value(self, sheet: str, address: str):
        key = (sheet, address)
        if key not in self.cache:
            raw = self.book[sheet][address].value
            if isinstance(raw, str) and raw.startswith("="):
                self.cache[key] = self.formula(sheet, raw[1:])
            elif isinstance(raw, bool) or raw is None or isinstance(raw, str):
                self.cache[key] = raw
            else:
                self.cache[key] = Fraction(Decimal(str(raw)))
        return self.cache[key]

    def formula(self, sheet: str, text: str):
        tokens = []
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            assert match and match.end() > position, f"cannot read {text[position:]!r} in ={text}"
            tokens.append(match)
            position = match.end()
        parser = _Parser(tokens, self, sheet)
        tree = parser.expression()
        assert parser.at_end(), f"unexpected {text!r}"
        return tree()


def _number(value) -> Fraction:
    if value is None or value == "":
        return Fraction(0)
    assert isinstance(value, Fraction), f"expected a number, got {value!r}"
    return value


def _round(value: Fraction, places: Fraction) -> Fraction:
    """Excel's ROUND: halves away from zero."""
    scale = Fraction(10) ** int(places)
    whole, remainder = divmod(abs(value) * scale, 1)
    if remainder >= Fraction(1, 2):
        whole += 1
    return (whole if value >= 0 else -whole) / scale


def _equal(left, right) -> bool:
    if isinstance(left, str) or isinstance(right, str):
        return (left or "") == (right or "")
    return _number(left) == _number(right)


_COMPARE: dict[str, Callable] = {
    "=": _equal,
    "<>": lambda a, b: not _equal(a, b),
    "<": lambda a, b: _number(a) < _number(b),
    ">": lambda a, b: _number(a) > _number(b),
    "<=": lambda a, b: _number(a) <= _number(b),
    ">=": lambda a, b: _number(a) >= _number(b),
}


_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def _binary(op: Callable, left: Callable, right: Callable) -> Callable:
    return lambda: op(_number(left()), _number(right()))


class _Parser:
    """Recursive descent over Excel's precedence: comparison, then + -, then * /, then unary minus."""

    def __init__(self, tokens, book: Workbook, sheet: str) -> None:
        self.tokens, self.book, self.sheet, self.i = tokens, book, sheet, 0

    def at_end(self) -> bool:
        return self.i == len(self.tokens)

    def peek(self, op: str | None = None):
        if self.at_end():
            return None
        token = self.tokens[self.i]
        if op is not None:
            return token if token.group("op") == op else None
        return token

    def take(self, op: str) -> None:
        assert self.peek(op), f"expected {op!r}"
        self.i += 1

    def expression(self):
        left = self.additive()
        token = self.peek()
        if token is not None and token.group("op") in _COMPARE:
            self.i += 1
            right, compare = self.additive(), _COMPARE[token.group("op")]
            return lambda: compare(left(), right())
        return left

    def additive(self):
        left = self.term()
        while (token := self.peek()) is not None and token.group("op") in ("+", "-"):
            self.i += 1
            left = _binary(_ARITHMETIC[token.group("op")], left, self.term())
        return left

    def term(self):
        left = self.unary()
        while (token := self.peek()) is not None and token.group("op") in ("*", "/"):
            self.i += 1
            left = _binary(_ARITHMETIC[token.group("op")], left, self.unary())
        return left

    def unary(self):
        if self.peek("-"):
            self.i += 1
            inner = self.unary()
            return lambda: -_number(inner())
        return self.primary()

    def primary(self):
        token = self.tokens[self.i]
        self.i += 1
        if token.group("op") == "(":
            inner = self.expression()
            self.take(")")
            return inner
        if token.group("number"):
            number = Fraction(Decimal(token.group("number")))
            return lambda: number
        if token.group("string"):
            text = token.group("string")[1:-1].replace('""', '"')
            return lambda: text
        if token.group("ref"):
            return self.reference(token)
        if token.group("function"):
            return self.call(token.group("function"))
        raise AssertionError(f"unexpected token {token.group(0)!r}")

    def reference(self, token):
        sheet = token.group("quoted") or token.group("sheet") or self.sheet
        c1, r1 = _column_number(token.group("c1")), int(token.group("r1"))
        if token.group("c2") is None:
            address = f"{token.group('c1')}{r1}"
            return lambda: self.book.value(sheet, address)
        c2, r2 = _column_number(token.group("c2")), int(token.group("r2"))
        cells = [f"{_column_letters(c)}{r}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
        return lambda: [self.book.value(sheet, address) for address in cells]

    def call(self, name: str):
        arguments = []
        if not self.peek(")"):
            arguments.append(self.expression())
            while self.peek(","):
                self.i += 1
                arguments.append(self.expression())
        self.take(")")

        def values():
            flat = []
            for argument in arguments:
                value = argument()
                flat.extend(value if isinstance(value, list) else [value])
            return flat

        if name == "IF":
            condition, yes, no = arguments
            return lambda: yes() if condition() else no()
        if name == "ROUND":
            return lambda: _round(_number(arguments[0]()), _number(arguments[1]()))
        if name == "SUM":
            return lambda: sum((v for v in values() if isinstance(v, Fraction)), Fraction(0))
        if name == "AVERAGE":

            def average():
                numbers = [v for v in values() if isinstance(v, Fraction)]
                return sum(numbers, Fraction(0)) / len(numbers)

            return average
        raise AssertionError(f"the workbook uses {name}, which this evaluator does not know")


def _evaluate(content: bytes) -> Workbook:
    return Workbook(load_workbook(io.BytesIO(content)))


def _pennies(value) -> Decimal:
    assert isinstance(value, Fraction), value
    assert value == _round(value, Fraction(2)), f"{value} is not a whole number of pence"
    return to_pennies(value)


# -- The figures -------------------------------------------------------------------------------------------


@pytest.fixture
def scheme(store) -> StoredScheme:
    return get_scheme(store, CCC, YEAR)


def _assert_workbook_matches(payment: Payment, content: bytes) -> Workbook:
    book = _evaluate(content)
    calc = export.CALCULATION
    c = export.COLUMN
    assert _pennies(book.value(calc, f"C{export.AT_RISK_ROW}")) == payment.result.at_risk
    assert _pennies(book.value(calc, f"C{export.FIXED_ROW}")) == payment.result.fixed
    for i, kpi in enumerate(payment.result.kpis):
        row = export.FIRST_KPI_ROW + i
        assert book.value(calc, f"{c['code']}{row}") == kpi.kpi.code
        assert Fraction(kpi.achievement) == pytest.approx(
            book.value(calc, f"{c['achievement']}{row}"), abs=1e-20
        )
        assert _pennies(book.value(calc, f"{c['at_stake']}{row}")) == kpi.at_stake
        assert _pennies(book.value(calc, f"{c['earned']}{row}")) == kpi.earned, kpi.kpi.code
        assert _pennies(book.value(calc, f"{c['withheld']}{row}")) == kpi.withheld
        assert book.value(calc, f"{c['difference']}{row}") == 0
    total = export.FIRST_KPI_ROW + len(payment.result.kpis)
    assert _pennies(book.value(calc, f"{c['earned']}{total}")) == payment.result.earned
    assert _pennies(book.value(calc, f"{c['withheld']}{total}")) == payment.result.withheld
    assert book.value(calc, f"C{total + 2}") == 0, "fixed + earned + withheld = budget"
    assert book.value(calc, f"C{total + 3}") == 0, "weights total 100%"

    f, sheet = export.FCOLUMN, export.FORECAST
    first = export.FORECAST_HEADER_ROW + 1
    for case in ("worst", "expected", "best"):
        result = getattr(payment.range, case)
        for i, kpi in enumerate(result.kpis):
            assert _pennies(book.value(sheet, f"{f[case]}{first + i}")) == kpi.earned, (case, kpi.kpi.code)
        assert _pennies(book.value(sheet, f"{f[case]}{first + len(result.kpis)}")) == result.earned
    totals = first + len(payment.result.kpis)
    worst, best = payment.range.worst.earned, payment.range.best.earned
    assert _pennies(book.value(sheet, f"{f['withheld_so_far']}{totals}")) == payment.result.at_risk - best
    assert _pennies(book.value(sheet, f"{f['to_assess']}{totals}")) == best - worst
    return book


def test_the_workbook_formulas_give_the_same_pennies_as_the_calculation(scheme):
    payment = Payment.of(scheme, REPORTED, ASSURANCE)
    assert payment.result.at_risk == Decimal("273783.24")
    assert payment.result.earned == Decimal("100875.39")
    assert payment.range.expected.earned == Decimal("192142.89")
    content = workbook_bytes(payment, commissioner="Cambridgeshire County Council")
    _assert_workbook_matches(payment, content)


def test_the_workings_are_live_formulas_a_finance_officer_can_read(scheme):
    sheet = load_workbook(io.BytesIO(workbook_bytes(Payment.of(scheme, REPORTED, ASSURANCE))))["Calculation"]
    assert Decimal(str(sheet["C7"].value)) == 9126108 and Decimal(str(sheet["C8"].value)) == Decimal("0.03")
    assert sheet["C9"].value == "=ROUND($C$7*$C$8,2)"
    assert sheet["C10"].value == "=$C$7-$C$9"
    assert sheet["U13"].value == "=ROUND($C$9*H13*S13,2)"
    assert sheet["O13"].value == (
        '=IF(K13="",0,IF($E13*(K13-$I13)>=0,1,IF($J13="",0,IF($E13*(K13-$J13)<=0,0,(K13-$J13)/($I13-$J13)))))'
    )
    assert sheet["A2"].value.startswith("Figures as stored and reported")
    assert sheet["A3"].value.startswith("ILLUSTRATIVE")


def _odd_scheme(scheme: StoredScheme) -> StoredScheme:
    """Thirds of the pot, a lower-is-better KPI, no floor on one, and a budget whose 3% is a half penny
    (£1,001.50 x 3% = £30.045): half-up gives £30.05, where banker's rounding would give £30.04."""
    kpis = (
        SchemeKpi(
            "A", "hv-new-birth-visit-14d", "All or nothing", Decimal("0.333333"), 90, None, basis="quarterly"
        ),
        SchemeKpi("B", "hv-6-8-week-review", "Linear", Decimal("0.333333"), 90, 80, basis="annual"),
        SchemeKpi(
            "C",
            "wf-vacancy-rate",
            "Lower is better",
            Decimal("0.333334"),
            10,
            15,
            polarity="lower_is_better",
            basis="quarterly",
        ),
    )
    return replace(scheme, budget=Decimal("1001.50"), kpis=kpis)


@pytest.mark.parametrize(
    "values",
    [
        {
            "A": [95, 89.9, None],
            "B": [87.5],
            "C": [12.5, 9, 15.01],
        },  # met, missed, gap; part; lower is better
        {"A": [90, 90, 90, 90], "B": [80], "C": [10, 10, 10, 10]},  # exactly on the targets and the floor
        {"A": [], "B": [], "C": []},  # nothing reported yet
    ],
    ids=["part-year", "whole-year-on-the-lines", "nothing-yet"],
)
def test_the_formulas_follow_the_rules_at_the_edges_and_round_half_up(scheme, values):
    odd = _odd_scheme(scheme)
    payment = Payment.of(odd, values, {"A": "inconsistent", "B": None, "C": "consistent_pass"})
    assert payment.result.at_risk == Decimal("30.05")
    _assert_workbook_matches(payment, workbook_bytes(payment))


def test_a_what_if_workbook_and_csv_say_so_in_the_name_and_on_the_sheet(scheme):
    changed = dict(REPORTED, C2=[*REPORTED["C2"], 95.0])
    payment = Payment.of(scheme, changed, ASSURANCE)
    what_if = ["C2 Q3 not yet reported → 95.0%"]
    assert file_name(scheme, "xlsx", what_if=True) == "payment-ccc-hcp-s75-2025-26-v1-what-if.xlsx"
    assert file_name(scheme, "csv") == "payment-ccc-hcp-s75-2025-26-v1.csv"
    content = workbook_bytes(payment, what_if=what_if)
    book = load_workbook(io.BytesIO(content))
    for name in ("Calculation", "Forecast"):
        assert book[name]["A2"].value.startswith("WHAT-IF: these figures include changes made on screen")
        assert "C2 Q3 not yet reported → 95.0%" in book[name]["A2"].value
    assert book["Calculation"]["M13"].value == 95.0
    _assert_workbook_matches(payment, content)
    text = csv_text(payment, what_if=what_if)
    assert "(what-if: changes made on screen, not saved)" in text.splitlines()[0]
    rows = list(csv.DictReader(csv_table_lines(text)))
    assert {row["what_if"] for row in rows} == {"yes"}
    assert "C2 Q3" in rows[-1]["kpi"]


def test_the_csv_has_the_same_rows_with_pennies(scheme):
    payment = Payment.of(scheme, REPORTED, ASSURANCE)
    text = csv_text(
        payment, commissioner="Cambridgeshire County Council", generated_at=dt.datetime(2026, 1, 5, 9)
    )
    assert text.splitlines()[1:3] == ["Area,Cambridgeshire County Council", "Period,Financial year 2025/26"]
    assert text.splitlines()[6:8] == ["Date made,05 January 2026 09:00", ""]
    rows = list(csv.DictReader(csv_table_lines(text)))
    assert [row["kpi_code"] for row in rows] == ["C2", "6-8W", "12M", "2.5Y", "ASQ3", "VAC", "TOTAL"]
    for row, kpi in zip(rows, payment.result.kpis, strict=False):
        assert (row["at_stake"], row["earned"], row["withheld"]) == (
            f"{kpi.at_stake:.2f}",
            f"{kpi.earned:.2f}",
            f"{kpi.withheld:.2f}",
        )
    total = rows[-1]
    assert (total["at_stake"], total["earned"], total["withheld"]) == ("273783.24", "100875.39", "172907.85")
    assert (total["forecast_worst"], total["forecast_expected"], total["forecast_best"]) == (
        "100875.39",
        "192142.89",
        "251456.17",
    )
    assert rows[0]["budget"] == "9126108.00" and rows[0]["at_risk"] == "273783.24"
    assert rows[0]["q3_status"] == "not yet reported" and rows[4]["q1_or_year_status"] == "not yet reported"
    assert sum(Decimal(row["earned"]) for row in rows[:-1]) == Decimal(total["earned"])


def test_the_workbook_carries_the_audit_history(store, scheme):
    payment = Payment.of(scheme, REPORTED, ASSURANCE)
    audit = audit_entries(store, scheme_key(CCC, YEAR))
    content = workbook_bytes(payment, versions=scheme_history(store, CCC, YEAR), audit=audit)
    sheet = load_workbook(io.BytesIO(content))["Audit history"]
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "Versions" in cells and "Audit log, newest first" in cells
    assert "kpi seed" in cells
    assert any(text.startswith("Version 1 (agreed) created: budget £9,126,108.00") for text in cells)
    assert any("8 October 2024" in text for text in cells)


def test_an_empty_audit_log_says_so(scheme):
    content = workbook_bytes(Payment.of(scheme, REPORTED, ASSURANCE), audit=pd.DataFrame())
    assert "No audit entries." in [c.value for c in load_workbook(io.BytesIO(content))["Audit history"]["A"]]


def test_the_module_is_data_layer_only():
    for module in Path(export.__file__).parent.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert "import dash" not in source and "plotly" not in source, module.name
