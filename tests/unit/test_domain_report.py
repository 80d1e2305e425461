"""The report model: counts per group, a person once, the Vietnamese order of names."""

from __future__ import annotations

from functions.domain.collation import name_key, sort_key
from functions.domain.model import Group, PeriodKind, Staff, Unit
from functions.domain.report import Entry, by_kind, rate, total, unit_figures

UNIT = Unit("THPT-A", "Trường THPT A", "Trường THPT")
ROSTER = (
    Staff("Trần Văn Đức", "duc@x.vn", "Hiệu trưởng", "THPT-A", Group.ONE,
          other_emails=("duc.khac@x.vn",)),
    Staff("Lê Thị Ánh", "anh@x.vn", "Phó Hiệu trưởng", "THPT-A", Group.ONE),
    Staff("Nguyễn Văn An", "an@x.vn", "Giáo viên", "THPT-A", Group.TWO),
    Staff("Phạm Thị Ân", "an2@x.vn", "Giáo viên", "THPT-A", Group.TWO),
    Staff("Hoàng Dũng", "dung@x.vn", "Nhân viên", "THPT-A", Group.TWO),
)


def entry(period: PeriodKind, email: str, group: Group = Group.TWO, **extra: object) -> Entry:
    return Entry(period=period, name=str(extra.pop("name", email)), email=email,
                 position="", group=group, **extra)  # type: ignore[arg-type]


def test_letters_order_before_tones_and_d_stroke_follows_d() -> None:
    words = ["Đào", "Dương", "Ánh", "Anh", "Ân", "Ăn", "Ba", "an", "Án"]
    assert sorted(words, key=sort_key) == ["an", "Án", "Anh", "Ánh", "Ăn", "Ân", "Ba",
                                           "Dương", "Đào"]


def test_names_sort_by_given_name_then_full_name() -> None:
    names = ["Trần Văn Đức", "Nguyễn Văn An", "Lê Thị Ánh", "Phạm Thị Ân", "Hoàng Dũng",
             "Lê Văn An"]
    assert sorted(names, key=name_key) == ["Lê Văn An", "Nguyễn Văn An", "Lê Thị Ánh",
                                           "Phạm Thị Ân", "Hoàng Dũng", "Trần Văn Đức"]


def test_a_person_who_submitted_twice_or_from_another_address_counts_once() -> None:
    entries = [
        entry(PeriodKind.PLAN, "duc@x.vn", Group.ONE, confirmed=True),
        entry(PeriodKind.PLAN, "DUC.KHAC@x.vn", Group.ONE),  # later row: not yet confirmed
        entry(PeriodKind.PLAN, "an@x.vn", confirmed=True),
        entry(PeriodKind.PLAN, "an@x.vn", confirmed=True),
        entry(PeriodKind.PLAN, "khach@y.vn", name="Vũ Khách"),  # outside the roster
        entry(PeriodKind.HALF_YEAR, "an@x.vn"),
        entry(PeriodKind.HALF_YEAR, "anh@x.vn", Group.ONE),
        entry(PeriodKind.Q1, "an2@x.vn"),  # another period: not counted
    ]
    figures = unit_figures(UNIT, ROSTER, entries, PeriodKind.HALF_YEAR)
    one, two = figures.groups[Group.ONE], figures.groups[Group.TWO]
    assert (one.total, one.registered, one.confirmed, one.reported) == (2, 1, 0, 1)
    assert (two.total, two.registered, two.confirmed, two.reported) == (4, 2, 1, 1)
    assert figures.on_roster == 5
    assert [p.name for p in figures.missing] == ["Phạm Thị Ân", "Hoàng Dũng", "Trần Văn Đức"]
    assert rate(figures.all.registered, figures.all.total) == 50.0


def test_year_end_lists_commended_reminded_practices_and_distributions() -> None:
    entries = [
        entry(PeriodKind.YEAR, "an@x.vn", commend=True, evaluation="Hoàn thành tốt nhiệm vụ",
              self_rating="Hoàn thành tốt nhiệm vụ", good_practice=True,
              criteria=(("Tiêu chí 1", "Kết quả: <b>dạy tốt</b>"), ("Tiêu chí 2", ""))),
        entry(PeriodKind.YEAR, "dung@x.vn", remind=True, evaluation="Hoàn thành nhiệm vụ",
              self_rating="Hoàn thành tốt nhiệm vụ"),
        entry(PeriodKind.PLAN, "duc@x.vn", Group.ONE, confirmed=True,
              criteria=(("Tiêu chí 1", "Nội dung: gương mẫu"),)),
        entry(PeriodKind.PLAN, "anh@x.vn", Group.ONE),  # not confirmed: not posted
    ]
    figures = unit_figures(UNIT, ROSTER, entries, PeriodKind.YEAR)
    assert [p.name for p in figures.commended] == ["Nguyễn Văn An"]
    assert [p.name for p in figures.reminded] == ["Hoàng Dũng"]
    assert [(p.author.name, p.text) for p in figures.practices] == [
        ("Nguyễn Văn An", "Tiêu chí 1: Kết quả: <b>dạy tốt</b>")]
    assert figures.self_ratings == {"Hoàn thành tốt nhiệm vụ": 2}
    assert figures.evaluations == {"Hoàn thành tốt nhiệm vụ": 1, "Hoàn thành nhiệm vụ": 1}
    assert [p.name for p, _ in figures.plans] == ["Trần Văn Đức"]


def test_units_group_by_type_in_the_files_order_and_sum_to_a_total() -> None:
    units = [Unit("B", "Trường Đông", "Trường THPT"), Unit("A", "Trường Dương", "Trường THPT"),
             Unit("S", "Văn phòng", "Phòng thuộc Sở")]
    figures = [unit_figures(u, [s for s in ROSTER if u.code == "A"], [], PeriodKind.PLAN)
               for u in units]
    grouped = by_kind(figures, ["Phòng thuộc Sở", "Trường THPT"])
    assert [(g.kind, [f.unit.name for f in g.units]) for g in grouped] == [
        ("Phòng thuộc Sở", ["Văn phòng"]), ("Trường THPT", ["Trường Dương", "Trường Đông"])]
    sums = total(figures)
    assert (sums[Group.ONE].total, sums[Group.TWO].total) == (2, 3)
