"""One cell's value: how input becomes ``userEnteredValue`` and how it reads back.

- RAW input is stored as given: a string stays a ``stringValue`` (even ``"=1+1"`` or ``"123"``),
  a JSON number a ``numberValue``, a JSON boolean a ``boolValue``.
- USER_ENTERED input is parsed as the Sheets UI parses typing: a leading ``=`` is a formula, a
  leading apostrophe forces text, TRUE/FALSE are booleans, numbers (``2,000,000.01``, ``12%``)
  and ISO or US dates become numbers with a number format (dates as serial numbers from
  1899-12-30, recorded: "2020-01-01" reads back as 43831 unformatted).
- Formulas are NOT computed in general. Only a formula made of number literals and
  ``+ - * / ^ ( )`` is evaluated (recorded: "= 1 / 1024" reads "0.0009765625"); any other
  formula has no effective value and reads back as an empty string. A deliberate gap.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from emulator.errors import ApiError

EPOCH = date(1899, 12, 30)  # Sheets' day zero (serial number 0)
_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_OPERATORS: dict[type, Callable[..., float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow, ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}

Parsed = tuple[dict[str, Any] | None, dict[str, Any] | None]  # (userEnteredValue, numberFormat)


# Google's answer above 50 000 characters in one cell, recorded from values.update
# (moevm/github_repo_commitment_calc#67; freelabz/secator#96). Counted here in UTF-16 code
# units (an emoji is two): Google may count code points; units are the stricter reading.
CELL_LIMIT = 50_000
TOO_LONG = (f"Your input contains more than the maximum of {CELL_LIMIT} characters in a single "
            "cell.")


def check_length(text: str) -> None:
    """400 when ``text`` (a string or formula going into one cell) overflows the cell."""
    if len(text) > CELL_LIMIT // 2 and len(text.encode("utf-16-le")) // 2 > CELL_LIMIT:
        raise ApiError(400, TOO_LONG)


def check_entered(entered: Any) -> None:
    """``check_length`` on a CellData's ``userEnteredValue`` (string or formula)."""
    if isinstance(entered, dict):
        for key in ("stringValue", "formulaValue"):
            if isinstance(entered.get(key), str):
                check_length(entered[key])


def raw_value(value: Any) -> dict[str, Any] | None:
    """The ``userEnteredValue`` of a RAW input (None: the cell is emptied)."""
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": value}
    text = str(value)
    check_length(text)
    return {"stringValue": text} if text != "" else None


def user_entered_value(value: Any) -> Parsed:
    """The ``userEnteredValue`` and implied number format of a USER_ENTERED input.

    >>> user_entered_value("=IMPORTXML(A1)")
    ({'formulaValue': '=IMPORTXML(A1)'}, None)
    >>> user_entered_value("'=1+1")
    ({'stringValue': '=1+1'}, None)
    >>> user_entered_value("2,000,000.01")
    ({'numberValue': 2000000.01}, {'type': 'NUMBER', 'pattern': '#,##0.00'})
    >>> user_entered_value("2020-01-01")
    ({'numberValue': 43831}, {'type': 'DATE', 'pattern': 'yyyy-mm-dd'})
    >>> user_entered_value("true")
    ({'boolValue': True}, None)
    """
    if not isinstance(value, str):
        return raw_value(value), None
    text = value
    check_length(text)  # the input as typed, apostrophe included: the stricter reading
    if text == "":
        return None, None
    if text.startswith("'"):
        return {"stringValue": text[1:]}, None
    if text.startswith("=") and len(text) > 1:
        return {"formulaValue": text}, None
    stripped = text.strip()
    if stripped.upper() in ("TRUE", "FALSE"):
        return {"boolValue": stripped.upper() == "TRUE"}, None
    number = _parse_number(stripped)
    if number is not None:
        return number
    when = _parse_date(stripped)
    if when is not None:
        return when
    return {"stringValue": text}, None


def _parse_number(text: str) -> Parsed | None:
    percent = text.endswith("%")
    body = text[:-1].strip() if percent else text
    if not body or not _NUMBER.fullmatch(body) or not any(ch.isdigit() for ch in body):
        return None
    number: float | int = float(body.replace(",", ""))
    if percent:
        number = number / 100
    if float(number).is_integer() and abs(number) < 2**53:
        number = int(number)
    decimals = len(body.split(".")[1]) if "." in body and "e" not in body.lower() else 0
    fmt = None
    if percent:
        fmt = {"type": "PERCENT", "pattern": "0" + ("." + "0" * decimals if decimals else "") + "%"}
    elif "," in body:
        fmt = {"type": "NUMBER", "pattern": "#,##0" + ("." + "0" * decimals if decimals else "")}
    return {"numberValue": number}, fmt


def _parse_date(text: str) -> Parsed | None:
    iso, us = _ISO_DATE.fullmatch(text), _US_DATE.fullmatch(text)
    try:
        if iso:
            day = date(int(iso[1]), int(iso[2]), int(iso[3]))
            pattern = "yyyy-mm-dd"
        elif us:
            day = date(int(us[3]), int(us[1]), int(us[2]))
            pattern = "m/d/yyyy"
        else:
            return None
    except ValueError:
        return None
    return {"numberValue": (day - EPOCH).days}, {"type": "DATE", "pattern": pattern}


def evaluate(formula: str) -> dict[str, Any] | None:
    """The effective value of a constant arithmetic formula, else None (not computed).

    >>> evaluate("= 1 / 1024"), evaluate("=4/2"), evaluate("=2^3")
    ({'numberValue': 0.0009765625}, {'numberValue': 2}, {'numberValue': 8})
    >>> evaluate("=1/0")["errorValue"]["type"], evaluate("=SUM(A1:A2)")
    ('DIV_ZERO', None)
    """
    expression = formula[1:].strip().replace("^", "**")
    if not expression or not re.fullmatch(r"[\d.\s+\-*/()eE]+", expression):
        return None
    try:
        tree = ast.parse(expression, mode="eval")
        result = _eval(tree.body)
    except ZeroDivisionError:
        return {"errorValue": {"type": "DIV_ZERO",
                               "message": "Function DIVIDE parameter 2 cannot be zero."}}
    except (SyntaxError, ValueError, TypeError, OverflowError):
        return None
    if float(result).is_integer() and abs(result) < 2**53:
        return {"numberValue": int(result)}
    return {"numberValue": result}


def _eval(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_eval(node.left), _eval(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_eval(node.operand))
    raise ValueError("not a constant arithmetic formula")


def effective_value(cell: dict[str, Any]) -> dict[str, Any] | None:
    entered = cell.get("userEnteredValue")
    if not entered:
        return None
    if "formulaValue" in entered:
        return evaluate(entered["formulaValue"])
    return dict(entered)


def number_format(cell: dict[str, Any]) -> dict[str, Any] | None:
    return (cell.get("userEnteredFormat") or {}).get("numberFormat")


def format_number(number: float, fmt: dict[str, Any] | None) -> str:
    """A number as the UI shows it under ``fmt`` (None: the automatic format).

    >>> format_number(0.0009765625, None), format_number(53, None), format_number(1.5, None)
    ('0.0009765625', '53', '1.5')
    >>> format_number(2000000.01, {"type": "NUMBER", "pattern": "#,##0.00"})
    '2,000,000.01'
    >>> format_number(43831, {"type": "DATE", "pattern": "yyyy-mm-dd"})
    '2020-01-01'
    >>> format_number(0.12, {"type": "PERCENT", "pattern": "0%"})
    '12%'
    """
    pattern = (fmt or {}).get("pattern", "")
    kind = (fmt or {}).get("type", "")
    if kind in ("DATE", "DATE_TIME") and pattern:
        day = EPOCH + timedelta(days=int(number))
        out = pattern.lower()
        for token, text in (("yyyy", f"{day.year:04d}"), ("mm", f"{day.month:02d}"),
                            ("dd", f"{day.day:02d}")):
            out = out.replace(token, text)
        out = re.sub(r"(?<![0-9])m(?![a-z])", str(day.month), out)
        return re.sub(r"(?<![0-9])d(?![a-z])", str(day.day), out)
    if kind == "TEXT":
        return _general(number)
    if pattern and kind in ("NUMBER", "PERCENT", "CURRENCY", "SCIENTIFIC"):
        value = number * 100 if kind == "PERCENT" else number
        decimals = len(pattern.split(".")[1].rstrip("%")) if "." in pattern else 0
        text = f"{value:,.{decimals}f}" if "," in pattern else f"{value:.{decimals}f}"
        return text + ("%" if kind == "PERCENT" else "")
    return _general(number)


def _general(number: float) -> str:
    if float(number).is_integer() and abs(number) < 1e15:
        return str(int(number))
    text = f"{number:.10f}".rstrip("0").rstrip(".")
    return text if text not in ("0", "-0") else f"{number:.10g}"


def formatted_value(cell: dict[str, Any]) -> str | None:
    """The ``formattedValue`` Google derives for a cell (None for an empty cell)."""
    value = effective_value(cell)
    if value is None:
        return "" if "formulaValue" in (cell.get("userEnteredValue") or {}) else None
    if "stringValue" in value:
        return str(value["stringValue"])
    if "boolValue" in value:
        return "TRUE" if value["boolValue"] else "FALSE"
    if "errorValue" in value:
        return {"DIV_ZERO": "#DIV/0!"}.get(value["errorValue"]["type"], "#ERROR!")
    return format_number(value["numberValue"], number_format(cell))


def rendered(cell: dict[str, Any] | None, render: str, date_render: str) -> Any:
    """The value ``values.get`` answers for a cell ("" for an empty one)."""
    if not cell or not cell.get("userEnteredValue"):
        return ""
    if render == "FORMULA" and "formulaValue" in cell["userEnteredValue"]:
        return cell["userEnteredValue"]["formulaValue"]
    if render == "FORMATTED_VALUE":
        return formatted_value(cell) or ""
    value = effective_value(cell)
    if value is None:
        return ""
    if "numberValue" in value:
        fmt = number_format(cell) or {}
        if fmt.get("type") in ("DATE", "TIME", "DATE_TIME") and date_render == "FORMATTED_STRING":
            return format_number(value["numberValue"], fmt)
        return value["numberValue"]
    if "errorValue" in value:
        return formatted_value(cell)
    return next(iter(value.values()))
