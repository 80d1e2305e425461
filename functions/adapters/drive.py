"""Drive v3: folders, copies, Google-type files, app properties and permissions.

Every call names the shared drive (``supportsAllDrives``): the service account owns nothing
and works only inside the configured shared drive.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from googleapiclient.errors import HttpError
from googleapiclient.http import MediaInMemoryUpload

from functions.adapters.errors import GoogleApiError, from_http_error, translated
from functions.adapters.retry import SHARING_LIMIT, Gate, Repeat, bucket_of

FOLDER = "application/vnd.google-apps.folder"
SPREADSHEET = "application/vnd.google-apps.spreadsheet"
FORM = "application/vnd.google-apps.form"
DOCUMENT = "application/vnd.google-apps.document"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
FILE_FIELDS = "id,name,mimeType,parents,appProperties,trashed,webViewLink"
PERMISSION_FIELDS = "id,type,role,emailAddress,domain,view,permissionDetails"
BATCH_LIMIT = 100  # Drive accepts at most 100 calls in one batch request
NOTIFIABLE = frozenset({"user", "group"})  # the permission types sendNotificationEmail applies to


@dataclass(frozen=True)
class Grant:
    """One permission to hold on a file: ``kind`` is user, group, domain or anyone."""

    kind: str
    role: str
    email: str = ""
    domain: str = ""
    published_view: bool = False  # a form's responders (``view: "published"``)

    def held_by(self, permission: dict[str, Any]) -> bool:
        """Whether ``permission`` (as Drive lists it) is this grant: same grantee, role, view."""
        role = permission.get("role")
        if role == "publishedReader":  # how the Permission reference names a responder's role
            role = "reader"
        return (permission.get("type") == self.kind and role == self.role
                and str(permission.get("emailAddress", "")).lower() == self.email.lower()
                and str(permission.get("domain", "")).lower() == self.domain.lower()
                and (permission.get("view") == "published") == self.published_view)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": self.kind, "role": self.role}
        if self.email:
            body["emailAddress"] = self.email
        if self.domain:
            body["domain"] = self.domain
        if self.published_view:
            body["view"] = "published"
        return body


class Drive:
    def __init__(self, service: Any, gate: Gate | None = None) -> None:
        self.service = service
        # A collection resource is built from the discovery document (~1 ms of CPU each):
        # built once, not per call (thousands of calls in a province's run).
        self._files = service.files()
        self._permissions = service.permissions()
        self.gate = gate or Gate()

    def _run(self, request: Any, repeat: Repeat = Repeat.ANY) -> Any:
        return self.gate.execute("drive", request, repeat=repeat)

    def shared_drive(self, drive_id: str) -> dict[str, Any]:
        return self._run(self.service.drives().get(
            driveId=drive_id, fields="id,name,capabilities,restrictions"))

    def generate_ids(self, count: int) -> list[str]:
        ids: list[str] = []
        while len(ids) < count:
            batch = min(1000, count - len(ids))
            answer = self._run(self._files.generateIds(count=batch, space="drive",
                                                                 type="files"))
            ids.extend(answer["ids"])
        return ids

    def get(self, file_id: str, fields: str = FILE_FIELDS) -> dict[str, Any]:
        return self._run(self._files.get(
            fileId=file_id, fields=fields, supportsAllDrives=True))

    def find(self, drive_id: str, app_properties: dict[str, str],
             fields: str = FILE_FIELDS) -> Iterator[dict[str, Any]]:
        """Files of the shared drive carrying all of ``app_properties`` (not trashed); a page
        per 1 000 files."""
        terms = [f"appProperties has {{ key='{k}' and value='{_quote(v)}' }}"
                 for k, v in sorted(app_properties.items())]
        query = " and ".join([*terms, "trashed = false"])
        token = None
        while True:
            answer = self._run(self._files.list(
                q=query, corpora="drive", driveId=drive_id, includeItemsFromAllDrives=True,
                supportsAllDrives=True, pageSize=1000, pageToken=token,
                fields=f"nextPageToken,files({fields})"))
            yield from answer.get("files", [])
            token = answer.get("nextPageToken")
            if not token:
                return

    def create(self, name: str, mime_type: str, parent: str, app_properties: dict[str, str],
               file_id: str | None = None, media: bytes | None = None,
               media_type: str = "") -> dict[str, Any]:
        body: dict[str, Any] = {"name": name, "mimeType": mime_type, "parents": [parent],
                                "appProperties": app_properties}
        if file_id:
            body["id"] = file_id
        upload = MediaInMemoryUpload(media, mimetype=media_type) if media is not None else None
        return self._run(self._files.create(
            body=body, media_body=upload, supportsAllDrives=True, fields=FILE_FIELDS),
            repeat=_create_repeat(file_id))

    def copy(self, source_id: str, name: str, parent: str, app_properties: dict[str, str],
             file_id: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"name": name, "parents": [parent], "appProperties": app_properties}
        if file_id:
            body["id"] = file_id
        return self._run(self._files.copy(
            fileId=source_id, body=body, supportsAllDrives=True, fields=FILE_FIELDS),
            repeat=_create_repeat(file_id))

    def update_permissions(self, file_id: str, changes: dict[str, str]) -> None:
        """permission id → new role."""
        self._batch([
            self._permissions.update(fileId=file_id, permissionId=pid,
                                              body={"role": role}, supportsAllDrives=True)
            for pid, role in changes.items()
        ])

    def update(self, file_id: str, **fields: Any) -> dict[str, Any]:
        return self._run(self._files.update(
            fileId=file_id, body=fields, supportsAllDrives=True, fields=FILE_FIELDS))

    def delete(self, file_id: str) -> None:
        """Deletes the file for good (no trash); a file already gone counts as deleted (a
        retry after a lost answer)."""
        try:
            self._run(self._files.delete(fileId=file_id, supportsAllDrives=True))
        except GoogleApiError as error:
            if error.status != 404:
                raise

    def update_media(self, file_id: str, media: bytes, media_type: str,
                     **fields: Any) -> dict[str, Any]:
        """Replaces the file's content in place (same id); a Google Doc imports ``media`` again.
        Repeating it leaves the same result, so a lost answer is simply sent again."""
        upload = MediaInMemoryUpload(media, mimetype=media_type)
        return self._run(self._files.update(
            fileId=file_id, body=fields, media_body=upload, supportsAllDrives=True,
            fields=FILE_FIELDS))

    def permissions(self, file_id: str, published_view: bool = False) -> list[dict[str, Any]]:
        """The file's permissions; with ``published_view``, a form's responders too (Drive
        lists them only when asked)."""
        view = {"includePermissionsForView": "published"} if published_view else {}
        found: list[dict[str, Any]] = []
        token = None
        while True:
            answer = self._run(self._list_permissions(file_id, token, **view))
            found += answer.get("permissions", [])
            token = answer.get("nextPageToken")
            if not token:
                return found

    def permissions_of(self, file_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """file id → its permissions, for many files: one list call each, sent through Drive's
        batch (100 to an HTTP round trip); a file with more than a page is read on alone."""
        answers = self._batch([self._list_permissions(file_id) for file_id in file_ids])
        return {file_id: (self.permissions(file_id) if answer.get("nextPageToken")
                          else list(answer.get("permissions", [])))
                for file_id, answer in zip(file_ids, answers, strict=True)}

    def _list_permissions(self, file_id: str, token: str | None = None, **view: str) -> Any:
        return self._permissions.list(
            fileId=file_id, supportsAllDrives=True, pageSize=100, pageToken=token,
            fields=f"nextPageToken,permissions({PERMISSION_FIELDS})", **view)

    def export(self, file_id: str, mime_type: str) -> bytes:
        return self._run(self._files.export(
            fileId=file_id, mimeType=mime_type))

    def grant(self, file_id: str, grants: list[Grant], notify: bool) -> list[str]:
        """Creates the permissions (few HTTP round trips: Drive's batch); returns their ids.
        ``notify`` goes to people and groups only: Google refuses the parameter (403, even
        false) on a ``domain`` or ``anyone`` permission."""
        answers = self._batch([
            self._permissions.create(
                fileId=file_id, body=grant.body(), supportsAllDrives=True, fields="id",
                **({"sendNotificationEmail": notify} if grant.kind in NOTIFIABLE else {}))
            for grant in grants
        ])
        return [str(answer["id"]) for answer in answers]

    def revoke(self, file_id: str, permission_ids: list[str]) -> None:
        """Deletes the permissions; one already gone (404: a delete that landed before its
        answer was lost, or before a killed run saved its record) counts as deleted."""
        self._batch([
            self._permissions.delete(fileId=file_id, permissionId=pid,
                                              supportsAllDrives=True)
            for pid in permission_ids
        ], gone_ok=True)

    def _batch(self, requests: list[Any], gone_ok: bool = False) -> list[Any]:
        """Runs requests through the batch endpoint, retrying the failed ones by the gate's
        policy (googleapiclient never retries inside a batch); returns the answers in the
        order of ``requests``. Each part counts against the quota: the gate admits them all.
        With ``gone_ok``, a part answering 404 is done (its answer None)."""
        answers: list[Any] = [None] * len(requests)
        pending = list(range(len(requests)))
        attempt = 0
        while True:
            failed: list[tuple[int, GoogleApiError]] = []
            for start in range(0, len(pending), BATCH_LIMIT):
                chunk = pending[start:start + BATCH_LIMIT]
                for index in chunk:
                    self.gate.admit("drive", _bucket(requests[index]))
                outcome: dict[str, tuple[Any, Any]] = {}
                batch = self.service.new_batch_http_request(
                    callback=lambda rid, resp, exc, out=outcome: out.__setitem__(rid, (resp, exc)))
                for index in chunk:
                    batch.add(requests[index], request_id=str(index))
                with translated("drive"):
                    batch.execute()
                for rid, (response, exc) in outcome.items():
                    if exc is None:
                        answers[int(rid)] = response
                    else:
                        failed.append((int(rid), _as_error(exc)))
            if gone_ok:
                failed = [(index, error) for index, error in failed if error.status != 404]
            if not failed:
                return answers
            for _, error in failed:
                if not self.gate.may_retry(error, attempt):
                    raise error
            # The longest wait any failure asks for: a sharing limit's, when there is one.
            index, error = max(failed, key=lambda item: item[1].reason == SHARING_LIMIT)
            self.gate.pause("drive", _bucket(requests[index]), attempt, error)
            pending = [index for index, _ in failed]
            attempt += 1


def _create_repeat(file_id: str | None) -> Repeat:
    """A create with a pre-generated id may be repeated (Drive answers 409 the second time);
    without one a repeat may leave a twin: only a throttled one is sent again."""
    return Repeat.ANY if file_id else Repeat.REFUSED


def _bucket(request: Any) -> str:
    return bucket_of(str(getattr(request, "methodId", "")), str(request.method))


def _as_error(exc: Exception) -> GoogleApiError:
    if isinstance(exc, HttpError):
        return from_http_error(exc, "drive")
    return GoogleApiError(503, str(exc), api="drive")  # not an HTTP answer: a transport failure


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")
