"""A translated unit must say its source unit's numbers: reading numbers, ``validate``, ``build``.

The leaflet is the fresh-eyes user test's chemotherapy leaflet (``tests/data/chemo-fever``:
English, Arabic and Urdu, a fixture): a fever threshold of 37.5 °C and a dose of 8 mg. Each
test breaks the Arabic file as a tired translator would and runs the real command.
"""

from __future__ import annotations

import json
import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from translate.filters.checks import StandardChecker

from lmets_docs.cli import cli
from lmets_docs.source.numbers import numbers_in
from lmets_docs.source.samenumbers import difference
from tests.conftest import DATA

FEVER = DATA / "chemo-fever"
THRESHOLD = "كانت درجة حرارتك 37.5 درجة"
DOSE = "هي 8 ملغ"


@pytest.mark.parametrize(("text", "lang", "values"), [
    ("37.5°C or higher, 8 mg for 3 days", "en-GB", ["37.5", "8", "3"]),
    ("1,000 tablets; 2,3 and 7\u201314 days", "en-GB", ["1000", "2", "3", "7", "14"]),
    ("37,5 Grad, 1.000 Tabletten", "de", ["37.5", "1000"]),
    ("درجة \u0663\u0667\u066b\u0665 أو 80 ملغ", "ar", ["37.5", "80"]),
    ("\u06f3\u06f7\u066b\u06f5 یا \u06f8 ملی گرام", "ur", ["37.5", "8"]),
    ("\u00bd a tablet", "en-GB", ["1/2"]),
    ("3. Then", "en-GB", ["3"]),
])
def test_numbers_are_read_as_values_in_any_script(text: str, lang: str,
                                                  values: list[str]) -> None:
    assert [str(n.value) for n in numbers_in(text, lang)] == [
        str(Fraction(v)) for v in values]


def test_a_dose_typed_ten_times_larger_is_a_difference_that_pofilter_misses() -> None:
    english, arabic = "8 mg twice a day for 3 days", "80 ملغ مرتين في اليوم لمدة 3 أيام"
    found = difference(english, "en-GB", arabic, "ar")
    assert (found.missing, found.added) == (("8",), ("80",))
    assert StandardChecker().numbers(english, arabic)  # translate-toolkit: "8" is in "80"


def test_the_same_numbers_in_other_digits_order_and_separators_are_no_difference() -> None:
    assert not difference("7 to 14 days, 37.5 °C", "en-GB",
                          "\u0663\u0667\u066b\u0665 درجة، \u0661\u0664 إلى \u0667 أيام", "ar")
    assert not difference("37.5 °C", "en-GB", "37,5 °C", "de")
    assert difference("37.5 °C", "en-GB", "37.5 °C", "de")  # German reads 37 and 5


def test_a_number_written_in_words_counts_by_cldr_and_facts_are_left_out() -> None:
    assert not difference("for 3 days", "en-GB", "am tri diwrnod", "cy")
    assert not difference("for 3 days", "en-GB", "لمدة ثلاثة أيام", "ar")
    assert difference("for 3 days", "en-GB", "am pedwar diwrnod", "cy").missing == ("3",)
    assert not difference("Call {{ contacts.triage.phone }} 24 hours a day", "en-GB",
                          "Ffoniwch {{ contacts.triage.phone }} 24 awr y dydd", "cy")


@pytest.fixture
def fever(tmp_path: Path) -> Path:
    """Return a copy of the chemotherapy leaflet."""
    folder = tmp_path / "chemo-fever"
    shutil.copytree(FEVER, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) by ``new`` in a file."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def validate(folder: Path) -> tuple[int, str]:
    """Run ``lmets-docs validate`` and return its exit status and its output."""
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    return result.exit_code, result.output


def test_the_fixture_validates(fever: Path) -> None:
    assert validate(fever)[0] == 0


def test_a_list_item_is_named_at_its_own_line(fever: Path) -> None:
    edit(fever / "ar.md", "أقل من 36 درجة", "أقل من 35 درجة")
    _status, out = validate(fever)
    assert re.search(rf"{fever / 'ar.md'}:39: section .* list 2 item 2 "
                     r"\(when-to-call-us\.2\.2\)", out), out


def test_a_wrong_threshold_and_dose_are_errors_with_file_line_and_numbers(fever: Path) -> None:
    edit(fever / "ar.md", THRESHOLD, THRESHOLD.replace("37.5", "38.5"))
    edit(fever / "ar.md", DOSE, DOSE.replace("8", "80"))
    status, out = validate(fever)
    assert status == 1
    assert "Traceback" not in out
    assert re.search(rf"{fever / 'ar.md'}:38: .*\(when-to-call-us\.2\.1\) does not say the "
                     rf"numbers of its en-GB source \({fever / 'en-GB.md'}:16\): en-GB 37\.5; "
                     r"ar 38\.5 \(missing 37\.5; not in the source 38\.5\)", out), out
    assert re.search(rf"{fever / 'ar.md'}:55: .*\(medicines-at-home\.1\) .*en-GB 8, 3, 2; ar 80, "
                     r"3 \(missing 8; not in the source 80\)", out), out
    assert "ur.md:" not in out.replace("ur.md: ok", "")  # the Urdu file says the same numbers


def test_a_dropped_number_in_a_picture_is_an_error_a_changed_source_unit_is_stale(
    fever: Path,
) -> None:
    edit(fever / "en-GB.md", "## Medicines at home", "## 2 medicines at home")
    edit(fever / "ar.md", "مقياس حرارة يشير إلى 37.5", "مقياس حرارة يشير إلى 37")
    _status, out = validate(fever)
    assert "(section:medicines-at-home)" not in out  # a source changed since: stale, warned
    assert re.search(r"ar\.md:\d+: section .* picture 3 \(when-to-call-us\.3\) .*missing 37\.5; "
                     r"not in the source 37\)", out), out


def test_a_glossary_definition_is_compared_with_its_source_definition(fever: Path) -> None:
    edit(fever / "en-GB.md", "A low number of white blood cells",
         "Fewer than 1,500 white blood cells per microlitre")
    edit(fever / "ar.md", "انخفاض عدد خلايا الدم البيضاء", "أقل من 1.5 خلايا الدم البيضاء")
    status, out = validate(fever)
    assert status == 1
    assert re.search(r"ar\.md:5: the glossary definition of 'قلة العدلات' \(glossary:قلة "
                     r"العدلات\) .*en-GB\.md:5\): en-GB 1500; ar 1\.5 \(missing 1500; not in "
                     r"the source 1\.5\)", out), out
    assert re.search(r"ur\.md:5: the glossary definition .*\(missing 1500\)", out), out


ACCEPT = """numbers_accepted:
  medicines-at-home.1:
    source_unit: 34e50b0be38f
    missing: ["3"]
    added: []
    reason: "a few days, as the clinic asked"
"""


def test_an_accepted_difference_builds_and_is_in_the_manifest(fever: Path, tmp_path: Path
                                                               ) -> None:
    edit(fever / "ar.md", "لمدة 3 أيام", "لمدة بضعة أيام")
    assert "missing 3" in validate(fever)[1]
    edit(fever / "ar.md", "source_units:", ACCEPT + "source_units:")
    assert validate(fever)[0] == 0
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(fever), "--lang", "ar", "--format", "docx",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "chemo-fever" / "ar" / "manifest.json").read_text("utf-8"))
    assert manifest["details"]["numbers_accepted"] == [{
        "id": "medicines-at-home.1", "place": "section 'الأدوية في المنزل' paragraph 1",
        "source": ["8", "3", "2"], "translation": ["8"],
        "reason": "a few days, as the clinic asked"}]


def test_an_acceptance_lapses_when_the_source_or_the_difference_changes(fever: Path) -> None:
    edit(fever / "ar.md", "لمدة 3 أيام", "لمدة بضعة أيام")
    edit(fever / "ar.md", "source_units:", ACCEPT + "source_units:")
    edit(fever / "ar.md", DOSE, DOSE.replace("8", "80"))
    status, out = validate(fever)
    assert status == 1
    assert "accepts another difference (missing 3, added none)" in out, out
    edit(fever / "ar.md", DOSE.replace("8", "80"), DOSE)
    edit(fever / "ar.md", "34e50b0be38f", "ffffffffffff")
    status, out = validate(fever)
    assert status == 1
    assert "was made for another source text (ffffffffffff, now 34e50b0be38f)" in out, out


def test_an_acceptance_no_longer_needed_is_a_warning(fever: Path) -> None:
    edit(fever / "ar.md", "source_units:", ACCEPT + "source_units:")
    status, out = validate(fever)
    assert status == 0
    assert "(medicines-at-home.1): the numbers now agree with the source; remove its entry" in out


def test_a_wrong_number_in_a_translation_stops_only_its_language(fever: Path, tmp_path: Path
                                                                 ) -> None:
    edit(fever / "ar.md", THRESHOLD, THRESHOLD.replace("37.5", "38.5"))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(fever), "--lang", "en-GB", "--format",
                                      "docx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["build", str(fever), "--lang", "ar", "--format", "docx",
                                      "--out", str(out)])
    assert result.exit_code == 1
    assert "38.5" in result.output
    assert not (out / "chemo-fever" / "ar").exists()


@pytest.mark.parametrize("given", [
    "numbers_accepted: yes", "numbers_accepted: {intro.1: {missing: [3]}}",
    "numbers_accepted: {intro.1: {source_unit: abc, colour: red}}",
])
def test_a_malformed_acceptance_is_an_error_at_its_line(fever: Path, given: str) -> None:
    edit(fever / "ar.md", "source_units:", given + "\nsource_units:")
    status, out = validate(fever)
    assert status == 1
    assert re.search(rf"{fever / 'ar.md'}:\d+: numbers_accepted", out), out
    assert "Traceback" not in out


def test_hostile_numbers_are_read_without_a_crash(fever: Path) -> None:
    edit(fever / "ar.md", DOSE, "هي " + "9" * 5000 + "." + "٣" * 3000 + " ملغ")
    status, out = validate(fever)
    assert status == 1
    assert "(medicines-at-home.1)" in out
    assert numbers_in("\u00bd\u2153\u00b2\u2460" + "1," * 2000, "en-GB")
