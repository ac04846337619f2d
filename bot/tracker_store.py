"""Rasa's SQLTrackerStore, but a long conversation costs no more per turn
than a short one.

Why: Rasa 3.6 reloads and replays every event of the conversation session on
each message, and its policies rebuild the dialogue state from the first
event several times per turn, so each turn of a long conversation would
cost more than the one before. Our stories and rules span a few turns, and
a follow-up is read with the last answer, so this store gives Rasa only
the last `window_events` events (starting on a turn boundary), preceded
by what still matters from earlier in the session: slot values, a paused
conversation (human hand-over) and an active form. Every event is still
stored; a save writes only the new events, in one INSERT, and does not
first count the stored ones as Rasa's does. `retrieve_full_tracker`
(exports, reports) still returns everything.

Limit: a rule with `conversation_start: true` could match the start of a
window; tests/bot/test_tracker_store.py fails if one is added.
"""

import itertools
import json
import logging
from typing import Any, Dict, List, Optional, Set, Tuple

import sqlalchemy
import sqlalchemy.orm
import sqlalchemy.pool
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    ConversationPaused,
    Event,
    SessionStarted,
    SlotSet,
    deserialise_events,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)

# Events before the window that still shape the conversation's state.
STATE_EVENT_TYPES = ("slot", "reset_slots", "restart", "pause", "resume", "active_loop")
# Finding where the current session starts would read every stored event
# of the sender through Rasa's index on sender_id alone, so each turn of a
# long conversation would cost more than the last; with the event type in
# the index it is one look-up. Defined once on Rasa's events table, so a
# new database gets it with the table.
_EVENTS = SQLTrackerStore.SQLEvent.__table__
SESSION_START_INDEX = sqlalchemy.Index("ix_events_sender_type", _EVENTS.c.sender_id, _EVENTS.c.type_name)
# On a retrieved tracker: how many of its events are stored already, so a
# save appends the rest without counting the stored ones first.
_STORED_EVENTS = "_bluezone_stored_events"
# Bounds the memory of senders not yet saved (a turn that failed before its save).
MAX_NEW_SENDERS = 10_000


class WindowedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Optional[Domain] = None, window_events: int = 30, **kwargs: Any) -> None:
        super().__init__(domain=domain, **kwargs)
        self.window_events = int(window_events)
        # Senders whose retrieve found nothing stored: Rasa creates their
        # tracker next (in its wrapper, not here), so their first save
        # needs no count of stored events.
        self._new_senders: Set[str] = set()
        self._newest, self._state_events = _session_queries(self.SQLEvent.__table__)
        if self.engine.dialect.name == "sqlite":
            self.engine = _fast_sqlite_engine(self.engine)
            self.sessionmaker = sqlalchemy.orm.sessionmaker(bind=self.engine)
        _create_session_start_index(self.engine)

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        if not self.domain:
            return await super().retrieve(sender_id)
        with self.engine.connect() as connection:
            newest_first = connection.execute(
                self._newest, {"sender_id": sender_id, "limit": self.window_events + 1}
            ).all()
            if not newest_first:
                if len(self._new_senders) >= MAX_NEW_SENDERS:
                    self._new_senders.clear()  # saves then count, as Rasa's do
                self._new_senders.add(sender_id)
                return None
            if len(newest_first) <= self.window_events:
                # The whole session, as Rasa's own retrieve would load it.
                window, earlier = list(reversed(newest_first)), []
            else:
                window = _from_turn_boundary(list(reversed(newest_first[: self.window_events])))
                if not window:
                    return await super().retrieve(sender_id)
                earlier = connection.execute(
                    self._state_events, {"sender_id": sender_id, "before_id": window[0].id}
                ).all()
            earlier_events = [json.loads(row.data) for row in earlier]
            window_events = [json.loads(row.data) for row in window]

        prefix = self._state_before(sender_id, earlier_events, window_events[0].get("timestamp")) if earlier else []
        tracker = DialogueStateTracker.from_events(
            sender_id, prefix + deserialise_events(window_events), self.domain.slots
        )
        setattr(tracker, _STORED_EVENTS, len(tracker.events))
        return tracker

    def _state_before(self, sender_id: str, earlier: List[Dict[str, Any]], timestamp: Optional[float]) -> List[Event]:
        """Events that recreate the state the skipped events left behind."""
        before = DialogueStateTracker.from_dict(sender_id, earlier, self.domain.slots)
        state: List[Event] = [
            SlotSet(slot.name, slot.value, timestamp=timestamp)
            for slot in before.slots.values()
            if slot.value != slot.initial_value
        ]
        if before.active_loop_name:
            state.append(ActiveLoop(before.active_loop_name, timestamp=timestamp))
        if before.is_paused():
            state.append(ConversationPaused(timestamp=timestamp))
        return state

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Any:
        if tracker.sender_id in self._new_senders:
            self._new_senders.discard(tracker.sender_id)
            setattr(tracker, _STORED_EVENTS, 0)
        stored = getattr(tracker, _STORED_EVENTS, None)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save, with the turn's events written in one INSERT instead
        of one ORM object each (the ORM's bookkeeping was most of a save)."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [_row(tracker.sender_id, event) for event in self._additional_events(session, tracker)]
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
                session.commit()
        if hasattr(tracker, _STORED_EVENTS):
            setattr(tracker, _STORED_EVENTS, len(tracker.events))


def _row(sender_id: str, event: Event) -> Dict[str, Any]:
    """The columns Rasa's SQLTrackerStore writes for an event."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": ((data.get("parse_data") or {}).get("intent") or {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def _session_queries(events: sqlalchemy.Table) -> Tuple[Any, Any]:
    """The newest events of a sender's current session (newest first, at
    most `limit`), and its state events before `before_id`: Rasa's
    `_event_query`, built once with parameters instead of through the ORM
    on every turn (which cost more than running it)."""
    sender = events.c.sender_id == sqlalchemy.bindparam("sender_id")
    session_start = (
        sqlalchemy.select(sqlalchemy.func.max(events.c.timestamp))
        .where(sender, events.c.type_name == SessionStarted.type_name)
        .scalar_subquery()
    )
    in_session = sqlalchemy.or_(events.c.timestamp >= session_start, session_start.is_(None))
    columns = (events.c.id, events.c.type_name, events.c.action_name, events.c.data)
    newest = (
        sqlalchemy.select(*columns)
        .where(sender, in_session)
        .order_by(events.c.id.desc())
        .limit(sqlalchemy.bindparam("limit"))
    )
    state = (
        sqlalchemy.select(*columns)
        .where(
            sender,
            in_session,
            events.c.id < sqlalchemy.bindparam("before_id"),
            events.c.type_name.in_(STATE_EVENT_TYPES),
        )
        .order_by(events.c.id)
    )
    return newest, state


def _create_session_start_index(engine: Any) -> None:
    """Several server processes (`make cluster`) may start at once and race
    to create the index: it only saves time, so losing the race is no error."""
    try:
        SESSION_START_INDEX.create(engine, checkfirst=True)
    except sqlalchemy.exc.DBAPIError as error:
        logger.info(
            "Index %s not created here (another process may have created it): %s", SESSION_START_INDEX.name, error
        )


def _fast_sqlite_engine(engine: Any) -> Any:
    """The same SQLite database, with connections kept open between turns
    and in WAL mode with synchronous=NORMAL. Rasa's engine opens, syncs to
    disk and closes the file on every read and write: 5 ms a turn here, a
    fifth of the turn. A crash or restart of the server still loses nothing
    committed; only a power cut may lose the last moments. Reports can also
    read while the bot writes. PostgreSQL (production) is unaffected."""
    url = engine.url
    engine.dispose()
    pooled = sqlalchemy.create_engine(
        url, poolclass=sqlalchemy.pool.QueuePool, connect_args={"check_same_thread": False}
    )

    def on_connect(connection: Any, _record: Any) -> None:
        connection.execute("PRAGMA synchronous=NORMAL")

    sqlalchemy.event.listen(pooled, "connect", on_connect)
    with pooled.connect() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    return pooled


def _from_turn_boundary(rows: List[Any]) -> List[Any]:
    """The rows from the first `action_listen` on, so no turn is cut in half."""
    for index, row in enumerate(rows):
        if row.type_name == ActionExecuted.type_name and row.action_name == ACTION_LISTEN_NAME:
            return rows[index:]
    return []
