"""A reminder is a proper MIME email: it survives a round trip through bytes with its
Vietnamese subject and text intact, offers plain text and HTML, and escapes markup in names."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from functions.blueprints.reminder_mail import Envelope, message

ENVELOPE = Envelope("vanphong@sgddt-demo.edu.vn", "Sở Giáo dục và Đào tạo tỉnh Minh Sơn",
                    "hotro@sgddt-demo.edu.vn")
CONTEXT = {"so": "Sở Giáo dục và Đào tạo tỉnh Minh Sơn", "mo_hinh": "Trên làm gương",
           "nam": 2025, "ky": "Đăng ký kế hoạch cá nhân", "han": "28/02/2025", "con_lai": 2,
           "qua_han": False, "ho_ten": "Ngô <b>Đức</b> Bình",
           "duong_dan": "https://docs.google.com/forms/d/e/x/viewform?usp=pp_url&entry.1=A%20B"}


def parsed(mail: EmailMessage) -> EmailMessage:
    found = BytesParser(policy=policy.default).parsebytes(mail.as_bytes())
    assert isinstance(found, EmailMessage)
    return found


def test_a_reminder_round_trips_as_mime_with_its_vietnamese_text() -> None:
    mail = parsed(message("person", ENVELOPE, "binhnd@sgddt-demo.edu.vn", CONTEXT))
    assert mail.get_content_type() == "multipart/alternative"
    assert str(mail["Subject"]) == "Nhắc nộp Đăng ký kế hoạch cá nhân – hạn 28/02/2025"
    assert str(mail["Reply-To"]) == "hotro@sgddt-demo.edu.vn"
    assert "vanphong@sgddt-demo.edu.vn" in str(mail["From"])
    assert str(mail["To"]) == "binhnd@sgddt-demo.edu.vn"
    plain = mail.get_body(preferencelist=("plain",))
    html = mail.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    assert plain.get_content_charset() == html.get_content_charset() == "utf-8"
    text = plain.get_content()
    assert text.startswith("Kính gửi đồng chí Ngô <b>Đức</b> Bình,")
    assert "Còn 2 ngày nữa là đến hạn nộp" in text and CONTEXT["duong_dan"] in text
    assert "Đồng chí nhận thư này vì có tên trong danh sách" in text
    markup = html.get_content()
    assert "Ngô &lt;b&gt;Đức&lt;/b&gt; Bình" in markup, "a name is text, never markup"
    assert 'href="https://docs.google.com/forms/d/e/x/viewform?usp=pp_url&amp;entry.1=A%20B"' \
        in markup


def test_an_overdue_reminder_says_the_deadline_has_passed() -> None:
    mail = parsed(message("person", ENVELOPE, "binhnd@sgddt-demo.edu.vn",
                          {**CONTEXT, "qua_han": True}))
    assert str(mail["Subject"]).startswith("Đã quá hạn")
    plain = mail.get_body(preferencelist=("plain",))
    assert plain is not None and "đã qua mà hệ thống chưa nhận được phiếu" in plain.get_content()


def test_every_digest_subject_reads_back_exactly_with_its_spaces() -> None:
    names = ["Trường THPT Lê Quý Đôn", "Trường PT Dân tộc nội trú THPT tỉnh Minh Sơn",
             "Trung tâm GDNN-GDTX khu vực Sơn Thủy", "Văn phòng Sở"]
    wrong = []
    for name in names:
        for count in range(1, 120):
            context = {**CONTEXT, "don_vi": name, "so_nguoi": count, "nhom": [],
                       "bang_theo_doi": "https://x"}
            sent = message("digest", ENVELOPE, "ngochtt@sgddt-demo.edu.vn", context)
            if str(parsed(sent)["Subject"]) != str(sent["Subject"]):
                wrong.append(str(parsed(sent)["Subject"]))
    assert wrong == [], "an encoded-word boundary swallowed a space"

