"""Speech engines behind one small interface: gTTS (online) and espeak-ng (offline)."""
