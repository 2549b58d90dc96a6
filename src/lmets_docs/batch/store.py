"""A shared, content-addressed store of finished artifacts (and, beside them, speech pieces).

A batch on many machines needs one place that every worker and the machine that installs can
reach: a folder on a shared file system, or any fsspec URL (``s3://``, ``gcs://``, ``file://``
…). The store holds:

- ``objects/ab/<sha256>``: every file a writer made, named by the SHA-256 of its bytes, so the
  same file made twice is kept once;
- ``artifacts/ab/<artifact key>.json``: for each finished format, its manifest entry (files by
  role with their SHA-256), what checking it found, and a digest of the record itself. The
  artifact key is ``build.artifact_key``: every input of that format. A job whose key is in the
  store is not run again, by any worker, for any output folder;
- ``speech/``: the speech cache (``speech.cache.SpeechCache``) when the store is a folder, so a
  sentence that every leaflet says is synthesized once for the whole library.

Every write goes to a temporary name first and is renamed into place (on an object store a
PUT is already all or nothing). Every read is verified: an object against its name, a record
against its digest and its key. Anything that does not match is logged, removed, and treated
as missing, so the job is built again and the store repaired.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lmets_docs.errors import StoreError
from lmets_docs.manifest import ArtifactEntry, sha256_file

log = logging.getLogger(__name__)
RECORD_VERSION = 1


@dataclass
class StoredFinding:
    """A finding of the worker's check, its file relative to the language folder if inside."""

    severity: str
    file: str
    place: str
    message: str
    code: str
    inside: bool


@dataclass
class Record:
    """One finished format as the store keeps it: its entry and what checking it found."""

    name: str
    entry: ArtifactEntry
    findings: list[StoredFinding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return the record as JSON data (without its digest)."""
        return {
            "version": RECORD_VERSION,
            "name": self.name,
            "entry": self.entry.model_dump(mode="json"),
            "findings": [vars(f) for f in self.findings],
            "checked": self.checked,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        """Return the record from its JSON data; KeyError/TypeError/ValueError if malformed."""
        if data["version"] != RECORD_VERSION:
            raise ValueError(f"record version {data['version']}")
        return cls(
            name=str(data["name"]),
            entry=ArtifactEntry.model_validate(data["entry"]),
            findings=[StoredFinding(**f) for f in data["findings"]],
            checked=[str(p) for p in data["checked"]],
        )


def _digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


class Store:
    """A content-addressed store at a folder or an fsspec URL."""

    def __init__(self, url: str) -> None:
        from fsspec.core import url_to_fs  # noqa: PLC0415 (comes with the 'dask' extra)

        self.url = url
        try:
            self.fs, self.root = url_to_fs(url)
        except (ImportError, ValueError) as exc:
            raise StoreError(f"{url}: not a store this machine can open ({exc})") from exc

    @property
    def folder(self) -> Path | None:
        """Return the store's local folder, or None when it is not on a local file system."""
        from fsspec.implementations.local import LocalFileSystem  # noqa: PLC0415

        return Path(self.root) if isinstance(self.fs, LocalFileSystem) else None

    def _object(self, sha256: str) -> str:
        return f"{self.root}/objects/{sha256[:2]}/{sha256}"

    def _record(self, key: str) -> str:
        return f"{self.root}/artifacts/{key[:2]}/{key}.json"

    def put_file(self, path: Path, sha256: str) -> None:
        """Keep a file under its SHA-256 (once: an object already there is not written again)."""
        target = self._object(sha256)
        if self.fs.exists(target):
            return
        self._atomic(target, lambda tmp: self.fs.put_file(str(path), tmp))

    def get_file(self, sha256: str, dest: Path) -> bool:
        """Copy the object ``sha256`` to ``dest`` and verify it; False if missing or damaged."""
        source = self._object(sha256)
        tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            self.fs.get_file(source, str(tmp))
            if sha256_file(tmp) != sha256:
                self._damaged(source, "its bytes do not match its SHA-256")
                return False
            tmp.replace(dest)
            return True
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StoreError(f"{source}: cannot read the store ({exc})") from exc
        finally:
            tmp.unlink(missing_ok=True)

    def put_record(self, key: str, record: Record) -> None:
        """Keep the record of a finished format under its artifact key, with its digest."""
        data = record.to_json()
        text = json.dumps({"key": key, "digest": _digest({"key": key, **data}), **data})
        self._atomic(self._record(key), lambda tmp: self.fs.pipe_file(tmp, text.encode()))

    def get_record(self, key: str) -> Record | None:
        """Return the record kept under ``key``; None if missing, or damaged (then removed)."""
        path = self._record(key)
        try:
            data = json.loads(self.fs.cat_file(path))
            digest = data.pop("digest")
            if data.get("key") != key or digest != _digest(data):
                raise ValueError("its digest or key does not match")
            return Record.from_json(data)
        except FileNotFoundError:
            return None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self._damaged(path, f"unreadable record ({exc})")
            return None
        except OSError as exc:
            raise StoreError(f"{path}: cannot read the store ({exc})") from exc

    def put_artifact(self, key: str, record: Record, folder: Path) -> None:
        """Keep a format's files (found under ``folder``), then its record."""
        for role, rel in record.entry.files.items():
            self.put_file(folder / rel, record.entry.sha256[role])
        self.put_record(key, record)

    def get_artifact(self, record: Record, folder: Path) -> bool:
        """Copy a format's files into ``folder``, verified; False if any is missing or damaged."""
        entry = record.entry
        return all(self.get_file(entry.sha256[role], folder / rel)
                   for role, rel in entry.files.items())

    def _atomic(self, target: str, write: Any) -> None:
        parent, name = target.rsplit("/", 1)
        tmp = f"{parent}/.{name}.{uuid.uuid4().hex[:8]}"
        try:
            self.fs.makedirs(parent, exist_ok=True)
            write(tmp)
            self.fs.mv(tmp, target)
        except OSError as exc:
            if self.fs.exists(tmp):
                self.fs.rm(tmp)
            raise StoreError(f"{target}: cannot write the store ({exc})") from exc

    def _damaged(self, path: str, why: str) -> None:
        log.warning("%s: damaged store entry: %s; building it again", path, why)
        try:
            self.fs.rm(path)
        except OSError as exc:
            log.debug("cannot remove %s: %s", path, exc)
