"""Find a leaflet's library contacts: each ``contacts.yaml`` above its folder, nearest first.

A leaflet names a shared contact by id (``helpline: hope_line``). The id is looked up in the
``contacts.yaml`` of each folder above the leaflet's folder, nearest first, and the nearest
file that has it gives it: a leaflet in ``content/support/money-worries/`` looks in
``content/support/contacts.yaml``, then ``content/contacts.yaml``, and so up to the library's
root. So a library in topic folders writes its helpline once, at its top, and a topic folder may
still give a contact of its own (or its own version of one).

The library's root is where the walk stops (its ``contacts.yaml`` is read too): the first folder
on the way up that holds ``.git`` (a library kept in git: the repository's top), the user's
home folder, or the file system's root. Not the PATH a build is given: a leaflet built on its
own (``build content/support/money-worries``) must give the same facts as when its library is
built, and the PATH is then the leaflet's own folder.

Only the standard library: the build's stamp (``build.stamp``) and ``watch`` need the same
files before anything heavy is imported.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

LEAFLET_FILE = "leaflet.yaml"
"""The file of a leaflet folder that holds its facts (its texts are ``<lang>.md``)."""
SHARED_FILE = "contacts.yaml"
ROOT_MARKERS = (".git",)
"""What marks a library's root folder (a repository's top)."""


def library_folders(folder: Path) -> list[Path]:
    """Return the folders whose ``contacts.yaml`` a leaflet folder reads, nearest first, up
    to the library's root (as given while the path allows, then absolute)."""
    return list(_upwards(folder))


def _upwards(folder: Path) -> Iterator[Path]:
    here = folder.parent if folder.name not in ("", ".", "..") else real_path(folder).parent
    home = _home()
    while True:
        yield here
        real = real_path(here)
        if real in (home, real.parent) or any((here / m).exists() for m in ROOT_MARKERS):
            return
        here = here.parent if here.name not in ("", ".", "..") else real.parent


def contacts_files(folder: Path) -> list[Path]:
    """Return the ``contacts.yaml`` files there are above a leaflet folder, nearest first."""
    return [path for path in (f / SHARED_FILE for f in library_folders(folder)) if path.exists()]


def shared_name(path: Path, folder: Path) -> str:
    """Return a library's ``contacts.yaml`` as a leaflet folder's manifest names it
    (``../contacts.yaml``, ``../../contacts.yaml``)."""
    return Path(os.path.relpath(path, folder)).as_posix()


def is_shared_name(name: str) -> bool:
    """Say whether a manifest's source file is a library's ``contacts.yaml`` above the leaflet."""
    return name.startswith("../") and name.endswith(f"/{SHARED_FILE}")


def library_root(folder: Path) -> Path:
    """Return the last folder a leaflet folder's shared contacts are looked for in."""
    return library_folders(folder)[-1]


def _home() -> Path | None:
    try:
        return real_path(Path.home())
    except RuntimeError:  # no home folder known
        return None


def real_path(path: Path) -> Path:
    """Return a path resolved link by link, or made absolute where it cannot be: a path
    through a loop of symbolic links (which Python 3.11 raises as RuntimeError, 3.13 as
    OSError) or a folder that cannot be read is judged, and named, by what reads it."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()
