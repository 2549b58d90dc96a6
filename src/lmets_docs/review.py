"""The review policy at build and check time: overdue is loud, due soon is a warning."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

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
    days_left = (review.next_review_due - today).days
    if days_left < 0:
        return ReviewStatus(ReviewState.OVERDUE, days_left)
    if days_left <= DUE_SOON_DAYS:
        return ReviewStatus(ReviewState.DUE_SOON, days_left)
    return ReviewStatus(ReviewState.CURRENT, days_left)
