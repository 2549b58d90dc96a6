"""Run the command line as ``python -m lmets_docs``."""

from __future__ import annotations

from lmets_docs.launch import main

main()
