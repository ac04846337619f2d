"""The figures of the staff report, computed from the turns."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Dict, List, Tuple
from zoneinfo import ZoneInfo

from bot.analytics.conversations import CORE_FALLBACK_ACTION, FALLBACK_INTENT, OUT_OF_SCOPE_INTENT, Turn
from bot.analytics.grouping import Group, group_similar
from bot.settings import ReportSettings


def is_fallback(turn: Turn) -> bool:
    return turn.intent == FALLBACK_INTENT or CORE_FALLBACK_ACTION in turn.actions


def is_missed(turn: Turn, low_confidence: float) -> bool:
    """A typed question the bot could not answer: not understood, out of
    scope, or understood with less confidence than `low_confidence`."""
    if turn.is_button or turn.is_feedback:
        return False
    return is_fallback(turn) or turn.intent == OUT_OF_SCOPE_INTENT or turn.confidence < low_confidence


@dataclass
class Day:
    day: date
    conversations: int = 0
    messages: int = 0
    questions: int = 0  # typed messages (not button clicks)
    fallbacks: int = 0
    out_of_scope: int = 0
    escalations: int = 0

    def rate(self, count: int) -> float:
        return count / self.questions if self.questions else 0.0


@dataclass
class Summary:
    days: List[Day]
    conversations: int
    messages: int
    questions: int
    intents: List[Tuple[str, int]]  # most asked first; topic buttons included, feedback not
    channels: List[Tuple[str, int]]
    escalations: int
    missed: int
    helpful: int
    not_helpful: int
    # intent -> (helpful, not helpful), for the answers that were rated
    feedback_by_topic: Dict[str, Tuple[int, int]] = field(default_factory=dict)
    missed_groups: List[Group] = field(default_factory=list)

    @property
    def topic_messages(self) -> int:
        """Messages counted by topic: all but the answers to the feedback question."""
        return sum(n for _, n in self.intents)


def summarise(turns: List[Turn], settings: ReportSettings, zone: ZoneInfo) -> Summary:
    days: Dict[date, Day] = {}
    senders_per_day: Dict[date, set] = {}
    for turn in turns:
        day = turn.day(zone)
        stats = days.setdefault(day, Day(day))
        senders_per_day.setdefault(day, set()).add(turn.sender_id)
        stats.messages += 1
        if not turn.is_button:
            stats.questions += 1
        stats.fallbacks += is_fallback(turn) and not turn.is_button
        stats.out_of_scope += turn.intent == OUT_OF_SCOPE_INTENT and not turn.is_button
        stats.escalations += turn.escalated
    for day, senders in senders_per_day.items():
        days[day].conversations = len(senders)

    rated = [t for t in turns if t.feedback]
    by_topic: Dict[str, List[int]] = {}
    for turn in rated:
        counts = by_topic.setdefault(turn.intent, [0, 0])
        counts[0 if turn.feedback == "yes" else 1] += 1
    missed = [t for t in turns if is_missed(t, settings.low_confidence)]
    return Summary(
        days=[days[d] for d in sorted(days)],
        conversations=len({t.sender_id for t in turns}),
        messages=len(turns),
        questions=sum(d.questions for d in days.values()),
        intents=Counter(t.intent for t in turns if not t.is_feedback).most_common(),
        channels=Counter(t.channel for t in turns).most_common(),
        escalations=sum(t.escalated for t in turns),
        missed=len(missed),
        helpful=sum(t.feedback == "yes" for t in rated),
        not_helpful=sum(t.feedback == "no" for t in rated),
        feedback_by_topic={k: (v[0], v[1]) for k, v in sorted(by_topic.items(), key=lambda kv: -kv[1][1])},
        missed_groups=group_similar([t.text for t in missed], settings.group_similarity)[: settings.missed_groups],
    )
