"""Prove that the leaflets of a library give one contact the same way: the library rule.

A helpline on every leaflet of a library is written in each ``leaflet.yaml`` unless the
library shares it (``source.shared``). After its number changes, a leaflet whose author typed
the number differently is missed by a search-and-replace, and each leaflet on its own is
perfectly consistent. So ``check`` compares, across every leaflet it is given, the contacts
that have the same name in the same language: their number, email, web address and opening
hours (as data) must be the same.

Said as a warning, not an error: a name is words, and two hospitals may each have their own
"Ward 7"; the author who meant them to differ can rename one. The warning names each leaflet
and what it gives, and the cure (``contacts.yaml``, so it cannot happen again). When the
leaflets still in the library agree and the other ways come from withdrawn leaflets (their
folders gone from the library, their outputs, built from an older contact, still here:
``source-withdrawn``), the cure is to remove those outputs, and the warning says so instead:
the contact may well be written once already.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lmets_docs.check.findings import Finding, warning
from lmets_docs.check.languages import Built, read_built, withdrawn
from lmets_docs.manifest import MANIFEST

COMPARED = ("phone", "email", "web")
"""The parts of a contact compared by their link; its hours are compared as data."""
SHOWN = 6
"""The most leaflets a warning names for each way of giving a contact."""

Given = tuple[str, ...]
"""A contact as compared: its links and its hours as data."""
Where = tuple[str, Path, str, bool]
"""Where a contact is given: the leaflet, its language folder, the contact as printed, and
whether the leaflet was withdrawn."""


def library_findings(folders: Iterable[Path]) -> list[Finding]:
    """Return a warning for each contact name that leaflets give with different facts."""
    seen: dict[tuple[str, str], dict[Given, list[Where]]] = {}
    for folder in folders:
        built = read_built(folder)
        if built is None:
            continue
        gone = withdrawn(folder, built)
        for name, given, shown in contacts_of(built):
            leaflet = str(built.get("leaflet", folder.parent.name))
            ways = seen.setdefault((str(built["lang"]), name), {})
            ways.setdefault(given, []).append((leaflet, folder, shown, gone))
    return [_finding(lang, name, ways) for (lang, name), ways in seen.items() if len(ways) > 1]


def contacts_of(built: Built) -> list[tuple[str, Given, str]]:
    """Return each contact of a manifest: its name, what is compared and how it is printed."""
    facts, hours = built.get("facts") or {}, built.get("hours") or {}
    found = []
    for fact, entry in facts.items():
        parts = fact.split(".")
        if len(parts) == 3 and parts[0] == "contacts" and parts[2] == "name":
            key = f"contacts.{parts[1]}"
            links = [_link(facts.get(f"{key}.{part}")) for part in COMPARED]
            printed = [_printed(facts.get(f"{key}.{part}")) for part in (*COMPARED, "hours")]
            found.append((str(entry.get("printed", "")),
                          (*links, str(hours.get(f"{key}.hours", ""))),
                          ", ".join(p for p in printed if p) or "nothing"))
    return found


def _printed(entry: object) -> str:
    return str(entry.get("printed") or "") if isinstance(entry, dict) else ""


def _link(entry: object) -> str:
    if not isinstance(entry, dict):
        return ""
    return str(entry.get("link") or entry.get("printed") or "")


def _finding(lang: str, name: str, ways: dict[Given, list[Where]]) -> Finding:
    by_count = sorted(ways.items(), key=lambda item: -len(item[1]))
    first = by_count[-1][1][0][1]
    words = "; ".join(f"{where[0][2]} in {_leaflets(where)}" for _given, where in by_count)
    gone = sorted({place[1].parent for where in ways.values() for place in where if place[3]})
    current = [given for given, where in ways.items() if not all(w[3] for w in where)]
    remove = ", ".join(str(folder) for folder in gone)
    if not current:  # every leaflet giving it was withdrawn, and they differ
        cure = (f"every leaflet that gives it was withdrawn (their leaflet folders are gone), "
                f"and their outputs give the contact as it was when they were built: remove "
                f"{remove} from the output folder (and wherever it is published)")
    elif len(current) == 1:  # the leaflets still in the library agree: the withdrawn differ
        cure = (f"the leaflets still in the library agree; the others were withdrawn (their "
                f"leaflet folders are gone) and their outputs give the contact as it was when "
                f"they were built: remove {remove} from the output folder (and wherever it is "
                "published)")
    else:
        cure = ("a contact with one name should be the same everywhere: write it once in the "
                "library's contacts.yaml and name it in each leaflet.yaml, or give the "
                "different ones different names")
        if gone:
            cure += f" (and remove the withdrawn leaflets' outputs, {remove})"
    return warning(first / MANIFEST, "library",
                   f"the contact '{name}' ({lang}) is given differently by the leaflets of this "
                   f"library: {words}; {cure}", "library-contact-differs")


def _leaflets(where: list[Where]) -> str:
    names = sorted({leaflet + (" (withdrawn)" if gone else "")
                    for leaflet, _folder, _contact, gone in where})
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    return ", ".join(names[:SHOWN]) + more
