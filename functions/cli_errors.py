"""The CLI's one error boundary: every known failure becomes Vietnamese lines and an exit code.

Exit codes (README «Mã thoát»):
    1  a refusal of `init`, Ctrl+C, or an unexpected error (a bug: reported in one line)
    2  the configuration (or the command line) has mistakes; nothing was done
    3  provisioning needs a one-time preparation by a person first; nothing was created
       (`check-google`: at least one assumption was refused by Google; `deploy`: gcloud is
       not installed or not logged in)
    4  Google (or the emulator) failed mid-run: an error answer or a dropped connection;
       running the command again resumes without duplicates (`deploy`: a gcloud command failed)
    5  no contact at all: no Google credentials, an emulator address that is malformed or
       not answering, Google unreachable
    6  `status`: something looks wrong (an expired watch, a job that has not run)
    7  `collect`: another sync holds the lease (the message says until when); nothing was
       written, the request is recorded for that run or the next
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable

from functions.adapters.errors import GoogleApiError, NotConnected, TransportError
from functions.config import ConfigError
from functions.deploy.gcloud import DeployBlocked, GcloudFailed
from functions.deploy.source import SourceProblem
from functions.services.preflight import PreflightError

EXIT_UNEXPECTED = 1
EXIT_CONFIG = 2
EXIT_PREFLIGHT = 3
EXIT_API = 4
EXIT_NOT_CONNECTED = 5
EXIT_ATTENTION = 6
EXIT_BUSY = 7

ENV_EMULATOR = "GUONGMAU_EMULATOR"
ENV_TRACEBACK = "GUONGMAU_TRACEBACK"  # set to 1 to see the traceback of an unexpected error
RERUN = "chạy lại lệnh: phần đã làm xong được giữ nguyên, không tạo hay ghi trùng."


def explain(error: Exception) -> tuple[int, list[str]]:
    """The exit code and the lines (for stderr) that tell the user what to do about `error`."""
    for kind, describe in _EXPLAINERS:
        if isinstance(error, kind):
            return describe(error)
    return EXIT_UNEXPECTED, [
        f"Lỗi ngoài dự kiến của chương trình ({type(error).__name__}: {_short(error)}); hãy "
        f"gửi lệnh đã chạy và dòng này cho người phát triển (đặt {ENV_TRACEBACK}=1 để xem chi "
        "tiết)."]


def show_traceback() -> bool:
    return os.environ.get(ENV_TRACEBACK, "").strip().lower() in ("1", "true", "yes")


def _config(error: ConfigError) -> tuple[int, list[str]]:
    lines = [str(problem) for problem in error.problems]
    lines.append(f"Cấu hình có {len(error.problems)} lỗi; chưa thực hiện gì. Hãy sửa các lỗi "
                 "trên rồi chạy lại.")
    return EXIT_CONFIG, lines


def _preflight(error: PreflightError) -> tuple[int, list[str]]:
    lines = ["Chưa thể bắt đầu: cần chuẩn bị những việc sau."]
    return EXIT_PREFLIGHT, lines + [f"- {problem}" for problem in error.problems]


def _deploy_blocked(error: DeployBlocked | SourceProblem) -> tuple[int, list[str]]:
    return EXIT_PREFLIGHT if isinstance(error, DeployBlocked) else EXIT_CONFIG, [str(error)]


def _gcloud(error: GcloudFailed) -> tuple[int, list[str]]:
    return EXIT_API, [f"gcloud thất bại khi {error.step} ({_short(error.detail)}); sửa theo lý "
                      "do trên rồi chạy lại «guongmau deploy»: phần đã xong được giữ nguyên."]


def _transport(error: TransportError) -> tuple[int, list[str]]:
    return EXIT_API, [f"Mất kết nối giữa chừng khi gọi API {error.api} ({error.message}); "
                      f"hãy kiểm tra mạng rồi {RERUN}"]


def _api(error: GoogleApiError) -> tuple[int, list[str]]:
    return EXIT_API, [f"Google trả lỗi {error.status} ({error.api}): {error.message}; {RERUN}"]


def _not_connected(error: NotConnected) -> tuple[int, list[str]]:
    url = error.target
    if error.kind == "bad-url":
        line = (f"Địa chỉ trình giả lập «{url}» (biến {ENV_EMULATOR}) không hợp lệ; ghi đầy đủ, "
                "ví dụ http://127.0.0.1:8765.")
    elif error.kind == "credentials":
        problem = f" ({_short(error.detail)})" if error.detail else ""
        line = (f"Không có thông tin đăng nhập Google dùng được{problem}; đặt "
                "GOOGLE_APPLICATION_CREDENTIALS là đường dẫn tệp khóa của tài khoản dịch vụ "
                "(hoặc chạy trong Cloud Function), hoặc đặt "
                f"{ENV_EMULATOR}=http://127.0.0.1:8765 để dùng trình giả lập.")
    elif url is not None:
        line = (f"Không kết nối được trình giả lập tại {url} (biến {ENV_EMULATOR}); hãy chạy "
                "«guongmau emulator» trong một cửa sổ khác (cùng cổng) hoặc sửa địa chỉ, rồi "
                "chạy lại.")
    else:
        line = (f"Không kết nối được với Google ({_short(error.detail)}); hãy kiểm tra kết nối "
                "mạng rồi chạy lại.")
    return EXIT_NOT_CONNECTED, [line]


def os_reason(error: OSError) -> str:
    """Why a file operation failed, in Vietnamese for the usual causes."""
    return _OS_REASONS.get(error.errno or 0, error.strerror or type(error).__name__)


_OS_REASONS = {errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
               errno.EACCES: "không có quyền ghi", errno.EPERM: "không có quyền ghi",
               errno.EROFS: "ổ đĩa chỉ cho đọc", errno.ENOSPC: "ổ đĩa đã đầy"}


def _short(text: object) -> str:
    """One line of at most 200 characters: messages of libraries may span several."""
    return " ".join(str(text).split())[:200]


_EXPLAINERS: list[tuple[type[Exception], Callable[..., tuple[int, list[str]]]]] = [
    (ConfigError, _config),
    (PreflightError, _preflight),
    (NotConnected, _not_connected),
    (TransportError, _transport),  # before GoogleApiError: it is one
    (GoogleApiError, _api),
    (DeployBlocked, _deploy_blocked),
    (SourceProblem, _deploy_blocked),
    (GcloudFailed, _gcloud),
]
