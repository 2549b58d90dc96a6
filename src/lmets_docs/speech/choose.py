"""Choose the speech engine for a whole narration: never mix two voices in one recording."""

from __future__ import annotations

import logging

from lmets_docs.errors import NarrationError
from lmets_docs.options import SpeechRate, Tts
from lmets_docs.speech.base import Engine, create

log = logging.getLogger(__name__)


def choose(tts: Tts, lang: str, rate: SpeechRate) -> tuple[Engine, list[str]]:
    """Return the engine ``--tts`` asks for, and the warnings to record about the choice.

    ``auto`` asks gTTS for one short word (once, with a short time-out) and uses it when
    Google answers, otherwise espeak-ng; ``gtts`` fails with NarrationError when Google
    cannot be reached; ``espeak`` never touches the network.
    """
    if tts == "espeak":
        return create("espeak", lang, rate), []
    from lmets_docs.speech.gtts import create as create_gtts  # noqa: PLC0415 (import if used)

    try:
        online = create_gtts(lang, rate)
    except NarrationError:
        if tts == "gtts":
            raise
        return _offline(lang, rate, f"gTTS cannot speak {lang}")
    reason = online.probe()
    if reason is None:
        if tts == "gtts":
            return online, []
        return online, [_warn(f"--tts auto: Google answered, so narrated online with "
                              f"{online.label}; use --tts espeak for the offline voice")]
    why = f"gTTS cannot reach Google Translate (translate.google.{online.tld}): {reason}"
    if tts == "gtts":
        raise NarrationError(f"--tts gtts: {why.rstrip('.')}. Check the network connection, "
                             "or narrate offline with --tts espeak")
    return _offline(lang, rate, why)


def _offline(lang: str, rate: SpeechRate, why: str) -> tuple[Engine, list[str]]:
    engine = create("espeak", lang, rate)
    return engine, [_warn(f"--tts auto: {why.rstrip('.')}; narrated offline with {engine.label} "
                          "instead")]


def _warn(message: str) -> str:
    log.warning("%s", message)
    return message
