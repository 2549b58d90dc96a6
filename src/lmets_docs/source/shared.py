"""Contacts written once for a library of leaflets: ``contacts.yaml`` beside the leaflet folders.

A charity's helpline is on every leaflet. Written in each ``leaflet.yaml``, a change of its
number means editing every one, and a leaflet whose author typed the number differently is
missed. So a library may hold one ``contacts.yaml`` in the folder of leaflet folders
(``content/contacts.yaml`` for ``content/fatigue/``, and for ``content/support/diet/`` too:
each folder above a leaflet is looked in, nearest first, up to the library's root:
``libraryfiles``), with the same keys as a leaflet's
``facts: contacts:`` (names and notes per language too)::

    contacts:
      hope_line:
        name: {en-GB: Hope Cancer Support Line, cy: Llinell Gymorth Canser Gobaith}
        phone: "0808 157 0300"

and a leaflet names a shared contact instead of writing it out: ``helpline: hope_line``
(``{{ contacts.helpline.phone }}`` in its text, as before). A leaflet may still write its own
contacts, under ids the shared file does not use. The file is read with the same parser and
refusals as ``leaflet.yaml`` (``yamlsrc``). Every such file above a leaflet that names a
shared contact is one of its sources (its hash, its manifest, what ``watch`` looks at): a
nearer file given the id later would change the leaflet's facts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lmets_docs.errors import Problem
from lmets_docs.facts import FactValue, contact_facts
from lmets_docs.libraryfiles import (
    LEAFLET_FILE,
    SHARED_FILE,
    contacts_files,
    library_folders,
    library_root,
)
from lmets_docs.schema import Contact, ContactId, Strict
from lmets_docs.source.textfile import read_text
from lmets_docs.source.yamlsrc import Lines, line_of, parse_yaml, validation_problems


class SharedContacts(Strict):
    """The contacts a library's leaflets share, by id."""

    contacts: dict[ContactId, Contact]


@dataclass(frozen=True)
class Shared:
    """What one leaflet took from its library's ``contacts.yaml``."""

    raw: Any
    """The leaflet's ``leaflet.yaml`` with each reference replaced by the contact it names."""
    files: tuple[Path, ...] = ()
    """The shared file, if the leaflet names a contact in it."""
    problems: list[Problem] = field(default_factory=list)


def shared_path(folder: Path) -> Path:
    """Return where the nearest shared contacts of a leaflet folder would be (may not exist)."""
    return library_folders(folder)[0] / SHARED_FILE


def load_shared(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Return the shared file's contacts (as written, by id), or None with its problems."""
    text, problems = read_text(path)
    if text is None:
        return None, problems
    raw, lines, problems = parse_yaml(text, path)
    if problems:
        return None, problems
    if not isinstance(raw, dict):
        return None, [Problem(path, 1, "expected a mapping with one key, contacts:")]
    return _validated(path, raw, lines)


def _validated(path: Path, raw: dict[str, Any], lines: Lines) -> tuple[dict[str, Any] | None,
                                                                       list[Problem]]:
    try:
        SharedContacts.model_validate(raw)
    except ValidationError as exc:
        return None, validation_problems(exc, path, lines)
    return dict(raw["contacts"]), []


def resolve(folder: Path, raw: Any, lines: Lines) -> Shared:
    """Return ``leaflet.yaml``'s data with its references to shared contacts filled in, each
    from the nearest ``contacts.yaml`` above the leaflet that has it (``libraryfiles``)."""
    contacts = _contacts(raw)
    paths = contacts_files(folder)
    named = {key: value for key, value in contacts.items() if isinstance(value, str)}
    if not paths:
        return Shared(raw, (), [_nothing_there(folder, key, value, lines)
                                for key, value in named.items()])
    loaded = [(path, *load_shared(path)) for path in paths]
    bad = [problem for _path, shared, problems in loaded if shared is None for problem in problems]
    if bad:  # said for each leaflet that names a contact in it (once: load_all)
        return Shared(raw, tuple(paths), bad) if named else Shared(raw)
    files = {path: shared for path, shared, _problems in loaded if shared is not None}
    problems = _clashes(folder, contacts, files, lines)
    for key, value in named.items():
        given = next((shared[value] for shared in files.values() if value in shared), None)
        if given is not None:
            contacts[key] = given
        else:
            problems.append(_unknown(folder, key, value, lines, files))
    return Shared(raw, tuple(paths) if named else (), problems)


def _contacts(raw: Any) -> dict[str, Any]:
    facts = raw.get("facts") if isinstance(raw, dict) else None
    contacts = facts.get("contacts") if isinstance(facts, dict) else None
    return contacts if isinstance(contacts, dict) else {}


def _where(folder: Path, key: str, lines: Lines) -> tuple[Path, int | None]:
    return folder / LEAFLET_FILE, line_of(lines, ["facts", "contacts", key])


def _nothing_there(folder: Path, key: str, value: str, lines: Lines) -> Problem:
    path, root = shared_path(folder), library_root(folder)
    return Problem(*_where(folder, key, lines),
                   f"facts.contacts.{key}: names the shared contact '{value}', but there is no "
                   f"{path}, nor a {SHARED_FILE} in any folder above it up to the library's "
                   f"root ({root}): write the contact out here, or create {path} (or one in a "
                   "folder above) with it")


def _unknown(folder: Path, key: str, value: str, lines: Lines,
             files: dict[Path, dict[str, Any]]) -> Problem:
    looked = " nor in ".join(f"{path} (it has: {', '.join(sorted(shared)) or 'none'})"
                             for path, shared in files.items())
    return Problem(*_where(folder, key, lines),
                   f"facts.contacts.{key}: '{value}' is not a contact in {looked}; check its "
                   "spelling")


def _clashes(folder: Path, contacts: dict[str, Any], files: dict[Path, dict[str, Any]],
             lines: Lines) -> list[Problem]:
    """Return a problem for each contact a leaflet writes out under a shared contact's id."""
    return [Problem(*_where(folder, key, lines),
                    f"facts.contacts.{key}: '{key}' is also a contact in {path}, and a leaflet "
                    f"writes it out here: name the shared one ({key}: {key}) or give this "
                    "contact another id")
            for key, value in contacts.items() if isinstance(value, dict)
            for path in [next((p for p, shared in files.items() if key in shared), None)]
            if path is not None]


def watched_files(folders: list[Path]) -> list[Path]:
    """Return the shared files of the leaflet folders that are not inside one of them (for
    ``watch``: a helpline changed there rebuilds the leaflets that name it)."""
    files = dict.fromkeys(path for folder in folders for path in contacts_files(folder))
    return [f for f in files if f.is_file() and not any(f.is_relative_to(d) for d in folders)]


def named_contacts(folder: Path) -> dict[str, str]:
    """Return the shared contacts a leaflet folder's ``leaflet.yaml`` names (its key: the
    shared id), read even when the leaflet does not load (empty if the file does not parse)."""
    path = folder / LEAFLET_FILE
    text = read_text(path)[0] if path.is_file() else None
    raw, _lines, problems = parse_yaml(text, path) if text is not None else (None, {}, [])
    if problems:
        return {}
    return {key: value for key, value in _contacts(raw).items() if isinstance(value, str)}


def shared_facts_now(folder: Path, lang: str) -> dict[str, FactValue] | None:
    """Return the facts a leaflet folder takes from its library's contacts.yaml now, in a
    language, as the leaflet would give them (``contacts.<its key>.phone`` …): known even
    when the leaflet's own text does not load. None if it names no shared contact or the
    file does not load; a contact no longer in the file gives no facts."""
    named = named_contacts(folder)
    files = [load_shared(path)[0] for path in contacts_files(folder)] if named else []
    if not files or None in files:
        return None
    facts: dict[str, FactValue] = {}
    try:
        for key, value in named.items():
            given = next((shared[value] for shared in files if shared and value in shared), None)
            if given is not None:
                contact = Contact.model_validate(given)
                facts |= {fact.name: fact for fact in contact_facts(key, contact, lang)}
    except ValueError:  # no name in this language: said by validate and build
        return None
    return facts


def library_file_warnings(paths: Iterable[Path], leaflets: Iterable[Path]) -> list[str]:
    """Return a warning for each ``contacts.yaml`` under ``paths`` from which no leaflet takes
    a contact, and for each shared contact a leaflet takes from a nearer file than another
    that gives it otherwise (a copy left behind: a change in one does not reach the other)."""
    loaded: dict[Path, dict[str, Any] | None] = {}
    taken: dict[Path, set[str]] = {}
    hidden: dict[tuple[Path, str], set[Path]] = {}
    for folder in leaflets:
        files = contacts_files(folder)
        for path in files:
            if path not in loaded:
                loaded[path] = load_shared(path)[0]
        for value in named_contacts(folder).values():
            _take(value, [(p, loaded[p]) for p in files], taken, hidden)
    inside = [p for p in loaded if any(p.is_relative_to(root) for root in paths)]
    unread = [_unread(p, loaded, taken) for p in inside
              if loaded[p] is not None and p not in taken]
    return [*unread, *(_hidden(near, value, far) for (near, value), far in hidden.items())]


def _take(value: str, files: list[tuple[Path, dict[str, Any] | None]],
          taken: dict[Path, set[str]], hidden: dict[tuple[Path, str], set[Path]]) -> None:
    """Note which file gives a leaflet's shared contact, and the farther ones it hides."""
    having = [(path, shared) for path, shared in files if shared and value in shared]
    if not having:
        return
    (near, given), others = having[0], having[1:]
    taken.setdefault(near, set()).add(value)
    for far, shared in others:
        if shared is not None and shared[value] != given[value]:
            hidden.setdefault((near, value), set()).add(far)


def _unread(path: Path, loaded: dict[Path, dict[str, Any] | None],
            taken: dict[Path, set[str]]) -> str:
    ids = set(loaded[path] or {})
    nearer = sorted(str(p) for p, values in taken.items() if values & ids and p != path)
    given = f"; its contacts are taken from {', '.join(nearer)}, nearer to the leaflets" \
        if nearer else ""
    return (f"{path}: no leaflet takes a contact from this file, so a change here changes "
            f"no leaflet{given} (a leaflet takes a shared contact from the nearest "
            f"{SHARED_FILE} above it that has it): remove the copies, or this file")


def _hidden(near: Path, value: str, far: set[Path]) -> str:
    return (f"{near}: the contact '{value}' is also in {', '.join(sorted(map(str, far)))}, "
            "given otherwise; the leaflets below this file take it from here, so a change "
            "there does not reach them: keep one of them (a leaflet takes a shared contact "
            f"from the nearest {SHARED_FILE} above it that has it)")
