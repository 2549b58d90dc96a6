"""Writer processes end with the build that forked them (Linux: the parent-death signal).

A build killed outright (SIGKILL, the kernel's out-of-memory killer, a CI job's time limit)
cannot stop its writer processes itself. Without a tie they would finish their task and then
wait for the next one for ever, each holding its memory, and the terminal's (or a pipe's)
output open, so that whoever ran the build never sees its output end. The outputs are safe
either way: a writer writes only into its build's temporary folder, which the next build
removes.
"""

from __future__ import annotations

import os
import signal
import sys

PR_SET_PDEATHSIG = 1
"""prctl(2)'s option: the signal this process gets when the thread that forked it ends."""


def tie_to_parent(parent: int) -> None:
    """Have this process, just forked from ``parent``, killed when ``parent`` ends.

    Where Linux's ``prctl`` is missing, the process lives on as without this. Should
    ``parent`` have ended already, before the tie was made, this process ends now. (The
    signal comes when the *thread* that forked this process ends: ``ProcessPoolExecutor``
    forks its workers in the thread that submits, the build's main thread, unless it is given
    ``max_tasks_per_child``, which would fork them from its manager thread.)
    """
    if sys.platform.startswith("linux"):
        import ctypes  # noqa: PLC0415 (only in the process being tied)

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def tie_writer(parent: int) -> None:
    """Tie a writer process to ``parent`` (``tie_to_parent``); on Ctrl-C, end it without a word.

    Ctrl-C reaches every process of the terminal's group: the build's own says what happened
    and removes its temporary folders; a writer's traceback would only bury that. A build
    that ignores SIGINT (started in the background by a shell, which then ignores it for the
    job: ``cmd &`` in a script, cron's ``nohup``) goes on; so do its writers, which inherit
    the build's disposition: a SIGINT sent to the group would otherwise kill every writer
    under a build that carries on, and end as "a writer process ended abruptly". SIGTERM
    and SIGHUP, which the build sends its writers when it is stopped, end them at once.
    """
    tie_to_parent(parent)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # as the build, forked from it
        signal.signal(signal.SIGINT, _end_quietly)
    for number in (signal.SIGTERM, signal.SIGHUP):  # not the build's own (``build.stop``)
        signal.signal(number, signal.SIG_DFL)


def _end_quietly(number: int, frame: object) -> None:
    os._exit(128 + number)
