"""Choose the speech engine for a whole narration: never mix two voices in one recording.

``--tts NAME`` asks for one engine (an error if it cannot narrate); ``--tts auto`` tries the
engines of ``AUTO_ORDER`` in turn and takes the first that can, saying why the ones before
it could not (that Google did not answer on a line of its own: the same for the whole build,
which says it once).
"""

from __future__ import annotations

from pathlib import Path

from lmets_docs.errors import NarrationError
from lmets_docs.options import SpeechRate, Tts
from lmets_docs.speech.base import AUTO_ORDER, Engine, offer


def choose(tts: Tts, lang: str, rate: SpeechRate,
           voice: Path | None = None) -> tuple[Engine, list[str]]:
    """Return the engine ``--tts`` asks for, and the warnings to record about the choice.

    The warnings are not logged here, in the writer's process: the build says each once
    (``said_once_per_build``), however many leaflet languages it narrates.

    ``auto`` asks gTTS for one short word (once, with a short time-out) and uses it when
    Google answers, otherwise Piper when a voice of the leaflet's language and region is
    installed, otherwise espeak-ng; ``gtts`` fails with NarrationError when Google cannot be
    reached; ``espeak`` and ``piper`` never touch the network.
    """
    if tts != "auto":
        return offer(tts, lang, rate, voice), []
    reasons: list[str] = []
    for name in AUTO_ORDER:
        try:
            engine = offer(name, lang, rate, voice, auto=True)
        except NarrationError as exc:
            reasons.append(str(exc).rstrip("."))
            continue
        return engine, _chosen(engine, reasons)
    raise NarrationError(f"--tts auto: nothing can narrate {lang}: " + "; ".join(reasons))


AUTO = "--tts auto: "
"""How the warning about ``--tts auto``'s choice begins."""


def said_once_per_build(warning: str) -> bool:
    """Say whether a writer's warning is the same for every leaflet language of a build (the
    engine ``--tts auto`` chose, and why): said once by the build, not once per narration."""
    return warning.startswith(AUTO)


UNANSWERED = "gTTS cannot reach Google Translate"
"""How the reason begins that Google did not answer: the same for every narration of a build
(asked once: ``speech.reach``), so said on a line of its own, once."""


def _chosen(engine: Engine, reasons: list[str]) -> list[str]:
    """Return the warnings of a choice: Google's answer (the same for the whole build) on a
    line of its own, then this language's voice and why the engines before it could not."""
    if engine.online:
        return [f"{AUTO}Google answered, so narrated online with {engine.label}; use "
                "--tts piper or --tts espeak for an offline voice"]
    google = [reason for reason in reasons if reason.startswith(UNANSWERED)]
    others = [reason for reason in reasons if reason not in google]
    chosen = f"narrated offline with {engine.label} instead"
    return [*(f"{AUTO}{reason}" for reason in google),
            f"{AUTO}{'; '.join(others)}; {chosen}" if others else f"{AUTO}{chosen}"]
