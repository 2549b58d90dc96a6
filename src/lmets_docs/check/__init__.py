"""``lmets-docs check``: read every built artifact back and prove it says the same facts.

The manifest says where the artifacts are and what the facts are; everything else is read
from the files themselves (PDF text and tags, DOCX XML, MP3 tags and transcript), because
files get edited, swapped and mixed after a build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import os
from collections.abc import Collection, Iterable, Iterator
from contextlib import nullcontext
from functools import partial
from pathlib import Path
from typing import Protocol

from lmets_docs.check import aside
from lmets_docs.check.facts import fact_findings
from lmets_docs.check.findings import Finding, Report, Severity, error, warning
from lmets_docs.check.languages import language_findings
from lmets_docs.check.library import library_findings
from lmets_docs.check.text import ArtifactText
from lmets_docs.errors import CheckError, LmetsError, NarrationError
from lmets_docs.formats import FORMATS, format_of
from lmets_docs.manifest import MANIFEST, ArtifactEntry, Manifest, read_manifest, sha256_file
from lmets_docs.review import ReviewState, due_soon_words, overdue_words, status_on

__all__ = ["Report", "Severity", "check", "find_manifests"]

READ_ERRORS: tuple[type[Exception], ...] = (LmetsError, OSError, ValueError, EOFError)
"""What reading any file may raise: our errors, the system's, bad bytes or a short file."""


class FormatChecker(Protocol):
    """What a format's checker module provides."""

    READ_ERRORS: tuple[type[Exception], ...]
    """What reading a corrupt or foreign file of this format raises, besides ours and OSError."""

    def read(self, path: Path, entry: ArtifactEntry, manifest: Manifest) -> ArtifactText:
        """Return the artifact's text and the source hash it carries."""
        ...

    def accessibility(
        self, path: Path, entry: ArtifactEntry, manifest: Manifest, *, thorough: bool = True
    ) -> list[Finding]:
        """Return the accessibility rules the artifact breaks (``thorough``: slow checks too)."""
        ...


def find_manifests(paths: Iterable[Path]) -> list[Path]:
    """Return the built language folders under ``paths`` (each holds a manifest.json)."""
    folders: list[Path] = []
    for path in paths:
        if (path / MANIFEST).is_file():
            folders.append(path)
        elif path.is_dir():
            folders += sorted(p.parent for p in path.rglob(MANIFEST) if not _hidden(p, path))
        if not folders:
            raise CheckError(f"{path}: no built leaflet here (no {MANIFEST}); run lmets-docs build")
    return folders


def _hidden(manifest: Path, root: Path) -> bool:
    """Say whether a manifest lies in a hidden folder: a build's unfinished or old copy."""
    return any(part.startswith(".") for part in manifest.relative_to(root).parts[:-1])


def check(
    paths: Iterable[Path],
    today: dt.date | None = None,
    thorough: bool = True,
    formats: Collection[str] | None = None,
    allow_edited: bool = False,
    listen: bool = False,
) -> Report:
    """Check every built leaflet under ``paths`` and return the findings.

    A file changed since the build is an error, or only a warning with ``allow_edited``.
    ``listen``: also hear each narration with the offline recogniser (``check --listen``).
    """
    report = Report()
    paths = list(paths)
    folders = find_manifests(paths)
    for folder in folders:
        manifest = read_manifest(folder)
        report.files.append(folder / MANIFEST)
        report.findings += review_findings(folder / MANIFEST, manifest, today or dt.date.today())
        if not manifest.artifacts:
            report.findings.append(
                error(folder / MANIFEST, "", "the manifest lists no artifacts", "no-artifacts")
            )
        for name, entry in manifest.artifacts.items():
            if formats is not None and format_of(name) not in formats:
                continue
            found = check_artifact(folder, name, entry, manifest, report, thorough)
            report.findings += [_allowed(f) if allow_edited else f for f in found]
            if listen and _heard(name):
                listen_to(folder, entry, manifest, report)
    report.findings += language_findings(folders)  # one leaflet's languages, together
    report.findings += library_findings(folders)  # one contact, the same in every leaflet
    report.findings += unmanifested(paths, folders)
    return report


def unmanifested(paths: Iterable[Path], folders: Iterable[Path]) -> list[Finding]:
    """Return an error for each leaflet language folder (``OUT/<leaflet>/<lang>``) that holds
    outputs but no manifest: nothing says what its files should be, so nothing checks them."""
    known = set(folders)
    found = []
    for path in paths:
        if (path / MANIFEST).is_file() or not path.is_dir():
            continue
        near = sorted({*path.glob("*"), *path.glob("*/*")})
        for folder in (p for p in near if p.is_dir() and not _in_built(p, known)):
            if not _hidden(folder / MANIFEST, path) and _has_files(folder):
                found.append(error(folder, "", f"outputs but no {MANIFEST}: nothing checks "
                                   "these files; rebuild the leaflet, or remove the folder",
                                   "no-manifest"))
    return found


def _in_built(folder: Path, known: set[Path]) -> bool:
    """Say whether a folder is a built language folder or inside one (its audio tracks)."""
    return any(part in known for part in (folder, *folder.parents))


def _has_files(folder: Path) -> bool:
    return any(p.is_file() and not p.name.startswith(".") for p in folder.iterdir())


def _heard(name: str) -> bool:
    """Say whether ``--listen`` hears an artifact (the narration)."""
    row = FORMATS.get(format_of(name))
    return row is not None and row.heard


EDITED = "changed since the build (its SHA-256 differs from the manifest)"
"""What an "edited" finding says, before what to do about it."""


def _allowed(finding: Finding) -> Finding:
    """Return an "edited since the build" finding as a warning (``--allow-edited``), saying
    the edit is accepted rather than asking for the option it was given."""
    if finding.code != "edited":
        return finding
    warned = finding.as_warning()
    return dataclasses.replace(warned, message=f"{EDITED}; accepted as an edit (--allow-edited)")


def listen_to(folder: Path, entry: ArtifactEntry, manifest: Manifest, report: Report) -> None:
    """Hear one narration and add what was heard, and what was heard wrong, to the report."""
    from lmets_docs.listen.hear import listen  # noqa: PLC0415 (the optional extra)

    path = folder / entry.files["narration"]
    if not path.is_file() or next(outside_files(folder, "audio", entry), None):
        return  # reported as missing, or outside the folder, already
    try:
        heard = listen(folder, entry, manifest)
    except NarrationError as exc:  # the MP3 cannot be decoded
        report.findings.append(error(path, "listen", str(exc), "unreadable"))
        return
    report.heard[path] = heard.lines()
    report.findings += heard.findings


def review_findings(path: Path, manifest: Manifest, today: dt.date) -> list[Finding]:
    """Return an error for an overdue leaflet and a warning when review is due soon."""
    status = status_on(dt.date.fromisoformat(manifest.review["next_review_due"]), today)
    printed = manifest.facts["review.next_review_due"].printed
    if status.overdue:
        return [error(path, "review", overdue_words(printed, -status.days_left),
                      "review-overdue")]
    if status.state is ReviewState.DUE_SOON:
        return [warning(path, "review", due_soon_words(printed, status.days_left),
                        "review-due-soon")]
    return []


def check_artifact(
    folder: Path,
    name: str,
    entry: ArtifactEntry,
    manifest: Manifest,
    report: Report,
    thorough: bool = True,
) -> list[Finding]:
    """Return the findings for one format's artifact.

    A checker that says so (``ASIDE``) has its rules checked in a child on an idle core
    (``check.aside``) while its text is read and its facts are checked here.
    """
    row = FORMATS.get(format_of(name))
    if row is None or row.checker is None:
        return [
            warning(folder / MANIFEST, name, f"no checker for format {name!r}", "unknown-format")
        ]
    checker: FormatChecker = importlib.import_module(row.checker)
    outside = list(outside_files(folder, name, entry))
    if outside:  # nothing is read: a manifest from outside must not make check read anything
        return outside
    path = folder / entry.files[row.main_role]
    missing = [folder / rel for rel in entry.files.values() if not (folder / rel).is_file()]
    if missing:
        return [error(p, "", "file listed in the manifest is missing", "missing") for p in missing]
    report.files.append(path)
    reading_errors = (*READ_ERRORS, *checker.READ_ERRORS)
    rules = partial(checker.accessibility, path, entry, manifest, thorough=thorough)
    try:
        with (aside.started(rules) if getattr(checker, "ASIDE", False)
              else nullcontext(rules)) as ruled:
            text = checker.read(path, entry, manifest)
            findings = list(_provenance(folder, entry, text, manifest))
            findings += text.findings
            findings += fact_findings(text, manifest)
            findings += ruled()
    except reading_errors as exc:
        # A corrupt or foreign file is a finding, not a crash; any other exception is a bug
        # in the checker, and surfaces as one.
        return [
            error(path, "", f"cannot read the file ({exc.__class__.__name__}: {exc})", "unreadable")
        ]
    return findings


def outside_files(folder: Path, name: str, entry: ArtifactEntry) -> Iterator[Finding]:
    """Yield an error for each file the manifest names outside the language's folder (an
    absolute path, ``../../etc/passwd``) or through a symbolic link: a tampered manifest
    must not make ``check`` read any file of the system. The writers write neither."""
    root = folder.resolve()
    for role, rel in entry.files.items():
        place = f"artifacts.{name}.files.{role}"
        target = Path(os.path.normpath(root / rel))
        if Path(rel).is_absolute() or not target.is_relative_to(root):
            yield error(folder / MANIFEST, place, f"{rel!r} names a file outside the output "
                        "folder; nothing was read (a manifest changed after the build?)",
                        "outside")
        elif any(part.is_symlink() for part in (target, *target.parents)
                 if part.is_relative_to(root) and part != root):
            yield error(folder / MANIFEST, place, f"{rel!r} is a symbolic link (or inside "
                        "one): check never follows one, and the writers never make one; "
                        "nothing was read", "outside")


def _provenance(
    folder: Path, entry: ArtifactEntry, text: ArtifactText, manifest: Manifest
) -> Iterator[Finding]:
    if text.source_hash != manifest.source_hash:
        found = (text.source_hash or "none")[:12]
        yield error(
            text.path,
            "",
            f"built from another source (source hash {found}…, the manifest "
            f"says {manifest.source_hash[:12]}…): a stale or swapped file",
            "source-hash",
        )
    for role, rel in entry.files.items():
        if sha256_file(folder / rel) != entry.sha256.get(role):
            yield error(
                folder / rel,
                "",
                f"{EDITED}; rebuild it, or pass --allow-edited to accept edits",
                "edited",
            )
