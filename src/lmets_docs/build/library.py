"""Find and load a library of leaflets, keeping going past a broken one.

PATH is searched recursively: a library organised by topic (``content/support/money-worries``)
is built whole. A folder holding ``leaflet.yaml`` is a leaflet (its own sub-folders are its
images, not more leaflets); a folder with no leaflet anywhere under it is reported by name,
never passed over in silence. Hidden folders and the build's output and cache folders are
not leaflets.

A problem in one leaflet language stops that language only: the others load, and the
problems are kept, each with its ``file:line``, for the build to say with "not built". Two
folders with the same ``id`` would build into one output folder: neither is built (either
could be the copy), and each is named in the other's problem.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lmets_docs.errors import ContentError, Problem
from lmets_docs.libraryfiles import LEAFLET_FILE, real_path
from lmets_docs.model import Leaflet
from lmets_docs.source.loader import languages, load_folder
from lmets_docs.source.shared import library_file_warnings

log = logging.getLogger(__name__)
_ID_LINE = re.compile(r"^id\s*:")


@dataclass
class Library:
    """The leaflet languages that loaded, and the problems that stopped the others."""

    leaflets: list[Leaflet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    """Each leaflet language not built, as ``folder (lang)`` (or a folder, when none loaded)."""
    warnings: list[str] = field(default_factory=list)
    """The library's own warnings (a ``contacts.yaml`` no leaflet reads), said once."""

    def refuse(self) -> None:
        """Raise every problem together (``validate``'s and a library with nothing to build)."""
        if self.problems:
            raise ContentError(self.problems)


@dataclass
class Found:
    """What is under a library's folders: leaflets, folders that are not, empty folders."""

    leaflets: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """A folder that holds a leaflet's files (a text, a YAML) but no ``leaflet.yaml``."""
    empty: list[Path] = field(default_factory=list)
    """A folder that holds no leaflet and none of a leaflet's files (``images/``)."""


def find_leaflets(paths: Iterable[Path], skip: Iterable[Path] = ()) -> Found:
    """Return the leaflet folders under ``paths``, searched recursively, and what is not one."""
    skipped = {real_path(path) for path in skip}
    found = Found()
    for path in paths:
        if not path.exists():
            found.problems.append(Problem(path, None, "no such leaflet folder"))
        elif (path / LEAFLET_FILE).is_file():
            found.leaflets.append(path)
        elif not path.is_dir() or not _walk(path, skipped | {real_path(path)}, found):
            found.problems.append(Problem(path, None, _not_a_leaflet(path)))
    return found


def _walk(folder: Path, skipped: set[Path], found: Found) -> bool:
    """Add the leaflets under ``folder`` to ``found``; say whether there was one."""
    any_found = False
    for sub in _subfolders(folder, skipped):
        if (sub / LEAFLET_FILE).is_file():
            found.leaflets.append(sub)
            any_found = True
        elif _walk(sub, skipped, found):
            any_found = True
        elif _looks_like_leaflet(sub):
            found.problems.append(Problem(sub, None, _not_a_leaflet(sub)))
        else:
            found.empty.append(sub)
    return any_found


def _subfolders(folder: Path, skipped: set[Path]) -> Iterator[Path]:
    """Yield the folders in ``folder`` that may hold leaflets, in name order."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or not _is_dir(entry):
            continue
        path = Path(folder, entry.name)
        if (real := real_path(path)) not in skipped:
            skipped.add(real)  # a folder linked in twice (or into itself) is looked into once
            yield path


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # a link to a folder too: a library may link leaflets in
    except OSError:
        return False


def _looks_like_leaflet(folder: Path) -> bool:
    """Say whether a folder without leaflet.yaml holds a leaflet's files (a text or YAML)."""
    return any(any(folder.glob(pattern)) for pattern in ("*.md", "*.yml", "*.yaml"))


def _not_a_leaflet(path: Path) -> str:
    """Say why a folder is not a leaflet folder, naming a misnamed leaflet.yml."""
    if (path / "leaflet.yml").exists():
        return f"not a leaflet: its file is named leaflet.yml; rename it {LEAFLET_FILE}"
    return f"not a leaflet folder: it has no {LEAFLET_FILE} and no sub-folder with one"


def load_library(paths: Iterable[Path], langs: list[str] | None,
                 skip: Iterable[Path] = ()) -> Library:
    """Load every leaflet language under ``paths`` that has no problem; keep the others'."""
    paths = list(paths)
    found = find_leaflets(paths, skip)
    for empty in found.empty:
        log.warning("%s: holds no leaflet (no %s in it or under it)", empty, LEAFLET_FILE)
    library = Library(problems=list(found.problems))
    library.blocked += [str(problem.file) for problem in found.problems]
    for folder in found.leaflets:
        _load_one(folder, langs, library)
    _refuse_duplicates(library)
    library.warnings = library_file_warnings(paths, found.leaflets)
    for warning in library.warnings:
        log.warning("%s", warning)
    # A library's contacts.yaml may be wrong for many leaflets: each problem is said once.
    library.problems = list(dict.fromkeys(library.problems))
    return library


def _load_one(folder: Path, langs: list[str] | None, library: Library) -> None:
    """Load a leaflet folder; if it has a problem, load each of its languages on its own.

    Not when a problem is outside the language files (``leaflet.yaml``, the library's
    ``contacts.yaml``: every language reads them) or the folder has one language: loading
    again could only find the same problems, twice as slowly.
    """
    try:
        library.leaflets += load_folder(folder, langs)
        return
    except ContentError as exc:
        library.problems += exc.problems
        shared = any(problem.file.suffix != ".md" for problem in exc.problems)
    wanted = langs or languages(folder)
    if shared or len(wanted) < 2:
        library.blocked += [f"{folder} ({lang})" for lang in wanted] or [str(folder)]
        return
    for lang in wanted:
        try:
            library.leaflets += load_folder(folder, [lang])
        except ContentError:
            library.blocked.append(f"{folder} ({lang})")


def _refuse_duplicates(library: Library) -> None:
    """Keep out every leaflet whose id another folder has too, naming both folders."""
    folders: dict[str, list[Path]] = {}
    for leaflet in library.leaflets:
        where = folders.setdefault(leaflet.id, [])
        if leaflet.source_file.parent not in where:
            where.append(leaflet.source_file.parent)
    shared = {key: where for key, where in folders.items() if len(where) > 1}
    for key, where in shared.items():
        for folder in where:
            others = " and ".join(str(other) for other in where if other != folder)
            library.problems.append(Problem(
                folder / LEAFLET_FILE, _id_line(folder / LEAFLET_FILE),
                f"id '{key}' is also the id of {others}: give each leaflet its own id "
                "(neither is built: both would go to the same output folder)"))
            library.blocked.append(str(folder))
    library.leaflets = [leaflet for leaflet in library.leaflets if leaflet.id not in shared]


def _id_line(path: Path) -> int | None:
    """Return the line of ``id:`` in a leaflet.yaml (None if it cannot be read)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, 1) if _ID_LINE.match(line)), None)
