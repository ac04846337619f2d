"""`python -m bot.rasa_runtime run ...`: Rasa's own command line, with fixes
for Rasa 3.6 defects that cost our citizens time on every answer, and our
limits on the server's public side (bot/http_guard.py), installed on the
Sanic app Rasa builds (Rasa offers no hook for middleware), and phone
numbers and e-mails masked in its logs (bot/privacy.py).

Why a patch and not a setting: Rasa 3.6 (the last open-source release, so
no upstream fix will come) checks every action-server reply with
`jsonschema.validate`, which first re-validates the whole schema against
its meta-schema: about 20 ms of CPU per custom action here, more than the
whole NLU parse. A validator built once gives the same verdicts in
microseconds; for a reply it rejects we still call Rasa's own check, so the
error the operator sees is unchanged.
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
    """Install the fixes into this process (idempotent)."""
    from rasa.core.actions.action import RemoteAction

    rasa_validation = RemoteAction._validate_action_result
    if getattr(rasa_validation, _PATCHED, False):
        return

    @functools.wraps(rasa_validation)
    def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        if _action_response_validator().is_valid(result):
            return True
        return rasa_validation(self, result)  # raises Rasa's own error

    setattr(validate_action_result, _PATCHED, True)
    RemoteAction._validate_action_result = validate_action_result
    _guard_the_server()
    install_log_masking()


def _guard_the_server() -> None:
    import rasa.core.run

    from bot import http_guard

    configure_app = rasa.core.run.configure_app

    @functools.wraps(configure_app)
    def guarded_app(*args: Any, **kwargs: Any) -> Any:
        app = configure_app(*args, **kwargs)
        http_guard.install(app)
        return app

    rasa.core.run.configure_app = guarded_app


def main(argv: Optional[List[str]] = None) -> None:
    from rasa.__main__ import main as rasa_main

    apply()
    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
