"""The missed questions as staff review them in the workbench: groups of
similar questions the bot could not answer, answered with low confidence,
or whose answer got a 👎, each with its conversation around it, leaving
out what the training data already holds."""

from typing import Any, Dict, List, Set

from bot.analytics.conversations import Turn
from bot.analytics.grouping import group_similar, key
from bot.analytics.summary import is_missed
from bot.settings import ReportSettings

CONTEXT_BEFORE, CONTEXT_AFTER = 3, 1


def needs_review(turn: Turn, settings: ReportSettings) -> bool:
    return is_missed(turn, settings.low_confidence) or (turn.feedback == "no" and not turn.is_button)


def review(turns: List[Turn], settings: ReportSettings, taught: Set[str]) -> List[Dict[str, Any]]:
    """Largest group first, at most settings.missed_groups of them."""
    pending = [
        t for t in turns if needs_review(t, settings) and key(t.text) not in taught and any(c.isalnum() for c in t.text)
    ]
    first_asked: Dict[str, Turn] = {}
    for turn in pending:
        first_asked.setdefault(key(turn.text), turn)
    conversations: Dict[str, List[Turn]] = {}
    for turn in turns:
        conversations.setdefault(turn.sender_id, []).append(turn)
    groups = []
    for group in group_similar([t.text for t in pending], settings.group_similarity)[: settings.missed_groups]:
        asked = first_asked[key(group.representative)]
        thread = conversations[asked.sender_id]
        at = thread.index(asked)
        groups.append(
            {
                "texts": [[text, count] for text, count in group.texts],
                "count": group.count,
                "guess": {
                    "intent": asked.intent,
                    "topic": settings.topic(asked.intent),
                    "confidence": asked.confidence,
                },
                "thumbs_down": asked.feedback == "no",
                "context": [
                    {"text": t.text, "topic": settings.topic(t.intent), "this": t is asked}
                    for t in thread[max(0, at - CONTEXT_BEFORE) : at + CONTEXT_AFTER + 1]
                ],
            }
        )
    return groups
