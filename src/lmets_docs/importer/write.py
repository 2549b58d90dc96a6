"""Write the imported language file: refuse to replace one without ``--force``, validate it
with the loader in a scratch copy of the leaflet folder, prove it reads back as imported,
then move it into place atomically and say what changed.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lmets_docs.errors import ContentError, ImportDocxError, Problem, said
from lmets_docs.importer.provenance import read_front_matter
from lmets_docs.model import Block, Figure, Leaflet
from lmets_docs.source import load_folder
from lmets_docs.source.loader import languages

NEW_FILE_MODE = 0o644


@dataclass(frozen=True)
class Written:
    """The file written, and the unified diff from the one it replaced (empty if new)."""

    path: Path
    replaced: bool
    diff: str


def refuse_existing(target: Path, force: bool) -> None:
    """Refuse to replace an existing translation unless ``force`` says so."""
    if target.exists() and not force:
        raise ImportDocxError(f"{target}: a translation is already there; nothing was written. "
                              "Import again with --force to replace it (the changes will be "
                              "shown)")


def refuse_original(target: Path, made_from: str, path: Path) -> None:
    """Refuse to write over the leaflet's source: the language file the file being imported
    was made from, or any other translation was, unless it is itself a translation.

    Whatever the flags: a wrong ``--lang`` (or a file's target language set to its source's)
    would otherwise replace the author's text, which every translation is made from.
    """
    if not target.is_file() or read_front_matter(target).get("translated_from"):
        return
    others = (read_front_matter(p).get("translated_from") for p in target.parent.glob("*.md"))
    if target.stem != made_from and target.stem not in others:
        return  # a language file written by hand, not a source: --force may replace it
    raise ImportDocxError(
        f"{path}: {target.name} is the leaflet's source, which translations are made from "
        f"(the file was made from {made_from}.md), not a translation: an import never replaces "
        "it; nothing was written. Name the language the file was translated into (--lang for "
        "import-docx; the target language in the translation tool for import-xliff)")


def write_language_file(target: Path, text: str, meant: Leaflet, force: bool) -> Written:
    """Validate ``text`` as ``target`` and write it atomically; return what was done."""
    refuse_existing(target, force)
    read_back = validate(target, text)
    prove_same(target, read_back, meant)
    old = target.read_text(encoding="utf-8") if target.exists() else None
    atomic_write(target, text)
    diff = "" if old is None else unified_diff(target, old, text)
    return Written(target, old is not None, diff)


def validate(target: Path, text: str) -> Leaflet:
    """Load ``text`` with the loader, as ``target`` in a scratch copy of its leaflet folder."""
    folder, lang = target.parent, target.stem
    with tempfile.TemporaryDirectory(prefix="lmets-import-") as scratch:
        copy = Path(scratch) / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("*.md", ".*"))
        (copy / target.name).write_text(text, encoding="utf-8")
        try:
            return load_folder(copy, [lang], has={*languages(folder), lang})[0]
        except ContentError as exc:
            found = "\n".join(said(Problem(target, p.line, p.message) for p in exc.problems))
            raise ImportDocxError(f"{target}: the file made from the translation does not "
                                  f"validate, so it was not written:\n{found}") from exc


def prove_same(target: Path, read_back: Leaflet, meant: Leaflet) -> None:
    """Refuse if the written Markdown does not read back as the imported text."""
    got, want = _units(read_back), _units(meant)
    if len(got) != len(want):
        raise ImportDocxError(f"{target}: the file reads back with {len(got)} parts, not "
                              f"{len(want)}; nothing was written. Please report this")
    for (where, found), (_, imported) in zip(got, want, strict=True):
        if found != imported:
            raise ImportDocxError(f"{target}: {where} does not read back as imported (read "
                                  f"{found!r}, imported {imported!r}); nothing was written. "
                                  "Please report this with the DOCX")


def _units(leaflet: Leaflet) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = [("the title", leaflet.title),
                                    ("the references note", leaflet.references_note)]
    found += [(f"block {b.id}", _comparable(b)) for b in leaflet.intro]
    for section in leaflet.sections:
        found.append((f"section {section.id}", section.title))
        found += [(f"block {b.id}", _comparable(b)) for b in section.blocks]
    return found


def _comparable(block: Block) -> Block:
    if isinstance(block, Figure):
        return dataclasses.replace(block, path=None, line=0)
    return dataclasses.replace(block, line=0)


def atomic_write(target: Path, text: str) -> None:
    """Write ``target`` through a temporary file in its folder and one rename."""
    mode = target.stat().st_mode & 0o777 if target.exists() else NEW_FILE_MODE
    try:
        handle, scratch = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                           suffix=".tmp")
    except OSError as exc:
        raise ImportDocxError(f"{target}: cannot write here ({exc.strerror or exc})") from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(scratch, mode)
        os.replace(scratch, target)
    except OSError as exc:
        Path(scratch).unlink(missing_ok=True)
        raise ImportDocxError(f"{target}: cannot write it ({exc.strerror or exc})") from exc


def unified_diff(target: Path, old: str, new: str) -> str:
    """Return the unified diff between the old and the new file (empty if the same)."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), f"{target} (before)",
                                 f"{target} (imported)", lineterm="")
    return "\n".join(lines)
