"""The child that checks a PDF's rules aside (``check.aside``) keeps what it inherits frozen
through its work, as a settled writer process does (``collector``).

It froze with ``gc.freeze`` alone, which the collector did not know of: a pause in its work
(a lazy import under ``collector.no_collections``) aged what lived, ``gc.freeze(); gc.unfreeze()``,
and so thawed what the child froze, to be walked again by each collection (review s32).
Run for real: a forked child, the real collector, its freeze counted in the child.
"""

from __future__ import annotations

import gc
import os

import pytest

from lmets_docs import collector
from lmets_docs.build import early
from lmets_docs.check import aside


def _frozen_after_a_lazy_import() -> tuple[bool, int]:
    """In the child: an import's pause, then whether it is forked and how much stays frozen."""
    with collector.no_collections():
        import json  # noqa: F401, PLC0415 (an import made under the pause, as a lazy one is)
    return os.getpid() != PARENT, gc.get_freeze_count()


PARENT = os.getpid()


@pytest.mark.parametrize("paused", [False, True], ids=["outside", "inside-a-pause"])
def test_the_child_keeps_what_it_inherits_frozen(monkeypatch: pytest.MonkeyPatch,
                                                 paused: bool) -> None:
    # A core counts as idle, but the one-thread guard stays: with another thread alive (a lock
    # it held would stay held in the child, which could then hang) the work runs here, and
    # ``forked`` below fails instead.
    monkeypatch.setattr(early, "idle_cores", lambda: 1.0)
    monkeypatch.setattr(collector._Pause, "settled", False)  # whatever a test before left
    monkeypatch.setattr(collector._Pause, "depth", 0)
    before = gc.get_freeze_count()
    if paused:  # as in a build: the check runs under fewer_collections, which the child inherits
        with collector.fewer_collections(), aside.started(_frozen_after_a_lazy_import) as result:
            forked, frozen = result()
    else:  # as ``lmets-docs check`` runs it
        with aside.started(_frozen_after_a_lazy_import) as result:
            forked, frozen = result()
    assert forked
    assert frozen > 1000  # the whole heap it was forked with, still frozen
    assert gc.get_freeze_count() == before  # and here, all is as it was
    assert not collector._Pause.settled
