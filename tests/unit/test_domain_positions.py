"""The position-to-group rule, with the default keywords, on real Vietnamese titles."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from functions.domain import Group, PositionRule
from functions.paths import data_dir


def default_rule() -> PositionRule:
    data = yaml.safe_load((data_dir("forms") / "defaults.yaml").read_text(encoding="utf-8"))
    rule = data["position_rule"]
    return PositionRule(tuple(rule["group_1"]), tuple(rule["not_group_1"]))


RULE = default_rule()

GROUP_ONE = [
    "Giám đốc",
    "Phó Giám đốc Sở",
    "Trưởng phòng",
    "Trưởng phòng Giáo dục phổ thông",
    "Phó Trưởng phòng",
    "Phó trưởng phòng Tổ chức cán bộ",
    "Phó phòng Kế hoạch - Tài chính",
    "Chánh Văn phòng",
    "Phó Chánh Văn phòng",
    "Chánh Thanh tra",
    "Hiệu trưởng",
    "HIỆU TRƯỞNG",
    "Phó Hiệu trưởng",
    "Phó hiệu trưởng phụ trách chuyên môn",
    "Hiệu trưởng kiêm Bí thư Chi bộ",
    "Giám đốc Trung tâm GDNN-GDTX",
    "Phó Giám đốc Trung tâm",
    "Chủ tịch Công đoàn",
    "Giáo viên, Chủ tịch Công đoàn cơ sở",
    "Giáo viên, Bí thư Đoàn trường",
    "Giáo viên kiêm Bí thư Đoàn thanh niên",
    "Bí thư Chi bộ",
    "Chuyên viên, Bí thư Chi đoàn Sở",
    "Tổ trưởng chuyên môn, Chủ tịch Công đoàn",
    "Chủ tịch Hội Cựu chiến binh",
    "Phó Hiệu trưởng / Phó Bí thư Chi bộ",
]

GROUP_TWO = [
    "Giáo viên",
    "Chuyên viên",
    "Tổ trưởng chuyên môn",
    "Tổ trưởng Tổ Toán - Tin",
    "Tổ phó chuyên môn",
    "Tổ trưởng tổ Văn phòng",
    "Tổ trưởng Công đoàn",
    "Nhân viên kế toán",
    "Kế toán trưởng",
    "Nhân viên văn thư",
    "Nhân viên thư viện",
    "Nhân viên y tế trường học",
    "Bảo vệ",
    "Giáo viên chủ nhiệm",
    "Tổng phụ trách Đội",
    "Phó Bí thư Đoàn trường",
    "Phó Chủ tịch Công đoàn",
    "Phó Bí thư Chi bộ",
    "Giáo viên, Trưởng phòng thí nghiệm",
    "Nhóm trưởng bộ môn Hóa",
    "Thư ký Hội đồng trường",
    "Giáo viên trường THPT Chu Văn An",
    "Chuyên viên Phòng Giáo dục phổ thông",
]


@pytest.mark.parametrize("title", GROUP_ONE)
def test_leaders_and_heads_of_mass_organisations_are_group_one(title: str) -> None:
    assert RULE.group_of(title) is Group.ONE


@pytest.mark.parametrize("title", GROUP_TWO)
def test_everyone_else_is_group_two(title: str) -> None:
    assert RULE.group_of(title) is Group.TWO


def test_the_rule_ignores_how_the_text_was_typed() -> None:
    decomposed = unicodedata.normalize("NFD", "Phó Hiệu Trưởng")
    assert RULE.group_of(decomposed) is Group.ONE
    assert RULE.group_of("  phó   hiệu   trưởng ") is Group.ONE


def test_school_is_not_head_despite_sharing_letters() -> None:
    # "trường" (school) and "trưởng" (head) differ only by a tone mark.
    rule = PositionRule(("trưởng phòng",))
    assert rule.group_of("Giáo viên trường phòng") is Group.TWO


def test_the_rule_is_data_another_province_can_change(tmp_path: Path) -> None:
    rule = PositionRule(("trưởng khoa",), ())
    assert rule.group_of("Trưởng khoa Văn hóa") is Group.ONE
    assert rule.group_of("Hiệu trưởng") is Group.TWO
