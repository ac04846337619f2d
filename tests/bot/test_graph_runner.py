"""The server's graph runner gives exactly what Rasa's dask runner gives,
for parses and for dialogue predictions of the trained model."""

import asyncio

import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_runtime
from bot.graph_runner import SequentialGraphRunner

MESSAGES = ["bluezone có tốn pin không", "cai dat o dau vay ad", "😀", "cài ở đâu, có tốn pin không?"]


@pytest.fixture(scope="module")
def runners(trained_model):
    rasa_runtime.apply()
    agent = Agent.load(str(trained_model))
    ours = agent.processor.graph_runner
    dask = DaskGraphRunner.__new__(DaskGraphRunner)
    dask.__dict__.update({k: v for k, v in ours.__dict__.items() if k != "_orders"})
    return agent, ours, dask


def test_the_server_runs_its_graph_in_order(runners):
    _, ours, _ = runners
    assert isinstance(ours, SequentialGraphRunner)


@pytest.mark.parametrize("text", MESSAGES)
def test_a_parse_is_the_same(runners, text):
    agent, ours, dask = runners
    target = agent.processor.model_metadata.nlu_target
    inputs = {PLACEHOLDER_MESSAGE: [UserMessage(text)], PLACEHOLDER_TRACKER: None}
    [ours_message] = ours.run(inputs=inputs, targets=[target])[target]
    [dask_message] = dask.run(inputs={**inputs, PLACEHOLDER_MESSAGE: [UserMessage(text)]}, targets=[target])[target]
    assert ours_message.as_dict(only_output_properties=True) == dask_message.as_dict(only_output_properties=True)


def test_a_prediction_is_the_same(runners):
    agent, ours, dask = runners
    target = agent.processor.model_metadata.core_target
    parse = asyncio.run(agent.parse_message("bluezone có tốn pin không"))
    tracker = DialogueStateTracker.from_events(
        "s",
        [ActionExecuted("action_listen"), UserUttered(parse["text"], parse["intent"], parse_data=parse)],
        agent.domain.slots,
    )
    ours_prediction = ours.run(inputs={PLACEHOLDER_TRACKER: tracker}, targets=[target])[target]
    dask_prediction = dask.run(inputs={PLACEHOLDER_TRACKER: tracker}, targets=[target])[target]
    assert ours_prediction.probabilities == dask_prediction.probabilities
    assert ours_prediction.policy_name == dask_prediction.policy_name
    assert max(ours_prediction.probabilities) > 0.9


def test_targets_and_inputs_rasa_never_uses_get_dasks_own_handling(runners):
    agent, ours, dask = runners
    target = agent.processor.model_metadata.nlu_target
    # No message given: dask passes the placeholder's name on, and the first
    # node fails the same way in both.
    with pytest.raises(Exception) as from_ours:
        ours.run(inputs={}, targets=[target])
    with pytest.raises(Exception) as from_dask:
        dask.run(inputs={}, targets=[target])
    assert type(from_ours.value) is type(from_dask.value)
