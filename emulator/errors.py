"""Errors the emulator answers, in the JSON shapes Google's APIs use.

Sheets, Forms and Docs answer ``{"error": {"code", "message", "status", "details"}}``; Drive and
Cloud Storage answer the older shape with an ``errors[]`` list carrying a ``reason``. gspread and
google-api-python-client both read ``error.code`` and ``error.message``, so both are always set.
"""

from __future__ import annotations

from typing import Any

STATUS_BY_CODE = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    412: "FAILED_PRECONDITION",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}

REASON_BY_CODE = {
    400: "badRequest",
    401: "authError",
    403: "forbidden",
    404: "notFound",
    409: "duplicate",
    412: "conditionNotMet",
    429: "rateLimitExceeded",
    500: "internalError",
    501: "notImplemented",
    503: "backendError",
}

LEGACY_SHAPE_APIS = frozenset({"drive", "storage"})


class ApiError(Exception):
    """An error answer. ``reason`` and ``location`` only show in the older (Drive) shape."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        reason: str | None = None,
        location: str | None = None,
        details: list[dict[str, Any]] | None = None,
        status: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status  # overrides the canonical status of ``code`` (400 FAILED_PRECONDITION)
        self.code = code
        self.message = message
        self.reason = reason or REASON_BY_CODE.get(code, "unknown")
        self.location = location
        self.details = details

    def body(self, api: str) -> dict[str, Any]:
        if api in LEGACY_SHAPE_APIS:
            item: dict[str, Any] = {
                "message": self.message, "domain": "global", "reason": self.reason
            }
            if self.location:
                item.update(location=self.location, locationType="parameter")
            return {"error": {"code": self.code, "message": self.message, "errors": [item]}}
        error: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "status": self.status or STATUS_BY_CODE.get(self.code, "UNKNOWN"),
        }
        if self.details:
            error["details"] = self.details
        return {"error": error}


def bad_request(message: str, field: str | None = None) -> ApiError:
    details = None
    if field is not None:
        details = [
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": field, "description": message}],
            }
        ]
    return ApiError(400, message, details=details)


def not_found(message: str, location: str | None = None) -> ApiError:
    return ApiError(404, message, location=location)


def permission_denied(message: str = "The caller does not have permission") -> ApiError:
    return ApiError(403, message, reason="insufficientFilePermissions")


def quota_exceeded(api: str, bucket: str, scope: str) -> ApiError:
    """Sheets, Forms, Docs: 429 RESOURCE_EXHAUSTED. Drive: 403 with the older shape's reason,
    ``sharingRateLimitExceeded`` for the sharing bucket (see ``quota``)."""
    if api == "drive":
        if bucket == "sharing":
            return ApiError(403, "Rate limit exceeded. User message: \"Sorry, you have exceeded "
                                 "your sharing quota.\"", reason="sharingRateLimitExceeded")
        if scope == "user":
            return ApiError(403, "User Rate Limit Exceeded", reason="userRateLimitExceeded")
        return ApiError(403, "Rate Limit Exceeded", reason="rateLimitExceeded")
    message = (
        f"Quota exceeded for quota metric '{api} requests' and limit "
        f"'{api} requests per minute per {scope}'."
    )
    reason = "userRateLimitExceeded" if scope == "user" else "rateLimitExceeded"
    return ApiError(429, message, reason=reason)
