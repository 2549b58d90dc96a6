"""A running ``lmets-docs watch`` for the benchmarks: the time from saving an edit to its build.

The watch is started once per leaflet, on its own copy, and kept running across the turns
(as an author keeps it open); each turn writes one edit and waits for the watch to say
"done in". The time is the author's wait: from the moment the file is written, through the
watch's next look at the files (at once where the kernel says a folder changed), their
settling, the build and its check. The CPU is the watch process's and its children's (each
build runs in a child, which ends just after the watch says "done in"), its looks included.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import psutil
from engines import CLI, Run


class Watcher:
    """One ``lmets-docs watch`` of ``source`` into ``out``, its first build done."""

    def __init__(self, source: Path, out: Path, *extra: str,
                 env: Mapping[str, str] | None = None) -> None:
        if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
            # Started in the background by a shell without job control, this process ignores
            # Ctrl-C, and so would the watch (exec keeps an ignored signal ignored): give it
            # Python's handler, which exec resets to the default, so the watch installs its own.
            signal.signal(signal.SIGINT, signal.default_int_handler)
        self.source = source / "en-GB.md"
        self.original = self.source.read_text(encoding="utf-8")
        command = [str(CLI), "watch", str(source), "--tts", "espeak", "--out", str(out), *extra]
        self.process = psutil.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, env=env)
        self.said: list[str] = []
        self._until_done()

    def _until_done(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.said.append(line)
            if line.startswith("done in"):
                if any("Error" in said for said in self.said[-20:]):
                    raise RuntimeError("the watched build failed:\n" + "".join(self.said))
                return
        raise RuntimeError("lmets-docs watch ended:\n" + "".join(self.said))

    def edit(self, edited: Callable[[str], str]) -> Run:
        """Write the original text as ``edited`` changes it; time it until it is built."""
        before = self._cpu()
        start = time.perf_counter()
        self.source.write_text(edited(self.original), encoding="utf-8")
        self._until_done()
        seconds = time.perf_counter() - start
        self._until_reaped()
        return Run(seconds, self._cpu() - before, 0.0, 0.0, 0.0)

    def _until_reaped(self) -> None:
        """Wait until the build's process has ended (after "done in" it removes the old
        outputs), so that its CPU is counted in the watch's children's. An espeak-ng server
        the watch keeps for the next build (lent to one that did not narrate) is not waited
        for: its CPU is counted once it has served, and ended."""
        deadline = time.monotonic() + 30
        while self._building() and time.monotonic() < deadline:
            time.sleep(0.005)

    def _building(self) -> bool:
        for child in self.process.children():
            with contextlib.suppress(psutil.Error):
                if "espeak_server" not in " ".join(child.cmdline()):
                    return True
        return False

    def _cpu(self) -> float:
        times = self.process.cpu_times()
        return times.user + times.system + times.children_user + times.children_system

    def stop(self) -> None:
        """Press Ctrl-C, as its author would (or end it, if Ctrl-C is ignored)."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except psutil.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=60)
        assert self.process.stdout is not None
        self.process.stdout.close()
