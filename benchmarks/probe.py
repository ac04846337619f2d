"""`python -m benchmarks.probe FILE [FILE...]`: how the bot reads questions
people really asked in public, kept outside the project.

Their sentences may not be copied into the project (only their addresses,
as `evidence` in data/knowledge/questions.yml), so `make eval` cannot hold
them. This reads them from tab-separated files elsewhere, one question per
line: the question, its answer key ("ask_install/uninstall", "a/x+b/y" for
two questions in one message) and optionally its public address. It
prints, for ours, stock Rasa (when trained) and TF-IDF, how many got the
topic and the exact answer; `--misses` also lists ours' misses, for a
probe used to decide (never for one kept blind).
"""

import argparse
from pathlib import Path
from typing import Dict, List, Sequence

from benchmarks.eval import Prediction, fit_tfidf, load_agent, predict_rasa, predict_tfidf, rasa_parser
from benchmarks.evalsets import MULTI, Example
from benchmarks.heldout import load_training_examples
from benchmarks.pipelines import LABELS, trained_pipelines
from bot.staff_bench import quiet_rasa


def read_probe(path: Path) -> List[Example]:
    """The questions of one probe file; lines without a question and a key are skipped."""
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        columns = [c.strip() for c in line.split("\t")]
        if len(columns) >= 2 and columns[0] and columns[1] and not columns[0].startswith("#"):
            examples.append(Example(MULTI if "+" in columns[1] else "plain", columns[1], columns[0]))
    return examples


def counts(predictions: Sequence[Prediction]) -> Dict[str, int]:
    singles = [p for p in predictions if p.slice != MULTI]
    multi = [p for p in predictions if p.slice == MULTI]
    return {
        "singles": len(singles),
        "topic": sum(p.intent_right for p in singles),
        "answer": sum(p.answer_right for p in singles),
        "fallback": sum(p.fallback for p in singles if p.example.in_scope),
        "multi": len(multi),
        "multi_both": sum(p.answer_right for p in multi),
    }


def line(name: str, c: Dict[str, int]) -> str:
    n = max(c["singles"], 1)
    return (
        f"{name}: topic {c['topic']}/{c['singles']} ({100 * c['topic'] / n:.1f}%), "
        f"answer {c['answer']}/{c['singles']} ({100 * c['answer'] / n:.1f}%), "
        f"to fallback {c['fallback']}; two questions both answered {c['multi_both']}/{c['multi']}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--misses", action="store_true", help="list our pipeline's misses")
    args = parser.parse_args(argv)
    quiet_rasa()
    pipelines = trained_pipelines()
    parsers = {name: rasa_parser(load_agent(model), name == "ours") for name, (model, _) in pipelines.items()}
    tfidf = fit_tfidf(load_training_examples())
    for path in args.files:
        examples = read_probe(path)
        print(f"# {path} ({len(examples)} questions)")
        results = {name: predict_rasa(p, examples) for name, p in parsers.items()}
        results["tfidf"] = predict_tfidf(tfidf, examples)
        for name, predictions in results.items():
            print(line(LABELS[name], counts(predictions)))
        if args.misses:
            for p in results["ours"]:
                if not p.answer_right:
                    print(f"  {p.gold} -> {'+'.join(p.answers)} ({p.confidence:.2f}): {p.example.text[:160]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
