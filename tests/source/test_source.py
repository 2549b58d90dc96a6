"""The loader: the seed leaflet's structure, and a clear file:line message for every bad input."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmets_docs.cli import cli
from lmets_docs.errors import ContentError
from lmets_docs.model import BulletList, FactRef, Figure, GlossaryTerm, Leaflet, Paragraph
from lmets_docs.source import load_folder, load_leaflet
from lmets_docs.text import leaflet_sentences
from tests.conftest import DATA, SEED

SEED_TEXT = SEED.parent.parent.parent / "shared" / "seeds" / "000_37459be972885648.txt"


def test_seed_sections_restore_the_lost_headings(seed_leaflet: Leaflet) -> None:
    titles = [s.title for s in seed_leaflet.sections]
    assert titles == [
        "Chemotherapy",
        "Targeted cancer drugs",
        "Radiotherapy",
        "Research into leptomeningeal metastases",
        "Help and support",
    ]
    assert seed_leaflet.sections[0].id == "chemotherapy"
    assert seed_leaflet.lang == "en-GB"
    assert seed_leaflet.title == "Treatment for leptomeningeal metastases"


def test_seed_keeps_every_sentence_of_the_page(seed_leaflet: Leaflet) -> None:
    """Every sentence of the scraped page is in the source, facts formatted, artefacts gone."""
    page = SEED_TEXT.read_text(encoding="utf-8") if SEED_TEXT.exists() else ""
    if not page:
        pytest.skip("shared/seeds is not beside this checkout")
    ours = " ".join(leaflet_sentences(seed_leaflet))
    ours = " ".join(ours.split())
    dropped = {
        "Open a glossary item",
        "Related links",
        "Last reviewed:",
        "Next review due:",
        "22 Nov 2019",
        "22 Nov 2022",
    }
    for line in page.splitlines():
        text = " ".join(line.replace("•", "").replace(" Open a glossary item", "").split())
        if not text or text in dropped:
            continue
        # facts are formatted by babel now: "9am to 5pm" → "9 am to 5 pm"
        text = text.replace("9am to 5pm", "9 am to 5 pm").replace("Volume3", "Volume 3")
        assert text in ours, text


def test_seed_blocks_facts_glossary_and_figure(seed_leaflet: Leaflet) -> None:
    blocks = seed_leaflet.all_blocks()
    figures = [b for b in blocks if isinstance(b, Figure)]
    assert [f.alt for f in figures] == ["Diagram showing butterfly accessing Ventricular device"]
    assert figures[0].path is None
    help_para = next(b for b in blocks if isinstance(b, Paragraph) and b.id == "help-and-support.2")
    assert [i.name for i in help_para.inlines if isinstance(i, FactRef)] == [
        "contacts.helpline.name",
        "contacts.helpline.phone",
        "contacts.helpline.hours",
    ]
    lists = [b for b in blocks if isinstance(b, BulletList)]
    assert [len(b.items) for b in lists] == [2, 3, 3]
    assert any(
        isinstance(i, GlossaryTerm) and i.text == "lumbar puncture"
        for i in lists[0].items[1].inlines
    )
    assert len(seed_leaflet.references) == 5
    assert seed_leaflet.lexicon["Ommaya"] == "omiah"


def test_block_ids_are_unique_and_stable(seed_leaflet: Leaflet) -> None:
    ids = [b.id for b in seed_leaflet.all_blocks()]
    assert len(ids) == len(set(ids))
    assert ids[:2] == ["intro.1", "intro.2"]
    assert load_leaflet(SEED, "en-GB").all_blocks() == seed_leaflet.all_blocks()


def test_explicit_section_id_and_image_path() -> None:
    leaflet = load_leaflet(DATA / "minimal", "en-GB")
    assert [s.id for s in leaflet.sections] == ["first", "second-section"]
    figure = next(b for b in leaflet.all_blocks() if isinstance(b, Figure))
    assert figure.path == DATA / "minimal" / "diagram.png"


def test_source_hash_changes_with_any_input(leaflet_dir: Path) -> None:
    before = load_leaflet(leaflet_dir, "en-GB").source_hash
    text = leaflet_dir / "en-GB.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert load_leaflet(leaflet_dir, "en-GB").source_hash != before


# --- bad inputs: each is a real file edited from the seed, checked through the CLI ---------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _validate(folder: Path) -> tuple[int, str]:
    result = CliRunner(mix_stderr=False).invoke(cli, ["validate", str(folder)])
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stderr


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


YAML_CASES = [
    # (what is wrong, old text, new text, expected message, line marker in the edited file)
    ("malformed YAML", "  helpline:\n", "  helpline: [\n",
     r"leaflet\.yaml:10: a '\[' opened on this line is not closed with '\]'", None),
    (
        "invalid phone",
        '"0808 800 4040"',
        '"0808 800"',
        r"facts\.contacts\.helpline\.phone: .*not a valid number",
        "0808 800",
    ),
    (
        "impossible date",
        "2019-11-22",
        "2019-02-30",
        r"facts\.review\.last_reviewed: .*date",
        "2019-02-30",
    ),
    ("due before reviewed", "2022-11-22", "2018-01-01", r"must be after last_reviewed", "review:"),
    ("due beyond 3 years", "2022-11-22", "2023-01-01", r"more than 3 years", "review:"),
    ("unknown key", "  forum:\n", "  forumm:\n", r"facts\.forumm: unknown key", "forumm"),
    (
        "bad weekday",
        "days: mon-fri",
        "days: mon-fryday",
        r"facts\.contacts\.helpline\.hours\.open\.0\.days: 'fryday' is not a day",
        "fryday",
    ),
    (
        "missing image file",
        "file: null",
        "file: images/missing.png",
        r"images\.ventricular-access-device: image file 'images/missing.png' does not exist",
        "images/missing.png",
    ),
    (
        "image outside folder",
        "file: null",
        "file: ../../../../etc/passwd",
        r"outside the leaflet",
        "etc/passwd",
    ),
    (
        "bad lexicon language",
        "  en-GB:\n    Ommaya",
        "  xx-QQ-foo:\n    Ommaya",
        r"pronunciation: unknown language tag",
        "xx-QQ-foo",
    ),
]


@pytest.mark.parametrize(
    ("what", "old", "new", "message", "marker"), YAML_CASES, ids=[c[0] for c in YAML_CASES]
)
def test_bad_leaflet_yaml(
    leaflet_dir: Path, what: str, old: str, new: str, message: str, marker: str | None
) -> None:
    path = leaflet_dir / "leaflet.yaml"
    _edit(path, old, new)
    code, err = _validate(leaflet_dir)
    assert code == 1, what
    assert str(path) in err
    assert re.search(message, err), err
    # Every problem in leaflet.yaml has its line, a missing image file's included.
    assert all(re.match(rf"{re.escape(str(path))}:\d+: ", line)
               for line in err.splitlines()[:-1]), err
    if marker:
        assert f"{path}:{_line_of(path, marker)}:" in err
    assert err.splitlines()[-1] == "Error: 1 problem in the content."


MD_CASES = [
    (
        "unknown fact",
        "{{ contacts.helpline.phone }}",
        "{{ contacts.helpline.fone }}",
        r"unknown fact '\{\{ contacts\.helpline\.fone \}\}'",
        "helpline.fone",
    ),
    (
        "unclosed placeholder",
        "{{ forum.name }}",
        "{{ forum.name",
        r"unclosed fact placeholder",
        "{{ forum.name",
    ),
    (
        "figure without alt",
        "![Diagram showing butterfly accessing Ventricular device]",
        "![]",
        r"has no alternative text",
        "![](image:",
    ),
    (
        "unknown image",
        "(image:ventricular-access-device)",
        "(image:nope)",
        r"unknown image 'nope'",
        "image:nope",
    ),
    (
        "duplicate section id",
        "## Radiotherapy",
        "## Chemotherapy",
        r"duplicate section id 'chemotherapy'",
        None,
    ),
    ("italics", "anti cancer drugs", "*anti* cancer drugs", r"italics are not used", "*anti*"),
    ("level-1 heading", "## Radiotherapy", "# Radiotherapy", r"level-1 heading", "# Radiotherapy"),
    (
        "unsupported block",
        "The drug you have depends",
        "> The drug you have depends",
        r"unsupported Markdown \(blockquote\)",
        "> The drug",
    ),
    ("bad link", "(glossary:)", "(ftp://example.org/x)", r"must start with https://", "ftp://"),
    ("malformed front matter", "lang: en-GB", "lang: [en-GB",
     r"a '\[' opened on this line is not closed with '\]'", None),
    (
        "missing title",
        "title: Treatment for leptomeningeal metastases\n",
        "",
        r"title: Field required",
        None,
    ),
    (
        "unknown language",
        "lang: en-GB",
        "lang: xx-QQ-foo",
        r"unknown language tag 'xx-QQ-foo'",
        None,
    ),
    (
        "typed phone number",
        "It can help to talk",
        "Call 0800 123 4567. It can help to talk",
        r"phone number '0800 123 4567' typed in the text",
        "Call 0800",
    ),
    (
        "typed phone number in words",
        "It can help to talk",
        "Ring oh eight hundred, one two three, four five six seven. It can help to talk",
        r"phone number '08001234567' typed in the text",
        "Ring oh eight",
    ),
    (
        "typed phone number split by bold",
        "It can help to talk",
        "Call 0800 **123** 4567. It can help to talk",
        r"phone number '0800 123 4567' typed in the text",
        "Call 0800",
    ),
    (
        "typed phone number over a line break",
        "It can help to talk",
        "Call 0800\n123 4567. It can help to talk",
        r"phone number '0800 123 4567' typed in the text",
        "Call 0800",
    ),
    (
        "typed phone number in words on a paragraph's second line",
        "It can help to talk",
        "Please [ask](https://example.org/a) us.\nRing oh eight hundred, one two three, four "
        "five six seven. It can help to talk",
        r"phone number '08001234567' typed in the text",
        "Ring oh eight",
    ),
    (
        "typed phone number in a figure's description",
        "![Diagram showing butterfly",
        "![Call 0800 123 4567 about the butterfly",
        r"phone number '0800 123 4567' typed in the text",
        "![Call 0800",
    ),
    (
        "typed date in another order",
        "It can help to talk",
        "From Jan 1st, 2024 it can help to talk",
        r"date 'Jan 1st, 2024' typed in the text",
        "From Jan",
    ),
    (
        "typed date",
        "It can help to talk",
        "From 1 January 2024 it can help to talk",
        r"date '1 January 2024' typed in the text",
        "From 1 January",
    ),
    (
        "raw html",
        "The drug you have depends",
        "<b>The drug</b> you have depends",
        r"raw HTML is not allowed",
        "<b>The drug",
    ),
    (
        "unreadable link",
        "anti cancer drugs",
        "[anti](javascript:x) cancer drugs",
        r"this link could not be read",
        "javascript:x",
    ),
    (
        "table",
        "The drug you have depends on your type of primary cancer.",
        "| drug | use |",
        r"tables are not supported",
        "| drug | use |",
    ),
    (
        "section id after the heading",
        "## Radiotherapy",
        "## Radiotherapy {#radio}",
        r"a section id goes on its own line before the heading",
        "{#radio}",
    ),
    (
        "language not matching file",
        "lang: en-GB",
        "lang: cy",
        r"does not match the file name",
        None,
    ),
]


@pytest.mark.parametrize(
    ("what", "old", "new", "message", "marker"), MD_CASES, ids=[c[0] for c in MD_CASES]
)
def test_bad_language_file(
    leaflet_dir: Path, what: str, old: str, new: str, message: str, marker: str | None
) -> None:
    path = leaflet_dir / "en-GB.md"
    _edit(path, old, new)
    code, err = _validate(leaflet_dir)
    assert code == 1, what
    assert re.search(message, err), err
    assert str(path) in err
    if marker:
        line = _line_of(path, marker)
        assert f"{path}:{line}:" in err, err


def test_freephone_only_for_toll_free_numbers(leaflet_dir: Path) -> None:
    _edit(leaflet_dir / "leaflet.yaml", '"0808 800 4040"', '"020 7946 0000"')
    code, err = _validate(leaflet_dir)
    assert code == 1
    assert "calls the helpline 'freephone' but its number is not toll-free" in err


def test_empty_file(leaflet_dir: Path) -> None:
    (leaflet_dir / "en-GB.md").write_text("  \n", encoding="utf-8")
    code, err = _validate(leaflet_dir)
    assert code == 1
    assert f"{leaflet_dir / 'en-GB.md'}: file is empty" in err


def test_not_utf8(leaflet_dir: Path) -> None:
    path = leaflet_dir / "en-GB.md"
    path.write_bytes(path.read_bytes().replace(b"Radiotherapy is", b"Radiotherapy \xe9s"))
    code, err = _validate(leaflet_dir)
    assert code == 1
    assert f"{path}:{_line_of_bytes(path, b'Radiotherapy ')}: file is not UTF-8" in err


def _line_of_bytes(path: Path, needle: bytes) -> int:
    return path.read_bytes()[: path.read_bytes().index(needle + b"\xe9")].count(b"\n") + 1


def test_missing_leaflet_folder(tmp_path: Path) -> None:
    code, err = _validate(tmp_path / "nowhere")
    assert code == 1
    assert f"{tmp_path / 'nowhere'}: no such leaflet folder" in err


def test_folder_without_leaflet(tmp_path: Path) -> None:
    code, err = _validate(tmp_path)
    assert code == 1
    assert "not a leaflet folder" in err


def test_missing_leaflet_yaml(leaflet_dir: Path) -> None:
    (leaflet_dir / "leaflet.yaml").unlink()
    with pytest.raises(ContentError, match=r"missing leaflet\.yaml"):
        load_folder(leaflet_dir)


def test_every_problem_is_reported_at_once(leaflet_dir: Path) -> None:
    path = leaflet_dir / "en-GB.md"
    _edit(path, "{{ contacts.helpline.phone }}", "{{ nope }}")
    _edit(path, "anti cancer", "*anti* cancer")
    with pytest.raises(ContentError) as caught:
        load_folder(leaflet_dir)
    assert len(caught.value.problems) == 2


def test_folder_of_leaflets_is_discovered(tmp_path: Path) -> None:
    shutil.copytree(SEED, tmp_path / "a")
    shutil.copytree(DATA / "minimal", tmp_path / "b")
    result = CliRunner(mix_stderr=False).invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert result.output.count(": ok (") == 2


def test_validate_warns_loudly_when_overdue() -> None:
    result = CliRunner(mix_stderr=False).invoke(cli, ["validate", str(SEED)])
    assert result.exit_code == 0
    assert "WARNING:" in result.stderr and "OUT OF DATE" in result.stderr


def test_every_bad_folder_is_reported_at_once(tmp_path: Path) -> None:
    for name in ("a", "b"):
        shutil.copytree(SEED, tmp_path / name)
        _edit(tmp_path / name / "en-GB.md", "{{ forum.name }}", "{{ forum.nom }}")
    code, err = _validate(tmp_path)
    assert code == 1
    assert str(tmp_path / "a" / "en-GB.md") in err and str(tmp_path / "b" / "en-GB.md") in err


@pytest.mark.parametrize("saved", ["en-GB.md", "leaflet.yaml"])
def test_a_text_saved_again_while_it_loads_is_hashed_as_it_was_read(
    leaflet_dir: Path, monkeypatch: pytest.MonkeyPatch, saved: str
) -> None:
    """An author's save while a watch's build loads: the outputs of the text read must not
    carry the hash of the text saved (the next build would find them up to date)."""
    from lmets_docs.source import loader  # noqa: PLC0415

    read = load_leaflet(leaflet_dir, "en-GB").source_hash
    path = leaflet_dir / saved
    text = path.read_text(encoding="utf-8")
    parse = loader.parse_body  # type: ignore[attr-defined]

    def saved_meanwhile(*args: object, **kwargs: object) -> object:
        path.write_text(text + "\n# saved again\n" if saved.endswith(".yaml") else
                        text.replace("relieve symptoms.", "relieve symptoms. Ask.", 1),
                        encoding="utf-8")
        return parse(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "parse_body", saved_meanwhile)
    leaflet = load_leaflet(leaflet_dir, "en-GB")
    assert leaflet.source_hash == read
    assert "Ask." not in "".join(leaflet_sentences(leaflet))
    monkeypatch.undo()
    assert load_leaflet(leaflet_dir, "en-GB").source_hash != read  # as it is now
