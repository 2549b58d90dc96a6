"""The review policy at build and check time: overdue is loud, due soon is a warning.

The build, the stamp, ``check`` and the command line all ask here: the states, the days on
which a state holds, and the words said about it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from lmets_docs.i18n import messages

if TYPE_CHECKING:  # an up-to-date build asks for the words of a due-soon review: kept light
    from lmets_docs.model import Leaflet
    from lmets_docs.schema import Review

DUE_SOON_DAYS = 90


class ReviewState(Enum):
    """Where a leaflet stands against its next review date."""

    CURRENT = "current"
    DUE_SOON = "due-soon"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class ReviewStatus:
    """The review state on a given day, with how many days are left (negative: overdue)."""

    state: ReviewState
    days_left: int

    @property
    def overdue(self) -> bool:
        """Say whether the next review date has passed."""
        return self.state is ReviewState.OVERDUE


def review_status(review: Review, today: dt.date) -> ReviewStatus:
    """Return the review state of a leaflet on ``today``."""
    return status_on(review.next_review_due, today)


def status_on(due: dt.date, today: dt.date) -> ReviewStatus:
    """Return the review state on ``today`` of a leaflet whose next review is due on ``due``."""
    days_left = (due - today).days
    if days_left < 0:
        return ReviewStatus(ReviewState.OVERDUE, days_left)
    if days_left <= DUE_SOON_DAYS:
        return ReviewStatus(ReviewState.DUE_SOON, days_left)
    return ReviewStatus(ReviewState.CURRENT, days_left)


def review_days(review: Review, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """Return the first and last day on which the review state says what it says today.

    A manifest records the review state; an overdue one also says how many days ago the
    review was due, so it is true for one day only. None: no limit on that side.
    """
    status = review_status(review, today)
    due = review.next_review_due
    soon = due - dt.timedelta(days=DUE_SOON_DAYS)
    if status.overdue:
        return today, today
    if status.state is ReviewState.DUE_SOON:
        return soon, due
    return None, soon - dt.timedelta(days=1)


def overdue_words(due: str, days: int) -> str:
    """Return what is said of an overdue leaflet: ``OUT OF DATE: … due on <due> (N days ago)``."""
    ago = messages("en").ngettext("{count} day ago", "{count} days ago", days)
    return f"OUT OF DATE: the next review was due on {due} ({ago})"


def due_soon_words(due: str, days: int) -> str:
    """Return what is said of a leaflet due for review soon: ``… due on <due>, in N days``."""
    words = messages("en")
    when = "today" if days == 0 else words.ngettext("in {count} day", "in {count} days", days)
    return f"the next review is due on {due}, {when}"


def due_soon_warning(label: str, due: dt.date, printed: str, today: dt.date) -> str | None:
    """Return what every build says while the next review is due soon (None at other times).

    A build that writes and one that finds everything up to date both say it, worked out on
    the day from the manifest's review date (``label``: ``<leaflet> (<lang>)``).
    """
    status = status_on(due, today)
    if status.state is not ReviewState.DUE_SOON:
        return None
    return f"{label}: {due_soon_words(printed, status.days_left)}"


def overdue_message(leaflet: Leaflet, days: int) -> str:
    """Return the loud warning for a leaflet whose next review date has passed."""
    from lmets_docs.text import formatter  # noqa: PLC0415 (see the imports)

    due = formatter(leaflet).printed("review.next_review_due")
    return (f"{leaflet.source_file}: {overdue_words(due, days)}; have the information reviewed "
            "before giving this leaflet to patients")
