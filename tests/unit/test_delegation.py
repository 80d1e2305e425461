"""Domain-wide delegation without a key file: the function's own identity (no private key)
acts as a Workspace user through an assertion the IAM Credentials API signs."""

from __future__ import annotations

from typing import Any

from google.auth import iam
from google.oauth2 import service_account

from functions.adapters.clients import SCOPES, delegated

RUNTIME = "guongmau-runtime@guongmau-demo.iam.gserviceaccount.com"


class KeylessIdentity:
    """What google.auth.default() gives on Cloud Run: a token, no key, no with_subject."""

    def __init__(self, email: str) -> None:
        self.service_account_email = email
        self.refreshed = 0

    def refresh(self, request: Any) -> None:
        self.refreshed += 1
        self.service_account_email = RUNTIME


def test_the_keyless_identity_delegates_through_an_iam_signer() -> None:
    identity = KeylessIdentity(RUNTIME)
    acting = delegated(identity, "admin@sgddt-demo.edu.vn", SCOPES)
    assert isinstance(acting, service_account.Credentials)
    assert acting.service_account_email == RUNTIME
    assert acting._subject == "admin@sgddt-demo.edu.vn"
    assert isinstance(acting.signer, iam.Signer), "signed by the IAM Credentials API, no key"
    assert identity.refreshed == 0


def test_the_identity_is_asked_its_email_when_the_platform_says_default() -> None:
    identity = KeylessIdentity("default")
    acting = delegated(identity, "admin@sgddt-demo.edu.vn", SCOPES)
    assert identity.refreshed == 1 and acting.service_account_email == RUNTIME


def test_key_file_credentials_keep_signing_themselves() -> None:
    class KeyFile:
        def with_subject(self, subject: str) -> str:
            return f"as {subject}"

    assert delegated(KeyFile(), "admin@sgddt-demo.edu.vn", SCOPES) == "as admin@sgddt-demo.edu.vn"
