"""Rasa's prediction graph run node by node, in this thread.

Why by hand: for every parse and every dialogue prediction, Rasa's
DaskGraphRunner rebuilds a dask task graph and hands it to dask's
synchronous scheduler, which runs the nodes one after the other anyway.
For a graph of a dozen nodes run several times per citizen message, that
bookkeeping costs as much as some of the nodes. Here the order is worked
out once per set of targets, and the result is what dask would return.
Installed by bot.rasa_runtime for the server; training keeps Rasa's runner.
"""

from typing import Any, Dict, FrozenSet, List, Optional, Text, Tuple

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner


class SequentialGraphRunner(DaskGraphRunner):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: Dict[Tuple[Text, ...], Tuple[List[Text], FrozenSet[Text]]] = {}

    def _plan(self, targets: Tuple[Text, ...]) -> Tuple[List[Text], FrozenSet[Text]]:
        """Every node the targets need, each after the nodes it needs; and
        the names that must come as inputs (needed, but not nodes)."""
        if targets not in self._plans:
            nodes = self._graph_schema.nodes
            order: List[Text] = []
            inputs = set()

            def visit(name: Text) -> None:
                if name not in nodes:
                    inputs.add(name)
                    return
                if name in order:
                    return
                for need in nodes[name].needs.values():
                    visit(need)
                order.append(name)

            for target in targets:
                visit(target)
            self._plans[targets] = order, frozenset(inputs)
        return self._plans[targets]

    def run(self, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
        run_targets = list(targets or self._graph_schema.target_names)
        order, needed_inputs = self._plan(tuple(run_targets))
        given = inputs or {}
        if not needed_inputs.issubset(given) or any(name in self._graph_schema.nodes for name in given):
            # Inputs Rasa itself never passes: dask's own handling and errors.
            return super().run(inputs, targets)
        nodes = self._graph_schema.nodes
        # Each result is a (node name, output) pair, as GraphNode returns it.
        results: Dict[Text, Any] = {name: (name, value) for name, value in given.items()}
        try:
            for name in order:
                results[name] = self._instantiated_nodes[name](*(results[need] for need in nodes[name].needs.values()))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(results[target] for target in run_targets)
