"""Say where in ``leaflet.yaml`` a layout problem comes from, for ``file:line:`` messages."""

from __future__ import annotations

from lmets_docs.errors import Problem
from lmets_docs.model import Leaflet
from lmets_docs.source.yamlsrc import parse_yaml
from lmets_docs.text import formatter


def main_contact(leaflet: Leaflet, message: str) -> str:
    """Return ``message`` placed at the main contact's number in leaflet.yaml, or at its name
    when it has no number (the running footer prints the one or the other).

    The file is read again only for this message (a layout error, rare): the loader keeps no
    line numbers in the leaflet. A file that cannot be read or parsed gives no line.
    """
    facts = formatter(leaflet)
    name = facts.canonical("helpline.phone")
    if name not in facts.values:
        name = facts.canonical("helpline.name")
    return at_fact(leaflet, name, message)


def address(leaflet: Leaflet, link: str, message: str) -> str:
    """Return ``message`` placed at the contact's email or web address that ``link`` opens."""
    facts = formatter(leaflet)
    names = [v.name for v in facts.values.values()
             if v.link == link and v.name.endswith((".email", ".web"))]
    return at_fact(leaflet, names[0], f"{message} ({link})") if names else f"{link}: {message}"


def at_fact(leaflet: Leaflet, name: str, message: str) -> str:
    """Return ``message`` placed at the fact ``name``'s line in leaflet.yaml."""
    path = leaflet.source_dir / "leaflet.yaml"
    try:
        _, lines, _ = parse_yaml(path.read_text(encoding="utf-8"), path)
    except (OSError, UnicodeDecodeError):
        lines = {}
    return str(Problem(path, lines.get(("facts", *name.split("."))), message))
