"""How one message fits the conversation around it: a typed button title,
two questions in one message, a follow-up on the last answer. Pure text
and tracker logic; bot/rasa_runtime.py puts it into Rasa's message
processor, the one place that sees both the message and the conversation
before the bot answers."""
