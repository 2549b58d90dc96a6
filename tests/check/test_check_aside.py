"""The child that checks a PDF's rules aside (``check.aside``) keeps what it inherits frozen
through its work, as a settled writer process does (``collector``).

It froze with ``gc.freeze`` alone, which the collector did not know of: a pause in its work
(a lazy import under ``collector.no_collections``) aged what lived, ``gc.freeze(); gc.unfreeze()``,
and so thawed what the child froze, to be walked again by each collection (review s32).
Run for real: a forked child, the real collector, its freeze counted in the child.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

SCRIPT = """
import gc, json, os, sys
from lmets_docs import collector
from lmets_docs.build import early
from lmets_docs.check import aside

PARENT = os.getpid()


def frozen_after_a_lazy_import():
    # in the child: an import's pause, then whether it is forked and how much stays frozen
    with collector.no_collections():
        import json  # an import made under the pause, as a lazy one is
    return os.getpid() != PARENT, gc.get_freeze_count()


# A core counts as idle, but the one-thread guard stays (this interpreter runs one thread)
early.idle_cores = lambda: 1.0
before = gc.get_freeze_count()
if sys.argv[1] == "paused":  # as in a build: the check runs under fewer_collections
    with collector.fewer_collections(), aside.started(frozen_after_a_lazy_import) as result:
        forked, frozen = result()
else:  # as ``lmets-docs check`` runs it
    with aside.started(frozen_after_a_lazy_import) as result:
        forked, frozen = result()
print(json.dumps({"forked": forked, "frozen": frozen, "after": gc.get_freeze_count(),
                  "before": before, "settled": collector._Pause.settled}))
"""
"""Run in an interpreter of its own: a test before in the same process (a Dask cluster's)
may leave a thread alive, and with one the guard rightly keeps the work in this process."""


@pytest.mark.parametrize("paused", [False, True], ids=["outside", "inside-a-pause"])
def test_the_child_keeps_what_it_inherits_frozen(paused: bool) -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT, "paused" if paused else "outside"],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    found = json.loads(out.splitlines()[-1])
    assert found["forked"]
    assert found["frozen"] > 1000  # the whole heap it was forked with, still frozen
    assert found["after"] == found["before"]  # and here, all is as it was
    assert not found["settled"]
