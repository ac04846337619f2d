"""Custom actions (rasa_sdk). Kept light: no TensorFlow, no NLU imports."""
