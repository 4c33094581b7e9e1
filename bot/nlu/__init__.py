"""Rasa NLU components of the assistant (custom entity extractors) and ROME lookup."""
