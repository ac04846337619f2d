"""Rasa's prediction graph run node by node, in this thread.

Why by hand: for every parse and every dialogue prediction, Rasa's
DaskGraphRunner rebuilds a dask task graph and hands it to dask's
synchronous scheduler, which runs the nodes one after the other anyway.
For a graph of a dozen nodes run several times per citizen message, that
bookkeeping costs as much as some of the nodes. Here the order is worked
out once per set of targets, and the result is what dask would return.
Installed by bot.rasa_runtime for the server; training keeps Rasa's runner.
"""
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner


class SequentialGraphRunner(DaskGraphRunner):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._orders: Dict[Tuple[Text, ...], List[Text]] = {}

    def _order(self, targets: Tuple[Text, ...]) -> List[Text]:
        """Every node the targets need, each after the nodes it needs."""
        if targets not in self._orders:
            nodes = self._graph_schema.nodes
            order: List[Text] = []

            def visit(name: Text) -> None:
                if name in order or name not in nodes:
                    return
                for need in nodes[name].needs.values():
                    visit(need)
                order.append(name)

            for target in targets:
                visit(target)
            self._orders[targets] = order
        return self._orders[targets]

    def run(self, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
        run_targets = list(targets or self._graph_schema.target_names)
        order = self._order(tuple(run_targets))
        nodes = self._graph_schema.nodes
        given = inputs or {}
        known = set(order) | set(given)
        if set(given) & set(nodes) or not known.issuperset(run_targets) or any(
            need not in known for name in order for need in nodes[name].needs.values()
        ):
            # Inputs Rasa itself never passes: dask's own handling and errors.
            return super().run(inputs, targets)
        # Each result is a (node name, output) pair, as GraphNode returns it.
        results: Dict[Text, Any] = {name: (name, value) for name, value in given.items()}
        try:
            for name in order:
                results[name] = self._instantiated_nodes[name](*(results[need] for need in nodes[name].needs.values()))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(results[target] for target in run_targets)
