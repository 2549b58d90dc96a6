"""Prove that the languages of one leaflet give the same facts, and were built from its source.

Each language of a leaflet is built into ``OUT/<leaflet>/<lang>/`` with its own manifest, and
each folder on its own can be perfectly consistent while the languages disagree: after the
helpline's number changed, ``build --lang en-GB`` (or a Welsh rebuild that failed, which keeps
the previous outputs) leaves a Welsh PDF printing the old number. So the facts that do not
depend on the language are compared across a leaflet's manifests:

- phone numbers, email and web addresses by their link (``tel:``, ``mailto:``, ``https:``);
- dated facts (the review dates, ``dates:``) by their ``YYYY-MM-DD`` value;
- opening hours by the days and times the manifest records as data (``hours``), since their
  words are each language's own; a manifest of an older version, without them, is left out.

A contact's name and note are words, which each language may give its own: not compared.
When the leaflet folder a manifest names is found (as recorded, absolute, or as seen from the
output folder), a language built from an older ``leaflet.yaml`` (or the library's
``contacts.yaml`` it names) than the folder now holds is said too: an error when a fact it
gives changed, a warning otherwise. A leaflet folder gone from a library still there is a
withdrawn leaflet, whose outputs are still published: an error. Manifests are read as plain
JSON, so ``build`` asks the same question after writing a language (its check gives
``check``'s verdict).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lmets_docs.check.findings import Finding, error, warning
from lmets_docs.errors import LmetsError
from lmets_docs.libraryfiles import LEAFLET_FILE, contacts_files, is_shared_name, shared_name
from lmets_docs.manifest import MANIFEST, facts_hash, sha256_file

Built = dict[str, Any]
"""A manifest as read from its JSON."""


def shared_file(name: str) -> bool:
    """Say whether a manifest's source file is one whose change every language shares: its
    ``leaflet.yaml`` and the library's ``contacts.yaml`` files above it."""
    return name == LEAFLET_FILE or is_shared_name(name)


LINKED = (".phone", ".email", ".web")
"""Facts compared by their link: the same number or address in every language."""


@dataclass(frozen=True)
class Difference:
    """One fact that the languages of a leaflet give differently."""

    fact: str
    given: dict[str, str]
    """Each language's value, as that language gives it (or "nothing")."""
    stale: tuple[str, ...]
    """The languages that differ from the one built last: those to rebuild."""

    def words(self) -> str:
        """Return what each language gives: ``0808 157 0456 in en-GB, 0808 157 0123 in cy``."""
        groups: dict[str, list[str]] = {}
        for lang, value in self.given.items():
            groups.setdefault(value, []).append(lang)
        return ", ".join(f"{value} in {' and '.join(langs)}" for value, langs in groups.items())


def read_built(folder: Path) -> Built | None:
    """Return a language folder's manifest as JSON, or None if there is none or it is unreadable."""
    try:
        built = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return built if isinstance(built, dict) and isinstance(built.get("lang"), str) else None


def neutral_facts(built: Built, with_hours: bool) -> dict[str, tuple[str, str]]:
    """Return each language-neutral fact: (what is compared, what is shown)."""
    facts: dict[str, tuple[str, str]] = {}
    for name, entry in (built.get("facts") or {}).items():
        printed = str(entry.get("printed", ""))
        if name.endswith(LINKED):
            facts[name] = (str(entry.get("link") or printed), printed)
        elif entry.get("value"):
            facts[name] = (str(entry["value"]), str(entry["value"]))
    if with_hours:
        for name, data in (built.get("hours") or {}).items():
            shown = (built.get("facts") or {}).get(name, {}).get("printed", data)
            facts[name] = (str(data), f"'{shown}'")
    return facts


def differences(builts: dict[str, Built], newest: str | None = None) -> list[Difference]:
    """Return the language-neutral facts that a leaflet's languages (lang → manifest) give
    differently; the languages to rebuild are those that differ from ``newest`` (default: the
    one built last; a build names one it has just built, as two may share a second)."""
    with_hours = all("hours" in built for built in builts.values())
    facts = {lang: neutral_facts(built, with_hours) for lang, built in builts.items()}
    latest = newest or max(builts, key=lambda lang: str(builts[lang].get("built", "")))
    names = dict.fromkeys(name for given in facts.values() for name in given)
    found = []
    for name in names:
        values = {lang: given.get(name, ("", "nothing")) for lang, given in facts.items()}
        if len({compared for compared, _shown in values.values()}) > 1:
            stale = tuple(lang for lang, v in values.items() if v[0] != values[latest][0])
            found.append(Difference(name, {k: v[1] for k, v in values.items()}, stale))
    return found


def leaflets(folders: Iterable[Path]) -> dict[Path, dict[str, tuple[Path, Built]]]:
    """Return the built language folders grouped by leaflet (``OUT/<leaflet>``), with manifests."""
    groups: dict[Path, dict[str, tuple[Path, Built]]] = {}
    for folder in folders:
        if (built := read_built(folder)) is not None:
            groups.setdefault(folder.parent, {})[built["lang"]] = (folder, built)
    return groups


def rebuild_command(builts: Iterable[Built], langs: Iterable[str]) -> str:
    """Return the command that rebuilds ``langs`` of a leaflet from the folder it was built from."""
    folders = [b.get("source_folder") for b in builts if b.get("source_folder")]
    source = folders[0] if folders else "<the leaflet's folder>"
    return f"lmets-docs build {source} " + " ".join(f"--lang {lang}" for lang in langs)


def language_findings(folders: Iterable[Path]) -> list[Finding]:
    """Return an error for each fact a leaflet's languages give differently, and a warning for
    each language built from an older source than its leaflet folder now holds."""
    findings: list[Finding] = []
    for group in leaflets(folders).values():
        findings += _differing(group)
        for lang, (folder, built) in group.items():
            findings += _older_than_source(folder, built, lang)
    return findings


def _differing(group: dict[str, tuple[Path, Built]]) -> Iterator[Finding]:
    builts = {lang: built for lang, (_folder, built) in group.items()}
    if len(builts) < 2:
        return
    for found in differences(builts, _from_current_source(group)):
        folder = group[found.stale[0]][0] if found.stale else next(iter(group.values()))[0]
        yield error(
            folder / MANIFEST, "languages",
            f"{found.fact} differs between the languages of {folder.parent.name}: "
            f"{found.words()}; every language must give the same facts: rebuild "
            f"{' and '.join(found.stale)} ({rebuild_command(builts.values(), found.stale)})",
            "languages-differ")


def _from_current_source(group: dict[str, tuple[Path, Built]]) -> str | None:
    """Return a language built from the leaflet.yaml its folder holds now, if there is one: the
    one to compare with (its build time may be the same second as another's)."""
    for lang, (folder, built) in group.items():
        source = source_folder(folder, built)
        sha256 = (built.get("source_files") or {}).get(LEAFLET_FILE)
        path = source / LEAFLET_FILE if source else None
        if sha256 and path is not None and path.is_file() and sha256_file(path) == sha256:
            return lang
    return None


def source_folder(folder: Path, built: Built) -> Path | None:
    """Return the leaflet folder a language folder was built from, if it is on this machine:
    as recorded (absolute since manifests say so; an older one's is relative to where the
    build ran), else as seen from the output folder (an output and its content moved)."""
    recorded, relative = built.get("source_folder"), built.get("source_from_output")
    for place in (recorded, str(folder / relative) if relative else None):
        if place and Path(place).is_dir():
            return Path(place)
    return None


def _older_than_source(folder: Path, built: Built, lang: str) -> Iterator[Finding]:
    if not built.get("source_folder"):
        return  # built by an older version: nothing to compare with
    source = source_folder(folder, built)
    if source is None:
        yield _not_found(folder, built)
        return
    changed = changed_files(source, built)
    if changed:
        yield _source_changed(folder, built, lang, source, changed)


def changed_files(source: Path, built: Built) -> list[str]:
    """Return the source files every language shares that changed since the build: its
    ``leaflet.yaml``, a library's ``contacts.yaml`` it read, and one that is new above it
    (nearer files are read first: it may give the leaflet another contact)."""
    recorded = built.get("source_files") or {}
    changed = [name for name, sha256 in recorded.items()
               if shared_file(name) and _changed(source / name, sha256)]
    if any(map(is_shared_name, recorded)):
        changed += [name for name in (shared_name(p, source) for p in contacts_files(source))
                    if name not in recorded]
    return changed


def _changed(path: Path, sha256: str) -> bool:
    return not path.is_file() or sha256_file(path) != sha256


def _source_changed(folder: Path, built: Built, lang: str, source: Path,
                    changed: list[str]) -> Finding:
    """Return an error when a fact changed since the build, else a warning."""
    names = " and ".join(str((source / name).resolve()) if name.startswith("..")
                         else str(source / name) for name in changed)
    said = (f"built from an older {names} than is there now (changed after the build of "
            f"{built.get('built', '?')})")
    rebuild = f"rebuild ({rebuild_command([built], [lang])})"
    old = old_facts(source, built)
    if old is not None:
        known = (f" ({'; '.join(old)}; its own source does not load now, so only the shared "
                 "contacts were compared)") if old else ""
        return error(folder / MANIFEST, "source", f"{said}, and its facts (a number, hours, a "
                     f"date) changed: this leaflet gives the old ones{known}; {rebuild}",
                     "source-facts-changed")
    return warning(folder / MANIFEST, "source", f"{said}: {rebuild}", "source-changed")


def stale_facts(folder: Path, built: Built) -> list[str] | None:
    """Return what ``old_facts`` says of a built language folder whose leaflet.yaml or
    library contacts changed since (None: they did not, or its source is not here)."""
    source = source_folder(folder, built) if built.get("source_folder") else None
    if source is None or not changed_files(source, built):
        return None
    return old_facts(source, built)


def old_facts(source: Path, built: Built) -> list[str] | None:
    """Return None if the language's facts (as it gives them: a number, hours, a date, a
    contact's name or note in this language) are those it was built with; else the changes
    known (``contacts.helpline.phone: 0808 157 0300, now …``; none when its own source
    loads: the facts are compared by their hash)."""
    recorded = built.get("facts_hash")
    if not recorded:
        return None  # an older manifest: only the file's change is known
    from lmets_docs.build.manifest import fact_entries  # noqa: PLC0415 (only when it changed)
    from lmets_docs.source.loader import load_folder  # noqa: PLC0415

    try:
        [leaflet] = load_folder(source, [str(built["lang"])])
    except LmetsError:  # its own source has a problem (said by validate and build): the
        return shared_facts_changed(source, built)  # library's contacts may still be known
    return None if facts_hash(fact_entries(leaflet)) == str(recorded) else []


def shared_facts_changed(source: Path, built: Built) -> list[str] | None:
    """Return the facts a leaflet whose own source does not load gives from the library's
    contacts.yaml, where that file now gives others (``name: old, now new``); None if none."""
    from lmets_docs.source.shared import named_contacts, shared_facts_now  # noqa: PLC0415

    facts = shared_facts_now(source, str(built["lang"]))
    if facts is None:
        return None
    given = built.get("facts") or {}
    keys = set(named_contacts(source))
    changed = [f"{name}: {entry.get('printed')}, now {_now(facts, name)}"
               for name, entry in given.items() if isinstance(entry, dict)
               and name.startswith("contacts.") and name.split(".")[1] in keys
               and _given(entry) != _given(facts.get(name))]
    changed += [f"{name}: nothing, now {fact.printed}" for name, fact in facts.items()
                if name not in given]
    return changed or None


def _given(fact: Any) -> tuple[Any, ...] | None:
    """Return a fact as a language gives it (printed, spoken, link, value), from either form."""
    if fact is None:
        return None
    if isinstance(fact, dict):
        return tuple(fact.get(key) for key in ("printed", "spoken", "link", "value"))
    return (fact.printed, fact.spoken, fact.link, fact.value)


def _now(facts: dict[str, Any], name: str) -> str:
    return str(facts[name].printed) if name in facts else "nothing (the contact is gone)"


def withdrawn(folder: Path, built: Built) -> bool:
    """Say whether a language folder's leaflet was withdrawn: the leaflet folder it was built
    from is gone (as recorded and as seen from the output), from a library still there."""
    if not built.get("source_folder") or source_folder(folder, built) is not None:
        return False
    recorded = Path(str(built["source_folder"]))
    relative = built.get("source_from_output")
    libraries = [recorded.parent, *([(folder / relative).parent] if relative else [])]
    return any(library.is_dir() for library in libraries)


def _not_found(folder: Path, built: Built) -> Finding:
    """Return an error for a withdrawn leaflet (its folder gone from a library still there),
    else a warning that its source cannot be found here."""
    recorded = Path(str(built["source_folder"]))
    relative = built.get("source_from_output")
    if withdrawn(folder, built):
        return error(folder / MANIFEST, "source",
                     f"the leaflet folder it was built from, {recorded}, is gone: the leaflet "
                     "was withdrawn (or moved), yet its outputs are still here; remove "
                     f"{folder.parent} from the output folder (and wherever it is published), "
                     "or build the leaflet from where it is now", "source-withdrawn")
    return warning(folder / MANIFEST, "source",
                   f"cannot find the leaflet folder it was built from ({recorded}"
                   f"{f', or {relative} from here' if relative else ''}): whether the source "
                   "changed since is not known", "source-not-found")


def built_leaflet_findings(built_now: Iterable[Path]) -> list[Finding]:
    """Return ``language_findings`` for every language of each leaflet just built (those kept
    from earlier builds too), so a build's own check gives ``check``'s verdict."""
    folders: set[Path] = set()
    for parent in dict.fromkeys(folder.parent for folder in built_now):
        folders |= {p.parent for p in parent.glob(f"*/{MANIFEST}")
                    if not p.parent.name.startswith(".")}
    return language_findings(sorted(folders))
