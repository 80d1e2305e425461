"""The plan as data: the criteria in forms/ are the seed's annexes, word for word (up to the
listed typo fixes), and the forms built from them have stable keys."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from functions.config import load
from functions.config.errors import Problems
from functions.config.plan import load_plan
from functions.config.sample import SAMPLE_DIR, write_sample
from functions.domain import Group, PeriodKind, QuestionKind
from functions.paths import data_dir

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_fcfe714d0a83d7f8.txt"
IN_REPO_COPY = Path(__file__).parent / "data" / "seed_annexes.txt"

# (group, criterion) -> the typo fixes applied to the seed text, as listed in the YAML comments.
FIXES: dict[tuple[int, int], list[tuple[str, str]]] = {
    (1, 1): [("cần, kiệm liêm,", "cần, kiệm, liêm,"), ("dám nghĩ, dám nghĩ,", "dám nghĩ,")],
    (1, 2): [("37–QĐ/TW", "37-QĐ/TW"), ("tỉnh Hòa Bình", "{tinh}")],
    (1, 3): [("cá nhân...Thẳng thắn", "cá nhân... Thẳng thắn")],
    (1, 5): [("nhiệm vụ chính thị", "nhiệm vụ chính trị"),
             ("công chức , viên chức", "công chức, viên chức")],
    (2, 1): [("dám nghĩ, dám nghĩ,", "dám nghĩ,")],
    (2, 2): [("số 37 – QĐ/TW", "số 37-QĐ/TW"), ("chủ nghĩa các nhân", "chủ nghĩa cá nhân"),
             ("tỉnh Hòa Bình", "{tinh}")],
    (2, 4): [("đất nước”. “trách nhiệm", "đất nước”, “trách nhiệm")],
}


def annex_criteria(text: str, annex: str) -> dict[int, str]:
    """The numbered criteria "(1) ...", "(2). ..." of one annex, whitespace-normalised."""
    text = unicodedata.normalize("NFC", text)
    start = text.index(annex)
    body = text[text.index("/2/2023)", start) + len("/2/2023)"): text.index("-----", start)]
    parts = re.split(r"\((\d)\)\.? ", " ".join(body.split()))
    return {int(parts[i]): parts[i + 1].strip() for i in range(1, len(parts), 2)}


def with_fixes(group: int, criteria: dict[int, str]) -> dict[int, str]:
    fixed = {}
    for number, text in criteria.items():
        for old, new in FIXES.get((group, number), []):
            assert text.count(old) == 1, f"fix {old!r} no longer applies to criterion {number}"
            text = text.replace(old, new)
        fixed[number] = text
    return fixed


def criteria_in_forms() -> dict[int, dict[int, str]]:
    problems = Problems()
    plan = load_plan(data_dir("forms"), problems)
    assert not problems, problems.items
    return {
        f.group.value: {c.number: " ".join(c.text.split()) for c in f.criteria}
        for f in plan.frameworks
    }


def assert_forms_match(seed_text: str) -> None:
    ours = criteria_in_forms()
    for group, annex in ((1, "PHỤ LỤC 1"), (2, "PHỤ LỤC 2")):
        expected = with_fixes(group, annex_criteria(seed_text, annex))
        for number, text in expected.items():
            assert ours[group][number] == text, f"Nhóm {group}, tiêu chí {number} differs"


def test_the_criteria_match_the_in_repo_copy_of_the_annexes() -> None:
    assert_forms_match(IN_REPO_COPY.read_text(encoding="utf-8"))


def test_the_criteria_match_the_shared_seed_plan() -> None:
    if not SEED.is_file():
        pytest.skip(f"the shared seed plan is absent here ({SEED}); the in-repo copy is checked")
    seed = SEED.read_text(encoding="utf-8")
    assert_forms_match(seed)
    assert annex_criteria(seed, "PHỤ LỤC 1") == annex_criteria(
        IN_REPO_COPY.read_text(encoding="utf-8"), "PHỤ LỤC 1"
    )


def test_group_one_has_six_criteria_and_group_two_seven() -> None:
    ours = criteria_in_forms()
    assert sorted(ours[1]) == [1, 2, 3, 4, 5, 6]
    assert sorted(ours[2]) == [1, 2, 3, 4, 5, 6, 7]


def test_every_fix_is_listed_in_a_yaml_comment_beside_its_criterion() -> None:
    for group in (1, 2):
        source = (data_dir("forms") / "frameworks" / f"group-{group}.yaml").read_text("utf-8")
        listed = [line for line in source.splitlines() if line.startswith("    # - ")]
        fixes = [pair for (g, _), pairs in FIXES.items() if g == group for pair in pairs]
        assert len(listed) == len(fixes), f"Nhóm {group}: {listed}"
        for line, (old, new) in zip(listed, fixes, strict=True):
            assert "→" in line and old.split()[-1].strip(",") in line, line
            assert new.split()[-1].strip(",") in line, line


def test_every_text_a_user_reads_is_nfc() -> None:
    repo = data_dir("forms").parent
    paths = [*data_dir("forms").rglob("*.yaml"), *SAMPLE_DIR.iterdir(), repo / "README.md",
             *(repo / "functions").glob("cli.py"), *(repo / "functions" / "config").glob("*.py"),
             *(repo / "functions" / "domain").glob("*.py")]
    for path in paths:
        text = path.read_text(encoding="utf-8-sig")
        assert unicodedata.normalize("NFC", text) == text, path


def test_the_sample_year_has_ten_forms_with_stable_question_keys() -> None:
    deployment = load(SAMPLE_DIR / "guongmau.yaml")
    assert len(deployment.forms) == 2 * len(PeriodKind)
    plan = deployment.form("ke-hoach-nhom-1")
    assert plan.answer_keys[:3] == ("ho_ten", "don_vi", "chuc_vu")
    assert "tc6_noi_dung" in plan.answer_keys and "tc7_noi_dung" not in plan.answer_keys
    assert plan.answer_keys[-1] == "cam_ket"
    assert "tc7_noi_dung" in deployment.form("ke-hoach-nhom-2").answer_keys
    assert plan.question("tc1").kind is QuestionKind.SECTION


def test_the_unit_question_lists_active_units_only() -> None:
    deployment = load(SAMPLE_DIR / "guongmau.yaml")
    options = deployment.form("quy-1-nhom-2").question("don_vi").options
    assert options == tuple(unit.choice_label for unit in deployment.active_units)
    assert not any("THPT-BCMS" in option for option in options)


def test_only_the_year_end_report_asks_for_the_self_classification() -> None:
    deployment = load(SAMPLE_DIR / "guongmau.yaml")
    year_end = deployment.form("ca-nam-nhom-1").question("tu_xep_loai")
    assert year_end.options == (
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ",
    )
    assert "tu_xep_loai" not in deployment.form("6-thang-nhom-1").answer_keys


def test_form_texts_carry_the_notice_the_year_and_the_criterion_text() -> None:
    deployment = load(SAMPLE_DIR / "guongmau.yaml")
    form = deployment.form("ke-hoach-nhom-1")
    assert "91/2025/QH15" in form.description and "13/2023/NĐ-CP" in form.description
    assert "{" not in form.description and "2025" in form.title
    assert form.group is Group.ONE
    criterion = deployment.framework(Group.ONE).criterion(5)
    assert form.question("tc5").description == criterion.text


def test_the_sample_settings_repeat_the_defaults_word_for_word() -> None:
    defaults = yaml.safe_load((data_dir("forms") / "defaults.yaml").read_text("utf-8"))
    sample = yaml.safe_load((SAMPLE_DIR / "guongmau.yaml").read_text("utf-8"))
    for key in ("privacy_notice", "position_rule", "schedule", "model", "retention_years"):
        assert sample[key] == defaults[key], key


def test_criterion_2_names_the_deploying_province_not_hoa_binh(tmp_path: Path) -> None:
    settings = tmp_path / "guongmau.yaml"
    write_sample(tmp_path)
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("  place: Minh Sơn", "  province: thành phố Hải Phòng\n"
                                     "  place: Hải Phòng", 1), encoding="utf-8")
    deployment = load(settings)
    shown = [q.description for spec in deployment.forms for q in spec.questions
             if q.criterion == 2 and "Quy định số 14" in q.description]
    assert len(shown) == 10  # every period's form, of both groups
    assert all("trên địa bàn thành phố Hải Phòng;" in text for text in shown)
    assert not any("Hòa Bình" in text for spec in deployment.forms for q in spec.questions
                   for text in (q.title, q.description))
