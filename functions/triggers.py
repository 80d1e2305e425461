"""What the triggers hand the entry points, read defensively: who calls an HTTP function, and
which form a Pub/Sub notification is about.

Nothing a caller sends may turn into a 500: Pub/Sub redelivers a failed push for days, so a
malformed notification is logged and acknowledged, and only a real failure (Google, the
configuration) is left to fail and be retried.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("guongmau.triggers")

ALLOWED_INVOKERS = "GUONGMAU_ALLOWED_INVOKERS"
ALLOW_ANY_INVOKER = "GUONGMAU_ALLOW_ANY_INVOKER"
_YES = frozenset({"1", "true", "yes", "on", "có"})


@dataclass(frozen=True)
class Refusal:
    """An HTTP function's answer to a caller it does not run for (a Vietnamese line)."""

    status: int
    message: str


NOT_CONFIGURED = Refusal(403, f"Không có quyền gọi chức năng này: chưa đặt {ALLOWED_INVOKERS} "
                              "(email tài khoản dịch vụ của Cloud Scheduler).")
NO_TOKEN = Refusal(401, "Thiếu mã xác thực OIDC hợp lệ của người gọi (tiêu đề Authorization).")
STRANGER = Refusal(403, "Không có quyền gọi chức năng này: tài khoản gọi không có trong "
                        f"{ALLOWED_INVOKERS}.")


def refusal(authorization: str, environ: Mapping[str, str]) -> Refusal | None:
    """Why the caller may not run an HTTP function, or None when it may.

    Cloud Run has already verified the OIDC token (deploy without unauthenticated access) and
    replaced its signature, so only the claims are read here, never re-verified. The token's
    ``email`` must be one of ``GUONGMAU_ALLOWED_INVOKERS`` (comma-separated). Unset, every call
    is refused, unless ``GUONGMAU_ALLOW_ANY_INVOKER`` says so for local work: a function
    deployed by mistake with unauthenticated access must not run for anyone who finds it.
    """
    allowed = {email.strip().lower()
               for email in environ.get(ALLOWED_INVOKERS, "").split(",") if email.strip()}
    if not allowed:
        if environ.get(ALLOW_ANY_INVOKER, "").strip().lower() in _YES:
            return None
        return NOT_CONFIGURED
    claims = _claims(authorization)
    if claims is None:
        return NO_TOKEN
    email = claims.get("email")
    return None if isinstance(email, str) and email.strip().lower() in allowed else STRANGER


def _claims(authorization: str) -> dict[str, Any] | None:
    """The payload of a ``Bearer`` JWT, or None when it is absent or not a JSON object."""
    scheme, _, token = authorization.strip().partition(" ")
    parts = token.strip().split(".")
    if scheme.lower() != "bearer" or len(parts) != 3:
        return None
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, RecursionError):  # binascii and Unicode errors are ValueErrors
        return None
    return claims if isinstance(claims, dict) else None


def notified_form(data: object, event_id: str = "") -> str | None:
    """The form id of a Forms watch notification (Pub/Sub push: ``message.attributes.formId``),
    or None, logged, when the event is not one: acknowledging it is the only way to stop
    Pub/Sub from delivering it again and again."""
    message = data.get("message") if isinstance(data, dict) else None
    attributes = message.get("attributes") if isinstance(message, dict) else None
    form_id = attributes.get("formId") if isinstance(attributes, dict) else None
    if isinstance(form_id, str) and form_id.strip():
        return form_id.strip()
    log.warning("Bỏ qua thông báo Pub/Sub %s không đúng dạng (thiếu message.attributes.formId): "
                "%.300r", event_id, data)
    return None
