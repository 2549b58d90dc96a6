"""gTTS, the online engine: Google Translate's voice, with the accent of the leaflet's region.

gTTS splits long text into requests of at most 100 characters itself; each piece of our
text is one ``write_to_fp`` call. Google answers too many requests with HTTP 429, so 429,
5xx answers and time-outs are tried again a few times after short, growing sleeps; anything
else (no network, a refused host) fails at once with the probable cause.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests
from gtts import __version__ as GTTS_VERSION  # noqa: N812 (a constant)
from gtts import gTTS, gTTSError
from gtts.lang import tts_langs

from lmets_docs.errors import NarrationError
from lmets_docs.options import SpeechRate
from lmets_docs.speech import reach

log = logging.getLogger(__name__)

SAMPLE_RATE = 24000
"""Google's MP3s are 24 kHz mono."""
TIMEOUT_S = (5.0, 15.0)
"""Seconds to connect, and to wait for an answer, per request."""
PROBE_TIMEOUT_S = (2.0, 4.0)
BACKOFF_S = (1.0, 3.0)
"""Sleeps before the second and third tries; then the narration fails."""
TLD_BY_REGION = {
    "GB": "co.uk", "US": "com", "AU": "com.au", "CA": "ca", "IE": "ie", "IN": "co.in",
    "NZ": "co.nz", "ZA": "co.za", "BR": "com.br", "PT": "pt", "ES": "es", "MX": "com.mx",
    "FR": "fr", "DE": "de", "PK": "com.pk",
}
"""Which Google host gives a language its regional accent (en-GB → translate.google.co.uk)."""
PROBE_TEXT = "OK"


@dataclass
class Gtts:
    """gTTS for one language and accent, with bounded retries."""

    lang: str
    tld: str
    slow_rate: bool
    sleep: Callable[[float], None] = time.sleep
    backoff: tuple[float, ...] = BACKOFF_S
    timeout: tuple[float, float] = TIMEOUT_S
    name: str = "gtts"
    sample_rate: int = SAMPLE_RATE
    audio_format: str = "mp3"
    workers: int = 2
    online: bool = True
    label: str = field(init=False)

    def __post_init__(self) -> None:
        self.label = f"gTTS {GTTS_VERSION} ({self.lang}, translate.google.{self.tld})"

    def about(self) -> dict[str, str]:
        """Return the voice and the terms it comes under, for the manifest and the tags."""
        return {"voice": f"Google Translate ({self.lang}, translate.google.{self.tld})",
                "voice_licence": "Google's terms of service for Google Translate",
                "voice_training": "not published by Google", "voice_source": "online"}

    def fingerprint(self, slow: bool) -> str:
        """Return the engine, version, voice and rate: what besides the text decides the audio."""
        return f"{self.label} slow={self.slow_rate or slow}"

    def synthesize(self, text: str, slow: bool = False) -> bytes:
        """Return ``text`` spoken as MP3 bytes, retrying 429s and time-outs a few times."""
        for attempt in range(len(self.backoff) + 1):
            try:
                return self.request(text, slow, self.timeout)
            except gTTSError as exc:
                if not retryable(exc) or attempt == len(self.backoff):
                    raise NarrationError(failure(self, exc, attempt + 1)) from exc
                log.info("gTTS: %s; trying again in %.0f s", exc, self.backoff[attempt])
                self.sleep(self.backoff[attempt])
        raise AssertionError("unreachable")

    def request(self, text: str, slow: bool, timeout: tuple[float, float]) -> bytes:
        """Ask Google once (gTTS may send several requests for long text); gTTSError if not."""
        tts = gTTS(text, tld=self.tld, lang=self.lang, slow=self.slow_rate or slow,
                   lang_check=False, timeout=timeout)
        buffer = io.BytesIO()
        tts.write_to_fp(buffer)
        return buffer.getvalue()

    def probe(self) -> str | None:
        """Ask for one short word, once, quickly; return why it failed, or None if it worked."""
        try:
            audio = self.request(PROBE_TEXT, False, PROBE_TIMEOUT_S)
        except gTTSError as exc:
            return str(exc)
        return None if audio else "Google answered without audio"


def retryable(exc: gTTSError) -> bool:
    """Say whether a gTTS failure is worth another try: HTTP 429 or 5xx, or a time-out."""
    response = getattr(exc, "rsp", None)
    if response is not None:
        status = int(response.status_code)
        return status == 429 or status >= 500
    return isinstance(exc.__context__, requests.Timeout)


def failure(engine: Gtts, exc: gTTSError, tries: int) -> str:
    """Return the message for a narration gTTS could not make, with the probable cause."""
    host = f"translate.google.{engine.tld}"
    times = f" after {tries} tries" if tries > 1 else ""
    if getattr(exc, "rsp", None) is None:
        return (f"gTTS could not reach Google Translate ({host}){times}: {exc}. Check the "
                "network connection, or narrate offline with --tts espeak")
    hint = "Google limits how often it may be asked; try again later, or" if (
        exc.rsp.status_code == 429) else "Try again later, or"
    return (f"Google Translate ({host}) refused to narrate{times}: {exc}. {hint} narrate "
            "offline with --tts espeak")


def create(lang: str, rate: SpeechRate, voice: Path | None = None) -> Gtts:
    """Return gTTS for a language (BCP 47) at a speaking rate; NarrationError if unsupported.

    ``voice`` (a Piper voice) does not apply: Google's voice is chosen by the language.
    """
    code, tld = gtts_language(lang)
    return Gtts(lang=code, tld=tld, slow_rate=rate == "slow")


def offer(lang: str, rate: SpeechRate, voice: Path | None, auto: bool) -> Gtts:
    """Return gTTS once Google has answered a one-word probe; NarrationError saying why not.

    The answer lasts the build (``speech.reach``): Google is asked once, not once per leaflet
    language, and not again once it did not answer."""
    engine = create(lang, rate, voice)
    answer = reach.asked(engine.tld, engine.probe)  # once per build (``speech.reach``)
    if answer is None:
        return engine
    tld, reason = answer
    why = f"gTTS cannot reach Google Translate (translate.google.{tld}): {reason}"
    if auto:
        raise NarrationError(why)
    raise NarrationError(f"--tts gtts: {why.rstrip('.')}. Check the network connection, or "
                         "narrate offline with --tts piper or --tts espeak")


def gtts_language(lang: str) -> tuple[str, str]:
    """Return gTTS's language code and Google host for a BCP 47 tag: en-GB → (en, co.uk)."""
    base, _, region = lang.partition("-")
    supported = tts_langs()
    for code in (lang, base):
        if code in supported:
            return code, TLD_BY_REGION.get(region.upper(), "com")
    raise NarrationError(f"gTTS cannot speak {lang}; narrate with --tts espeak instead")
