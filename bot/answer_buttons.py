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

from rasa.shared.nlu.constants import INTENT_RANKING_KEY

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


def runner_up(settings: Settings, answer: str, parse: Mapping[str, Any]) -> Optional[Button]:
    """The topic the message was nearly read as, when it came that close to
    the answered one: a citizen the bot misread gets there in one tap. Only
    under an answer to the message's own topic: "vậy thì sao" (a reply)
    is answered from the conversation, whatever its ranking says."""
    intent = parse.get("intent") or {}
    topic = answer.split("/")[0]
    if intent.get("name") != topic:
        return None
    ranking: Sequence[Mapping[str, Any]] = parse.get(INTENT_RANKING_KEY) or []
    others = [r for r in ranking if r.get("name") in settings.runner_up.titles and r.get("name") != topic]
    if not others:
        return None
    nearest = others[0]
    if float(nearest.get("confidence") or 0) < float(intent.get("confidence") or 0) - settings.runner_up.margin:
        return None
    return {"title": settings.runner_up.titles[nearest["name"]], "payload": f"/{nearest['name']}"}


def answer_buttons(
    settings: Settings, response: str, slots: Mapping[str, Any], parse: Optional[Mapping[str, Any]] = None
) -> List[Button]:
    """`parse` is the message answered, as the server read it."""
    answer = answer_of(response)
    if answer is None:
        return []
    buttons: List[Button] = [
        {"title": settings.link_titles.get(key, key), "type": "web_url", "url": settings.links[key]}
        for key in link_keys(settings, answer, phone_platform(slots))
    ]
    nearly = runner_up(settings, answer, parse or {})
    if nearly:
        buttons.append(nearly)
    buttons.extend(
        {"title": settings.feedback_titles[verdict], "payload": feedback_payload(verdict)}
        for verdict in VERDICT_INTENTS
    )
    return buttons
