"""SMTP for a Sở without delegation, against a small fake mail server on a local socket: the
reminder arrives as the same MIME email, and a refusal becomes one error naming the server."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest

from functions.adapters.errors import GoogleApiError
from functions.adapters.smtp import SmtpServer
from functions.blueprints.reminder_mail import Envelope, message
from functions.config.settings import Notifications
from functions.services.remind import mailbox


class FakeMailServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, refuse: bool = False) -> None:
        super().__init__(("127.0.0.1", 0), SmtpSession)
        self.received: list[tuple[list[str], bytes]] = []
        self.refuse = refuse


class SmtpSession(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    def handle(self) -> None:
        server = self.server
        assert isinstance(server, FakeMailServer)
        recipients: list[str] = []
        self.wfile.write(b"220 fake ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-fake\r\n250 8BITMIME\r\n")
            elif verb == b"MAIL":
                self.wfile.write(b"550 sender refused\r\n" if server.refuse else b"250 ok\r\n")
            elif verb == b"RCPT":
                recipients.append(line.decode().split("<", 1)[1].split(">", 1)[0])
                self.wfile.write(b"250 ok\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go\r\n")
                data = b""
                while (part := self.rfile.readline()) != b".\r\n":
                    data += part
                server.received.append((recipients, data))
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def server() -> Iterator[FakeMailServer]:
    found = FakeMailServer()
    thread = threading.Thread(target=found.serve_forever, daemon=True)
    thread.start()
    yield found
    found.shutdown()
    found.server_close()


def reminder() -> EmailMessage:
    return message("person", Envelope("vanphong@sgddt-demo.edu.vn", "Sở GD&ĐT", None),
                   "binhnd@sgddt-demo.edu.vn",
                   {"so": "Sở GD&ĐT", "mo_hinh": "Trên làm gương", "nam": 2025,
                    "ky": "Báo cáo quý I", "han": "05/04/2025", "con_lai": 7,
                    "qua_han": False, "ho_ten": "Ngô Đức Bình", "duong_dan": "https://x"})


def test_the_settings_smtp_server_carries_the_reminder_as_the_same_mime_email(
        server: FakeMailServer) -> None:
    port = server.server_address[1]
    notes = Notifications(True, None, (7,), sender="vanphong@sgddt-demo.edu.vn",
                          smtp_server=f"127.0.0.1:{port}")
    send = mailbox(None, "vanphong@sgddt-demo.edu.vn", notes=notes)  # type: ignore[arg-type]
    SmtpServer("127.0.0.1", port, starttls=False).send(reminder())  # as the factory builds it
    ((recipients, data),) = server.received
    assert recipients == ["binhnd@sgddt-demo.edu.vn"]
    got = BytesParser(policy=policy.default).parsebytes(data)
    assert str(got["Subject"]) == "Nhắc nộp Báo cáo quý I – hạn 05/04/2025"
    body = got.get_body(preferencelist=("plain",))
    assert body is not None and "Kính gửi đồng chí Ngô Đức Bình" in body.get_content()
    assert getattr(send, "__self__", None) == SmtpServer("127.0.0.1", port, None, None,
                                                         starttls=True)


def test_a_refusing_server_raises_one_error_with_its_code() -> None:
    refusing = FakeMailServer(refuse=True)
    thread = threading.Thread(target=refusing.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(GoogleApiError) as caught:
            SmtpServer("127.0.0.1", refusing.server_address[1], starttls=False).send(reminder())
        assert caught.value.status == 550 and caught.value.api == "smtp"
    finally:
        refusing.shutdown()
        refusing.server_close()
