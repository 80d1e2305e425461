"""The contract check shared by the emulator's tests: an answer must fit its discovery schema.

``assert_matches_schema("sheets.v4", "Spreadsheet", body)`` walks the response schema of the
discovery document shipped in google-api-python-client: every key in the answer must be a
known property of its object (output-only fields are properties too) and every value must
have the JSON type the schema gives (int64 may come as a string, as Google sends it).
Short API names work too (``"sheets"``, ``"drive"``, ``"forms"``, ``"docs"``).
"""

from __future__ import annotations

from typing import Any

from emulator import discovery

VERSIONS = {"sheets": "sheets.v4", "drive": "drive.v3", "forms": "forms.v1", "docs": "docs.v1",
            "storage": "storage.v1"}


def problems(service: str, schema_name: str, body: Any) -> list[str]:
    """Every place where ``body`` does not fit schema ``schema_name`` of ``service``."""
    service = VERSIONS.get(service, service)
    schemas = discovery.document(service)["schemas"]
    found: list[str] = []

    def check(schema: dict[str, Any], value: Any, path: str) -> None:
        if "$ref" in schema:
            schema = schemas[schema["$ref"]]
        kind = schema.get("type")
        if kind == "object":
            if not isinstance(value, dict):
                found.append(f"{path}: expected an object, got {type(value).__name__}")
                return
            properties = schema.get("properties", {})
            extra = schema.get("additionalProperties")
            for key, item in value.items():
                if key in properties:
                    check(properties[key], item, f"{path}.{key}")
                elif extra is not None:
                    check(extra, item, f"{path}[{key}]")
                else:
                    found.append(f"{path}.{key}: not a property of {schema.get('id', 'object')}")
        elif kind == "array":
            if not isinstance(value, list):
                found.append(f"{path}: expected an array, got {type(value).__name__}")
                return
            for index, item in enumerate(value):
                check(schema.get("items", {}), item, f"{path}[{index}]")
        elif kind == "string":
            if schema.get("format") in ("int64", "uint64") and isinstance(value, int) and not (
                    isinstance(value, bool)):
                return
            if not isinstance(value, str):
                found.append(f"{path}: expected a string, got {value!r}")
            elif "enum" in schema and value not in schema["enum"]:
                found.append(f"{path}: {value!r} is not one of {schema['enum']}")
        elif kind == "integer":
            if isinstance(value, bool) or not (isinstance(value, int) or (
                    isinstance(value, str) and value.lstrip("-").isdigit())):
                found.append(f"{path}: expected an integer, got {value!r}")
        elif kind == "number":
            if isinstance(value, bool) or not isinstance(value, int | float):
                found.append(f"{path}: expected a number, got {value!r}")
        elif kind == "boolean" and not isinstance(value, bool):
            found.append(f"{path}: expected a boolean, got {value!r}")
        # "any" and untyped schemas accept everything

    check({"$ref": schema_name}, body, schema_name)
    return found


def assert_matches_schema(service: str, schema_name: str, body: Any) -> None:
    """Fails with every mismatch listed when ``body`` does not fit the schema."""
    mismatches = problems(service, schema_name, body)
    assert not mismatches, f"answer does not match {service} {schema_name}:\n" + "\n".join(
        mismatches[:30])


def response_schema(method_id: str) -> str | None:
    """The response schema name of a discovery method (e.g. ``sheets.spreadsheets.get``)."""
    method = discovery.by_id().get(method_id)
    return method.response_schema if method else None
