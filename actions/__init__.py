"""Custom actions (rasa_sdk). Kept light: no TensorFlow, no NLU imports."""

from bot.privacy import install_log_masking

# The action server logs what citizens typed in its debug output.
install_log_masking()
