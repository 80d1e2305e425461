"""Forms API responses as domain Responses: answers keyed by our question keys (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from functions.domain.forms import FormSpec
from functions.domain.model import Answer, Response
from functions.domain.text import nfc


def parse_time(value: str) -> datetime:
    """RFC 3339 UTC as Google writes it (``Z``, 0 to 9 fraction digits) → aware datetime.

    >>> parse_time("2025-01-10T08:15:02.394652Z").microsecond
    394652
    >>> parse_time("2025-01-10T08:15:02Z").tzinfo is not None
    True
    """
    text = value.rstrip("Z")
    if "." in text:
        whole, fraction = text.split(".", 1)
        text = f"{whole}.{fraction[:6].ljust(6, '0')}"
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def format_time(moment: datetime) -> str:
    """The exact form used in cursors and in the Sheet's version column."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def to_response(raw: Mapping[str, Any], spec: FormSpec, question_keys: Mapping[str, str],
                year: int) -> Response:
    """``question_keys``: Google questionId → our key (answers to unknown ids are dropped:
    they belong to questions the service did not make)."""
    answers: dict[str, Answer] = {}
    for question_id, answer in raw.get("answers", {}).items():
        key = question_keys.get(question_id)
        if key is None:
            continue
        values = tuple(nfc(str(item.get("value", "")))
                       for item in answer.get("textAnswers", {}).get("answers", []))
        answers[key] = values[0] if len(values) == 1 else values
    created = parse_time(raw["createTime"])
    return Response(
        response_id=str(raw["responseId"]),
        form_key=spec.key,
        period=spec.period,
        group=spec.group,
        respondent_email=(raw.get("respondentEmail") or "").strip().lower() or None,
        created=created,
        last_submitted=parse_time(raw.get("lastSubmittedTime") or raw["createTime"]),
        answers=answers,
        year=year,
    )
