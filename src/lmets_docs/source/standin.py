"""Stand in for the parts of a wrong ``leaflet.yaml``, so the language files are checked too.

``validate`` reports every problem at once. The language files are read against the leaflet's
facts (which placeholders exist, which number a typed one is), so a ``leaflet.yaml`` that does
not validate would hide every problem of the text behind its own. Here each part of it that
fails on its own (a contact, the review dates, a date, the publisher …) is replaced by a
stand-in that validates and gives the same fact names, and what validates is kept; the text is
then read against that. Its problems are reported beside those of ``leaflet.yaml``; nothing is
ever built from a stand-in (a leaflet with any problem is not returned).
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel, ValidationError

from lmets_docs.errors import Problem
from lmets_docs.schema import Contact, Forum, LeafletData, Publisher, Review

UNKNOWN_FACT = "unknown fact '"
"""How the text's reader says a placeholder names no fact (``source.markdown``)."""
FACT_KEYS = ("contacts", "review", "forum", "dates")
STAND_IN_REVIEW = {"last_reviewed": "2000-01-01", "next_review_due": "2001-01-01"}
CONTACT_FIELDS = ("region", "phone", "email", "web", "hours", "note")
STAND_IN_VALUES = {"region": "GB", "phone": "0808 157 0000", "email": "stand-in@example.org",
                   "web": "https://example.org", "hours": {"always": True}, "note": "-"}
"""Values that validate, one per contact field, for a contact that does not."""


def stand_in(raw: Any) -> LeafletData | None:
    """Return ``leaflet.yaml``'s data with each part that fails replaced by a stand-in, or
    None if even that does not validate (no facts at all: nothing to read the text against)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("facts"), dict):
        return None
    data = {"id": "stand-in", "publisher": _valid(Publisher, raw.get("publisher"), {"name": "-"}),
            "facts": _facts(raw["facts"]), "images": _images(raw.get("images"))}
    try:
        return LeafletData.model_validate(data)
    except ValidationError:
        return None


def independent(problems: list[Problem]) -> list[Problem]:
    """Return the problems of a text read against stand-ins that do not depend on them: not an
    unknown fact, which may be named in the part of leaflet.yaml that is wrong (a mistyped
    ``forum:`` key makes ``{{ forum.name }}`` unknown)."""
    return [p for p in problems if not p.message.startswith(UNKNOWN_FACT)]


def _valid(model: type[BaseModel], value: Any, instead: Any) -> Any:
    try:
        model.model_validate(value)
    except ValidationError:
        return instead
    return value


def _facts(raw: dict[str, Any]) -> dict[str, Any]:
    facts = {k: copy.deepcopy(v) for k, v in raw.items() if k in FACT_KEYS}
    contacts = raw.get("contacts")
    facts["contacts"] = {
        str(key): _valid(Contact, contact, _contact(contact))
        for key, contact in (contacts.items() if isinstance(contacts, dict) else [])
    } or {"stand-in": _contact({})}
    facts["review"] = _valid(Review, raw.get("review"), STAND_IN_REVIEW)
    dates = raw.get("dates")
    facts["dates"] = {str(k): "2000-01-01" for k in (dates if isinstance(dates, dict) else {})}
    if "forum" in facts:
        facts["forum"] = _valid(Forum, facts["forum"], {"name": "-", "url": "https://example.org"})
    return facts


def _contact(raw: Any) -> dict[str, Any]:
    """Return a contact that validates: each field written that validates on its own is kept
    (a number typed in the text is still matched to its contact), the others stand in."""
    kept: dict[str, Any] = {"name": "-"}
    for field in CONTACT_FIELDS:
        if isinstance(raw, dict) and field in raw:
            tried = {**kept, field: raw[field]}
            kept[field] = raw[field] if _contact_validates(tried) else STAND_IN_VALUES[field]
    if "hours" in kept or not any(field in kept for field in ("phone", "email", "web")):
        kept.setdefault("phone", STAND_IN_VALUES["phone"])
    return kept


def _contact_validates(contact: dict[str, Any]) -> bool:
    """Say whether a contact's fields validate, given what the others need (a way to reach
    it; a phone for its hours)."""
    needs = {"phone": STAND_IN_VALUES["phone"]} if "phone" not in contact else {}
    return _valid(Contact, {**needs, **contact}, None) is not None


def _images(raw: Any) -> dict[str, Any]:
    """Return the image ids without their files: a file is leaflet.yaml's to check (it may be
    a device or a bomb), and the text only needs to know which ids there are."""
    return {str(k): {"file": None} for k in (raw if isinstance(raw, dict) else {})}
