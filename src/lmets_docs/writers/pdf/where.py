"""Say where in ``leaflet.yaml`` a layout problem comes from, for ``file:line:`` messages."""

from __future__ import annotations

from lmets_docs.errors import Problem
from lmets_docs.libraryfiles import LEAFLET_FILE
from lmets_docs.model import Leaflet
from lmets_docs.text import formatter


def main_contact(leaflet: Leaflet, message: str) -> str:
    """Return ``message`` placed at the main contact's number in leaflet.yaml, or at its name
    when it has no number (the running footer prints the one or the other).

    The file is read again only for this message (a layout error, rare): the loader keeps no
    line numbers in the leaflet. A file that cannot be read or parsed gives no line.
    """
    from lmets_docs.source.yamlsrc import parse_yaml  # noqa: PLC0415 (rare: see the module)

    path = leaflet.source_dir / LEAFLET_FILE
    facts = formatter(leaflet)
    name = facts.canonical("helpline.phone")
    if name not in facts.values:
        name = facts.canonical("helpline.name")
    try:
        _, lines, _ = parse_yaml(path.read_text(encoding="utf-8"), path)
    except (OSError, UnicodeDecodeError):
        lines = {}
    return str(Problem(path, lines.get(("facts", *name.split("."))), message))
