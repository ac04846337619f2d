"""Bluezone citizen assistant: our Rasa components, channels and tools.

Importing `bot` stays cheap (no Rasa, no TensorFlow): the action server
imports `bot.settings` only.
"""
