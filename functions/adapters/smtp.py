"""SMTP, for a Sở without domain-wide delegation: its mail server sends the reminders.

The password never lives in the settings file: it is read from ``GUONGMAU_SMTP_PASSWORD`` at
start-up (a secret of the function, an environment variable on the command line).
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from functions.adapters.errors import GoogleApiError

TIMEOUT = 60


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int = 587
    username: str | None = None
    password: str | None = None
    starttls: bool = True  # port 587: upgrade to TLS before logging in

    def send(self, message: EmailMessage) -> str:
        """Sends ``message``; a refusal or a lost connection raises (api "smtp", status 0 or
        the server's reply code)."""
        try:
            with smtplib.SMTP(self.host, self.port, timeout=TIMEOUT) as client:
                if self.starttls:
                    client.starttls()
                if self.username:
                    client.login(self.username, self.password or "")
                client.send_message(message)
        except smtplib.SMTPResponseException as error:
            raw = error.smtp_error
            detail = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
            raise GoogleApiError(error.smtp_code, detail, "smtp", api="smtp") from error
        except (smtplib.SMTPException, OSError) as error:
            raise GoogleApiError(0, f"{type(error).__name__}: {error}", "smtp",
                                 api="smtp") from error
        return str(message.get("Message-ID", ""))
