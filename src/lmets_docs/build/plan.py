"""Plan a build: which formats of one leaflet language are up to date (same inputs, files intact).

A format's key hashes every input of it: the source, the code, the house templates, the
options its row in ``formats.FORMATS`` names, whether the review is overdue, and the keys of
the formats whose files it reuses.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lmets_docs import __version__, formats
from lmets_docs.build.install import Stage
from lmets_docs.build.stamp import code_hash, templates_hash
from lmets_docs.manifest import ArtifactEntry, previous_manifest, sha256_file
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.review import review_status
from lmets_docs.speech import voice_files

if TYPE_CHECKING:
    from lmets_docs.check.findings import Finding

log = logging.getLogger(__name__)


@dataclass
class Produced:
    """One format as its worker made it: its manifest entry, and what checking it found."""

    entry: ArtifactEntry
    findings: list[Finding] = field(default_factory=list)
    checked: list[Path] = field(default_factory=list)
    flushed: list[str] = field(default_factory=list)
    """Its files (relative POSIX paths) that its worker has flushed to disk (``install.flush``)."""


@dataclass
class Job:
    """One leaflet in one language: where it goes, what is up to date, what must be written."""

    leaflet: Leaflet
    folder: Path
    keys: dict[str, str]
    reused: dict[str, ArtifactEntry]
    todo: list[str]
    stage: Stage
    results: dict[str, Produced] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    disk_full: str = ""
    """The file a full disk stopped, if one did (``failures``: said once per build)."""

    @property
    def tmp(self) -> Path:
        """Return the folder the new outputs are written into, beside the installed one."""
        return self.stage.path


def plan(leaflet: Leaflet, names: Iterable[str], options: BuildOptions) -> Job:
    """Decide which formats are already up to date (same inputs, files intact)."""
    folder = options.out / leaflet.id / leaflet.lang
    previous = previous_manifest(folder)
    keys: dict[str, str] = {}
    reused, todo = {}, []
    for name in _made_in(leaflet, names):
        keys[name] = artifact_key(leaflet, name, options, keys)
        entry = previous.artifacts.get(formats.artifact_name(name, options)) if previous else None
        if entry and entry.key == keys[name] and intact(folder, entry):
            reused[name] = entry
        else:
            todo.append(name)
    return Job(leaflet, folder, keys, reused, todo, Stage(folder))


def _made_in(leaflet: Leaflet, names: Iterable[str]) -> list[str]:
    """Return the formats that can be made in the leaflet's language, warning of the others
    (braille where liblouis has no table): its other formats are built without them."""
    made = []
    for name in names:
        reason = formats.unsupported(name, leaflet.lang)
        if reason is None:
            made.append(name)
        else:
            log.warning("%s: %s is not built in %s: %s", leaflet.source_file, name,
                        leaflet.lang, reason)
    return made


def artifact_key(
    leaflet: Leaflet, name: str, options: BuildOptions, keys: dict[str, str] | None = None
) -> str:
    """Return the hash of every input of one format: source, code, templates, options, day,
    and for a narration the Piper voices it may choose from (``speech.voice_files``).

    Of the day, only whether the review is overdue counts: every format says so. A format
    that reuses another's files (``formats.needs``) includes that format's key.
    """
    writer_options = formats.FORMATS[name].options
    parts = [
        leaflet.source_hash,
        name,
        __version__,
        code_hash(),
        templates_hash(options.templates),
        options.fingerprint(*writer_options),
        f"overdue={review_status(leaflet.facts.review, options.today).overdue}",
        *((keys or {}).get(need, need) for need in formats.needs(name)),
        f"voices={voice_files.fingerprint(options, (name,))}",
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def intact(folder: Path, entry: ArtifactEntry) -> bool:
    """Say whether every file of an artifact is there with the SHA-256 the manifest records."""
    for role, rel in entry.files.items():
        path = folder / rel
        if not path.is_file() or sha256_file(path) != entry.sha256.get(role):
            return False
    return True
