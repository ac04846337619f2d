"""A staff member tries the bot as a citizen would, on the loaded model,
and sees what the bot made of each turn: the topic in Vietnamese, the
question family, the confidence, the runner-up topics and which action
(and the policy that chose it) produced each answer.

Trials run on the same model and response generator as citizens'
conversations, but in a tracker store of their own (in memory): they
neither count in the staff report nor get purged with citizens' data.
"""

import copy
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME as FALLBACK_INTENT
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered

from bot.knowledge import load_families
from bot.nlu.lexicon_storage import lexicon_of_model
from bot.nlu.normalizer import normalized_text
from bot.settings import load_settings

STAFF_CHANNEL = "staff"
RUNNERS_UP = 3
# Trial conversations kept in memory; the oldest go first.
MAX_CONVERSATIONS = 500


@dataclass
class Ranked:
    intent: str
    topic: str  # the intent's Vietnamese name for staff
    confidence: float


@dataclass
class Question:
    """One question as the bot read it (a message may hold several)."""

    text: str
    normalised: str  # as the bot reads it: teencode expanded, spelling fixed
    topic: Ranked
    runners_up: List[Ranked]
    family: Optional[str] = None  # "ask_install/uninstall"
    family_question: Optional[str] = None  # what that family asks, in Vietnamese
    entities: List[Tuple[str, str]] = field(default_factory=list)


@dataclass
class Step:
    action: str
    policy: Optional[str]
    confidence: Optional[float]


@dataclass
class Turn:
    answers: List[Dict[str, Any]]  # as the channel receives them: text, buttons...
    questions: List[Question]
    steps: List[Step]

    def as_json(self) -> Dict[str, Any]:
        return asdict(self)


def ranking(parse: Dict[str, Any]) -> List[Tuple[str, float]]:
    """Intents best first, each once: the fallback, when it won, stands
    where its confidence puts it."""
    best: Dict[str, float] = {}
    intent = parse.get("intent") or {}
    for item in [*(parse.get("intent_ranking") or []), intent]:
        name = item.get("name")
        if name:
            best[name] = max(best.get(name, 0.0), float(item.get("confidence") or 0.0))
    return sorted(best.items(), key=lambda pair: -pair[1])


def read_question(parse: Dict[str, Any], text: str, normalised: str = "") -> Question:
    settings, families = load_settings(), load_families()

    def ranked(name: str, confidence: float) -> Ranked:
        return Ranked(name, settings.report.topic(name), confidence)

    ranks = ranking(parse) or [(FALLBACK_INTENT, 0.0)]
    chosen = (parse.get("intent") or {}).get("name") or ranks[0][0]
    top = next((pair for pair in ranks if pair[0] == chosen), ranks[0])
    family = (parse.get("intent") or {}).get("full_retrieval_intent_name")
    return Question(
        text=text,
        normalised=normalised or text,
        topic=ranked(*top),
        runners_up=[ranked(*pair) for pair in ranks if pair[0] != top[0]][:RUNNERS_UP],
        family=family,
        family_question=families[family].question if family in families else None,
        entities=[(e.get("entity"), str(e.get("value"))) for e in parse.get("entities") or []],
    )


class Workbench:
    """Staff conversations on a running agent's model."""

    def __init__(self, agent: Any) -> None:
        self.agent = agent
        self.store = InMemoryTrackerStore(agent.domain)
        self.locks = InMemoryLockStore()
        self._recent: "OrderedDict[str, None]" = OrderedDict()

    def _processor(self) -> Any:
        """The agent's processor (its model may have been reloaded since),
        writing to the staff's own store."""
        processor = copy.copy(self.agent.processor)
        self.store.domain = processor.domain
        processor.tracker_store = self.store
        processor.lock_store = self.locks
        return processor

    async def say(self, conversation: str, text: str) -> Turn:
        sender = f"{STAFF_CHANNEL}-{conversation}"
        self._keep(sender)
        before = await self.store.retrieve(sender)
        seen = len(before.events) if before else 0
        output = CollectingOutputChannel()
        async with self.locks.lock(sender):  # as Rasa's Agent does for citizens
            await self._processor().handle_message(
                UserMessage(text, output, sender, input_channel=STAFF_CHANNEL, metadata={})
            )
            tracker = await self.store.retrieve(sender)
        new = list(tracker.events)[seen:] if tracker else []
        lexicon = lexicon_of_model(self.agent.processor.model_metadata.model_id)
        return Turn(
            answers=output.messages,
            questions=[
                read_question(e.parse_data or {}, e.text or "", normalized_text(e.text or "", lexicon))
                for e in new
                if isinstance(e, UserUttered)
            ],
            steps=[
                Step(e.action_name, e.policy, e.confidence)
                for e in new
                if isinstance(e, ActionExecuted) and e.action_name != ACTION_LISTEN_NAME
            ],
        )

    def _keep(self, sender: str) -> None:
        self._recent[sender] = None
        self._recent.move_to_end(sender)
        while len(self._recent) > MAX_CONVERSATIONS:
            oldest, _ = self._recent.popitem(last=False)
            self.store.store.pop(oldest, None)
