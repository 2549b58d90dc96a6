"""Extract the fixed words into the message template ``locale/lmets_docs.pot`` (babel).

Run ``python -m lmets_docs.i18n_extract`` after changing a fixed sentence in the code or the
templates; ``--check`` only says whether the template is up to date (exit status 1 if not).
``--templates DIR`` extracts a project's own templates (``DIR/pdf/*.html``) into
``DIR/locale/lmets_docs.pot`` instead. Translators copy the template to
``<lang>/LC_MESSAGES/lmets_docs.po`` (``pybabel init`` or Poedit) and fill it in.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from lmets_docs import __version__
from lmets_docs.i18n import DOMAIN, LOCALE_DIR

log = logging.getLogger(__name__)
PACKAGE = Path(__file__).parent
KEYWORDS = {"_": None, "messages": None, "message": (2,), "fixed": (2,), "ngettext": (1, 2),
            "plural": (1, 2), "plain": None}
"""``_(msg)``, ``ctx.messages(msg)``, the DOCX writer's ``message(ctx, msg, …)``, the
furniture's ``fixed(kind, msg, …)``, and
``ngettext(singular, plural, n)`` (the CLI's ``plural``) for messages that depend on a number,
and the web pages' ``_.plain(msg)`` (a message as plain text, for an attribute)."""
JINJA = "jinja2.ext:babel_extract"
PACKAGE_METHODS = [("**.py", "python"), ("templates/**.html", JINJA),
                   ("templates/**.xhtml", JINJA)]
PROJECT_METHODS = [("pdf/**.html", JINJA)]
NOT_WORDS = frozenset({"en"})
"""What the keyword ``messages`` also catches that is no fixed word: ``i18n.messages("en")``
asks for the English catalogue (the command line's and the check's own words)."""
Entries = set[tuple[str, frozenset[str]]]


def extract(source: Path, methods: Sequence[tuple[str, str]]) -> Catalog:
    """Return a catalogue of every translatable string under ``source``."""
    catalog = Catalog(project="lmets-docs", version=__version__, charset="utf-8", fuzzy=False,
                      copyright_holder="the lmets-docs authors")
    found = extract_from_dir(source, methods, keywords=KEYWORDS, comment_tags=("Translators:",))
    for filename, lineno, msgid, comments, context in found:
        if msgid in NOT_WORDS:
            continue
        catalog.add(msgid, locations=[(Path(filename).as_posix(), lineno)],
                    auto_comments=comments, context=context)
    return catalog


def entries(catalog: Catalog) -> Entries:
    """Return each message id with the files it comes from, for comparing two templates."""
    return {(str(m.id), frozenset(f for f, _line in m.locations)) for m in catalog if m.id}


def write(catalog: Catalog, target: Path) -> None:
    """Write the template, without line numbers (they change with every edit)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        write_po(handle, catalog, width=100, include_lineno=False, sort_by_file=True)


def is_current(catalog: Catalog, target: Path) -> bool:
    """Say whether ``target`` holds the same messages, from the same files, as ``catalog``."""
    if not target.is_file():
        return False
    with target.open("rb") as handle:
        return entries(read_po(handle)) == entries(catalog)


def run(argv: Sequence[str] | None = None) -> int:
    """Refresh (or with ``--check`` only compare) a message template; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m lmets_docs.i18n_extract",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="only say if it is up to date")
    parser.add_argument("--templates", type=Path, help="a project's templates folder")
    args = parser.parse_args(argv)
    source, methods = (args.templates, PROJECT_METHODS) if args.templates else (
        PACKAGE, PACKAGE_METHODS)
    target = (args.templates / "locale" if args.templates else LOCALE_DIR) / f"{DOMAIN}.pot"
    catalog = extract(source, methods)
    if args.check:
        current = is_current(catalog, target)
        log.log(logging.INFO if current else logging.ERROR, "%s is %s", target,
                "up to date" if current else "out of date: run python -m lmets_docs.i18n_extract")
        return 0 if current else 1
    write(catalog, target)
    log.info("wrote %s (%d messages)", target, len(catalog))
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sys.exit(run())
