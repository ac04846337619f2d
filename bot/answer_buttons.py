"""The buttons under a knowledge answer: the official page it points to,
the topic the question was nearly read as (when the bot hesitated), then
👍 / 👎 to say whether it helped.

Added by the response generator on the Rasa server (bot/nlg.py), so an
answer and its buttons arrive as one message, with no custom action and
on every channel the same way; which page, and the buttons' titles, come
from data/settings.yml.
"""

import json
from typing import Any, Dict, List, Mapping, Optional, Sequence

from bot.knowledge import answer_of
from bot.settings import Settings

APPLE_BRANDS = {"iphone", "ipad"}
# The payloads of the feedback buttons; the report counts the `helpful`
# entity they carry (actions/feedback.py).
HELPFUL = "helpful"

Button = Dict[str, str]


def phone_platform(slots: Mapping[str, Any]) -> Optional[str]:
    """ "android", "ios" or None, from what the citizen said about the phone."""
    os_name = slots.get("device_os")
    if os_name in ("android", "ios"):
        return os_name
    brand = slots.get("phone_brand")
    if brand:
        return "ios" if brand in APPLE_BRANDS else "android"
    return None


def link_keys(settings: Settings, answer: str, platform: Optional[str]) -> List[str]:
    """The pages for this answer: its own entry in topic_links, else its
    topic's; the download page becomes the store of the citizen's phone."""
    intent = answer.split("/")[0]
    keys = settings.topic_links.get(answer, settings.topic_links.get(intent, ()))
    store = {"ios": "app_store", "android": "google_play"}.get(platform or "")
    return [store if key == "download" and store else key for key in keys]


VERDICT_INTENTS = {"yes": "affirm", "no": "deny"}


def feedback_payload(verdict: str) -> str:
    """/affirm{"helpful": "yes"} or /deny{"helpful": "no"}."""
    return f"/{VERDICT_INTENTS[verdict]}" + json.dumps({HELPFUL: verdict})


def runner_up(settings: Settings, answer: str, ranking: Sequence[Mapping[str, Any]]) -> Optional[Button]:
    """The topic the message was nearly read as, when it came that close to
    the answered one: a citizen the bot misread gets there in one tap."""
    titles = settings.runner_up.titles
    ranked = sorted(
        ((float(r.get("confidence") or 0), str(r.get("name"))) for r in ranking if r.get("name") in titles),
        reverse=True,
    )
    # Only where the answer is the message's first reading: a follow-up
    # ("vậy thì sao") is answered from the conversation, not its own ranking.
    if len(ranked) < 2 or ranked[0][1] != answer.split("/")[0]:
        return None
    (first, _), (second, topic) = ranked[:2]
    if second < first - settings.runner_up.margin:
        return None
    return {"title": titles[topic], "payload": f"/{topic}"}


def answer_buttons(
    settings: Settings, response: str, slots: Mapping[str, Any], ranking: Sequence[Mapping[str, Any]] = ()
) -> List[Button]:
    """`ranking` is the intent ranking of the message answered."""
    answer = answer_of(response)
    if answer is None:
        return []
    buttons: List[Button] = [
        {"title": settings.link_titles.get(key, key), "type": "web_url", "url": settings.links[key]}
        for key in link_keys(settings, answer, phone_platform(slots))
    ]
    nearly = runner_up(settings, answer, ranking)
    if nearly:
        buttons.append(nearly)
    buttons.extend(
        {"title": settings.feedback_titles[verdict], "payload": feedback_payload(verdict)}
        for verdict in VERDICT_INTENTS
    )
    return buttons
