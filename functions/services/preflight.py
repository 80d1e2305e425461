"""What provisioning needs before it creates anything, each lack named with what to grant where."""

from __future__ import annotations

from functions.adapters.drive import FORM
from functions.adapters.errors import GoogleApiError
from functions.config.deployment import Deployment
from functions.services.workspace import Workspace


class PreflightError(Exception):
    """Provisioning cannot start; ``problems`` are Vietnamese sentences for the admin."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def legacy_template(template_id: str) -> str:
    """The problem of a template whose copies have no ``publishSettings`` (a legacy form)."""
    return (f"Biểu mẫu mẫu «{template_id}» là biểu mẫu kiểu cũ: bản sao của nó không có cài đặt "
            "xuất bản (publishSettings) nên không thể xuất bản qua API. Hãy tạo lại biểu mẫu mẫu "
            "trong Google Forms (README, mục «Chuẩn bị một lần trên Google Workspace», bước 3) "
            "rồi ghi mã mới vào storage.form_template_id.")


def _outside(deployment: Deployment, domain: str | None) -> list[str]:
    emails = {e for unit in deployment.units for e in (*unit.head_emails, *unit.reader_emails)}
    return sorted(e for e in emails if domain and not e.endswith("@" + domain))


def check(deployment: Deployment, ws: Workspace) -> None:
    """Raises PreflightError listing every missing prerequisite; returns when all are met."""
    problems = [*drive_problems(deployment, ws), *template_problems(deployment, ws),
                *topic_problems(deployment)]
    if problems:
        raise PreflightError(problems)


def drive_problems(deployment: Deployment, ws: Workspace) -> list[str]:
    """The shared drive: declared, reachable, the service identity a content manager, its
    sharing restrictions compatible with the units' addresses."""
    settings = deployment.settings
    storage = settings.storage
    sa = ws.service_account
    problems: list[str] = []
    drive_id = storage.shared_drive_id
    if not drive_id:
        problems.append("Chưa khai báo storage.shared_drive_id trong tệp cấu hình: tài khoản "
                        "dịch vụ không có dung lượng riêng, mọi tệp phải nằm trong một Drive "
                        "dùng chung.")
    else:
        try:
            drive = ws.drive.shared_drive(drive_id)
        except GoogleApiError as error:
            if error.status not in (403, 404):
                raise
            drive = None
            problems.append(
                f"Không mở được Drive dùng chung «{drive_id}»: Drive không tồn tại hoặc tài khoản "
                f"dịch vụ {sa} chưa là thành viên. Trong Google Drive, mở Drive dùng chung → "
                f"Quản lý thành viên → thêm {sa} với vai trò «Người quản lý nội dung»."
            )
        if drive is not None:
            capabilities = drive.get("capabilities", {})
            if not capabilities.get("canAddChildren"):
                problems.append(
                    f"Tài khoản dịch vụ {sa} chỉ được xem Drive dùng chung «{drive.get('name')}»: "
                    "hãy đổi vai trò thành «Người quản lý nội dung» (Content manager).")
            restrictions = drive.get("restrictions", {})
            domain = settings.storage.responders.domain or sa.rsplit("@", 1)[-1]
            outside = _outside(deployment, domain)
            if restrictions.get("domainUsersOnly") and outside:
                problems.append(
                    "Drive dùng chung đang chỉ cho chia sẻ trong tổ chức, nhưng các địa chỉ sau ở "
                    f"ngoài tên miền {domain}: {', '.join(outside[:5])}"
                    f"{' …' if len(outside) > 5 else ''}. Trong cài đặt của Drive dùng chung, "
                    "bật «Cho phép người ngoài tổ chức truy cập tệp», hoặc đổi sang địa chỉ của "
                    "tổ chức.")
            if restrictions.get("driveMembersOnly"):
                problems.append(
                    "Drive dùng chung đang chỉ cho thành viên truy cập tệp: thủ trưởng các đơn vị "
                    "sẽ không mở được bảng theo dõi. Trong cài đặt của Drive dùng chung, bật «Cho "
                    "phép người không phải thành viên truy cập tệp».")
    return problems


def template_problems(deployment: Deployment, ws: Workspace) -> list[str]:
    """The template form: declared, visible to the service identity, a Google Form."""
    template = deployment.settings.storage.form_template_id
    sa = ws.service_account
    problems: list[str] = []
    if not template:
        problems.append(
            "Chưa khai báo storage.form_template_id: hãy tạo một biểu mẫu mẫu (xem README, mục "
            "«Tạo biểu mẫu mẫu») rồi ghi mã của nó vào tệp cấu hình.")
    else:
        try:
            found = ws.drive.get(template, fields="id,name,mimeType")
            if found.get("mimeType") != FORM:
                problems.append(f"Tệp «{found.get('name')}» ({template}) không phải Google Form.")
        except GoogleApiError as error:
            if error.status not in (403, 404):
                raise
            problems.append(
                f"Không tìm thấy biểu mẫu mẫu «{template}», hoặc tài khoản dịch vụ {sa} chưa được "
                "xem nó: hãy đặt biểu mẫu mẫu trong Drive dùng chung.")
    return problems


def topic_problems(deployment: Deployment) -> list[str]:
    """The Pub/Sub topic, as declared (its rights are read by ``check-google`` only)."""
    if deployment.settings.pubsub_topic:
        return []
    return [
        "Chưa khai báo pubsub_topic: biểu mẫu cần một chủ đề Pub/Sub để báo khi có câu trả "
        "lời (dạng projects/<dự án>/topics/<tên>), và Forms phải được quyền đăng lên chủ đề đó "
        "(vai trò Pub/Sub Publisher cho forms-notifications@system.gserviceaccount.com)."]
