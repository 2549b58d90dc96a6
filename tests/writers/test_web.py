"""The web page and the EPUB talking book, read back from the files the build wrote.

The builds (``web_builds`` in conftest.py: the seed, a Welsh leaflet, the glossary leaflet in
English and Urdu) run the real espeak-ng once; the narration's timing map is checked against
the decoded MP3s, the page with lxml, the EPUB's zip, package, navigation, lexicon and Media
Overlays by this module's own reading of them. The external validators (EPUBCheck, Ace,
axe-core in Chromium) are in tests/writers/test_web_checkers.py.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import lxml.html
import miniaudio
import numpy as np
import pytest
from lxml import etree

from lmets_docs import i18n
from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.errors import BuildError, NarrationError
from lmets_docs.formats import with_needs
from lmets_docs.manifest import read_manifest
from lmets_docs.model import Figure
from lmets_docs.options import BuildOptions
from lmets_docs.sound.samples import KEEP_S, SILENCE_DBFS
from lmets_docs.source import load_leaflet
from lmets_docs.writers.audio import mp3 as audio_mp3
from lmets_docs.writers.audio.timing import ENCODER_DELAY, read_timings
from lmets_docs.writers.epub import WRITER as EPUB_WRITER
from lmets_docs.writers.html.page import WRITER as HTML_WRITER
from tests.conftest import BEFORE_DUE, DATA, SEED, WEB_CASES, WEB_TODAY, WebBuilds

OPF = "{http://www.idpf.org/2007/opf}"
SMIL = "{http://www.w3.org/ns/SMIL}"
PLS = "{http://www.w3.org/2005/01/pronunciation-lexicon}"
SEED_ID = "leptomeningeal-metastases"


def decoded(data: bytes, rate: int) -> np.ndarray:
    """Return an MP3's samples as the player decodes them (float, mono)."""
    sound = miniaudio.decode(data, nchannels=1, sample_rate=rate,
                             output_format=miniaudio.SampleFormat.FLOAT32)
    return np.asarray(sound.samples, dtype=np.float32)


def page(builds: WebBuilds, leaflet: str = SEED_ID, lang: str = "en-GB") -> lxml.html.HtmlElement:
    """Return the built web page, parsed."""
    return lxml.html.parse(str(builds.file(leaflet, lang, "html", "page"))).getroot()


def book(builds: WebBuilds, leaflet: str = SEED_ID, lang: str = "en-GB") -> zipfile.ZipFile:
    """Return the built EPUB, opened."""
    return zipfile.ZipFile(builds.file(leaflet, lang, "epub", "book"))


# The narration's timing map ------------------------------------------------------------------


def test_lame_delays_every_track_by_the_same_known_number_of_samples() -> None:
    pcm = np.zeros(44100, dtype=np.int16)
    pcm[5000:5100] = 20000
    heard = decoded(audio_mp3.encode(pcm.tobytes(), 22050), 22050)
    assert int(np.argmax(np.abs(heard) > 0.15)) - 5000 == ENCODER_DELAY


def test_each_clip_of_the_timing_map_is_where_its_speech_is_heard(web_builds: WebBuilds) -> None:
    # A clip is a segment's speech with its first and last KEEP_S of quiet (audio_sound.trim):
    # read from the decoded MP3, the sound above the silence threshold starts and ends
    # within that margin of the clip's edges (give or take 2 ms of codec smear), and nothing
    # is heard between clips.
    folder = web_builds.folder(SEED_ID, "en-GB")
    timings = read_timings(folder / "audio" / "timings.json")
    assert len(timings.tracks) == len(read_manifest(folder).sections) + 2
    keep = round(KEEP_S * timings.rate)
    slack = round(0.002 * timings.rate)  # the MP3 codec smears an edge by a few samples
    for track in timings.tracks[:3]:
        sound = decoded((folder / track.file).read_bytes(), timings.rate)
        assert track.clips[-1].end <= sound.size
        threshold = 10 ** (SILENCE_DBFS / 20)
        for before, clip in zip((None, *track.clips), track.clips, strict=False):
            start = before.end if before else 0
            loud = np.flatnonzero(np.abs(sound[start : clip.end]) > threshold) + start
            assert -slack <= loud[0] - clip.begin <= keep + slack, clip.text
            assert -slack <= clip.end - loud[-1] <= keep + slack, clip.text


def test_the_track_starts_are_the_narrations_chapter_starts(web_builds: WebBuilds) -> None:
    folder = web_builds.folder(SEED_ID, "en-GB")
    timings = read_timings(folder / "audio" / "timings.json")
    starts = [t.start for t in timings.tracks]
    assert starts[0] == 0
    assert all(t.end == n.start for t, n in zip(timings.tracks, timings.tracks[1:], strict=False))
    whole = miniaudio.mp3_get_info((folder / timings.narration).read_bytes())
    assert whole.num_frames == timings.tracks[-1].end


def test_a_broken_timing_map_is_named_with_its_file(tmp_path: Path) -> None:
    (tmp_path / "timings.json").write_text('{"rate": 22050, "tracks": [{"x": 1}]}')
    with pytest.raises(NarrationError, match=r"timings\.json: cannot read"):
        read_timings(tmp_path / "timings.json")


# The web page --------------------------------------------------------------------------------


def test_the_page_has_landmarks_a_skip_link_one_h1_and_no_script(web_builds: WebBuilds) -> None:
    root = page(web_builds)
    assert (root.get("lang"), root.get("dir")) == ("en-GB", "ltr")
    first_link = root.find(".//body//a")
    assert first_link.get("href") == "#main"
    assert root.find(".//main").get("id") == "main"
    assert [h.text_content() for h in root.iter("h1")] == [load_leaflet(SEED, "en-GB").title]
    assert root.find(".//header") is not None and root.find(".//footer") is not None
    assert root.find(".//nav") is not None
    assert not list(root.iter("script"))
    levels = [int(h.tag[1]) for h in root.iter("h1", "h2", "h3")]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


@pytest.mark.parametrize(("leaflet", "lang"), WEB_CASES)
def test_the_contacts_box_links_every_contact_and_shows_the_review_dates(
    web_builds: WebBuilds, leaflet: str, lang: str
) -> None:
    facts = read_manifest(web_builds.folder(leaflet, lang)).facts
    box = page(web_builds, leaflet, lang).get_element_by_id("contacts")
    text = " ".join(box.text_content().split())
    shown = [n for n in facts if n.startswith(("contacts.", "review."))]
    assert any(n.endswith(".phone") for n in shown)
    assert [n for n in shown if " ".join(facts[n].printed.split()) not in text] == []
    links = {a.get("href"): a.text_content() for a in box.iter("a")}
    for name in shown:
        if facts[name].link:
            assert links[facts[name].link] == facts[name].printed, name
    for link in box.iter("a"):
        if link.get("href").startswith("tel:"):
            assert link.getparent().tag == "bdi" and link.getparent().get("dir") == "ltr"


def test_a_contact_with_an_email_gets_a_mailto_link(web_builds: WebBuilds) -> None:
    facts = read_manifest(web_builds.folder("clinic-contacts", "en-GB")).facts
    hrefs = [a.get("href") for a in page(web_builds, "clinic-contacts").iter("a")]
    assert facts["contacts.ward.email"].link == "mailto:ward7@example.org"
    assert "mailto:ward7@example.org" in hrefs
    assert {f.link for n, f in facts.items() if n.endswith(".phone")} <= set(hrefs)


def test_every_player_has_its_mp3_and_captions_from_the_transcript_timings(
    web_builds: WebBuilds,
) -> None:
    html_file = web_builds.file(SEED_ID, "en-GB", "html", "page")
    timings = read_timings(web_builds.folder(SEED_ID, "en-GB") / "audio" / "timings.json")
    players = list(page(web_builds).iter("audio"))
    assert len(players) == len(load_leaflet(SEED, "en-GB").sections) + 1
    for player in players:
        mp3 = (html_file.parent / player.get("src")).read_bytes()
        info = miniaudio.mp3_get_info(mp3)
        track = player.find("track")
        assert (track.get("kind"), track.get("srclang")) == ("captions", "en-GB")
        cues = vtt_cues((html_file.parent / track.get("src")).read_text(encoding="utf-8"))
        assert cues and all(0 <= a < b <= info.num_frames / info.sample_rate for a, b, _ in cues)
        assert all(b1 <= a2 for (_, b1, _t), (a2, _, _u) in itertools.pairwise(cues))
    whole = vtt_cues((html_file.parent / players[0].find("track").get("src")).read_text("utf-8"))
    assert [text for _, _, text in whole] == [
        " ".join(c.text.split()) for t in timings.tracks for c in t.clips]


def vtt_cues(text: str) -> list[tuple[float, float, str]]:
    """Return the cues of a WebVTT file: (start, end, text)."""
    assert text.startswith("WEBVTT\n")
    cues = []
    for block in text.split("\n\n")[1:]:
        lines = block.strip().splitlines()
        if len(lines) >= 3:
            start, end = (seconds(t) for t in lines[1].split(" --> "))
            cues.append((start, end, " ".join(lines[2:])))
    return cues


def seconds(stamp: str) -> float:
    """Return a WebVTT time stamp in seconds."""
    hours, minutes, rest = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def test_glossary_terms_are_dfn_and_the_first_use_links_to_them(web_builds: WebBuilds) -> None:
    root = page(web_builds, "glossary-leaflet")
    leaflet = load_leaflet(DATA / "glossary", "en-GB")
    dfns = {d.get("id"): d.text_content() for d in root.iter("dfn")}
    assert sorted(dfns.values()) == sorted(e.term for e in leaflet.glossary.values())
    links = [a.get("href") for a in root.iter("a") if "term" in (a.get("class") or "")]
    assert links and {h.removeprefix("#") for h in links} <= set(dfns)


def test_the_stylesheet_prints_without_the_players(web_builds: WebBuilds) -> None:
    css = web_builds.file(SEED_ID, "en-GB", "html", "stylesheet").read_text(encoding="utf-8")
    assert re.search(r"@media print \{[^@]*audio[^}]*display: none", css)


@pytest.mark.parametrize(("leaflet", "lang"), [("glossary-leaflet", "ur"),
                                               ("clinic-contacts", "ur")])
def test_urdu_runs_right_to_left_with_numbers_left_to_right(
    web_builds: WebBuilds, leaflet: str, lang: str
) -> None:
    root = page(web_builds, leaflet, lang)
    assert (root.get("lang"), root.get("dir")) == ("ur", "rtl")
    phones = [b for b in root.iter("bdi") if "phone" in b.get("class", "")]
    assert phones and all(b.get("dir") == "ltr" for b in phones)
    with book(web_builds, leaflet, lang) as epub:
        document = etree.fromstring(epub.read("EPUB/c01.xhtml"))
    assert (document.get("dir"), document.get("lang")) == ("rtl", "ur")


# The EPUB ------------------------------------------------------------------------------------


def test_the_epub_zip_starts_with_its_stored_mimetype(web_builds: WebBuilds) -> None:
    with book(web_builds) as epub:
        first = epub.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert epub.read("mimetype") == b"application/epub+zip"
        assert not first.extra


def package_metadata(epub: zipfile.ZipFile) -> dict[str, list[str]]:
    """Return the package document's ``meta`` values by property."""
    opf = etree.fromstring(epub.read("EPUB/package.opf"))
    values: dict[str, list[str]] = {}
    for meta in opf.iter(f"{OPF}meta"):
        if not meta.get("refines"):
            values.setdefault(meta.get("property"), []).append(meta.text)
    return values


def test_the_package_declares_its_accessibility(web_builds: WebBuilds) -> None:
    with book(web_builds) as epub:
        meta = package_metadata(epub)
    assert set(meta["schema:accessMode"]) == {"textual", "auditory"}
    assert meta["schema:accessModeSufficient"] == ["textual"]
    assert {"synchronizedAudioText", "ttsMarkup", "structuralNavigation", "tableOfContents"} <= set(
        meta["schema:accessibilityFeature"])
    assert meta["schema:accessibilityHazard"] == ["none"]
    assert len(meta["schema:accessibilitySummary"][0]) > 80
    assert meta["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]


def test_the_lexicon_has_every_pronunciation_of_the_language(web_builds: WebBuilds) -> None:
    with book(web_builds) as epub:
        pls = etree.fromstring(epub.read("EPUB/lexicon.pls"))
        linked = b'rel="pronunciation"' in epub.read("EPUB/c02.xhtml")
    words = {lex.findtext(f"{PLS}grapheme"): lex.findtext(f"{PLS}alias")
             for lex in pls.iter(f"{PLS}lexeme")}
    assert words == load_leaflet(SEED, "en-GB").lexicon
    assert pls.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB" and linked


def test_the_navigation_lists_every_chapter(web_builds: WebBuilds) -> None:
    with book(web_builds) as epub:
        nav = lxml.html.fromstring(epub.read("EPUB/nav.xhtml"))
    toc = [a.text_content() for a in nav.get_element_by_id("toc").iter("a")]
    leaflet = load_leaflet(SEED, "en-GB")
    assert toc[: len(leaflet.sections) + 1] == [leaflet.title, *(s.title for s in leaflet.sections)]


@pytest.mark.parametrize(("leaflet", "lang"), [(SEED_ID, "en-GB"), ("glossary-leaflet", "en-GB")])
def test_the_back_matter_has_the_glossary_and_the_references(
    web_builds: WebBuilds, leaflet: str, lang: str
) -> None:
    with book(web_builds, leaflet, lang) as epub:
        names = sorted(n for n in epub.namelist() if re.fullmatch(r"EPUB/c\d+\.xhtml", n))
        back = lxml.html.fromstring(epub.read(names[-1]))
        first = epub.read(names[0]).decode()
    source = load_leaflet(SEED if leaflet == SEED_ID else DATA / "glossary", lang)
    assert len(back.get_element_by_id("leaflet-references").findall(".//ol/li")) == len(
        source.references)
    dfns = [d.get("id") for d in back.iter("dfn")]
    assert dfns == [e.anchor for e in source.glossary.values()]
    if dfns:  # the first use links to its entry in the back matter
        back_link = f'href="{names[-1].removeprefix("EPUB/")}#{dfns[0]}"'
        assert back_link in first or dfns[0] not in first


@pytest.mark.parametrize(("leaflet", "lang"), WEB_CASES)
def test_every_narrated_element_has_its_clip_in_order_inside_the_audio(
    web_builds: WebBuilds, leaflet: str, lang: str
) -> None:
    with book(web_builds, leaflet, lang) as epub:
        opf = etree.fromstring(epub.read("EPUB/package.opf"))
        items = {i.get("id"): i for i in opf.iter(f"{OPF}item")}
        spine = [items[r.get("idref")] for r in opf.iter(f"{OPF}itemref")]
        total = 0.0
        for item in spine:
            document = lxml.html.fromstring(epub.read(f"EPUB/{item.get('href')}"))
            overlay = items[item.get("media-overlay")].get("href")
            smil = etree.fromstring(epub.read(f"EPUB/{overlay}"))
            pars = [(p.find(f"{SMIL}text").get("src"), p.find(f"{SMIL}audio")) for p in
                    smil.iter(f"{SMIL}par")]
            assert [src.partition("#")[0] for src, _ in pars] == [item.get("href")] * len(pars)
            assert [src.partition("#")[2] for src, _ in pars] == narrated_ids(document)
            mp3 = epub.read(f"EPUB/{pars[0][1].get('src')}")
            info = miniaudio.mp3_get_info(mp3)
            length = info.num_frames / info.sample_rate
            clips = [(float(a.get("clipBegin")[:-1]), float(a.get("clipEnd")[:-1]))
                     for _, a in pars]
            assert all(0 <= b < e <= length for b, e in clips)
            assert all(e1 <= b2 for (_, e1), (b2, _) in itertools.pairwise(clips))
            total += length
        durations = package_metadata(epub)["media:duration"]
    hours, minutes, secs = durations[0].split(":")
    assert abs(int(hours) * 3600 + int(minutes) * 60 + float(secs) - total) < 0.01


def narrated_ids(document: lxml.html.HtmlElement) -> list[str]:
    """Return the ids of the text a reader hears: leaves with text, outside unnarrated parts."""
    return [
        e.get("id") for e in document.iter()
        if e.get("id") and e.text_content().strip()
        and not any("unnarrated" in (a.get("class") or "") for a in (e, *e.iterancestors()))
        and not any(d.get("id") for d in e.iterdescendants())
    ]


# check reads both back ----------------------------------------------------------------------


@pytest.mark.parametrize(("leaflet", "lang"), WEB_CASES)
def test_check_finds_nothing_wrong_in_what_was_built(
    web_builds: WebBuilds, leaflet: str, lang: str
) -> None:
    today = BEFORE_DUE if leaflet == SEED_ID else WEB_TODAY
    report = check([web_builds.folder(leaflet, lang)], today, formats={"html", "epub"})
    assert not report.findings, report.text()
    assert {p.suffix for p in report.files} >= {".html", ".epub"}


def tampered(builds: WebBuilds, tmp_path: Path) -> Path:
    """Return a copy of the seed's built folder to tamper with."""
    folder = tmp_path / "built"
    shutil.copytree(builds.folder(SEED_ID, "en-GB"), folder)
    return folder


def edit_page(folder: Path, change: Callable[[str], str]) -> None:
    """Change the web page's text."""
    path = folder / read_manifest(folder).artifacts["html"].files["page"]
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def edit_book(folder: Path, name: str, change: Callable[[str], str]) -> None:
    """Change one file inside the EPUB, keeping the others."""
    path = folder / read_manifest(folder).artifacts["epub"].files["book"]
    with zipfile.ZipFile(path) as old:
        files = [(i, old.read(i)) for i in old.infolist()]
    with zipfile.ZipFile(path, "w") as new:
        for info, data in files:
            new.writestr(info, change(data.decode()).encode() if info.filename == name else data)


def codes(folder: Path) -> set[str]:
    """Return the codes of the errors ``check`` finds in the web formats."""
    report = check([folder], BEFORE_DUE, formats={"html", "epub"})
    return {f.code for f in report.errors}


@pytest.mark.parametrize(("change", "code"), [
    (lambda s: s.replace('href="tel:+448088004040"', 'href="tel:+448088004041"', 1), "tel"),
    (lambda s: s.replace("</body>", "<script>alert(1)</script></body>"), "script"),
    (lambda s: s.replace('dir="ltr"', 'dir="rtl"', 1), "dir"),
    (lambda s: s.replace("0808 800 4040</a>", "0808 800 4041</a>", 1), "fact-phone"),
    # The page keeps a date whole with no-break spaces, as the print does.
    (lambda s: re.sub("22[ \u00a0]November[ \u00a0]2022", "22 November 2023", s),
     "fact-missing"),
    (lambda s: s.replace('<a class="skip-link" href="#main">', '<a href="#top">'), "skip-link"),
    (lambda s: re.sub(r'<track [^>]*>', "", s, count=1), "audio"),
])
def test_check_finds_a_tampered_page(
    web_builds: WebBuilds, tmp_path: Path, change: Callable[[str], str], code: str
) -> None:
    folder = tampered(web_builds, tmp_path)
    edit_page(folder, change)
    assert code in codes(folder)


@pytest.mark.parametrize(("name", "change", "code"), [
    ("EPUB/c02.smil", lambda s: re.sub(r"<par id=\"par3\">.*?</par>", "", s, flags=re.S),
     "overlay"),
    ("EPUB/c02.smil", lambda s: re.sub(r'clipEnd="[\d.]+s"', 'clipEnd="999.000s"', s, count=1),
     "overlay"),
    ("EPUB/c02.smil", lambda s: s.replace('#chemotherapy.2"', '#nowhere"'), "overlay"),
    ("EPUB/package.opf", lambda s: re.sub(r'<meta property="schema:accessibilitySummary">.*?'
                                          r"</meta>", "", s), "a11y-meta"),
    ("EPUB/package.opf", lambda s: s.replace(">synchronizedAudioText<", ">none<"), "a11y-meta"),
    ("EPUB/c07.xhtml", lambda s: s.replace('href="tel:+448088004040"', 'href="tel:+4411"'),
     "tel"),
    ("EPUB/c01.xhtml", lambda s: s.replace('lang="en-GB"', 'lang="fr"'), "lang"),
])
def test_check_finds_a_tampered_book(
    web_builds: WebBuilds, tmp_path: Path, name: str, change: Callable[[str], str], code: str
) -> None:
    folder = tampered(web_builds, tmp_path)
    edit_book(folder, name, change)
    assert code in codes(folder)


# The build: one narration for every format that needs it ------------------------------------


def test_html_and_epub_bring_the_audio_they_need_first() -> None:
    assert with_needs(("epub", "pdf", "html")) == ("audio", "epub", "pdf", "html")


def test_a_web_format_reuses_an_up_to_date_narration(tmp_path: Path, options: BuildOptions) -> None:
    short = DATA / "short-leaflet"
    first = build([short], dataclasses.replace(options, formats=("audio",)))
    assert first.written == ["short-leaflet/en-GB/audio"]
    again = build([short], dataclasses.replace(options, formats=("html", "epub")))
    assert again.reused == ["short-leaflet/en-GB/audio"]
    assert sorted(again.written) == ["short-leaflet/en-GB/epub", "short-leaflet/en-GB/html"]
    manifest = read_manifest(options.out / "short-leaflet" / "en-GB")
    assert set(manifest.artifacts) == {"audio", "html", "epub"}
    details = json.loads(manifest.model_dump_json())["artifacts"]["audio"]["details"]
    assert details["synthesized"] > 0  # written once, by the first build only
    assert not check([options.out], BEFORE_DUE).errors


def test_a_web_writer_without_the_narration_says_so(tmp_path: Path, options: BuildOptions) -> None:
    leaflet = load_leaflet(DATA / "short-leaflet", "en-GB")
    for writer in (HTML_WRITER, EPUB_WRITER):
        with pytest.raises(BuildError, match="the narration is missing"):
            writer.write(leaflet, tmp_path, options)


def test_an_unwritable_page_is_a_build_error(web_builds: WebBuilds, tmp_path: Path,
                                             options: BuildOptions) -> None:
    shutil.copytree(web_builds.folder("clinic-contacts", "cy") / "audio", tmp_path / "audio")
    (tmp_path / "html" / "index.html").mkdir(parents=True)  # a folder where the page goes
    (tmp_path / "epub" / "clinic-contacts.epub").mkdir(parents=True)
    leaflet = load_leaflet(DATA / "clinic-contacts", "cy")
    with pytest.raises(BuildError, match=r"index\.html: cannot write the web page"):
        HTML_WRITER.write(leaflet, tmp_path, options)
    with pytest.raises(BuildError, match=r"clinic-contacts\.epub: cannot write the EPUB"):
        EPUB_WRITER.write(leaflet, tmp_path, options)


def test_a_failed_web_format_keeps_the_previous_outputs(
    tmp_path: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    short = DATA / "short-leaflet"
    web_options = dataclasses.replace(options, formats=("html", "epub"))
    build([short], web_options)
    folder = options.out / "short-leaflet" / "en-GB"
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    def broken(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("lmets_docs.writers.epub.package._info", broken)
    with pytest.raises(BuildError, match=r"^not written: the disk is full \(.*\.epub\); free"):
        build([short], dataclasses.replace(web_options, speech_rate="slow", jobs=1))
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_each_sentence_of_a_paragraph_has_its_own_clip(web_builds: WebBuilds) -> None:
    with book(web_builds) as epub:
        document = lxml.html.fromstring(epub.read("EPUB/c02.xhtml"))
        smil = epub.read("EPUB/c02.smil").decode()
    paragraph = document.get_element_by_id("chemotherapy.4")
    spans = [s.get("id") for s in paragraph.iter("span") if s.get("id")]
    assert spans == ["chemotherapy.4.s1", "chemotherapy.4.s2"]
    assert " ".join(paragraph.text_content().split()).count(". ") == 1
    assert all(f'src="c02.xhtml#{span}"' in smil for span in spans)
    assert 'src="c02.xhtml#chemotherapy.4"' not in smil


def test_a_picture_is_in_both_with_its_description(web_builds: WebBuilds) -> None:
    leaflet = load_leaflet(DATA / "minimal", "en-GB")
    figure = next(b for b in leaflet.all_blocks() if isinstance(b, Figure))
    assert figure.path is not None
    img = page(web_builds, "minimal-leaflet").find(".//figure/img")
    html_dir = web_builds.file("minimal-leaflet", "en-GB", "html", "page").parent
    published = html_dir / img.get("src")
    assert published.read_bytes() == figure.path.read_bytes()
    # a copy, never a hard link: an edit of the source in place leaves the published one
    assert not published.samefile(figure.path) and published.stat().st_nlink == 1
    assert img.get("alt") == figure.alt
    caption = page(web_builds, "minimal-leaflet").find(".//figure/figcaption")
    assert (caption.text, caption.get("aria-hidden")) == (figure.alt, "true")  # said once
    with book(web_builds, "minimal-leaflet") as epub:
        assert epub.read("EPUB/images/diagram.png") == figure.path.read_bytes()
        xhtml = next(etree.fromstring(epub.read(n)) for n in epub.namelist()
                     if n.endswith(".xhtml") and b"<figure" in epub.read(n))
    xhtml_figure = xhtml.find(".//{http://www.w3.org/1999/xhtml}figure")
    assert [(e.get("alt"), e.get("aria-hidden"), e.text) for e in xhtml_figure] == [
        (figure.alt, None, None), (None, "true", figure.alt)]
    with book(web_builds, "minimal-leaflet") as epub:
        meta = package_metadata(epub)
        opf = epub.read("EPUB/package.opf").decode()
    assert "visual" in meta["schema:accessMode"]
    assert "alternativeText" in meta["schema:accessibilityFeature"]
    assert "ttsMarkup" not in meta["schema:accessibilityFeature"]  # no pronunciation: no PLS
    assert 'href="images/diagram.png" media-type="image/png"' in opf and "lexicon.pls" not in opf


WELSH_URDU = {"cy": ("Cysylltiadau a dyddiadau adolygu", "Ffoniwch"),
              "ur": ("رابطے اور نظر ثانی کی تاریخیں", "فون کریں:")}


@pytest.mark.parametrize("lang", ["cy", "ur"])
def test_welsh_and_urdu_pages_say_their_fixed_words_in_their_own_language(
    web_builds: WebBuilds, lang: str
) -> None:
    heading_text, call = WELSH_URDU[lang]
    root = page(web_builds, "clinic-contacts", lang)
    assert root.get_element_by_id("contacts-heading").text_content() == heading_text
    assert any((s.text or "").startswith(call) for s in root.iter("p"))
    assert not [e for e in root.iter() if e.get("lang") == "en"]  # nothing falls back
    assert "Call " not in root.text_content() and "Page " not in root.text_content()
    with book(web_builds, "clinic-contacts", lang) as epub:
        back = etree.fromstring(epub.read("EPUB/c05.xhtml"))
    assert not [e for e in back.iter() if e.get("lang") == "en"]


def test_fixed_words_said_in_english_are_marked_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the package's Welsh catalogue the fixed words fall back to English, marked so.
    empty = tmp_path / "no-locale"
    empty.mkdir()
    monkeypatch.setattr(i18n, "LOCALE_DIR", empty)
    i18n.messages.cache_clear()
    try:
        build([DATA / "clinic-contacts"], BuildOptions(
            out=tmp_path / "out", tts="espeak", jobs=1, today=WEB_TODAY, templates=None,
            cache_dir=tmp_path / "cache", formats=("html", "epub"), langs=("cy",)))
    finally:
        i18n.messages.cache_clear()
    builds = WebBuilds(tmp_path / "out")
    root = page(builds, "clinic-contacts", "cy")
    span = root.get_element_by_id("contacts-heading").find("span")
    assert (span.get("lang"), span.get("dir")) == ("en", "ltr")
    assert span.text == "Contacts and review dates"
    calls = [s for s in root.iter("span") if (s.text or "").startswith("Call")]
    assert calls and all(s.get("lang") == "en" and s.find(".//a") is not None for s in calls)
    with book(builds, "clinic-contacts", "cy") as epub:
        back = etree.fromstring(epub.read("EPUB/c05.xhtml"))
    marked = [e for e in back.iter() if e.get("lang") == "en"]
    assert marked and all(e.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
                          for e in marked)


def test_check_finds_captions_that_outlast_their_audio(
    web_builds: WebBuilds, tmp_path: Path
) -> None:
    folder = tampered(web_builds, tmp_path)
    vtt = sorted((folder / "html" / "captions").glob("02-*.vtt"))[0]
    text = vtt.read_text(encoding="utf-8")
    vtt.write_text(re.sub(r"--> \S+\n(?!.*-->)", "--> 00:59:00.000\n", text, flags=re.S),
                   encoding="utf-8")
    assert "captions" in codes(folder)
