"""Forms API responses as domain Responses: answers keyed by our question keys (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from functions.domain.forms import FormSpec
from functions.domain.model import Answer, Response
from functions.domain.text import nfc

_NONE: Mapping[str, Any] = {}  # an absent part of a response (never written to)


def parse_time(value: str) -> datetime:
    """RFC 3339 UTC as Google writes it (``Z``, 0 to 9 fraction digits) → aware datetime.

    >>> parse_time("2025-01-10T08:15:02.394652Z").microsecond
    394652
    >>> parse_time("2025-01-10T08:15:02.394652123Z").microsecond
    394652
    >>> parse_time("2025-01-10T08:15:02.39Z").microsecond
    390000
    >>> parse_time("2025-01-10T08:15:02Z").tzinfo is not None
    True
    """
    # Python 3.11's parser takes the Z and any number of fraction digits (beyond 6 dropped).
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def format_time(moment: datetime) -> str:
    """The exact form used in cursors and in the Sheet's version column.

    >>> format_time(parse_time("2025-01-10T08:15:02.39Z"))
    '2025-01-10T08:15:02.390000Z'
    """
    utc = moment.astimezone(UTC)
    # An f-string: strftime is the larger share of this function's cost at 60 000 responses.
    return (f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:"
            f"{utc.second:02d}.{utc.microsecond:06d}Z")


def to_response(raw: Mapping[str, Any], spec: FormSpec, question_keys: Mapping[str, str],
                year: int) -> Response:
    """``question_keys``: Google questionId → our key (answers to unknown ids are dropped:
    they belong to questions the service did not make)."""
    answers: dict[str, Answer] = {}
    for question_id, answer in raw.get("answers", _NONE).items():
        key = question_keys.get(question_id)
        if key is None:
            continue
        items = answer.get("textAnswers", _NONE).get("answers", ())
        if len(items) == 1:  # the common case, without a tuple (60 000 responses × 25 answers)
            value = items[0].get("value", "")
            answers[key] = nfc(value if type(value) is str else str(value))
        else:
            answers[key] = tuple(nfc(str(item.get("value", ""))) for item in items)
    created = parse_time(raw["createTime"])
    submitted = raw.get("lastSubmittedTime")
    return Response(
        response_id=str(raw["responseId"]),
        form_key=spec.key,
        period=spec.period,
        group=spec.group,
        respondent_email=(raw.get("respondentEmail") or "").strip().lower() or None,
        created=created,
        last_submitted=parse_time(submitted) if submitted else created,
        answers=answers,
        year=year,
    )
