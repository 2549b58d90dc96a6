"""Contacts written once for a library of leaflets: ``contacts.yaml`` beside the leaflet folders.

A charity's helpline is on every leaflet. Written in each ``leaflet.yaml``, a change of its
number means editing every one, and a leaflet whose author typed the number differently is
missed. So a library may hold one ``contacts.yaml`` in the folder of leaflet folders
(``content/contacts.yaml`` for ``content/fatigue/``), with the same keys as a leaflet's
``facts: contacts:`` (names and notes per language too)::

    contacts:
      hope_line:
        name: {en-GB: Hope Cancer Support Line, cy: Llinell Gymorth Canser Gobaith}
        phone: "0808 157 0300"

and a leaflet names a shared contact instead of writing it out: ``helpline: hope_line``
(``{{ contacts.helpline.phone }}`` in its text, as before). A leaflet may still write its own
contacts, under ids the shared file does not use. The file is read with the same parser and
refusals as ``leaflet.yaml`` (``yamlsrc``), and is one of the sources of every leaflet that
names it (its hash, its manifest, what ``watch`` looks at).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lmets_docs.errors import Problem
from lmets_docs.facts import FactValue, contact_facts
from lmets_docs.schema import Contact, ContactId, Strict
from lmets_docs.source.textfile import read_text
from lmets_docs.source.yamlsrc import Lines, line_of, parse_yaml, validation_problems

SHARED_FILE = "contacts.yaml"


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
    """Return where the library's shared contacts of a leaflet folder are (may not exist);
    ``build.stamp.library_file`` says the same without importing this module."""
    parent = folder.parent if folder.name not in ("", ".", "..") else folder.resolve().parent
    return parent / SHARED_FILE


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
    """Return ``leaflet.yaml``'s data with its references to shared contacts filled in."""
    contacts = _contacts(raw)
    path = shared_path(folder)
    named = {key: value for key, value in contacts.items() if isinstance(value, str)}
    if not path.exists():
        return Shared(raw, (), [_nothing_there(folder, key, value, lines, path)
                                for key, value in named.items()])
    shared, problems = load_shared(path)
    if shared is None:  # said for each leaflet that names a contact in it (once: load_all)
        return Shared(raw, (path,), problems) if named else Shared(raw)
    problems = _clashes(folder, contacts, shared, lines, path)
    for key, value in named.items():
        if value in shared:
            contacts[key] = shared[value]
        else:
            problems.append(_unknown(folder, key, value, lines, path, shared))
    return Shared(raw, (path,) if named else (), problems)


def _contacts(raw: Any) -> dict[str, Any]:
    facts = raw.get("facts") if isinstance(raw, dict) else None
    contacts = facts.get("contacts") if isinstance(facts, dict) else None
    return contacts if isinstance(contacts, dict) else {}


def _where(folder: Path, key: str, lines: Lines) -> tuple[Path, int | None]:
    return folder / "leaflet.yaml", line_of(lines, ["facts", "contacts", key])


def _nothing_there(folder: Path, key: str, value: str, lines: Lines, path: Path) -> Problem:
    return Problem(*_where(folder, key, lines),
                   f"facts.contacts.{key}: names the shared contact '{value}', but there is no "
                   f"{path}: write the contact out here, or create {path} with it")


def _unknown(folder: Path, key: str, value: str, lines: Lines, path: Path,
             shared: dict[str, Any]) -> Problem:
    known = ", ".join(sorted(shared)) or "none"
    return Problem(*_where(folder, key, lines),
                   f"facts.contacts.{key}: '{value}' is not a contact in {path} "
                   f"(it has: {known}); check its spelling")


def _clashes(folder: Path, contacts: dict[str, Any], shared: dict[str, Any], lines: Lines,
             path: Path) -> list[Problem]:
    """Return a problem for each contact a leaflet writes out under a shared contact's id."""
    return [Problem(*_where(folder, key, lines),
                    f"facts.contacts.{key}: '{key}' is also a contact in {path}, and a leaflet "
                    f"writes it out here: name the shared one ({key}: {key}) or give this "
                    "contact another id")
            for key, value in contacts.items() if isinstance(value, dict) and key in shared]


def watched_files(folders: list[Path]) -> list[Path]:
    """Return the shared files of the leaflet folders that are not inside one of them (for
    ``watch``: a helpline changed there rebuilds the leaflets that name it)."""
    files = dict.fromkeys(shared_path(folder) for folder in folders)
    return [f for f in files if f.is_file() and not any(f.is_relative_to(d) for d in folders)]


def named_contacts(folder: Path) -> dict[str, str]:
    """Return the shared contacts a leaflet folder's ``leaflet.yaml`` names (its key: the
    shared id), read even when the leaflet does not load (empty if the file does not parse)."""
    path = folder / "leaflet.yaml"
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
    named, path = named_contacts(folder), shared_path(folder)
    shared = load_shared(path)[0] if named and path.is_file() else None
    if shared is None:
        return None
    facts: dict[str, FactValue] = {}
    try:
        for key, value in named.items():
            if value in shared:
                contact = Contact.model_validate(shared[value])
                facts |= {fact.name: fact for fact in contact_facts(key, contact, lang)}
    except ValueError:  # no name in this language: said by validate and build
        return None
    return facts
