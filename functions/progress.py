"""Progress of a long step (units provisioned, unit Sheets synced): counts and an estimate.

On a terminal, one line redrawn in place: a bar, the counts, the time left. Elsewhere (CI, a
log file) a plain line at most every `every` seconds and at the end, so a log stays short.
Services call the Workspace's `progress(label, done, total)`; only the CLI wires this renderer.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Write = Callable[[str], None]
BAR = 24


def remaining_text(seconds: float) -> str:
    """«còn khoảng 2 phút 5 giây», rounded so the figure does not flicker."""
    whole = round(seconds)
    if whole < 60:
        return f"còn khoảng {whole} giây"
    minutes, seconds = divmod(whole, 60)
    if minutes < 60:
        return f"còn khoảng {minutes} phút {seconds} giây"
    hours, minutes = divmod(minutes, 60)
    return f"còn khoảng {hours} giờ {minutes} phút"


@dataclass
class ProgressLines:
    """A `progress(label, done, total)` callback for people. `write` prints without a newline
    on a terminal (`tty`), a whole line otherwise."""

    write: Write
    tty: bool
    every: float = 10.0
    clock: Callable[[], float] = time.monotonic
    _started: dict[str, tuple[float, int]] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    def __call__(self, label: str, done: int, total: int) -> None:
        now = self.clock()
        start, first = self._started.setdefault(label, (now, done))
        finished = done >= total
        if not self.tty and not finished and now - self._last.get(label, start) < self.every:
            return
        self._last[label] = now
        line = self.line(label, done, total, now - start, done - first, bar=self.tty)
        if self.tty:
            self.write(f"\r{line}\033[K" + ("\n" if finished else ""))
        else:
            self.write(line + "\n")
        if finished:
            self._started.pop(label, None)

    @staticmethod
    def line(label: str, done: int, total: int, elapsed: float, advanced: int,
             bar: bool = False) -> str:
        share = done / total if total else 1.0
        text = f"{label}: {done}/{total} ({share:.0%})"
        if bar:
            filled = int(BAR * share)
            text = f"{label}: [{'#' * filled}{'.' * (BAR - filled)}] {done}/{total} ({share:.0%})"
        if advanced > 0 and done < total and elapsed > 0:
            text += ", " + remaining_text(elapsed / advanced * (total - done))
        return text


def no_progress(label: str, done: int, total: int) -> None:
    """Progress that shows nothing (Cloud Functions, tests)."""


def on_console() -> ProgressLines:
    """Progress on standard output: a redrawn bar on a terminal, plain periodic lines otherwise.
    The CLI's long commands and the benchmarks share it."""
    return ProgressLines(lambda text: print(text, end="", flush=True), tty=sys.stdout.isatty())
