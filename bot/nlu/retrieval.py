"""The answer chosen for a message, in Rasa's response-selector format,
read and written in one place.

"default" holds the ranking of every answer of every topic; the answer
chosen is stored under its topic's name, where Rasa's retrieval action
looks first, and as "default"'s response, where `rasa test` looks.
"""

from typing import Any, Dict, List, Optional, Tuple

DEFAULT_SELECTOR = "default"
OVERVIEW = "overview"

Selector = Dict[str, Any]


def ranking(selector: Selector) -> List[Tuple[str, float]]:
    """Every answer key the selector ranked, best first."""
    rows = (selector.get(DEFAULT_SELECTOR) or {}).get("ranking") or []
    return [(r["intent_response_key"], float(r.get("confidence") or 0.0)) for r in rows]


def chosen(selector: Selector, intent: str) -> Optional[str]:
    return ((selector.get(intent) or {}).get("response") or {}).get("intent_response_key")


def choose(selector: Selector, intent: str, key: str, confidence: float) -> Selector:
    """A copy of `selector` with `key` as the answer for `intent`."""
    response = {"responses": [], "confidence": confidence, "intent_response_key": key, "utter_action": f"utter_{key}"}
    updated = dict(selector)
    updated[intent] = {**(selector.get(intent) or {}), "response": response}
    updated[DEFAULT_SELECTOR] = {**(selector.get(DEFAULT_SELECTOR) or {}), "response": response}
    return updated


def answer_of(parse: Dict[str, Any]) -> str:
    """The parse's answer ("ask_install/uninstall"), or its intent for a plain one."""
    intent = parse.get("intent") or {}
    return str(intent.get("full_retrieval_intent_name") or intent.get("name") or "")


def intent_confidence(parse: Dict[str, Any]) -> float:
    return float((parse.get("intent") or {}).get("confidence") or 0.0)


def with_answer(
    parse: Dict[str, Any], intent: str, key: str, confidence: float, intent_confidence: Optional[float] = None
) -> Dict[str, Any]:
    """A copy of a parse that answers `intent` with `key`: the selector's
    choice and the intent's full retrieval name, which Rasa both read."""
    reading = {**(parse.get("intent") or {}), "name": intent, "full_retrieval_intent_name": key}
    if intent_confidence is not None:
        reading["confidence"] = intent_confidence
    return {
        **parse,
        "response_selector": choose(parse.get("response_selector") or {}, intent, key, confidence),
        "intent": reading,
    }


def best_within(selector: Selector, intent: str, exclude: Tuple[str, ...] = ()) -> Tuple[str, float]:
    """The best-ranked answer of `intent` (not in `exclude`); the topic's
    overview when the selector ranked none of its answers."""
    for key, confidence in ranking(selector):
        if key.startswith(intent + "/") and key not in exclude:
            return key, confidence
    return f"{intent}/{OVERVIEW}", 0.0
