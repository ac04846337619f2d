"""The Rasa internals the project relies on are all there, and another Rasa
is refused with a clear message."""

import pytest

from bot import rasa_internals


def test_every_relied_on_name_exists_in_the_installed_rasa():
    assert rasa_internals.missing() == []


def test_a_missing_name_is_reported_by_its_full_name():
    names = (("rasa.core.processor", "MessageProcessor.no_such_method"), ("rasa.no_such_module", "x"))
    assert rasa_internals.missing(names) == [
        "rasa.core.processor.MessageProcessor.no_such_method",
        "rasa.no_such_module.x",
    ]


def test_another_rasa_version_is_refused_with_what_to_do():
    with pytest.raises(rasa_internals.UnsupportedRasa, match="make install"):
        rasa_internals.check("3.7.2")
    rasa_internals.check("3.6.21")
