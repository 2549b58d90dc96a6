"""The pronunciation lexicon may change how a word sounds, never a number.

A respelling that says a number is refused however its number words are joined or written:
hyphens, dashes, no-break hyphens, minus signs, invisible characters, fullwidth letters,
any case. A syllable that happens to be a number word inside a longer word is not a number.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from lmets_docs.cli import cli
from lmets_docs.source.factcheck import says_number
from tests.conftest import DATA

SAYS_A_NUMBER = [
    ("en-GB", "keemo 3"),
    ("en-GB", "tree ahj eight"),
    ("en-GB", "oh-two-oh"),
    ("en-GB", "oh\u2013two\u2013oh"),        # en dashes
    ("en-GB", "oh\u2014two"),                # em dash
    ("en-GB", "oh\u2011two\u2011oh"),        # no-break hyphens
    ("en-GB", "oh\u2010two"),                # hyphen
    ("en-GB", "oh\u2212two"),                # minus sign
    ("en-GB", "Oh-TWO-oH"),
    ("en-GB", "keemo-oh-two"),               # a run of two inside a longer word
    ("en-GB", "sev-en-teen"),                # the parts spell a number
    ("en-GB", "twen-ty"),
    ("en-GB", "t\u00adwo"),                  # soft hyphen
    ("en-GB", "t\u200bwo"),                  # zero-width space
    ("en-GB", "\uff54\uff57\uff4f"),         # fullwidth "two"
    ("en-GB", "keemo\u00b2"),                # superscript two
    ("en-GB", "double"),
    ("en", "nought"),
    ("cy", "un-dau"),
    ("cy", "DAU"),
    ("fr", "vingt-deux"),                    # CLDR's words, in a language we list none for
    ("ur", "کیمو تین"),                      # Urdu: the draft words (scan_words.DRAFT_WORDS)
    ("en-GB", "someone, oh-two-oh, seven-nine-four-six, oh-oh-oh-oh,"),  # test_listen's, before
]
SAYS_NO_NUMBER = [
    ("en-GB", "omiah"),
    ("en-GB", "ex-ten-sion"),
    ("en-GB", "ten-der"),
    ("en-GB", "keemo-therapy"),
    ("en-GB", "tree-ahj"),
    ("en-GB", "often"),
    ("cy", "bore-da"),
    ("ur", "دوا"),                           # medicine: "دو" (2) inside a word
]


@pytest.mark.parametrize(("tag", "respelling"), SAYS_A_NUMBER)
def test_a_respelling_that_says_a_number_is_found(tag: str, respelling: str) -> None:
    assert says_number(respelling, tag)


@pytest.mark.parametrize(("tag", "respelling"), SAYS_NO_NUMBER)
def test_a_respelling_without_a_number_passes(tag: str, respelling: str) -> None:
    assert not says_number(respelling, tag)


@pytest.mark.parametrize("respelling", ["oh-two-oh", "oh\u2011two\u2011oh", "OH\u2013TWO"])
def test_validate_refuses_a_hyphenated_number_in_the_lexicon(
    tmp_path: Path, respelling: str
) -> None:
    folder = tmp_path / "leaflet"
    folder.mkdir()
    for path in (DATA / "minimal").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    yaml = folder / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8")
                    + f'pronunciation:\n  en-GB: {{diagram: "{respelling}"}}\n', encoding="utf-8")
    result = CliRunner(mix_stderr=False).invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 1, result.stderr
    line = yaml.read_text(encoding="utf-8").splitlines().index(
        f'  en-GB: {{diagram: "{respelling}"}}') + 1
    assert (f"{yaml}:{line}: pronunciation.en-GB.diagram: the respelling {respelling!r} says "
            "a number") in result.stderr, result.stderr
