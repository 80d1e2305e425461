"""Request-body checks against the discovery schemas, answered as Google answers them.

Google parses JSON bodies into protocol buffers: null fields are ignored, int64 values may come
as strings, and an unknown field is rejected with
``Invalid JSON payload received. Unknown name "x" at 'requests[0].update_cells': Cannot
find field.``
(the path uses the proto's snake_case names; seen in public error reports, e.g.
theoephraim/node-google-spreadsheet#523). Drive is lenient about unknown fields, as the real
service is (gspread sends ``withLink`` in permissions).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from emulator import discovery
from emulator.errors import ApiError

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
# Batch request entries whose schema is a union ("oneof kind"): exactly one field must be set.
ONEOF_ENTRIES = {
    ("sheets.v4", "Request"),
    ("forms.v1", "Request"),
    ("docs.v1", "Request"),
}


@functools.lru_cache(maxsize=4096)  # schema field names: asked for every field of every body
def snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


def drop_nulls(value: Any) -> Any:
    """A copy of ``value`` without null object fields, as Google's JSON parser ignores them."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


class _Checker:
    def __init__(self, service: str, strict: bool) -> None:
        self.service = service
        self.schemas = discovery.document(service)["schemas"]
        self.strict = strict
        self.problems: list[tuple[str, str]] = []  # (field path, message)

    def check(self, schema: dict[str, Any], value: Any, path: str) -> None:
        if "$ref" in schema:
            name = schema["$ref"]
            self._check_object(name, self.schemas[name], value, path)
            return
        kind = schema.get("type")
        if kind == "object" and "additionalProperties" in schema:
            if not isinstance(value, dict):
                self._invalid(path, value, "google.protobuf.Struct")
                return
            for key, item in value.items():
                self.check(schema["additionalProperties"], item, f"{path}[{key}]")
        elif kind == "object":
            self._check_object(None, schema, value, path)
        elif kind == "array":
            if not isinstance(value, list):
                self._invalid(path, value, "google.protobuf.ListValue")
                return
            for index, item in enumerate(value):
                self.check(schema.get("items", {}), item, f"{path}[{index}]")
        elif kind == "integer" or (
            kind == "string" and schema.get("format") in ("int64", "uint64")
        ):
            if isinstance(value, bool) or not _is_integer(value):
                self._invalid(path, value, "TYPE_INT")
        elif kind == "number":
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                self._invalid(path, value, "TYPE_DOUBLE")
        elif kind == "boolean":
            if not isinstance(value, bool):
                self._invalid(path, value, "TYPE_BOOL")
        elif kind == "string":
            if not isinstance(value, str):
                self._invalid(path, value, "TYPE_STRING")
            elif "enum" in schema and value not in schema["enum"]:
                self._invalid(path, value, "TYPE_ENUM")

    def _check_object(
        self, name: str | None, schema: dict[str, Any], value: Any, path: str
    ) -> None:
        if not isinstance(value, dict):
            self._invalid(path, value, "message")
            return
        properties = schema.get("properties", {})
        if name is not None and (self.service, name) in ONEOF_ENTRIES:
            set_kinds = [key for key in value if key in properties]
            if len(set_kinds) > 1:
                self.problems.append(
                    (path, f"Invalid JSON payload received. Oneof field 'kind' is already set. "
                     f"Cannot set '{set_kinds[1]}'")
                )
            elif not value:
                self.problems.append((path, f"Invalid {path}: No request set"))
        for key, item in value.items():
            if key in properties:
                self.check(properties[key], item, f"{path}.{snake(key)}" if path else snake(key))
            elif self.strict:
                where = f" at '{path}'" if path else ""
                self.problems.append(
                    (path, f'Invalid JSON payload received. Unknown name "{key}"{where}: '
                     "Cannot find field")
                )

    def _invalid(self, path: str, value: Any, type_name: str) -> None:
        shown = str(value)[:60]
        self.problems.append(
            (path, f"Invalid value at '{path}' (type.googleapis.com/{type_name}), {shown!r}")
        )


def _is_integer(value: Any) -> bool:
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, str) and re.fullmatch(r"-?\d+", value) is not None


def validate(service: str, schema_name: str, body: Any, *, strict: bool = True) -> Any:
    """``body`` without its nulls, or a 400 ApiError listing every problem as Google does."""
    cleaned = drop_nulls(body)
    checker = _Checker(service, strict)
    checker.check({"$ref": schema_name}, cleaned, "")
    if checker.problems:
        message = "\n".join(text for _, text in checker.problems) + "."
        details = [
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [
                    {"field": field, "description": text + "."} for field, text in checker.problems
                ],
            }
        ]
        raise ApiError(400, message, details=details)
    return cleaned
