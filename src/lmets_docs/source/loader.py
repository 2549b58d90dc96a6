"""Load a leaflet folder (``leaflet.yaml`` + one Markdown file per language) into the model.

Every problem found is collected and raised together as one ``ContentError``, each with its
``file:line``; nothing is returned from a source with a problem.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from lmets_docs.errors import ContentError, Problem
from lmets_docs.facts import date_facts, fact_names, is_toll_free, phone_facts
from lmets_docs.i18n import babel_locale
from lmets_docs.invisible import visible
from lmets_docs.libraryfiles import LEAFLET_FILE, shared_name
from lmets_docs.model import Leaflet
from lmets_docs.schema import FrontMatter, LeafletData
from lmets_docs.source.factcheck import language_problems, lexicon_problems, publisher_languages
from lmets_docs.source.files import folder_problems
from lmets_docs.source.glossary import Where, match_glossary
from lmets_docs.source.images import image_problem
from lmets_docs.source.markdown import Context, parse_body
from lmets_docs.source.notescan import in_words, note_findings
from lmets_docs.source.numbercheck import check_numbers
from lmets_docs.source.shared import resolve
from lmets_docs.source.stale import mark_stale
from lmets_docs.source.standin import independent, stand_in
from lmets_docs.source.textfile import read_source, read_text
from lmets_docs.source.typed import Facts, contact_hours
from lmets_docs.source.untranslated import untranslated_warnings
from lmets_docs.source.yamlsrc import Lines, line_of, parse_yaml, validation_problems

MAX_IMAGE_BYTES = 20_000_000
M = TypeVar("M", bound=BaseModel)


def discover(paths: Iterable[Path]) -> list[Path]:
    """Return the leaflet folders named by ``paths`` (a leaflet folder or a folder of them)."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if (path / LEAFLET_FILE).is_file():
            found.append(path)
        elif path.is_dir() and (inner := sorted(p.parent for p in path.glob(f"*/{LEAFLET_FILE}"))):
            found.extend(inner)
        elif not path.exists():
            problems.append(Problem(path, None, "no such leaflet folder"))
        else:
            problems.append(
                Problem(
                    path,
                    None,
                    f"not a leaflet folder: it has no {LEAFLET_FILE} and no sub-folder with one",
                )
            )
    if problems:
        raise ContentError(problems)
    return found


def languages(folder: Path) -> list[str]:
    """Return the language tags a leaflet folder has a text for, from the file names."""
    return sorted(p.stem for p in folder.glob("*.md") if not p.name.startswith("."))


def load_folder(folder: Path, langs: Iterable[str] | None = None,
                has: Iterable[str] | None = None) -> list[Leaflet]:
    """Load every requested language of one leaflet folder; raise ContentError on any problem.

    ``has``: the languages the leaflet has a text for (default: its files; an import checks
    a new file in a scratch folder that holds only it).
    """
    unsafe = folder_problems(folder) if folder.is_dir() else []
    data, shared, data_problems, yaml_text, yaml_raw = load_data_shared(folder)
    wanted = list(langs) if langs else languages(folder)
    problems = [*unsafe, *data_problems]
    if data is not None:
        problems += publisher_languages(folder / LEAFLET_FILE, data,
                                        list(has) if has is not None else languages(folder))
    if not wanted:
        problems.append(Problem(folder, None, "the leaflet has no language file (e.g. en-GB.md)"))
    leaflets = []
    # A leaflet.yaml with problems: its text is still read, against stand-ins for its wrong parts.
    against = data if data is not None else _stand_in(folder, yaml_text)
    for lang in wanted:
        path = folder / f"{lang}.md"
        if not path.is_file():
            problems.append(Problem(path, None, f"no text for language '{lang}'"))
        elif against is not None and yaml_text is not None:
            leaflet, found = _load_language(folder, against, (yaml_text, yaml_raw), path,
                                            shared)
            problems.extend(found if against is data else independent(found))
            if leaflet:
                leaflets.append(leaflet)
    if problems:
        raise ContentError(problems)
    source = cache(lambda lang: _source_of(folder, data, yaml_text, yaml_raw, lang, shared))
    leaflets, problems = check_numbers(mark_stale(leaflets, source), source)
    if problems:
        raise ContentError(problems)
    return leaflets


def _source_of(folder: Path, data: LeafletData | None, yaml_text: str | None, yaml_raw: bytes,
               lang: str, shared: tuple[Path, ...]) -> Leaflet | None:
    """Return the language a translation was made from, if it loads (for ``mark_stale``)."""
    path = folder / f"{lang}.md"
    if data is None or yaml_text is None or not path.is_file():
        return None
    return _load_language(folder, data, (yaml_text, yaml_raw), path, shared)[0]


def _stand_in(folder: Path, yaml_text: str | None) -> LeafletData | None:
    """Return stand-in data for a leaflet.yaml that parses but does not validate (``standin``)."""
    if yaml_text is None:
        return None
    raw, lines, parsed = _read_yaml(folder / LEAFLET_FILE, yaml_text)
    if parsed:
        return None
    resolve(folder, raw, lines)  # fills in the shared contacts it can, in place
    return stand_in(raw)


def load_leaflet(folder: Path, lang: str) -> Leaflet:
    """Load one language of one leaflet folder."""
    return load_folder(folder, [lang])[0]


def load_data(folder: Path) -> tuple[LeafletData | None, list[Problem]]:
    """Load and validate ``leaflet.yaml`` and the image files it names."""
    data, _shared, problems, _text, _raw = load_data_shared(folder)
    return data, problems


def load_data_shared(
    folder: Path,
) -> tuple[LeafletData | None, tuple[Path, ...], list[Problem], str | None, bytes]:
    """Load and validate ``leaflet.yaml`` with the shared contacts it names (``shared``);
    return the data, the shared files it took contacts from, the problems, and the text as
    read (for the scan of its notes: not read again, which a watch's author may have saved
    since), or None if it could not be read, and the bytes it was read from (hashed)."""
    path = folder / LEAFLET_FILE
    if not folder.is_dir():
        return None, (), [Problem(folder, None, "no such leaflet folder")], None, b""
    if not path.is_file():
        return None, (), [Problem(path, None, f"missing {LEAFLET_FILE}")], None, b""
    text, read, problems = read_source(path)
    if text is None:
        return None, (), problems, None, read
    raw, lines, problems = _read_yaml(path, text)
    shared = resolve(folder, raw, lines) if not problems else None
    if shared is not None and shared.problems:
        return None, shared.files, shared.problems, text, read
    data, problems = _validated(path, LeafletData, raw, lines, problems)
    problems = _more_problems(folder, data, lines, problems)
    return ((data if not problems else None), shared.files if shared else (), problems, text,
            read)


def _more_problems(folder: Path, data: LeafletData | None, lines: Lines,
                   problems: list[Problem]) -> list[Problem]:
    """Return the problems of the image files and lexicon of valid data."""
    if data is None:
        return problems
    problems.extend(_image_problems(folder, data, lines))
    path = folder / LEAFLET_FILE
    _check_lexicon_languages(path, data, lines, problems)
    problems.extend(lexicon_problems(path, data))
    return problems


def _read_yaml(
    path: Path, text: str | None = None, first_line: int = 1, lang: str | None = None
) -> tuple[Any, Any, list[Problem]]:
    if text is None:
        text, problems = read_text(path)
        if text is None:
            return None, {}, problems
    raw, lines, problems = parse_yaml(text, path, first_line, lang)
    if not problems and not isinstance(raw, dict):
        problems = [Problem(path, first_line, "expected a mapping of keys and values")]
    return raw, lines, problems


def _validated(
    path: Path, model: type[M], raw: Any, lines: Any, problems: list[Problem]
) -> tuple[M | None, list[Problem]]:
    if problems:
        return None, problems
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        return None, validation_problems(exc, path, lines)


def _image_problems(folder: Path, data: LeafletData, lines: Lines) -> list[Problem]:
    problems = []
    root = folder.resolve()
    for image_id, image in data.images.items():
        if image.file is None:
            continue
        line = line_of(lines, ["images", image_id, "file"])
        try:
            wrong = _image_file_problem(folder, image.file, root)
        except OSError as exc:  # a name too long for the file system, a folder unreadable …
            wrong = f"{image.file!r} cannot be read ({exc.strerror})"
        if wrong is not None:
            problems.append(Problem(folder / LEAFLET_FILE, line, f"images.{image_id}: {wrong}"))
    return problems


def _image_file_problem(folder: Path, name: str, root: Path) -> str | None:
    target = (folder / name).resolve()
    if not target.is_relative_to(root):
        return f"{name!r} is outside the leaflet folder"
    if not target.is_file():
        return f"image file {name!r} does not exist"
    if target.stat().st_size > MAX_IMAGE_BYTES:
        return f"{name!r} is larger than {MAX_IMAGE_BYTES // 1_000_000} MB"
    wrong = image_problem(target)
    return f"{name!r} {wrong}" if wrong else None


def _check_lexicon_languages(
    path: Path, data: LeafletData, lines: Lines, problems: list[Problem]
) -> None:
    for tag in data.pronunciation:
        try:
            babel_locale(tag)
        except ValueError:
            problems.append(Problem(path, line_of(lines, ["pronunciation", tag]),
                                    f"pronunciation: unknown language tag '{tag}'"))


def _load_language(
    folder: Path, data: LeafletData, yaml: tuple[str, bytes], path: Path,
    shared: tuple[Path, ...] = (),
) -> tuple[Leaflet | None, list[Problem]]:
    """Load the language file ``path`` against ``data`` (from ``yaml``, leaflet.yaml's text
    as read for it, and its bytes)."""
    yaml_text, yaml_raw = yaml
    text, raw, problems = read_source(path)
    if text is None:
        return None, problems
    facts = data.facts
    ctx = Context(
        path=path,
        images={k: (folder / v.file if v.file else None) for k, v in data.images.items()},
        fact_names=fact_names(facts),
        toll_free=frozenset(
            f"contacts.{k}.phone" for k, c in facts.contacts.items() if c.phone and is_toll_free(c)
        ),
        region=facts.contacts[facts.main_contact].region,
        phones=phone_facts(facts),
        addresses={c.email.lower(): f"contacts.{k}.email"
                   for k, c in facts.contacts.items() if c.email},
        hours=contact_hours(facts),
        main_contact=facts.main_contact,
        dates=date_facts(facts),
        lang=path.stem,
    )
    body = parse_body(text, ctx)
    front, lines, problems = _front_matter(path, body.front_matter, body.front_matter_line)
    if front is not None:
        _scan_front(front, lines, ctx)
    notes = note_findings(folder, data, yaml_text, path.stem, Facts(
        ctx.region, ctx.lang, ctx.phones, ctx.addresses, hours=ctx.hours, dates=ctx.dates))
    ctx.problems += notes.problems
    ctx.warnings += notes.warnings
    problems.extend(ctx.problems)
    if front is None:
        return None, problems
    if not problems:
        problems.extend(language_problems(folder / LEAFLET_FILE, data, front.lang))
    glossary = match_glossary(front.glossary, ctx.terms,
                              Where(path, lines, ctx.region, front.lang))
    problems.extend(glossary.problems)
    if problems:
        return None, problems
    return Leaflet(
        id=data.id,
        lang=front.lang,
        title=front.title,
        publisher=data.publisher,
        facts=data.facts,
        intro=body.intro,
        sections=body.sections,
        references=data.references,
        references_note=front.references_note,
        lexicon=data.pronunciation.get(
            front.lang, data.pronunciation.get(front.lang.split("-")[0], {})
        ),
        glossary=glossary.entries,
        warnings=(*ctx.warnings, *glossary.warnings, *untranslated_warnings(
            folder / LEAFLET_FILE, data, front.lang, front.translated_from)),
        source_dir=folder,
        source_file=path,
        source_hash=source_hash(folder, path, data, shared,
                                {folder / LEAFLET_FILE: yaml_raw, path: raw}),
        shared_files=shared,
    ), []


def _front_matter(
    path: Path, text: str | None, first_line: int
) -> tuple[FrontMatter | None, Lines, list[Problem]]:
    """Return the validated front matter, the line of each of its keys, and its problems."""
    if text is None:
        return None, {}, [
            Problem(
                path,
                1,
                "missing front matter: start the file with '---', 'title: ...', 'lang: ...', '---'",
            )
        ]
    raw, lines, problems = _read_yaml(path, text, first_line, path.stem)
    front, problems = _validated(path, FrontMatter, raw, lines, problems)
    return front, lines, problems if front is None else _language_problems(path, front, first_line)


def _scan_front(front: FrontMatter, lines: Lines, ctx: Context) -> None:
    """Scan the printed texts of the front matter (the title on every page 1, the references'
    note) for typed facts, as the body's text is: a typed number there is no fact either."""
    for key, value in (("title", front.title), ("references_note", front.references_note)):
        line = line_of(lines, (key,))
        if value and line is not None:
            _scan_words(ctx, value, line, partial(_in_front, key))
    for term, definition in front.glossary.items():  # printed and said with the text
        line = line_of(lines, ("glossary", term))
        if line is not None:
            _scan_words(ctx, definition, line, partial(
                in_words, f"glossary: the definition of '{term}'", "definition"))


def _scan_words(ctx: Context, value: str, line: int, say: Callable[[str], str]) -> None:
    """Scan words of the front matter as a block of the text; say what it finds with ``say``."""
    ctx.fragments.append((visible(value), line))
    ctx.end_block(say)


def _in_front(key: str, message: str) -> str:
    """Say a problem of the body's text found in the front matter's ``key``."""
    said = message.replace("typed in the text", f"typed in the {key}").replace(
        "written here as", "written in the body's text as")
    return f"{key}: {said} (the front matter holds no facts)"


def _language_problems(path: Path, front: FrontMatter, first_line: int) -> list[Problem]:
    try:
        babel_locale(front.lang)
    except ValueError:
        return [Problem(path, first_line, f"lang: unknown language tag '{front.lang}'")]
    if front.lang != path.stem:
        return [
            Problem(
                path,
                first_line,
                f"lang: '{front.lang}' does not match the file "
                f"name '{path.name}'; name the file {front.lang}.md",
            )
        ]
    return []


def source_hash(folder: Path, text_file: Path, data: LeafletData,
                shared: tuple[Path, ...] = (), read: dict[Path, bytes] | None = None) -> str:
    """Return the SHA-256 of everything one language's build is made from (a library's
    shared contacts file too, when the leaflet names a contact in it).

    ``read``: the bytes the texts were loaded from, hashed as they were read rather than
    as they are now: a text saved again while the build loaded (a watch's author) would
    otherwise give the outputs of the old text the hash of the new one, and the next build
    would find them up to date."""
    read = read or {}
    digest = hashlib.sha256()
    files = [folder / LEAFLET_FILE, text_file]
    files += sorted(folder / i.file for i in data.images.values() if i.file)
    for file in files:
        digest.update(file.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(read[file] if file in read else file.read_bytes())
    for file in shared:
        digest.update(shared_name(file, folder).encode() + b"\0")
        digest.update(file.read_bytes())
    return digest.hexdigest()
