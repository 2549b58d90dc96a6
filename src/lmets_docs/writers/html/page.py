"""The web edition: one accessible page per leaflet and language, in ``html/``.

A recipe: the narration's timing map → the page's blocks (the same fragments as the PDF's,
``writers.html``) → the page template (landmarks, skip link, contacts box, players with
captions, ``<dfn>`` glossary) → CSS, images, tracks and captions beside it. The page needs
no JavaScript; the narration is the audio writer's, never spoken again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lmets_docs.errors import BuildError, raise_if_disk_full
from lmets_docs.model import Figure, Leaflet
from lmets_docs.numbering import counter_symbols, numbered_details
from lmets_docs.options import BuildOptions
from lmets_docs.text import formatter
from lmets_docs.writers import WriterResult, html
from lmets_docs.writers.audio.timing import TrackTiming
from lmets_docs.writers.html import web

FOLDER = "html"
PAGE = f"{FOLDER}/index.html"
STYLESHEET = "leaflet.css"


@dataclass(frozen=True)
class Player:
    """One ``<audio>`` player: its MP3, its captions and its label."""

    src: str
    captions: str
    label: str


@dataclass(frozen=True)
class HtmlWriter:
    """Write the accessible web page of a leaflet, with the narration and its captions."""

    name: str = "html"

    def write(self, leaflet: Leaflet, out_dir: Path, options: BuildOptions) -> WriterResult:
        """Write ``html/index.html`` and its files into ``out_dir``; return the files by role."""
        narration = web.narration(out_dir)
        files = copy_media(leaflet, narration, out_dir)
        files |= write_captions(narration, out_dir)
        context = page_context(leaflet, options, narration)
        env = web.environment(FOLDER)
        _write(out_dir / PAGE, html.times_whole(env.get_template("index.html").render(context)))
        _write(out_dir / FOLDER / STYLESHEET, env.get_template(STYLESHEET).render(
            list_digits=counter_symbols(leaflet.lang)))
        files |= {"page": PAGE, "stylesheet": f"{FOLDER}/{STYLESHEET}"}
        return WriterResult(files=files, details={"players": len(context["players"]) + 1}
                            | numbered_details(leaflet))


WRITER = HtmlWriter()


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise_if_disk_full(exc, path)
        raise BuildError(f"{path}: cannot write the web page ({exc.strerror or exc})") from exc


def image_name(path: Path) -> str:
    """Return where a figure's image goes beside the page."""
    return f"images/{path.name}"


def copy_media(leaflet: Leaflet, narration: web.Narration, out_dir: Path) -> dict[str, str]:
    """Put the narration's MP3s and the figures' images beside the page; return their roles.

    The MP3s are the build's own files (hard links where the file system allows); a picture
    is the author's, so it is copied: a hard link would make the published picture and the
    source one file, which an edit of either in place changes both of.
    """
    files: dict[str, str] = {}
    for role, rel in _audio_files(narration):
        files[role] = f"{FOLDER}/{rel}"
        web.link_or_copy(narration.folder / rel, out_dir / FOLDER / rel)
    for block in leaflet.all_blocks():
        if isinstance(block, Figure) and block.path is not None:
            files[f"image-{block.id}"] = f"{FOLDER}/{image_name(block.path)}"
            web.copy(block.path, out_dir / files[f"image-{block.id}"])
    return files


def _audio_files(narration: web.Narration) -> list[tuple[str, str]]:
    tracks = [(f"track{t.number:02d}", t.file) for t in narration.timings.tracks]
    return [("narration", narration.timings.narration), *tracks]


def captions_name(file: str) -> str:
    """Return the captions file of an MP3 (``audio/x.mp3`` → ``captions/x.vtt``)."""
    return f"captions/{Path(file).stem}.vtt"


def write_captions(narration: web.Narration, out_dir: Path) -> dict[str, str]:
    """Write WebVTT captions for the whole narration and for each track; return their roles."""
    timings, files = narration.timings, {}
    whole = [(clip, track.start) for track in timings.tracks for clip in track.clips]
    captions = {timings.narration: whole}
    captions |= {t.file: [(clip, 0) for clip in t.clips] for t in timings.tracks}
    for number, (mp3, clips) in enumerate(captions.items()):
        rel = f"{FOLDER}/{captions_name(mp3)}"
        (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        _write(out_dir / rel, web.vtt(clips, timings.rate))
        files[f"captions{number:02d}"] = rel
    return files


def page_context(
    leaflet: Leaflet, options: BuildOptions, narration: web.Narration
) -> dict[str, Any]:
    """Return everything the page template uses."""
    context = web.common_context(leaflet, options)
    ctx = html.HtmlContext(
        formatter(leaflet), image_src=image_name, glossary=leaflet.glossary, sentences=True,
        rtl=leaflet.rtl,
    )
    _: web.Words = context["_"]  # type: ignore[assignment]
    players = [
        (section, html.blocks(section.blocks, ctx), _player(narration.track_for(section.id),
                                                            _.plain("Listen to this part")))
        for section in leaflet.sections
    ]
    whole = Player(narration.timings.narration, captions_name(narration.timings.narration),
                   _.plain("Listen to the whole leaflet"))
    return context | {
        "intro": html.blocks(leaflet.intro, ctx),
        "sections": players,
        "players": [p for _s, _b, p in players if p],
        "whole": whole,
        "stylesheet": STYLESHEET,
    }


def _player(track: TrackTiming | None, label: str) -> Player | None:
    if track is None:
        return None
    return Player(track.file, captions_name(track.file), label)
