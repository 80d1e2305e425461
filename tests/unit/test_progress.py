"""Progress of long commands: a bar with counts and time left on a terminal, plain periodic lines
elsewhere (CI)."""

from __future__ import annotations

from functions.progress import ProgressLines


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def run(tty: bool, total: int = 9, seconds_each: float = 4.0) -> list[str]:
    written: list[str] = []
    clock = Clock()
    progress = ProgressLines(written.append, tty=tty, every=10.0, clock=clock)
    for done in range(total + 1):
        progress("Đơn vị", done, total)
        clock.now += seconds_each
    return written


def test_without_a_terminal_a_plain_line_every_ten_seconds_and_at_the_end() -> None:
    lines = run(tty=False)
    assert lines == ["Đơn vị: 3/9 (33%), còn khoảng 24 giây\n",
                     "Đơn vị: 6/9 (67%), còn khoảng 12 giây\n",
                     "Đơn vị: 9/9 (100%)\n"]


def test_on_a_terminal_one_line_redrawn_with_a_bar_and_a_newline_at_the_end() -> None:
    lines = run(tty=True, total=4)
    assert len(lines) == 5 and all(line.startswith("\r") for line in lines)
    assert "Đơn vị: [############............] 2/4 (50%), còn khoảng 8 giây" in lines[2]
    assert lines[-1].endswith("4/4 (100%)\033[K\n") and not lines[-2].endswith("\n")


def test_long_estimates_read_in_minutes_and_hours() -> None:
    lines = run(tty=False, total=2000, seconds_each=1.0)
    assert lines[0] == "Đơn vị: 10/2000 (0%), còn khoảng 33 phút 10 giây\n"
    assert ProgressLines.line("Đơn vị", 1, 100, 3600, 1).endswith("còn khoảng 99 giờ 0 phút")
