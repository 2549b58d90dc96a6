"""Sound, shared by the audio writer, ``check`` and ``listen``: never through writers.

``samples``: decode, trim, silence, true peak, the limiter and mastering to the loudness
standard; ``loudness``: integrated loudness as ITU-R BS.1770 measures it; ``files``: an MP3
file decoded, its silent ends, and what is wrong with its sound against STANDARDS.md.
"""
