"""Intent accuracy of a trained model on the held-out set, per slice.

Usage: python benchmarks/heldout_accuracy.py [models/bluezone.tar.gz]
Prints a Markdown table; nlu_fallback counts as out_of_scope (the intent
contract's rule).
"""
import asyncio
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml
from rasa.core.agent import Agent

HELDOUT = Path("tests/nlu_heldout")


def load_slices():
    slices = {}
    for path in sorted(HELDOUT.glob("*.yml")):
        rows = []
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    rows.append((block["intent"], line.strip()[2:].strip()))
        slices[path.stem] = rows
    return slices


async def predict(agent, texts):
    results = []
    for text in texts:
        parsed = await agent.parse_message(text)
        name = parsed["intent"]["name"]
        results.append("out_of_scope" if name == "nlu_fallback" else name)
    return results


def main(model="models/bluezone.tar.gz"):
    agent = Agent.load(model)
    slices = load_slices()
    total, lines, errors = Counter(), [], defaultdict(list)
    lines.append("| slice | messages | intent accuracy |")
    lines.append("|---|---:|---:|")
    for name, rows in slices.items():
        predicted = asyncio.run(predict(agent, [text for _, text in rows]))
        right = sum(p == gold for p, (gold, _) in zip(predicted, rows))
        for p, (gold, text) in zip(predicted, rows):
            if p != gold:
                errors[name].append((gold, p, text))
        total["right"] += right
        total["all"] += len(rows)
        lines.append(f"| {name} | {len(rows)} | {right / len(rows):.1%} |")
    lines.append(f"| **all** | {total['all']} | {total['right'] / total['all']:.1%} |")
    print("\n".join(lines))
    print("\nErrors (gold -> predicted):")
    for name, rows in errors.items():
        for gold, p, text in rows:
            print(f"- [{name}] {gold} -> {p}: {text}")


if __name__ == "__main__":
    main(*sys.argv[1:])
