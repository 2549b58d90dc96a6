# ruff: noqa: RUF001, RUF002, RUF003  (the Arabic decimal sign and Arabic-Indic digits are what is tested)
"""Arabic's decimal sign is written as the braille decimal point; ``validate`` names what
``build --format braille`` refuses (the translator user test's finding 5).

liblouis's ar-ar-g1 has no braille for U+066B (``٣٧٫٥``, the README's own example), so the
build refused the whole Arabic leaflet in braille, and said "the previous outputs are kept"
when there were none. The BRF is read back from the file with liblouis.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from lmets_docs import brf
from lmets_docs.check.braille import pages
from lmets_docs.options import BuildOptions
from lmets_docs.source.numbers import numbers_in
from tests.conftest import DATA
from tests.test_cli import run, said
from tests.writers.braille.helpers import brf_file, build_braille, checked

TABLE = "ar-ar-g1.utb"


def leaflet(tmp_path: Path) -> Path:
    folder = tmp_path / "chemo-fever"
    shutil.copytree(DATA / "eastern-digits", folder)
    return folder


def test_the_arabic_decimal_sign_is_the_braille_decimal_point(
    tmp_path: Path, options: BuildOptions
) -> None:
    folder = leaflet(tmp_path)
    assert "حرارتك ٣٧٫٥ درجة" in (folder / "ar.md").read_text(encoding="utf-8")
    out = build_braille(folder, dataclasses.replace(options, langs=("ar",)))
    lines = [line for page in pages(brf_file(out, "chemo-fever", "ar")) for line in page]
    fever = next(line for line in lines if "#CG" in line)
    assert "#CG4E" in fever  # ٣٧ (number sign, c g), the decimal point (dots 2-5-6), ٥ (e)
    read = brf.as_printed(brf.back(brf.to_unicode(fever), TABLE))
    assert "37.5" in read
    assert [n.shown for n in numbers_in(read, "ar")] == ["37.5"]
    assert brf.as_printed(brf.back(brf.translate("١٬٠٠٠", TABLE)[0], TABLE)) == "1,000"
    assert not checked(out).errors


def test_validate_names_what_the_braille_build_refuses(tmp_path: Path) -> None:
    folder = leaflet(tmp_path)
    text = folder / "ar.md"
    original = text.read_text(encoding="utf-8")
    lines = original.split("\n")
    at = next(n for n, line in enumerate(lines) if "٣٧٫٥" in line)
    lines[at] = lines[at].replace("٣٧٫٥ درجة", "٣٧٫٥ درجة (٪)")
    refusing = "\n".join(lines)
    text.write_text(refusing, encoding="utf-8")
    result = run("validate", str(folder))
    out = said(result)
    assert result.exit_code == 0, out  # braille is built only when asked for: a warning
    assert (f"{text}:{at + 1}: liblouis's table {TABLE} has no braille for '٪' (U+066A "
            "ARABIC PERCENT SIGN): `build --format braille` refuses it") in out
    assert "U+066B" not in out  # the decimal sign is written
    assert out.count("has no braille") == 1
    # ... and the build does refuse it, without claiming outputs it never had
    args = ("build", str(folder), "--lang", "ar", "--format", "braille", "--out",
            str(tmp_path / "out"))
    built = run(*args)
    refused = said(built)
    assert built.exit_code == 1, refused
    assert "has no braille for '٪' (U+066A)" in refused
    assert "chemo-fever (ar): not updated; nothing is installed (it had no outputs before)" \
        in refused
    assert "previous outputs are kept" not in refused
    text.write_text(original, encoding="utf-8")
    assert run(*args).exit_code == 0
    text.write_text(refusing, encoding="utf-8")
    again = said(run(*args))
    assert "chemo-fever (ar): not updated; the previous outputs are kept" in again
