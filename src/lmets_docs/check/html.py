"""Read a built web page back: its text and facts, ``tel:`` targets, players and page rules."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

from lxml import etree
from lxml.html import HtmlElement

from lmets_docs.check import numbered, web
from lmets_docs.check.epub import clock, mp3_seconds
from lmets_docs.check.findings import Finding, error
from lmets_docs.check.shown import read_as_shown
from lmets_docs.check.text import ArtifactText
from lmets_docs.manifest import ArtifactEntry, Manifest

READ_ERRORS: tuple[type[Exception], ...] = (etree.LxmlError,)
"""What reading a corrupt or foreign file raises (a finding, not a crash)."""


def read(path: Path, entry: ArtifactEntry, manifest: Manifest) -> ArtifactText:
    """Return the page's text and the source hash in its ``<meta>``."""
    page = web.parse(path.read_bytes())
    return read_as_shown(ArtifactText(path, web.passages(page), web.source_hash(page)))


def accessibility(
    path: Path, entry: ArtifactEntry, manifest: Manifest, *, thorough: bool = True
) -> list[Finding]:
    """Return the page rules broken (axe-core in a browser is the tests' job, not check's)."""
    page = web.parse(path.read_bytes())
    findings = list(web.page_findings(page, manifest, path))
    findings += web.tel_findings(page, manifest, path)
    findings += _structure(page, path)
    findings += _players(page, path)
    findings += numbered.html_findings(path, [page], entry.details, "web page")
    return findings


def _structure(page: HtmlElement, path: Path) -> Iterator[Finding]:
    if len(page.findall(".//h1")) != 1:
        yield error(path, "", "the page must have exactly one h1", "h1")
    main = page.find(".//main")
    if main is None or not main.get("id"):
        yield error(path, "", "the page has no main landmark with an id", "landmarks")
        return
    skip = page.find(".//body//a")
    if skip is None or skip.get("href") != f"#{main.get('id')}":
        yield error(path, "", "the first link is not a skip link to the main content", "skip-link")
    if page.find(".//section[@id='contacts']") is None:
        yield error(path, "", "the page has no contacts and review dates box", "contacts")


def _players(page: HtmlElement, path: Path) -> Iterator[Finding]:
    players = list(page.iter("audio"))
    if not players:
        yield error(path, "", "the page offers no narration", "audio")
    for player in players:
        src, track = player.get("src", ""), player.find("track[@kind='captions']")
        captions = track.get("src", "") if track is not None else ""
        missing = [rel for rel in (src, captions) if not rel or not (path.parent / rel).is_file()]
        for rel in missing:
            yield error(path, f"<audio src={src!r}>", f"missing file {rel!r} (audio or its "
                        "captions)", "audio")
        if not missing:
            yield from _captions(path.parent / captions, path.parent / src)


def _captions(vtt: Path, mp3: Path) -> Iterator[Finding]:
    """Return a finding if the captions are not WebVTT, not in order, or outlast the audio."""
    text = vtt.read_text(encoding="utf-8")
    cues = [tuple(clock(t) for t in line.split(" --> ")) for line in text.splitlines()
            if " --> " in line]
    length = mp3_seconds(mp3.read_bytes())
    ordered = all(a[1] <= b[0] for a, b in itertools.pairwise(cues))
    if not text.startswith("WEBVTT") or not cues or not ordered or any(
            not 0 <= start < end <= length + 0.0005 for start, end in cues):
        yield error(vtt, "", f"captions are not WebVTT cues in order within {mp3.name} "
                    f"({length:.3f} s)", "captions")
