"""`python -m bot.rasa_runtime run ...`: Rasa's own command line, with fixes
for Rasa 3.6 defects that cost our citizens time on every answer, and our
limits on the server's public side (bot/http_guard.py), installed on the
Sanic app Rasa builds (Rasa offers no hook for middleware), and phone
numbers and e-mails masked in its logs (bot/privacy.py).

Training: Rasa fingerprints every training example, features included,
after every pipeline step (for its cache), hashing each token and each
non-zero feature through a Python-level JSON dump, each time again; on
our ten thousand examples that is a large share of `make train`. The
same kind of stable hash is computed here in one JSON dump per message,
its tokens inside it (`_fast_fingerprints`).

It also makes Rasa read each message in its conversation
(bot/conversation): Rasa's NLU sees one message alone, and its processor
offers no hook between the conversation and the parse, so
`MessageProcessor.parse_message` and `handle_message` are wrapped here,
the one place that overrides Rasa's internals.

Why a patch and not a setting: Rasa 3.6 (the last open-source release, so
no upstream fix will come) checks every action-server reply with
`jsonschema.validate`, which first re-validates the whole schema against
its meta-schema: about 20 ms of CPU per custom action here, more than the
whole NLU parse. A validator built once gives the same verdicts in
microseconds; for a reply it rejects we still call Rasa's own check, so the
error the operator sees is unchanged.

Two more costs on every turn: Rasa looks up each stored event's class by
walking every subclass of Event (for every event of the conversation it
loads), and runs each parse and prediction through a freshly built dask
graph (bot/graph_runner.py). The classes are looked up once here, and the
server runs its graph in a fixed order. Once the server has started, the
model it loaded is set aside from garbage collections, which otherwise
walk it all at random turns.
"""

import functools
import sys
from typing import Any, Dict, List, Optional

from bot.privacy import install_log_masking

_PATCHED = "_bluezone_fast_validation"


@functools.lru_cache(maxsize=None)
def _action_response_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def apply() -> None:
    """Install the fixes into this process (idempotent), on the Rasa they
    were written for (bot/rasa_internals.py)."""
    from rasa.core.actions.action import RemoteAction

    from bot import rasa_internals

    rasa_validation = RemoteAction._validate_action_result
    if getattr(rasa_validation, _PATCHED, False):
        return
    rasa_internals.check()

    @functools.wraps(rasa_validation)
    def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        if _action_response_validator().is_valid(result):
            return True
        return rasa_validation(self, result)  # raises Rasa's own error

    setattr(validate_action_result, _PATCHED, True)
    RemoteAction._validate_action_result = validate_action_result
    _set_up_the_server_app()
    _fast_fingerprints()
    _read_messages_in_their_conversation()
    _event_classes_looked_up_once()
    _graph_run_in_order()
    _shell_buttons_as_a_list()
    install_log_masking()


def _event_classes_looked_up_once() -> None:
    from rasa.shared.core.events import Event

    Event.resolve_by_type = staticmethod(functools.lru_cache(maxsize=None)(Event.resolve_by_type))


def _graph_run_in_order() -> None:
    import rasa.core.processor

    from bot.graph_runner import SequentialGraphRunner

    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner


def _shell_buttons_as_a_list() -> None:
    """`rasa shell` opens a button picker under the last answer, which takes
    the next typed question as a choice. Staff type messages, always: the
    buttons are listed under the text, numbered across the turn as on Zalo,
    and a typed number or title picks one (bot.conversation.buttons)."""
    import rasa.core.channels.console as console
    import rasa.shared.utils.cli
    import rasa.shared.utils.io

    print_without_buttons = console._print_bot_output
    shown = {"choices": 0}

    def print_bot_output(message: Dict[str, Any], is_latest_message: bool = False, color: str = "") -> None:
        color = color or rasa.shared.utils.io.bcolors.OKBLUE
        print_without_buttons({k: v for k, v in message.items() if k != "buttons"}, False, color)
        for button in message.get("buttons") or []:
            title = button.get("title") or button.get("payload") or ""
            if button.get("url"):
                rasa.shared.utils.cli.print_color(f"  🔗 {title}: {button['url']}", color=color)
            elif button.get("payload"):
                shown["choices"] += 1
                rasa.shared.utils.cli.print_color(f"  {shown['choices']}. {title}", color=color)
        if is_latest_message:
            if shown["choices"]:
                rasa.shared.utils.cli.print_color("  (gõ số hoặc tên nút để chọn, hoặc gõ câu hỏi khác)", color=color)
            shown["choices"] = 0

    console._print_bot_output = print_bot_output


def _set_up_the_server_app() -> None:
    """The Sanic app Rasa builds, guarded (bot/http_guard.py) and with the
    model it loads kept out of garbage collections."""
    import rasa.core.run

    from bot import http_guard

    configure_app = rasa.core.run.configure_app

    @functools.wraps(configure_app)
    def set_up_app(*args: Any, **kwargs: Any) -> Any:
        app = configure_app(*args, **kwargs)
        http_guard.install(app)
        app.register_listener(keep_the_loaded_model_out_of_collections, "after_server_start")
        return app

    rasa.core.run.configure_app = set_up_app


async def keep_the_loaded_model_out_of_collections(*_: Any) -> None:
    """Python's full garbage collection walks every object the process
    holds, and the loaded model is most of them: each one, at a turn no one
    chooses, held up every citizen waiting for an answer. What is loaded
    at start stays for the server's life, so once the server has started
    (and loaded its model) it is set aside from collections (gc.freeze)."""
    import gc

    gc.collect()
    gc.freeze()


@functools.lru_cache(maxsize=None)
def _token_class() -> type:
    from rasa.nlu.tokenizers.tokenizer import Token

    return Token


def _plain(value: Any) -> Any:
    """A JSON-able copy of what Rasa fingerprints: objects with their own
    fingerprint (features, messages) become that fingerprint. A token
    becomes its fields, inside its message's one dump, not a dump and hash
    of its own: a message is hashed again after every step that adds to
    it, and each time all its tokens with it."""
    if isinstance(value, dict):
        return {k if isinstance(k, str) else str(_plain(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, _token_class()):
        return [value.text, value.start, value.end, value.lemma, _plain(value.data)]
    if hasattr(value, "fingerprint") and callable(value.fingerprint):
        return value.fingerprint()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def fingerprint(value: Any, encoding: str = "utf-8") -> str:
    """Stable across runs; dict key order does not matter, list order does
    (as Rasa's `deep_container_fingerprint`). An object with its own
    fingerprint (training data, a trained resource) is that fingerprint, as
    in Rasa: the fingerprint Rasa caches for a step's output must equal the
    one the next step's cache key uses for its input, or no step is ever
    found in the cache."""
    import hashlib
    import json

    if not isinstance(value, (dict, list)) and callable(getattr(value, "fingerprint", None)):
        return value.fingerprint()
    text = json.dumps(_plain(value), sort_keys=True, ensure_ascii=False)
    return hashlib.md5(text.encode(encoding)).hexdigest()  # nosec: a cache key


def sparse_fingerprint(matrix: Any) -> str:
    import hashlib

    coo = matrix.tocoo()
    parts = (str(coo.shape).encode(), coo.row.tobytes(), coo.col.tobytes(), coo.data.tobytes())
    return hashlib.md5(b"|".join(parts)).hexdigest()  # nosec: a cache key


def _fast_fingerprints() -> None:
    import rasa.shared.nlu.training_data.util
    import rasa.shared.utils.io

    rasa.shared.utils.io.deep_container_fingerprint = fingerprint
    rasa.shared.nlu.training_data.util.sparse_matrix_to_string = sparse_fingerprint


def _read_messages_in_their_conversation() -> None:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.processor import MessageProcessor
    from rasa.shared.data import TrainingType

    from bot.conversation.understanding import QUESTIONS, understand
    from bot.knowledge import load_families_if_present
    from bot.nlu.lexicon_storage import lexicon_of_model
    from bot.settings import load_settings

    parse_alone = MessageProcessor.parse_message

    @functools.wraps(parse_alone)
    async def parse_message(
        self: MessageProcessor, message: UserMessage, tracker: Any = None, only_output_properties: bool = True
    ) -> Dict[str, Any]:
        async def parse(text: str) -> Dict[str, Any]:
            alone = UserMessage(text, sender_id=message.sender_id, input_channel=message.input_channel)
            return await parse_alone(self, alone, tracker, only_output_properties)

        return await understand(
            message.text or "",
            parse,
            tracker.events if tracker is not None else None,
            lexicon_of_model(self.model_metadata.model_id),
            load_settings().split_min_confidence,
            self.domain.retrieval_intents,
            load_families_if_present(),
        )

    handle_alone = MessageProcessor.handle_message

    @functools.wraps(handle_alone)
    async def handle_message(self: MessageProcessor, message: UserMessage) -> Optional[List[Dict[str, Any]]]:
        """Rasa's handle_message, with each question of a message that holds
        several answered as its own turn, in the order asked.

        Each question is stored before its first answer is sent: Rasa
        stores the turn only at its end, so a server that died between an
        answer's first bubble and that save lost a question the citizen
        had seen answered, and that the widget therefore never sends again."""
        if self.model_metadata.training_type == TrainingType.NLU:
            return await handle_alone(self, message)
        tracker = await self.fetch_tracker_and_update_session(
            message.sender_id, message.output_channel, message.metadata
        )
        parsed = message.parse_data or await self.parse_message(message, tracker)
        questions = parsed.get(QUESTIONS) or [parsed]
        for index, question in enumerate(questions):
            turn = UserMessage(
                question["text"] if len(questions) > 1 else message.text,
                message.output_channel,
                message.sender_id,
                question,
                message.input_channel,
                f"{message.message_id}-{index + 1}"
                if len(questions) > 1 and message.message_id
                else message.message_id,
                message.metadata,
            )
            await self._handle_message_with_tracker(turn, tracker)
            await self.save_tracker(tracker)
            tracker = await self.run_action_extract_slots(message.output_channel, tracker)
            await self._run_prediction_loop(message.output_channel, tracker)
        await self.run_anonymization_pipeline(tracker)
        await self.save_tracker(tracker)
        if isinstance(message.output_channel, CollectingOutputChannel):
            return message.output_channel.messages
        return None

    MessageProcessor.parse_message = parse_message
    MessageProcessor.handle_message = handle_message


def main(argv: Optional[List[str]] = None) -> None:
    """Rasa's command line with the fixes. Library warnings (deprecations
    that Rasa 3.6's pinned libraries raise at every start) are not shown
    unless BOT_SHOW_WARNINGS=1; errors and logged warnings still are."""
    import os
    import warnings

    if os.environ.get("BOT_SHOW_WARNINGS") != "1":
        warnings.showwarning = lambda *args, **kwargs: None
    from rasa.__main__ import main as rasa_main

    apply()
    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
