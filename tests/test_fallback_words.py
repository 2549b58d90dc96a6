"""What clinic staff are told about fixed words in English, and a project catalogue's faults.

Real builds through the command line: a leaflet in a language with no catalogue warns once
(the language, how many strings, where to add them), however many formats are built; an
English or a fully translated build says nothing. A project catalogue that is wrong (fields
the English does not have, the wrong number of plural forms, another language's plural rule,
a file that is not a catalogue, a number the English does not write) is named with its file
and line, its faulty entries are not used, and the leaflet still builds, never with a broken
field on the page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA

CLI = Path(sys.executable).with_name("lmets-docs")
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
WARNING = re.compile(r"(\d+) of the (\d+) fixed strings")


def _template_strings() -> int:
    """How many of the template's messages are fixed words (``i18n_report.template_ids``: the
    command line's own words left out); a lane that adds a fixed word changes it."""
    from lmets_docs.i18n_report import template_ids  # noqa: PLC0415

    return len(template_ids())


def lmets(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line; return what it did."""
    return subprocess.run([str(CLI), *map(str, args)], check=False, capture_output=True,
                          text=True, timeout=600, cwd=cwd)


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout


@pytest.fixture(scope="module")
def persian(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the glossary leaflet with its Urdu text labelled Persian (no catalogue ships)."""
    source = tmp_path_factory.mktemp("persian") / "glossary"
    shutil.copytree(DATA / "glossary", source)
    text = (source / "ur.md").read_text(encoding="utf-8").replace("lang: ur", "lang: fa", 1)
    (source / "ur.md").unlink()
    (source / "fa.md").write_text(text, encoding="utf-8")
    return source


def _po(templates: Path, lang: str, body: str) -> Path:
    path = templates / "locale" / lang / "LC_MESSAGES" / "lmets_docs.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_language_without_fixed_words_warns_once_naming_it(
        persian: Path, tmp_path: Path) -> None:
    result = lmets("build", persian, "--lang", "fa", "--format", "pdf", "--format", "docx",
                   "--out", tmp_path / "out", "--templates", tmp_path / "templates")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "fixed strings" in line]
    assert len(warnings) == 1, result.stderr  # once, not once per format or per string
    [warning] = warnings
    total = _template_strings()
    assert warning.startswith(f"WARNING: Persian (fa): {total} of the {total} fixed strings")
    assert "printed and said in English ('Call {phone}'" in warning
    assert f"{tmp_path / 'templates'}/locale/fa/LC_MESSAGES/lmets_docs.po" in warning
    assert "no fa translation for" not in result.stderr  # no line per string
    # validate, which staff run before a build, says it too
    assert f"Persian (fa): {total} of the {total}" in lmets("validate", persian).stderr


def test_a_project_catalogue_supplies_the_missing_words(persian: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    _po(templates, "fa", 'msgid "Page {page} of {pages}"\nmsgstr "صفحه {page} از {pages}"\n')
    result = lmets("build", persian, "--lang", "fa", "--format", "pdf", "--out",
                   tmp_path / "out", "--templates", templates)
    assert result.returncode == 0, result.stderr
    total = _template_strings()
    assert [m.groups() for m in WARNING.finditer(result.stderr)] == [
        (str(total - 1), str(total))]
    text = pdftotext(next((tmp_path / "out").rglob("*.pdf")))
    assert "صفحه" in text and "Page 1 of" not in text


@pytest.mark.parametrize("lang", ["en-GB", "ur"])
def test_english_and_translated_builds_say_nothing_of_fixed_words(
        lang: str, tmp_path: Path) -> None:
    result = lmets("build", DATA / "glossary", "--lang", lang, "--format", "pdf",
                   "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "fixed strings" not in result.stderr and "translation" not in result.stderr


BROKEN = {
    "fields": ('msgid "Call {phone}"\nmsgstr "فون {fone}"\n', r":\d+: the translation of "
               r"'Call \{phone\}' has fields \['fone'\], the English \['phone'\]"),
    "braces": ('msgid "Last reviewed: {date}"\nmsgstr "آخری: {date"\n',
               r":\d+: the translation of 'Last reviewed: \{date\}' has fields \[\]"),
    "forms": ('msgid "This is a spoken version of the printed leaflet, read by a computer '
              'voice, in {count} part."\nmsgid_plural "This is a spoken version of the printed '
              'leaflet, read by a computer voice, in {count} parts."\nmsgstr[0] "ایک {count}"'
              '\n',
              r":\d+: 'This is a spoken version .*' has 1 of the 2 plural forms of ur; "
              r"using English"),
    "too many forms": ('msgid "{count} file"\nmsgid_plural "{count} files"\nmsgstr[0] "a"\n'
                       'msgstr[1] "b"\nmsgstr[2] "c"\n',
                       r":\d+: cannot read the message catalogue \(msg has more translations "
                       r"than num_plurals of catalog\); using English"),
    "rule": ('"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);\\n"\n\n'
             'msgid "{count} file"\nmsgid_plural "{count} files"\nmsgstr[0] "a"\n'
             'msgstr[1] "b"\nmsgstr[2] "c"\n',
             r":4: Plural-Forms 'nplurals=3; plural=\(n==1 \? 0 : n==2 \? 1 : 2\)' is not the "
             r"rule of ur \(nplurals=2; plural=\(n != 1\), from CLDR\); its plural messages are "
             r"not used \(English instead\): give that rule, or leave the header out"),
    "not a catalogue": ("Helpline = ہیلپ لائن\n", r":4: cannot read the message catalogue "
                        r"\(Unknown or misformatted keyword\); using English"),
    "a number": ('msgid "Call {phone}"\nmsgstr "فون کریں: {phone} یا 020 7946 0001"\n',
                 r":\d+: the translation of 'Call \{phone\}' writes the number 0001, 020, 7946, "
                 r"which the English does not; not used"),
    "a number in a form": (
        'msgid "This is a spoken version of the printed leaflet, read by a computer voice, in '
        '{count} part."\nmsgid_plural "This is a spoken version of the printed leaflet, read by '
        'a computer voice, in {count} parts."\nmsgstr[0] "ایک {count}"\n'
        'msgstr[1] "فون ۹۹۹۹ {count}"\n',
        r":\d+: the translation of 'This is a spoken version .*' writes the number 9999, which "
        r"the English does not; not used"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_project_catalogue_is_named_and_never_breaks_the_page(
        case: str, tmp_path: Path) -> None:
    body, expected = BROKEN[case]
    templates = tmp_path / "templates"
    path = _po(templates, "ur", body)  # "rule" goes on the header: its line 4
    out = tmp_path / "out"
    result = lmets("build", DATA / "glossary", "--lang", "ur", "--format", "pdf", "--format",
                   "audio", "--tts", "espeak", "--out", out, "--templates", templates)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(re.escape(str(path)) + expected, result.stderr), result.stderr
    page = pdftotext(out / "glossary-leaflet" / "ur" / "glossary-leaflet-large-print.pdf")
    said = (out / "glossary-leaflet" / "ur" / "audio" / "transcript.txt").read_text("utf-8")
    for text in (page, said):
        assert "{" not in text and "}" not in text
        assert "0001" not in text and "9999" not in text and "۹۹۹۹" not in text
    # the package's Urdu words stand where the project's were wrong
    assert "فون کریں" in page and "آخری نظر ثانی" in page
    assert "3 حصوں پر مشتمل ہے" in said
