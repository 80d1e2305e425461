"""A deterministic province-scale configuration: N units of realistic kinds and names, about 30
staff each (60 000 at 2 000 units) with Vietnamese names and positions, written as
guongmau.yaml + don_vi.csv + nhan_su.csv (the settings are the sample's, from `guongmau init`).

The scale is that of the provinces merged in 2025 (DESIGN.md): about 2 000 units, 60 000 staff.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from pathlib import Path

from functions.config.sample import write_sample
from functions.domain.forms import FormSpec
from functions.domain.model import Staff, Unit

DOMAIN = "sgddt-demo.edu.vn"
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Hà", "Quách", "Lương")
MIDDLES = ("Thị", "Văn", "Đức", "Thu", "Minh", "Ngọc", "Thanh", "Hữu", "Quang", "Thị Thu",
           "Xuân", "Hoài", "Kim", "Bảo", "Phương")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Loan", "Long", "Mai", "Nam", "Nga", "Ngân", "Nhung",
         "Phúc", "Quân", "Quyên", "Sơn", "Tâm", "Thảo", "Thủy", "Trang", "Tuấn", "Vân", "Yến")
PLACES = ("Sơn Thủy", "Minh Lương", "Đồng Tâm", "Hòa Bình", "Tân Lập", "Thanh Hà", "Yên Lạc",
          "Phú Lộc", "Lạc Sơn", "Kim Bôi", "Cao Phong", "Tam Nông", "Thanh Sơn", "Đoan Hùng",
          "Hạ Hòa", "Lâm Thao", "Cẩm Khê", "Tân Sơn", "Mai Châu", "Đà Bắc")
PATRONS = ("Chu Văn An", "Lê Quý Đôn", "Nguyễn Trãi", "Trần Phú", "Lý Tự Trọng", "Võ Thị Sáu",
           "Kim Đồng", "Hùng Vương", "Nguyễn Du", "Lê Lợi", "Quang Trung", "Hai Bà Trưng")
# (kind, code prefix, name pattern, share of units, staff range)
KINDS = (
    ("Trường Mầm non", "MN", "Trường Mầm non {place}", 0.33, (12, 35)),
    ("Trường Tiểu học", "TH", "Trường Tiểu học {place}", 0.32, (18, 45)),
    ("Trường THCS", "THCS", "Trường THCS {place}", 0.25, (20, 45)),
    ("Trường THPT", "THPT", "Trường THPT {patron}", 0.07, (45, 90)),
    ("Trung tâm GDNN-GDTX", "GDNN", "Trung tâm GDNN-GDTX khu vực {place}", 0.03, (15, 35)),
)
SO_DEPARTMENTS = ("Văn phòng Sở", "Phòng Giáo dục phổ thông", "Phòng Tổ chức cán bộ",
                  "Phòng Kế hoạch – Tài chính", "Phòng Khảo thí và Quản lý chất lượng",
                  "Thanh tra Sở", "Phòng Giáo dục mầm non", "Phòng Giáo dục thường xuyên")
SCHOOL_POSITIONS = (("Hiệu trưởng", 1), ("Phó Hiệu trưởng", 2), ("Chủ tịch Công đoàn", 1),
                    ("Bí thư Chi đoàn", 1), ("Tổ trưởng chuyên môn", 3), ("Giáo viên", -1),
                    ("Nhân viên văn phòng", 2), ("Nhân viên y tế", 1))
SO_POSITIONS = (("Trưởng phòng", 1), ("Phó Trưởng phòng", 2), ("Chuyên viên", -1))


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in plain if c.isascii() and c.isalnum()).lower()


class Province:
    """The generated units and staff (rows of the two CSV files), seeded: same N, same files."""

    def __init__(self, units: int, seed: int = 2025) -> None:
        self.rng = random.Random(seed)
        self.units: list[dict[str, str]] = []
        self.staff: list[dict[str, str]] = []
        for index in range(units):
            self._unit(index)

    def _person(self, unit_code: str, number: int, position: str) -> dict[str, str]:
        rng = self.rng
        surname, middle, given = rng.choice(SURNAMES), rng.choice(MIDDLES), rng.choice(GIVEN)
        initials = "".join(ascii_slug(p)[0] for p in (surname, *middle.split()))
        email = f"{ascii_slug(given)}{initials}.{ascii_slug(unit_code)}{number}@{DOMAIN}"
        return {"Họ và tên": f"{surname} {middle} {given}", "Email": email, "Chức vụ": position,
                "Mã đơn vị": unit_code, "Nhóm": "", "Email khác": ""}

    def _unit(self, index: int) -> None:
        rng = self.rng
        positions: tuple[tuple[str, int], ...]
        if index < len(SO_DEPARTMENTS):
            kind, code = "Phòng thuộc Sở", f"SO-{index + 1:02d}"
            name, size, positions = SO_DEPARTMENTS[index], rng.randint(8, 20), SO_POSITIONS
        else:
            draw, total = rng.random(), 0.0
            for kind, prefix, pattern, share, (low, high) in KINDS:  # noqa: B007
                total += share
                if draw <= total:
                    break
            code = f"{prefix}-{index:04d}"
            name = pattern.format(place=f"{rng.choice(PLACES)} {index}",
                                  patron=f"{rng.choice(PATRONS)} {index}")
            size, positions = rng.randint(low, high), SCHOOL_POSITIONS
        people: list[dict[str, str]] = []
        fixed = sum(count for _, count in positions if count > 0)
        for position, count in positions:
            for _ in range(count if count > 0 else max(0, size - fixed)):
                people.append(self._person(code, len(people) + 1, position))
        head = people[0]["Email"]
        reader = people[1]["Email"] if len(people) > 1 and rng.random() < 0.5 else ""
        self.units.append({"Mã đơn vị": code, "Tên đơn vị": name, "Email thủ trưởng": head,
                           "Email theo dõi": reader, "Loại đơn vị": kind, "Trạng thái": ""})
        self.staff.extend(people)

    def write(self, directory: Path) -> Path:
        """guongmau.yaml (the sample's settings) and the two CSV files; returns the yaml's path."""
        write_sample(directory, force=True)
        _write_csv(directory / "don_vi.csv", self.units)
        _write_csv(directory / "nhan_su.csv", self.staff)
        return directory / "guongmau.yaml"


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def plan_answers(spec: FormSpec, question_ids: dict[str, str], person: Staff, unit: Unit | None,
                 rng: random.Random) -> dict[str, list[str]]:
    """A plausible filled plan form of ``person``: Google question id → answer values."""
    answers: dict[str, list[str]] = {}
    for question in spec.questions:
        if not question.collects_answer:
            continue
        value = {"ho_ten": person.name, "chuc_vu": person.position,
                 "don_vi": unit.choice_label if unit else ""}.get(question.key)
        if value is None:
            value = question.options[0] if question.options else \
                f"{question.title}: việc cụ thể số {rng.randint(1, 99)}"
        answers[question_ids[question.key]] = [value]
    return answers


if __name__ == "__main__":
    import argparse
    import sys

    from benchmarks import province_run

    parser = argparse.ArgumentParser(description=province_run.__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000, help="units of the province")
    parser.add_argument("--compress", type=float, default=province_run.COMPRESS,
                        help="minutes of Google's quota per minute here (default 34)")
    parser.add_argument("--naive-sample", type=int, default=300,
                        help="responses the naive baseline appends for real (it is run last)")
    arguments = parser.parse_args()
    sys.exit(province_run.main(arguments.units, arguments.compress, arguments.naive_sample))
