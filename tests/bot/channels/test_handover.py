"""A conversation staff took over comes back to the bot, by command or by time."""

import asyncio
import time
from types import SimpleNamespace

import pytest
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ConversationPaused, ConversationResumed
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels import handover
from bot.paths import project_path

DOMAIN = Domain.load(str(project_path("domain.yml")))


def agent_with_paused(minutes_ago):
    store = InMemoryTrackerStore(DOMAIN)
    paused_at = time.time() - minutes_ago * 60
    asyncio.run(
        store.save(
            DialogueStateTracker.from_events(
                "c", [ActionExecuted("action_listen"), ConversationPaused(timestamp=paused_at)], DOMAIN.slots
            )
        )
    )
    actions_run = []

    async def execute_action(sender_id, action, output_channel, policy, confidence):
        """As Rasa's Agent does, minus the action server: the action's events
        land on the tracker."""
        actions_run.append(action)
        tracker = await store.retrieve(sender_id)
        tracker.update(ActionExecuted(action))
        tracker.update(ConversationResumed())
        await store.save(tracker)

    return SimpleNamespace(
        tracker_store=store, lock_store=InMemoryLockStore(), execute_action=execute_action, actions_run=actions_run
    )


@pytest.mark.parametrize("paused_minutes_ago, still_paused", [(61, False), (5, True)])
def test_a_handed_over_conversation_comes_back_after_the_timeout(paused_minutes_ago, still_paused):
    agent = agent_with_paused(paused_minutes_ago)
    asyncio.run(handover.resume_if_forgotten(agent, "c", 60 * 60))
    assert asyncio.run(agent.tracker_store.retrieve("c")).is_paused() is still_paused


def test_staff_give_it_back_at_once_through_the_dialogue_action():
    agent = agent_with_paused(1)
    assert asyncio.run(handover.resume(agent, "c"))
    assert agent.actions_run == ["action_give_back_to_bot"]
    assert not asyncio.run(agent.tracker_store.retrieve("c")).is_paused()
    assert not asyncio.run(handover.resume(agent, "c"))  # nothing left to give back
    assert not asyncio.run(handover.resume(agent, None))
    assert agent.actions_run == ["action_give_back_to_bot"]
