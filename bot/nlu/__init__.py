"""Rasa NLU components for Vietnamese citizen chat (see docs/nlu.md)."""
