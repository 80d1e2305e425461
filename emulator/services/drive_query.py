"""Drive's ``q`` search language: the subset the service uses, parsed into a predicate.

Grammar (guides/search-files and guides/ref-search-terms)::

    expr   := term ("or" term)*
    term   := factor ("and" factor)*
    factor := "not" factor | "(" expr ")" | clause
    clause := FIELD OP VALUE | VALUE "in" FIELD | FIELD "in" VALUE
            | ("appProperties" | "properties") "has" "{" "key" "=" S "and" "value" "=" S "}"

Strings take single or double quotes, with ``\\'`` and ``\\\\`` escapes. ``name contains`` is a
prefix match on the name's words ("HelloWorld" matches 'Hello', not 'World', per
guides/ref-search-terms). Anything else answers 400 "Invalid Value" (location ``q``), as Drive
does for a query it cannot parse.

>>> match = parse("name = 'a\\\\'b' and 'F1' in parents and trashed = false")
>>> match({"name": "a'b", "parents": ["F1"], "trashed": False})
True
>>> parse("appProperties has { key='kind' and value='unit' }")({"appProperties": {"kind": "unit"}})
True
>>> [parse(f"name contains '{w}'")({"name": "HelloWorld"}) for w in ("Hel", "World")]
[True, False]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from emulator.errors import ApiError

Predicate = Callable[[dict[str, Any]], bool]
_TOKEN = re.compile(r"""\s*(?:
    (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    |(?P<op>!=|<=|>=|[=<>(){}])
    |(?P<word>[A-Za-z_][\w.]*))""", re.VERBOSE)
STRING_FIELDS = ("name", "mimeType", "fullText", "description")
TIME_FIELDS = ("modifiedTime", "createdTime", "viewedByMeTime", "sharedWithMeTime")
BOOL_FIELDS = ("trashed", "starred", "hidden")


def invalid() -> ApiError:
    return ApiError(400, "Invalid Value", reason="invalid", location="q")


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        found = _TOKEN.match(text, pos)
        if found is None:
            raise invalid()
        kind = found.lastgroup or ""
        value = found.group(kind)
        if kind == "str":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        out.append((kind, value))
        pos = found.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", "")

    def take(self, kind: str | None = None, value: str | None = None) -> str:
        token = self.peek()
        if token[0] == "end" or (kind and token[0] != kind) or (
                value is not None and token[1].lower() != value.lower()):
            raise invalid()
        self.pos += 1
        return token[1]

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token[0] == "word" and token[1].lower() == word:
            self.pos += 1
            return True
        return False

    def expr(self) -> Predicate:
        terms = [self.term()]
        while self.keyword("or"):
            terms.append(self.term())
        return terms[0] if len(terms) == 1 else lambda f: any(t(f) for t in terms)

    def term(self) -> Predicate:
        factors = [self.factor()]
        while self.keyword("and"):
            factors.append(self.factor())
        return factors[0] if len(factors) == 1 else lambda f: all(t(f) for t in factors)

    def factor(self) -> Predicate:
        if self.keyword("not"):
            inner = self.factor()
            return lambda f: not inner(f)
        if self.peek() == ("op", "("):
            self.take()
            inner = self.expr()
            self.take("op", ")")
            return inner
        return self.clause()

    def clause(self) -> Predicate:
        kind, _first = self.peek()
        if kind == "str":
            value = self.take()
            self.take("word", "in")
            return _in(self.take("word"), value)
        field = self.take("word")
        if self.keyword("has"):
            return self.has(field)
        if self.keyword("in"):  # gspread writes ``parents in "<id>"``
            return _in(field, self.take("str"))
        if self.keyword("contains"):
            return _contains(field, self.take("str"))
        op = self.take("op")
        if op not in ("=", "!=", "<", "<=", ">", ">="):
            raise invalid()
        kind, raw = self.peek()
        if field in BOOL_FIELDS and kind == "word" and raw.lower() in ("true", "false"):
            self.take()
            return _compare(field, op, raw.lower() == "true")
        return _compare(field, op, self.take("str"))

    def has(self, field: str) -> Predicate:
        if field not in ("appProperties", "properties"):
            raise invalid()
        self.take("op", "{")
        self.take("word", "key")
        self.take("op", "=")
        key = self.take("str")
        self.take("word", "and")
        self.take("word", "value")
        self.take("op", "=")
        value = self.take("str")
        self.take("op", "}")
        return lambda f: (f.get(field) or {}).get(key) == value


def _in(field: str, value: str) -> Predicate:
    if field == "parents":
        return lambda f: value in (f.get("parents") or [])
    if field in ("owners", "writers", "readers"):
        from emulator.services.drive_list import holds  # the grantee tables live with listing

        return lambda f: holds(f, field, value)
    raise invalid()


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-_.,;:()\[\]/]+", text.lower()) if w]


def _contains(field: str, value: str) -> Predicate:
    needle = value.lower()
    if field == "name":
        return lambda f: f["name"].lower().startswith(needle) or any(
            w.startswith(needle) for w in _words(f["name"])) or (
            " " in needle and needle in f["name"].lower())
    if field in ("fullText", "description", "mimeType"):
        key = "name" if field == "fullText" else field
        return lambda f: needle in str(f.get(key, "")).lower() or needle in str(
            f.get("description", "")).lower()
    raise invalid()


def _compare(field: str, op: str, value: Any) -> Predicate:
    if field in BOOL_FIELDS:
        if op not in ("=", "!=") or not isinstance(value, bool):
            raise invalid()
        return lambda f: (bool(f.get(field)) == value) == (op == "=")
    if field in ("name", "mimeType") and op in ("=", "!="):
        return lambda f: (f.get(field) == value) == (op == "=")
    if field in TIME_FIELDS:
        def check(f: dict[str, Any]) -> bool:
            mine = str(f.get(field, ""))[:19]
            other = str(value)[:19]
            return {"=": mine == other, "!=": mine != other, "<": mine < other,
                    "<=": mine <= other, ">": mine > other, ">=": mine >= other}[op]
        return check
    raise invalid()


def parse(text: str | None) -> Predicate:
    """The predicate of query ``text`` over stored file records (None/empty: everything)."""
    if not text or not text.strip():
        return lambda f: True
    parser = _Parser(text)
    predicate = parser.expr()
    if parser.peek()[0] != "end":
        raise invalid()
    return predicate
