"""Channels the Rasa server opens besides Rasa's own (see credentials.yml)."""
