"""Reach a Dask cluster: a local one sized by ``--jobs``, or a running one by its address."""

from __future__ import annotations

import contextlib
import importlib.util
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from lmets_docs.errors import BuildError

if TYPE_CHECKING:
    from distributed import Client

LOCAL = "dask"
"""``--scheduler dask``: start a cluster of worker processes on this machine."""
INSTALL_HINT = "install it with: pip install 'lmets-docs[dask]'"
CONNECT_TIMEOUT_S = 30
WORKER_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
"""Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_=65536`` in its workers; measured here, that
makes the narration cost 2.2 times the CPU (the audio's large arrays are given back to the
system and faulted in again, over and over). None leaves glibc's own adaptive threshold."""


def available() -> bool:
    """Say whether Dask's distributed scheduler is installed (the 'dask' extra)."""
    return importlib.util.find_spec("distributed") is not None


def is_remote(scheduler: str) -> bool:
    """Say whether ``scheduler`` names a running cluster (``tcp://host:8786``)."""
    return scheduler != LOCAL


def valid(scheduler: str) -> bool:
    """Say whether ``scheduler`` is ``dask`` or a scheduler address such as tcp://host:8786."""
    return scheduler == LOCAL or "://" in scheduler


@contextlib.contextmanager
def connect(scheduler: str, workers: int) -> Iterator[Client]:
    """Yield a client of a new local cluster (``dask``) or of the one at ``scheduler``.

    A local cluster has ``workers`` processes of one thread each: a task is one writer, and
    the writers hold the GIL. Workers' warnings are forwarded into this process's log.
    """
    import dask  # noqa: PLC0415 (the optional extra)
    from distributed import Client, LocalCluster  # noqa: PLC0415

    with contextlib.ExitStack() as stack:
        stack.enter_context(dask.config.set(WORKER_CONFIG))
        if is_remote(scheduler):
            client = stack.enter_context(_remote(scheduler))
        else:
            cluster = stack.enter_context(LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers, threads_per_worker=1, processes=True,
                dashboard_address=":0", silence_logs=logging.ERROR,
            ))
            client = stack.enter_context(Client(cluster))  # type: ignore[no-untyped-call]
        client.forward_logging("lmets_docs", level=logging.WARNING)  # type: ignore[no-untyped-call]
        yield client


@contextlib.contextmanager
def _remote(address: str) -> Iterator[Client]:
    from distributed import Client  # noqa: PLC0415

    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise BuildError(f"{address}: cannot reach the Dask scheduler ({exc})") from exc
    with client:
        yield client
