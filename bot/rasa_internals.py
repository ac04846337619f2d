"""The Rasa internals this project relies on, in one list, checked when the
server or the training starts.

The project overrides or patches parts of Rasa 3.6 that Rasa does not
offer as extension points (private methods and module attributes): the
fixes in bot/rasa_runtime.py, the tracker store, the lock store, the REST and socket.io
channels, the response generator, the featurizer, the graph runner and the
staff report's access to the SQL store. Rasa 3.6 is the last open-source
release, so these will not move under us unless Rasa itself is changed;
if it is, `check()` fails at start-up with a message saying which names
are gone, instead of the bot misbehaving later.
"""

import importlib
from typing import List, Tuple

SUPPORTED_VERSION = "3.6."

# (module, attribute path): each one a name the project overrides, patches or reads.
RELIED_ON: Tuple[Tuple[str, str], ...] = (
    # bot/rasa_runtime.py
    ("rasa.core.actions.action", "RemoteAction._validate_action_result"),
    ("rasa.core.actions.action", "RemoteAction.action_response_format_spec"),
    ("rasa.core.run", "configure_app"),
    ("rasa.shared.utils.io", "deep_container_fingerprint"),
    ("rasa.shared.nlu.training_data.util", "sparse_matrix_to_string"),
    ("rasa.shared.core.events", "Event.resolve_by_type"),
    ("rasa.core.processor", "DaskGraphRunner"),
    ("rasa.core.processor", "MessageProcessor.parse_message"),
    ("rasa.core.processor", "MessageProcessor.handle_message"),
    ("rasa.core.processor", "MessageProcessor.fetch_tracker_and_update_session"),
    ("rasa.core.processor", "MessageProcessor._handle_message_with_tracker"),
    ("rasa.core.processor", "MessageProcessor.run_action_extract_slots"),
    ("rasa.core.processor", "MessageProcessor._run_prediction_loop"),
    ("rasa.core.processor", "MessageProcessor.run_anonymization_pipeline"),
    ("rasa.core.processor", "MessageProcessor.save_tracker"),
    ("rasa.core.channels.console", "_print_bot_output"),
    # bot/graph_runner.py
    ("rasa.engine.runner.dask", "DaskGraphRunner.run"),
    # bot/tracker_store.py, bot/channels/admin_report.py
    ("rasa.core.tracker_store", "SQLTrackerStore._additional_events"),
    ("rasa.core.tracker_store", "SQLTrackerStore.SQLEvent"),
    ("rasa.core.tracker_store", "AwaitableTrackerStore"),
    # bot/channels/rest.py, bot/channels/webchat.py
    ("rasa.core.channels.rest", "RestInput._extract_sender"),
    ("rasa.core.channels.rest", "RestInput._extract_message"),
    ("rasa.core.channels.rest", "RestInput._extract_input_channel"),
    ("rasa.core.channels.socketio", "SocketIOOutput._send_message"),
    # bot/lock_store.py (a ticket's `expires`, a lock's `tickets`)
    ("rasa.core.lock_store", "LOCK_LIFETIME"),
    ("rasa.core.lock_store", "RedisLockStore.cleanup"),
    ("rasa.core.lock", "TicketLock.remove_expired_tickets"),
    ("rasa.core.lock", "TicketLock.is_locked"),
    # bot/nlg.py
    ("rasa.core.nlg.response", "TemplatedNaturalLanguageGenerator._response_variables"),
    # bot/nlu/featurizers.py
    ("rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer", "CountVectorsFeaturizer._create_features"),
    (
        "rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer",
        "CountVectorsFeaturizer._get_processed_message_tokens_by_attribute",
    ),
)


class UnsupportedRasa(RuntimeError):
    pass


def missing(names: Tuple[Tuple[str, str], ...] = RELIED_ON) -> List[str]:
    """The relied-on names this Rasa does not have."""
    gone = []
    for module_name, path in names:
        try:
            target = importlib.import_module(module_name)
            for part in path.split("."):
                target = getattr(target, part)
        except (ImportError, AttributeError):
            gone.append(f"{module_name}.{path}")
    return gone


def check(version: str = "") -> None:
    """Fail with a clear message on a Rasa the overrides were not written for."""
    import rasa

    version = version or rasa.__version__
    if not version.startswith(SUPPORTED_VERSION):
        raise UnsupportedRasa(
            f"This bot is written for Rasa {SUPPORTED_VERSION}x (requirements.lock); found Rasa {version}. "
            "Install the locked versions with `make install`."
        )
    gone = missing()
    if gone:
        raise UnsupportedRasa("This Rasa lacks names the bot relies on (bot/rasa_internals.py): " + ", ".join(gone))
