"""``validate`` says the problems of leaflet.yaml and of the language files together (finding M5).

The text is read against stand-ins for the parts of leaflet.yaml that do not validate
(``source.standin``); nothing is ever built from them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from lmets_docs.source.standin import stand_in
from tests.test_cli import run

TYPED = "Call the nurses on 0808 800 4040 if you are worried."


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def type_a_number(leaflet: Path) -> int:
    """Type the helpline's number into the text; return the line it is on."""
    text = leaflet / "en-GB.md"
    lines = text.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if i > 8 and not line.strip()) + 1
    lines.insert(at, f"{TYPED}\n\n")
    text.write_text("".join(lines), encoding="utf-8")
    return at + 1


BROKEN = [  # (what, old, new, line, message)
    ("an impossible date", "next_review_due: 2022-11-22", "next_review_due: 2022-02-30", 22,
     "facts.review.next_review_due: 2022-02-30 is not a real date"),
    ("an unquoted time", 'opens: "09:00"', "opens: 9:00", 16,
     "facts.contacts.helpline.hours.open.0.opens: 540 is a number, not a time"),
    ("an unknown key", "      region: GB\n", "      region: GB\n      textphone: x\n", 14,
     "facts.contacts.helpline.textphone: unknown key"),
    ("a bad publisher address", "url: https://www.cancerresearchuk.org\n", "url: nope\n", 6,
     "publisher.url"),
    ("a bad forum", "url: https://www.cancerresearchuk.org/about-cancer/cancer-chat/",
     "url: x", 19, "facts.forum.url"),
]


@pytest.mark.parametrize(("what", "old", "new", "line", "message"), BROKEN,
                         ids=[b[0] for b in BROKEN])
def test_a_leaflet_yaml_problem_and_a_typed_number_are_said_together(
        leaflet_dir: Path, tmp_path: Path, what: str, old: str, new: str, line: int,
        message: str) -> None:
    out = tmp_path / "output"
    args = ["--format", "docx", "--out", str(out), "--templates", str(tmp_path / "none"),
            "--today", "2022-06-01"]
    assert run("build", str(leaflet_dir), *args).exit_code == 0
    before = {p: hashlib.sha256(p.read_bytes()).digest() for p in out.rglob("*") if p.is_file()}
    edit(leaflet_dir / "leaflet.yaml", old, new)
    typed = type_a_number(leaflet_dir)
    for command in (["validate", str(leaflet_dir)], ["build", str(leaflet_dir), *args]):
        result = run(*command)
        assert result.exit_code == 1, what
        assert f"{leaflet_dir / 'leaflet.yaml'}:{line}: {message}" in result.stderr, result.stderr
        assert (f"{leaflet_dir / 'en-GB.md'}:{typed}: phone number '0808 800 4040' typed in the "
                "text: it is a contact's number, written here as {{ contacts.helpline.phone }}"
                ) in result.stderr
        assert "Error: 2 problems in the content" in result.stderr
    after = {p: hashlib.sha256(p.read_bytes()).digest() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_a_wrong_contact_keeps_its_good_number_for_the_text(leaflet_dir: Path) -> None:
    edit(leaflet_dir / "leaflet.yaml", 'opens: "09:00"', "opens: 9:00")
    typed = type_a_number(leaflet_dir)
    edit(leaflet_dir / "en-GB.md", "{{", "{{ contacts.nobody.phone }} {{")
    result = run("validate", str(leaflet_dir))
    assert f"en-GB.md:{typed}: phone number '0808 800 4040' typed in the text: it is a " \
           "contact's number" in result.stderr
    assert "unknown fact" not in result.stderr  # it may be named in what is wrong
    assert "Error: 2 problems in the content" in result.stderr
    edit(leaflet_dir / "leaflet.yaml", "opens: 9:00", 'opens: "09:00"')
    assert "unknown fact '{{ contacts.nobody.phone }}'" in run("validate", str(leaflet_dir)).stderr


def test_a_mistyped_key_does_not_make_the_text_wrong_too(leaflet_dir: Path) -> None:
    edit(leaflet_dir / "leaflet.yaml", "  forum:", "  forumm:")
    result = run("validate", str(leaflet_dir))
    assert "facts.forumm: unknown key (check its spelling)" in result.stderr
    assert "Error: 1 problem in the content" in result.stderr  # not {{ forum.name }} unknown


def test_a_yaml_that_does_not_parse_hides_the_text(leaflet_dir: Path) -> None:
    edit(leaflet_dir / "leaflet.yaml", "  review:", "\treview:")
    type_a_number(leaflet_dir)
    result = run("validate", str(leaflet_dir))
    assert "Error: 1 problem in the content" in result.stderr  # no facts to read it against


@pytest.mark.parametrize("raw", [
    None, [], "text", {"facts": []}, {"facts": {}}, {"facts": {"contacts": []}},
    {"facts": {"contacts": {"a b": {"name": "x"}}}}, {"facts": {"contacts": {"a": None}}},
    {"facts": {"contacts": {"a": {"phone": ["x"], "hours": "x", "web": 3}}, "dates": [1]}},
    {"facts": {"contacts": {"a": {"web": "https://e.org", "hours": {"always": True}}}}},
    {"facts": {"review": {"last_reviewed": "9999-99-99"}, "forum": {"name": None}},
     "images": {"../x": {"file": "/dev/zero"}, "pic": {"file": "/dev/zero"}}},
])
def test_stand_ins_for_hostile_data_validate_or_give_up(raw: object) -> None:
    data = stand_in(raw)
    if data is not None:
        assert all(image.file is None for image in data.images.values())  # never read
        assert data.facts.contacts
