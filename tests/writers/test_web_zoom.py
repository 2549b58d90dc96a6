"""The web page zoomed in step by step, as a magnifier user does, in Chromium.

A window of 1280 CSS px at 100 %, 110 % … 500 % lays the page out 1280/z CSS px wide and
draws each CSS px as z device px (``tests/js/zoom_steps.mjs``, puppeteer-core and Debian's
Chromium). The narrow-screen sizes once came from a ``max-width: 24rem`` media query: from
330 % to 340 % the body went from 66 to 61 device px and the title from 132 to 98 (user
test ut-lowvision, finding 7). At every step, for every element holding text (the body text,
every heading), the computed size times the zoom must not go down, and no text or box may
pass the viewport's edge (WCAG 1.4.10: 320 CSS px is 400 %); also with a reader's larger
default font size (24 px), with WCAG 1.4.12's text spacing, and in forced colours
(``Emulation.setEmulatedMedia``). Real builds of ``tests/data/switchboard`` (English, Welsh,
Arabic) and ``tests/data/busy-clinic`` (long opening hours), web page only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from lmets_docs.build import build
from lmets_docs.options import BuildOptions
from tests.conftest import DATA, ROOT
from tests.node import run_node

TODAY = dt.date(2026, 1, 5)
STEPS = list(range(100, 501, 10))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("zoom")
    build([DATA / "switchboard", DATA / "busy-clinic"], BuildOptions(
        out=root / "output", formats=("html",), tts="espeak", jobs=2, today=TODAY,
        templates=None, cache_dir=root / "cache"))
    return root / "output"


def zoom_steps(page: Path, results: Path, *flags: str) -> list[dict[str, Any]]:
    """Return what Chromium lays out at each zoom step (``tests/js/zoom_steps.mjs``)."""
    run_node([ROOT / "tests" / "js" / "zoom_steps.mjs", page, results, *flags], timeout=300,
             cwd=ROOT)
    steps: list[dict[str, Any]] = json.loads(results.read_text(encoding="utf-8"))["steps"]
    return steps


def shrinking(steps: list[dict[str, Any]]) -> list[str]:
    """Return each text whose size on the screen (CSS px times the zoom) went down."""
    found: list[str] = []
    before: dict[tuple[int, str], tuple[int, float]] = {}
    for step in steps:
        for i, text in enumerate(step["texts"]):
            key, seen = (i, text["el"]), text["size"] * step["zoom"] / 100
            if key in before and seen < before[key][1] - 1e-6:
                found.append(f'{text["el"]} "{text["text"]}" {before[key][0]} % -> '
                             f'{step["zoom"]} %: {before[key][1]:.1f} -> {seen:.1f} device px')
            before[key] = (step["zoom"], seen)
    return found


def past_the_edge(steps: list[dict[str, Any]]) -> list[str]:
    """Return what passes the viewport's edge or is clipped by its own box, at each step."""
    found = []
    for step in steps:
        where = f'{step["zoom"]} % ({step["viewport"]} px)'
        if step["scroll_width"] > step["client_width"]:
            found.append(f'{where}: scrolls sideways, {step["scroll_width"]} px wide')
        found += [f"{where}: {what}" for what in step["outside"]]
        found += [f"{where}: clipped {what}" for what in step["clipped"]]
    return found


@pytest.mark.parametrize("page", ["switchboard/en-GB", "switchboard/ar", "busy-clinic/en-GB"])
@pytest.mark.parametrize("font_size", [16, 24])
def test_zooming_in_never_makes_the_text_smaller_nor_wider_than_the_screen(
        out: Path, tmp_path: Path, page: str, font_size: int) -> None:
    # The busy clinic's hours piece "8:30 am to 12:30 pm and 1:30 pm …", kept on one line,
    # ran 8 px past the edge from 300 % to 330 %, even without text spacing.
    steps = zoom_steps(out / page / "html" / "index.html", tmp_path / "zoom.json",
                       f"--font-size={font_size}")
    assert [step["zoom"] for step in steps] == STEPS
    assert [step["viewport"] for step in steps] == [round(1280 * 100 / z) for z in STEPS]
    kinds = {re.sub(r"[#.].*", "", text["el"]) for text in steps[0]["texts"]}
    assert {"p", "h1", "h2", "h3"} <= kinds  # the body text and every level of heading
    assert shrinking(steps) == []
    assert past_the_edge(steps) == []
    # A time is never split across lines ("12:30" | "pm"), however narrow the screen.
    assert [(step["viewport"], step["split"]) for step in steps if step["split"]] == []
    first, last = steps[0]["texts"], steps[-1]["texts"]
    # At 500 % every text is at least 3.5 times as large on the screen as at 100 %.
    assert all(b["size"] * 5 >= a["size"] * 3.5 for a, b in zip(first, last, strict=True))
    assert first[0]["size"] == 1.25 * font_size  # wide screens unchanged: 125 %


@pytest.mark.parametrize("lang", ["en-GB", "cy", "ar"])
def test_text_spacing_clips_nothing_at_any_zoom(out: Path, tmp_path: Path, lang: str) -> None:
    # WCAG 1.4.12: line height 1.5, letter spacing 0.12em, word spacing 0.16em, 2em after
    # paragraphs. Welsh opening hours ("rhwng Dydd Llun a Dydd Gwener", kept on one line)
    # ran 10 px past the edge from 300 % to 330 %.
    steps = zoom_steps(out / "switchboard" / lang / "html" / "index.html", tmp_path / "zoom.json",
                       "--spacing")
    assert len(steps) == len(STEPS)
    assert past_the_edge(steps) == []


def contrast(color: str, background: str) -> float:
    """Return the WCAG contrast ratio of two ``rgb(…)`` colours."""
    def luminance(rgb: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                   for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted([luminance(color), luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("lang", ["en-GB", "ar"])
def test_forced_colours_hide_no_text_at_320_px(out: Path, tmp_path: Path, lang: str) -> None:
    steps = zoom_steps(out / "switchboard" / lang / "html" / "index.html",
                       tmp_path / "zoom.json", "--forced", "--spacing", "--zooms=400")
    assert [(step["viewport"], step["forced_colors"]) for step in steps] == [(320, True)]
    texts = steps[0]["texts"]
    assert len(texts) > 30
    assert [(t["el"], t["text"], t["color"], t["background"]) for t in texts
            if contrast(t["color"], t["background"]) < 7] == []
    assert past_the_edge(steps) == []
