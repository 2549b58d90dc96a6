"""A slow test writer in a module of its own: a process imports it when it runs its task, or
ahead (``build.workers``), which the writer reports (``test_workers``)."""

from __future__ import annotations

from tests.build.test_workers import SLOW_S, TimedWriter

WRITER = TimedWriter("slow", SLOW_S)
