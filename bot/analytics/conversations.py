"""Citizens' questions as turns, read straight from Rasa's SQL tracker store
(the `events` table, SQLite or PostgreSQL).

Why SQL and not Rasa's tracker API: a report covers every conversation of
a period; loading each tracker through Rasa would replay every event of
every conversation. One ordered query streams them instead.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterator, List, Optional, Union
from zoneinfo import ZoneInfo

from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.core.constants import ACTION_DEFAULT_FALLBACK_NAME, ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME

from bot.channels import registry
from bot.privacy import mask

FALLBACK_INTENT = DEFAULT_NLU_FALLBACK_INTENT_NAME
OUT_OF_SCOPE_INTENT = "out_of_scope"
# Rasa's core fallback: no rule or story knew what to do after this message.
CORE_FALLBACK_ACTION = ACTION_DEFAULT_FALLBACK_NAME
RECORD_FEEDBACK_ACTION = "action_record_feedback"
ESCALATION_ACTION = "action_escalate"
# Rasa's bookkeeping, not the bot's answer.
NOT_ANSWERS = {ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME}


@dataclass
class Turn:
    """One citizen message and what the bot did about it."""

    sender_id: str
    timestamp: float
    channel: str
    text: str  # phone numbers and e-mails masked
    intent: str
    confidence: float
    actions: List[str] = field(default_factory=list)
    # The citizen's verdict on this turn's answer ("yes" / "no"), if given.
    feedback: Optional[str] = None

    @property
    def is_button(self) -> bool:
        """A button's payload (/intent{...}) rather than typed text."""
        return self.text.startswith("/")

    @property
    def is_feedback(self) -> bool:
        """A 👍 / 👎 on the answer before (pressed, or a bare typed yes/no),
        not a question."""
        return RECORD_FEEDBACK_ACTION in self.actions

    @property
    def escalated(self) -> bool:
        return ESCALATION_ACTION in self.actions

    def day(self, zone: ZoneInfo) -> date:
        return datetime.fromtimestamp(self.timestamp, zone).date()


def read_turns(database: Union[str, Any], since: Optional[float] = None, until: Optional[float] = None) -> List[Turn]:
    """Every citizen message stored between `since` and `until` (Unix
    times), with the bot's actions and the feedback given on its answer.
    `database` is a SQLAlchemy URL or engine."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(database) if isinstance(database, str) else database
    conditions = ["type_name IN ('user', 'action', 'slot')"]
    if since is not None:
        conditions.append("timestamp >= :since")
    if until is not None:
        conditions.append("timestamp < :until")
    query = sqlalchemy.text(
        "SELECT sender_id, type_name, timestamp, action_name, data FROM events "
        f"WHERE {' AND '.join(conditions)} ORDER BY sender_id, id"
    )
    try:
        with engine.connect() as connection:
            rows = connection.execution_options(stream_results=True).execute(query, {"since": since, "until": until})
            return list(_turns(rows))
    finally:
        if isinstance(database, str):
            engine.dispose()


def _turns(rows: Any) -> Iterator[Turn]:
    """Feedback comes a turn after the answer it rates, so it is set on a
    turn already yielded: consume this into a list before reading it."""
    sender, turn, rated = None, None, None  # `rated`: the last turn that was not itself a vote
    for sender_id, type_name, timestamp, action_name, data in rows:
        if sender_id != sender:
            if turn is not None:
                yield turn
            sender, turn, rated = sender_id, None, None
        if type_name == "user":
            if turn is not None:
                if not turn.is_feedback:
                    rated = turn
                yield turn
            turn = _user_turn(sender_id, timestamp, json.loads(data))
        elif turn is None:
            continue  # the bot spoke first (session start): no question yet
        elif type_name == "action" and action_name and action_name not in NOT_ANSWERS:
            turn.actions.append(action_name)
        elif type_name == "slot":
            event = json.loads(data)
            if event.get("name") == "feedback" and event.get("value") in ("yes", "no") and rated is not None:
                rated.feedback = event["value"]  # a second click replaces the first
    if turn is not None:
        yield turn


def _user_turn(sender_id: str, timestamp: float, event: dict) -> Turn:
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    return Turn(
        sender_id=sender_id,
        timestamp=float(timestamp),
        channel=registry.label(event.get("input_channel") or ""),
        text=mask(" ".join(str(event.get("text") or "").split())),
        intent=str(intent.get("name") or FALLBACK_INTENT),
        confidence=float(intent.get("confidence") or 0.0),
    )
