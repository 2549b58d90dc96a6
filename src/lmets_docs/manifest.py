"""The manifest: what was built, from which source, with which facts, by which engines."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from lmets_docs import __version__
from lmets_docs.errors import CheckError

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


class FactEntry(BaseModel):
    """A fact as the formats show and say it."""

    printed: str
    spoken: str
    link: str | None = None
    value: str | None = None
    """The machine-readable value, where there is one (a dated fact as YYYY-MM-DD)."""

    @field_validator("link")
    @classmethod
    def _dials(cls, link: str | None) -> str | None:
        """A ``tel:`` link is a phone number (``check.facts.contact_numbers`` reads each): a
        manifest edited to hold another is unreadable, not a crash of ``check``."""
        if link is not None and link.startswith("tel:"):
            try:
                phonenumbers.parse(link.removeprefix("tel:"), None)
            except phonenumbers.NumberParseException as exc:
                raise ValueError(f"the link {link!r} is no phone number ({exc})") from exc
        return link


class ContinuedMarker(BaseModel):
    """A PDF's rest of a contact box headed by the contact's name, continued, as the writer
    printed it (``details.continued``): ``check`` proves it an artifact."""

    model_config = ConfigDict(extra="forbid")

    page: int = Field(ge=1)
    contact: str
    text: str = Field(min_length=1)


class ArtifactEntry(BaseModel):
    """One format's files, their hashes, and the key that says whether they are up to date."""

    files: dict[str, str]
    sha256: dict[str, str]
    key: str
    engines: dict[str, str] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)


class Manifest(BaseModel):
    """Everything ``check`` needs to find and judge a leaflet's artifacts."""

    model_config = ConfigDict(extra="ignore")

    manifest_version: int = MANIFEST_VERSION
    tool: str = f"lmets-docs {__version__}"
    leaflet: str
    lang: str
    title: str
    publisher: str
    source_hash: str
    built: str
    facts: dict[str, FactEntry]
    review: dict[str, str]
    sections: list[dict[str, str]] = Field(default_factory=list)
    artifacts: dict[str, ArtifactEntry] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    source_folder: str | None = None
    """The leaflet folder built from, absolute (``check`` looks there, wherever it runs)."""
    source_from_output: str | None = None
    """The leaflet folder as seen from this manifest's folder (``check`` looks there when the
    absolute one is not on this machine: an output folder and its content moved together)."""
    source_files: dict[str, str] = Field(default_factory=dict)
    """SHA-256 of ``leaflet.yaml``, the language file and a library's ``../contacts.yaml``
    (when the leaflet names a shared contact), by name, as they were built."""
    facts_hash: str | None = None
    """SHA-256 of this language's facts as it gives them: ``check`` tells a changed fact from
    other changes of ``leaflet.yaml`` (``facts_hash``)."""
    hours: dict[str, str] = Field(default_factory=dict)
    """Each contact's opening hours as data, the same in every language (``check.languages``)."""
    details: dict[str, Any] = Field(default_factory=dict)
    """Findings about the source for ``check``: ``stale_translation`` (``source.stale``)."""

    @property
    def engines(self) -> dict[str, str]:
        """Return the engines every format used, merged."""
        return {k: v for entry in self.artifacts.values() for k, v in entry.engines.items()}


def facts_hash(facts: dict[str, FactEntry]) -> str:
    """Return the SHA-256 of one leaflet language's facts as it gives them (printed, spoken,
    linked): what ``check`` compares with the source's now (``check.languages``)."""
    given = {name: entry.model_dump(mode="json") for name, entry in sorted(facts.items())}
    return hashlib.sha256(json.dumps(given, sort_keys=True).encode()).hexdigest()


def sha256_file(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(folder: Path) -> Manifest:
    """Read ``manifest.json`` from a built language folder; CheckError if missing or bad."""
    path = folder / MANIFEST
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except FileNotFoundError as exc:
        raise CheckError(f"{path}: no manifest here; is this a built leaflet folder?") from exc
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise CheckError(f"{path}: unreadable manifest: {where}: {first['msg']}") from exc
    except (OSError, ValueError) as exc:
        raise CheckError(f"{path}: unreadable manifest ({exc})") from exc


def previous_manifest(folder: Path) -> Manifest | None:
    """Return the last build's manifest, or None when there is none (or it is unreadable)."""
    try:
        return read_manifest(folder)
    except CheckError:
        return None


def write_manifest(folder: Path, manifest: Manifest) -> Path:
    """Write the manifest atomically (temporary file, then rename)."""
    path = folder / MANIFEST
    tmp = folder / f".{MANIFEST}.tmp"
    tmp.write_text(
        json.dumps(manifest.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    os.replace(tmp, path)
    return path


def now() -> str:
    """Return the current time as ISO 8601 in UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
