"""`guongmau check`: the plan of a deployment, told in Vietnamese lines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

from functions.config.deployment import Deployment
from functions.config.settings import ResponderKind, Responders
from functions.domain.model import Group
from functions.domain.text import fold

LIST_LIMIT = 40


def describe(deployment: Deployment, *, full: bool = False) -> Iterator[str]:
    settings = deployment.settings
    yield f"{settings.agency.display_name} – mô hình “{settings.model}”"
    yield f"Giai đoạn {settings.phase}, năm {settings.year}. Chuyên đề: {settings.theme}"
    yield ""
    yield from _units(deployment, full)
    yield ""
    yield from _staff(deployment, full)
    yield ""
    yield from _files(deployment, full)
    yield ""
    yield from _schedule(deployment)


def _units(deployment: Deployment, full: bool) -> Iterator[str]:
    active = deployment.active_units
    retired = [unit for unit in deployment.units if not unit.active]
    yield f"ĐƠN VỊ: {len(active)} đang hoạt động, {len(retired)} ngừng hoạt động"
    kinds: dict[str, list[str]] = {}
    for unit in active:
        kinds.setdefault(unit.kind or "(chưa ghi loại)", []).append(unit.choice_label)
    for kind, labels in kinds.items():
        yield f"  {kind} ({len(labels)}): {_join(labels, full)}"
    if retired:
        yield f"  Ngừng hoạt động: {_join([unit.choice_label for unit in retired], full)}"
    codes_of: dict[str, list[str]] = {}
    for unit in deployment.units:
        codes_of.setdefault(fold(unit.name), []).append(unit.code)
    for unit in deployment.units:
        codes = codes_of.pop(fold(unit.name), [])
        if len(codes) > 1:
            yield (f"  Lưu ý: «{unit.name}» có {len(codes)} mã ({', '.join(codes)}). Mã đơn vị là "
                   "định danh: nếu chỉ đổi mã, hãy giữ mã cũ và chỉ đổi tên; mã không còn trong "
                   "danh sách thì bảng của nó chuyển sang ngừng hoạt động (lệnh provision "
                   "--dry-run cho biết trước).")


def _staff(deployment: Deployment, full: bool) -> Iterator[str]:
    staff = deployment.staff
    if deployment.settings.roster_file is None:
        yield "NHÂN SỰ: không có danh sách nhân sự; phiếu được xếp theo đơn vị khai trên phiếu."
        return
    groups = Counter(person.group for person in staff)
    parts = [f"{f.group.label} “{f.content}”: {groups[f.group]}" for f in deployment.frameworks]
    yield f"NHÂN SỰ: {len(staff)} người – " + "; ".join(parts)
    explicit = sum(person.group_explicit for person in staff)
    if explicit:
        yield f"  ({explicit} người được xếp nhóm theo cột «Nhóm»; còn lại theo chức vụ)"
    per_unit = Counter((person.unit_code, person.group) for person in staff)
    units = deployment.active_units
    yield f"  {'Mã đơn vị':<14} {'Nhóm 1':>6} {'Nhóm 2':>6} {'Tổng':>5}  Tên đơn vị"
    for unit in units if full else units[:LIST_LIMIT]:
        one, two = per_unit[(unit.code, Group.ONE)], per_unit[(unit.code, Group.TWO)]
        note = "  ← chưa có ai trong danh sách nhân sự" if one + two == 0 else ""
        yield f"  {unit.code:<14} {one:>6} {two:>6} {one + two:>5}  {unit.name}{note}"
    if not full and len(units) > LIST_LIMIT:
        yield f"  … và {len(units) - LIST_LIMIT} đơn vị khác (thêm --day-du để xem hết)"


def _files(deployment: Deployment, full: bool) -> Iterator[str]:
    settings = deployment.settings
    yield f"BIỂU MẪU SẼ TẠO ({len(deployment.forms)}):"
    for form in deployment.forms:
        asked = len(form.answer_keys)
        yield f"  {form.key:<17} {form.title} ({asked} câu hỏi)"
    units = deployment.active_units
    yield (f"BẢNG TÍNH SẼ TẠO ({len(units) + 1}): 1 bảng tổng hợp của Sở và 1 bảng theo dõi "
           "cho mỗi đơn vị")
    names = [f"{unit.name} (chia sẻ với {len(unit.head_emails) + len(unit.reader_emails)} người)"
             for unit in units]
    yield f"  {_join(names, full)}"
    storage = settings.storage
    place = (f"Drive dùng chung {storage.shared_drive_id}" if storage.shared_drive_id
             else f"thư mục {storage.folder_id}" if storage.folder_id
             else "chưa cấu hình (chỉ dùng được với trình giả lập)")
    yield f"Nơi lưu: {place}. Người được trả lời biểu mẫu: {responders_text(storage.responders)}."


def responders_text(responders: Responders) -> str:
    if responders.kind is ResponderKind.DOMAIN:
        return f"tài khoản thuộc tên miền {responders.domain}"
    if responders.kind is ResponderKind.GROUP:
        return f"thành viên nhóm Google {responders.group}"
    return "mọi người có đường liên kết"


def _schedule(deployment: Deployment) -> Iterator[str]:
    settings = deployment.settings
    yield "LỊCH CÁC KỲ:"
    for period in settings.periods:
        yield (f"  {period.id:<9} {period.label}: mở {period.opens:%d/%m/%Y}, "
               f"hạn nộp {period.deadline:%d/%m/%Y}, làm báo cáo {period.report_day:%d/%m/%Y}")
    schedule = settings.schedule
    yield (f"Chạy tự động ({schedule.time_zone}): mở, đóng biểu mẫu «{schedule.provision}», "
           f"đối soát «{schedule.reconcile}», gia hạn theo "
           f"dõi «{schedule.renew_watches}», nhắc việc «{schedule.reminders}», báo cáo "
           f"«{schedule.reports}».")
    notes = settings.notifications
    if notes.reminders_on:
        days = ", ".join(str(day) for day in notes.remind_days_before) or "—"
        yield (f"Thư nhắc: bật, gửi từ {notes.sender}, trước hạn {days} ngày và một lần sau "
               f"hạn; tối đa {notes.daily_limit} thư mỗi ngày.")
    elif notes.email:
        yield ("Thư nhắc: chưa gửi được — hãy ghi hộp thư của Sở gửi thư nhắc "
               "(notifications.sender).")
    else:
        yield "Thư nhắc: tắt."


def _join(items: list[str], full: bool) -> str:
    if full or len(items) <= LIST_LIMIT:
        return "; ".join(items)
    return "; ".join(items[:LIST_LIMIT]) + f"; … và {len(items) - LIST_LIMIT} mục khác"


def calendar_warning(deployment: Deployment, today: date) -> str | None:
    """One line when every period of the configured year is behind `today` (all forms would
    stay closed), else None."""
    settings = deployment.settings
    last = max(period.deadline for period in settings.periods)
    if today <= last:
        return None
    return (f"Lưu ý: năm {settings.year} đã kết thúc (hạn nộp cuối cùng {last:%d/%m/%Y}, hôm nay "
            f"{today:%d/%m/%Y}) nên mọi biểu mẫu sẽ đóng; hãy sửa «year» và ngày các kỳ trong "
            f"{settings.path.name}, hoặc tạo cấu hình mới bằng «guongmau init THƯ_MỤC».")
