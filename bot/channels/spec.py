"""What the rest of the system needs to know about a channel, declared once
by the channel's own module (its `SPEC`) and collected by
bot.channels.registry."""

from dataclasses import dataclass
from typing import Mapping, Optional, Tuple


@dataclass(frozen=True)
class Shows:
    """What a channel can show (None: no limit of its own)."""

    longest_text: Optional[int] = None  # characters in one message
    link_buttons: Optional[int] = None  # on one message; 0: links are written out
    choices: Optional[int] = None  # buttons or quick replies on one message; 0: a numbered list
    title_length: Optional[int] = None  # characters of a button title
    staff_take_over: bool = False  # staff can answer in the platform's own inbox


@dataclass(frozen=True)
class ChannelSpec:
    name: str  # Rasa's input channel name, as stored with each message
    label: str  # short name in reports and exports ("Zalo")
    report_label: str  # what staff read in the report
    shows: Shows = Shows()
    # Secrets it needs, from the environment; without all of them it is off.
    secrets: Tuple[str, ...] = ()
    # Where the platform posts (shown when the bot starts), if anywhere.
    webhook: Optional[str] = None
    # Posted to by the platform's servers, a few addresses for every
    # citizen: not limited per address; the channel limits per citizen.
    platform_posts: bool = False

    def missing(self, env: Mapping[str, str]) -> Tuple[str, ...]:
        return tuple(name for name in self.secrets if not env.get(name))
