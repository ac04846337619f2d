"""Giving a conversation that staff took over back to the bot, for the
channels whose staff answer in the platform's own inbox (Messenger's page
inbox, Zalo's OA chat).

Pausing and giving back are the dialogue's own steps (action_escalate and
action_give_back_to_bot); the channel only notices that staff typed the
command, or that they forgot, and asks Rasa to run the action, as Rasa's
HTTP API does, under the conversation's lock.
"""

import logging
import time
from typing import Any, Dict, Optional

from rasa.core.channels.channel import CollectingOutputChannel
from rasa.shared.core.events import ConversationPaused

logger = logging.getLogger(__name__)

# What a channel puts in a message's metadata when its staff can answer
# in the platform's inbox; action_escalate reads it, never the channel name.
STAFF_CAN_TAKE_OVER = "staff_can_take_over"
GIVE_BACK_ACTION = "action_give_back_to_bot"


def unclaimed(metadata: Any) -> Dict[str, Any]:
    """A client's own metadata, without the claim only a platform channel may
    make (a REST or web client must not pause its conversation for nobody)."""
    if not isinstance(metadata, dict):
        return {}
    return {key: value for key, value in metadata.items() if key != STAFF_CAN_TAKE_OVER}


async def resume(agent: Any, sender_id: Optional[str]) -> bool:
    """True when the conversation was paused and is now the bot's again."""
    if not sender_id:
        return False
    async with agent.lock_store.lock(sender_id):
        tracker = await agent.tracker_store.retrieve(sender_id)
        if tracker is None or not tracker.is_paused():
            return False
        await agent.execute_action(sender_id, GIVE_BACK_ACTION, CollectingOutputChannel(), None, None)
    logger.info("Conversation %s given back to the bot.", sender_id)
    return True


async def resume_if_forgotten(agent: Any, sender_id: str, after_seconds: float) -> bool:
    """A conversation staff never gave back returns to the bot after a while."""
    tracker = await agent.tracker_store.retrieve(sender_id)
    if tracker is None or not tracker.is_paused():
        return False
    paused_at = next((e.timestamp for e in reversed(tracker.events) if isinstance(e, ConversationPaused)), None)
    if paused_at is not None and time.time() - paused_at >= after_seconds:
        return await resume(agent, sender_id)
    return False
