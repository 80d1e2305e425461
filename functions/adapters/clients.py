"""The one place that builds API clients: for Google, or for the local emulator.

google-api-python-client services are built from the static discovery documents it ships;
for the emulator their ``rootUrl`` is rewritten (``client_options`` would break media upload
and batch requests, see shared/GOOGLE_FACTS.md). gspread gets a session that rewrites Google's
hosts to the emulator (gspread's plain HTTP client, not its back-off client, which can retry
forever). Neither client retries by itself: the adapters' ``retry.Gate`` does, by one policy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import google.auth
import google.auth.credentials
import google.auth.exceptions
import gspread
import httplib2
import requests
from google.auth.transport.requests import AuthorizedSession
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient import discovery

from functions.adapters.errors import NotConnected
from functions.adapters.recording import Recorder, RecordingHttp

# Least privilege: only what the service uses (Drive: copies of admin-made templates and
# permissions in a shared drive need the full drive scope; drive.file cannot see the templates).
SCOPES = (
    "https://www.googleapis.com/auth/drive",
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/forms.body",
    "https://www.googleapis.com/auth/forms.responses.readonly",
    "https://www.googleapis.com/auth/documents",
    "https://www.googleapis.com/auth/devstorage.read_write",
)
GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")
API_VERSIONS = {"sheets": "v4", "drive": "v3", "forms": "v1", "docs": "v1", "storage": "v1",
                "pubsub": "v1", "gmail": "v1"}
# Not in SCOPES: only reminders send mail, as the Sở mailbox through domain-wide delegation,
# with this scope alone (Clients.mailbox).
GMAIL_SEND_SCOPE = "https://www.googleapis.com/auth/gmail.send"
# Not in SCOPES: only `check-google` reads the topic and makes a pull subscription; it asks for
# this scope itself (Target.scopes), so normal runs keep the narrow set.
PUBSUB_SCOPE = "https://www.googleapis.com/auth/pubsub"
HTTP_TIMEOUT = 120


class EmulatorCredentials(google.auth.credentials.Credentials):
    """Acts as ``user`` on the emulator (its bearer token is the email); None = service identity."""

    def __init__(self, user: str | None = None) -> None:
        super().__init__()
        self.token = user or ""
        self.expiry = None

    def refresh(self, request: Any) -> None:
        """Nothing to refresh: the emulator trusts the token."""

    def apply(self, headers: dict[str, str], token: str | None = None) -> None:
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"

    @property
    def valid(self) -> bool:
        return True


class _RewritingSession(requests.Session):
    """Rewrites Google's hosts to ``base_url`` (when set)."""

    base_url: str | None = None
    credentials: Any = None
    recorder: Recorder | None = None

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        url = str(url)
        if self.base_url:
            for host in GOOGLE_HOSTS:
                if url.startswith(host):
                    url = self.base_url + url[len(host):]
        response = super().request(method, url, *args, **kwargs)
        if self.recorder is not None:
            sent = response.request
            self.recorder.record(str(method), str(sent.url), sent.body, sent.headers.get(
                "Content-Type", ""), response.status_code, str(response.reason),
                response.headers.get("Content-Type", ""), response.content)
        return response


class EmulatorSession(_RewritingSession):
    def __init__(self, base_url: str, user: str | None) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        if user:
            self.headers["Authorization"] = f"Bearer {user}"


class GoogleSession(AuthorizedSession, _RewritingSession):
    """AuthorizedSession (refreshes and applies the credentials) for gspread."""


@dataclass(frozen=True)
class Target:
    """Where the clients point: the emulator at ``emulator_url``, or Google.

    For Google: ``key_file`` (a service-account key) or, when None, the application default
    credentials (keyless: the function's own identity); ``subject`` for domain-wide delegation.
    For the emulator: ``user`` acts as that person; None is the service identity.
    """

    emulator_url: str | None = None
    user: str | None = None
    key_file: str | None = None
    subject: str | None = None
    scopes: tuple[str, ...] = SCOPES
    recorder: Recorder | None = field(default=None, compare=False)  # `check-google --ghi-lai`

    def __post_init__(self) -> None:
        if self.emulator_url is not None:
            check_emulator_url(self.emulator_url)


def check_emulator_url(url: str) -> None:
    """An emulator address must be a full http(s) URL: without a scheme both client libraries
    fail deep inside with errors that do not name the setting."""
    parts = urlsplit(url.strip())
    try:
        parts.port  # noqa: B018 (raises ValueError on a port that is not a number)
    except ValueError:
        raise NotConnected("bad-url", url, "port") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NotConnected("bad-url", url, "scheme")


@dataclass
class Clients:
    """The API clients of one identity, built once and handed to adapters."""

    target: Target
    _cache: dict[str, Any] = field(default_factory=dict)

    def _credentials(self) -> Any:
        target = self.target
        if target.emulator_url:
            return EmulatorCredentials(target.user)
        if target.key_file:
            from google.oauth2 import service_account

            try:
                credentials = service_account.Credentials.from_service_account_file(
                    target.key_file, scopes=list(target.scopes)
                )
            except (OSError, ValueError) as error:  # missing, unreadable or not a key file
                raise NotConnected("credentials", None, f"{target.key_file}: {error}") from error
        else:
            try:
                credentials, _ = google.auth.default(scopes=list(target.scopes))
            except google.auth.exceptions.DefaultCredentialsError as error:
                raise NotConnected("credentials", None) from error
        if target.subject:
            credentials = delegated(credentials, target.subject, target.scopes)
        return credentials

    def service(self, api: str) -> Any:
        """A google-api-python-client service for ``api`` (sheets, drive, forms, docs, storage)."""
        if api not in self._cache:
            version = API_VERSIONS[api]
            document = json.loads(discovery_document(api, version))
            if self.target.emulator_url:
                root = self.target.emulator_url.rstrip("/") + "/"
                document["rootUrl"] = document["mtlsRootUrl"] = root
            raw = (httplib2.Http(timeout=HTTP_TIMEOUT) if self.target.recorder is None
                   else RecordingHttp(self.target.recorder, timeout=HTTP_TIMEOUT))
            # Resumable uploads answer 308 without a Location (as googleapiclient's build_http
            # knows): httplib2 must not treat it as a redirect.
            raw.redirect_codes = raw.redirect_codes - {308}
            http = AuthorizedHttp(self._credentials(), http=raw)
            self._cache[api] = discovery.build_from_document(document, http=http)
        return self._cache[api]

    @property
    def gspread(self) -> gspread.Client:
        if "gspread" not in self._cache:
            session: _RewritingSession
            if self.target.emulator_url:
                session = EmulatorSession(self.target.emulator_url, self.target.user)
            else:
                session = GoogleSession(self._credentials())
            session.recorder = self.target.recorder
            self._cache["gspread"] = gspread.Client(auth=None, session=session)  # type: ignore[arg-type]
        return self._cache["gspread"]

    def as_user(self, user: str) -> Clients:
        """The same target acting as another person (emulator) or delegated subject (Google)."""
        if self.target.emulator_url:
            return Clients(Target(emulator_url=self.target.emulator_url, user=user,
                                  recorder=self.target.recorder))
        return Clients(Target(key_file=self.target.key_file, subject=user,
                              scopes=self.target.scopes, recorder=self.target.recorder))


    def mailbox(self, sender: str) -> Clients:
        """Clients acting as the mailbox ``sender`` with ``gmail.send`` only (delegation)."""
        if self.target.emulator_url:
            return self.as_user(sender)
        return Clients(Target(key_file=self.target.key_file, subject=sender,
                              scopes=(GMAIL_SEND_SCOPE,), recorder=self.target.recorder))


def delegated(credentials: Any, subject: str, scopes: tuple[str, ...] | list[str]) -> Any:
    """``credentials`` acting as ``subject`` (domain-wide delegation). A key file's credentials
    sign the assertion themselves; the keyless identity of a Cloud Run function has no key, so
    the IAM Credentials API signs it (``signBlob``: the identity needs Service Account Token
    Creator on itself). Verified only against google-auth's documented API, not live."""
    if hasattr(credentials, "with_subject"):
        return credentials.with_subject(subject)
    from google.auth import iam
    from google.auth.transport.requests import Request
    from google.oauth2 import service_account

    request = Request()
    email = getattr(credentials, "service_account_email", "")
    if not email or email == "default":  # the metadata server names it on the first refresh
        credentials.refresh(request)
        email = credentials.service_account_email
    return service_account.Credentials(iam.Signer(request, credentials, email), email,
                                       "https://oauth2.googleapis.com/token",
                                       scopes=list(scopes), subject=subject)


def discovery_document(api: str, version: str) -> str:
    from googleapiclient.discovery_cache import get_static_doc

    document = get_static_doc(api, version)
    if document is None:
        raise RuntimeError(f"no discovery document shipped for {api} {version}")
    return str(document)


def for_environment(environ: Mapping[str, str], emulator_url: str | None = None) -> Clients:
    """Clients chosen by ``GUONGMAU_EMULATOR`` (or the given emulator URL), else Google with
    the application default credentials (``GOOGLE_APPLICATION_CREDENTIALS`` or the runtime's
    own identity) and, with ``GUONGMAU_DELEGATED_SUBJECT``, domain-wide delegation."""
    url = environ.get("GUONGMAU_EMULATOR") or emulator_url
    if url:
        return Clients(Target(emulator_url=url))
    return Clients(Target(subject=environ.get("GUONGMAU_DELEGATED_SUBJECT") or None))
