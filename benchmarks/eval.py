"""`make eval`: how well the bot understands citizens and answers the exact
question, next to stock Rasa and a TF-IDF + logistic regression baseline
trained on the same data, in one run.

Sets (benchmarks/evalsets.py): the real-style dev set by answer family,
slice, two-question messages and follow-up conversations (decisions are made
on it and on cross-validation); the real-style held-out set, the same kinds
written by someone else (reported, never tuned on); the first held-out set
(one topic per message). Writes benchmarks/eval.md and its PNG charts.
Options: --skip-cv, --stock-cv (stock Rasa's cross-validation, hours),
--out DIR.
"""

import argparse
import asyncio
import inspect
import logging
import os
import re
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Sequence, Tuple

import numpy as np
import yaml
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.core.constants import ACTION_LISTEN_NAME

from benchmarks import cv_record
from benchmarks.evalsets import (
    DEV_DIR,
    FAMILY_SLICES,
    HELDOUT_REAL_DIR,
    MULTI,
    OUT_OF_SCOPE,
    Example,
    Turn,
    available,
    load_conversations,
    load_examples,
)
from benchmarks.heldout import SLICE_NAMES, load_slices, load_training_examples
from benchmarks.pipelines import LABELS, PIPELINES, trained_pipelines
from bot.paths import PROJECT_ROOT, project_path

FALLBACK = DEFAULT_NLU_FALLBACK_INTENT_NAME
THRESHOLDS = [round(t, 2) for t in np.arange(0.0, 1.0, 0.05)]
# Catch out-of-scope questions first, but lose at most this share of the
# in-scope ones to fallback ("may not have understood") at the threshold.
MAX_INSCOPE_FALLBACK = 0.01


@dataclass
class Prediction:
    example: Example
    intents: List[str]  # predicted topics in order, nlu_fallback as out_of_scope
    answers: List[str]  # predicted answer keys (the topic for plain intents)
    top: str  # best intent before any fallback
    confidence: float
    fallback: bool

    @property
    def slice(self) -> str:
        return self.example.slice

    @property
    def gold(self) -> str:
        return self.example.gold

    @property
    def intent_right(self) -> bool:
        return self.intents == self.example.intents

    @property
    def answer_right(self) -> bool:
        return self.answers == self.example.parts

    @property
    def parts_right(self) -> float:
        """Share of the asked questions whose answer was given (any order)."""
        return float(np.mean([part in self.answers for part in self.example.parts]))


# ------------------------------------------------------------- predictions


def _chosen_answer(parse: Dict[str, Any], intent: str) -> str:
    selector = parse.get("response_selector") or {}
    if intent not in (selector.get("all_retrieval_intents") or []):
        return intent
    chosen = (selector.get(intent) or selector.get("default") or {}).get("response") or {}
    return chosen.get("intent_response_key") or intent


def decode(example: Example, parse: Dict[str, Any]) -> Prediction:
    questions = parse.get("questions") or [parse]
    intents, answers = [], []
    for question in questions:
        name = question["intent"]["name"]
        intents.append(OUT_OF_SCOPE if name == FALLBACK else name)
        answers.append(OUT_OF_SCOPE if name == FALLBACK else _chosen_answer(question, name))
    ranking = [r for r in parse.get("intent_ranking") or [] if r["name"] != FALLBACK]
    top = ranking[0] if ranking else {"name": intents[0], "confidence": parse["intent"].get("confidence", 0)}
    return Prediction(
        example, intents, answers, top["name"], float(top["confidence"] or 0), parse["intent"]["name"] == FALLBACK
    )


def load_agent(model_path: str, **kwargs: Any):
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    return Agent.load(model_path, generator=EndpointConfig(type="bot.nlg.SettingsResponseGenerator"), **kwargs)


def rasa_parser(agent, in_conversation: bool) -> Callable[[str], Any]:
    """Ours reads a message as the server does (two questions split,
    bot.conversation.understanding); stock Rasa reads it alone."""
    from rasa.core.channels.channel import UserMessage
    from rasa.core.processor import MessageProcessor

    from bot.conversation.understanding import understand
    from bot.knowledge import load_families
    from bot.nlu.lexicon_storage import lexicon_of_model
    from bot.settings import load_settings

    processor = agent.processor
    # Rasa's own parse, even where bot.rasa_runtime has wrapped it.
    alone_parse = getattr(MessageProcessor.parse_message, "__wrapped__", MessageProcessor.parse_message)

    async def alone(text: str) -> Dict[str, Any]:
        return await alone_parse(processor, UserMessage(text))

    if not in_conversation:
        return alone
    lexicon, settings = lexicon_of_model(processor.model_metadata.model_id), load_settings()

    families = load_families()

    async def understood(text: str) -> Dict[str, Any]:
        return await understand(text, alone, None, lexicon, settings.split_min_confidence, families=families)

    return understood


def predict_rasa(parser, examples: Sequence[Example]) -> List[Prediction]:
    async def run():
        return [decode(e, await parser(e.text)) for e in examples]

    return asyncio.run(run())


def tfidf_model():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
    )
    return make_pipeline(features, LogisticRegression(max_iter=3000, C=10.0))


def fit_tfidf(training):
    """Trained on the answer keys (the topic for plain intents)."""
    return tfidf_model().fit([t for _, t in training], [label for label, _ in training])


def predict_tfidf(model, examples: Sequence[Example]) -> List[Prediction]:
    if not examples:
        return []
    probabilities = model.predict_proba([e.text for e in examples])
    predictions = []
    for example, p in zip(examples, probabilities):
        label = str(model.classes_[p.argmax()])
        intent = label.split("/")[0]
        predictions.append(Prediction(example, [intent], [label], intent, float(p.max()), False))
    return predictions


# ------------------------------------------------------------------ scores


def scores(predictions: Sequence[Prediction]) -> Dict[str, float]:
    if not predictions:
        return {"n": 0, "intent": float("nan"), "answer": float("nan"), "fallback": float("nan")}
    in_scope = [p for p in predictions if p.example.in_scope]
    return {
        "n": len(predictions),
        "intent": float(np.mean([p.intent_right for p in predictions])),
        "answer": float(np.mean([p.answer_right for p in predictions])),
        "fallback": float(np.mean([OUT_OF_SCOPE in p.intents for p in in_scope])) if in_scope else float("nan"),
    }


def by_slice(predictions: Sequence[Prediction], names: Sequence[str]) -> Dict[str, Dict[str, float]]:
    grouped = defaultdict(list)
    for p in predictions:
        grouped[p.slice].append(p)
    table = {name: scores(grouped[name]) for name in names if grouped[name]}
    table["all"] = scores([p for p in predictions if p.slice != MULTI])
    return table


def by_family(predictions: Sequence[Prediction]) -> Dict[str, Tuple[int, float]]:
    grouped = defaultdict(list)
    for p in predictions:
        if p.slice != MULTI:
            grouped[p.gold].append(p.answer_right)
    return {family: (len(rights), float(np.mean(rights))) for family, rights in sorted(grouped.items())}


def multi_scores(predictions: Sequence[Prediction]) -> Dict[str, float]:
    multi = [p for p in predictions if p.slice == MULTI]
    if not multi:
        return {}
    return {
        "n": len(multi),
        "both_in_order": float(np.mean([p.answer_right for p in multi])),
        "parts": float(np.mean([p.parts_right for p in multi])),
    }


def threshold_curve(
    predictions: Sequence[Prediction], thresholds: Sequence[float] = THRESHOLDS
) -> List[Dict[str, float]]:
    """At each threshold t (fallback when confidence < t): share of
    out-of-scope messages caught, share of in-scope messages lost."""
    single = [p for p in predictions if p.slice != MULTI]
    oos = [p for p in single if not p.example.in_scope]
    inscope = [p for p in single if p.example.in_scope]
    curve = []
    for t in thresholds:
        caught = np.mean([p.top == OUT_OF_SCOPE or p.confidence < t for p in oos]) if oos else float("nan")
        lost = np.mean([p.confidence < t for p in inscope])
        right = np.mean([(p.top == p.example.intents[0] and p.confidence >= t) for p in inscope])
        curve.append({"threshold": t, "oos_caught": caught, "inscope_fallback": lost, "inscope_right": right})
    return curve


def recommended_threshold(curve: List[Dict[str, float]]) -> float:
    """The highest threshold that sends at most MAX_INSCOPE_FALLBACK of the
    in-scope messages to fallback."""
    allowed = [c["threshold"] for c in curve if c["inscope_fallback"] <= MAX_INSCOPE_FALLBACK]
    return max(allowed) if allowed else min(c["threshold"] for c in curve)


def configured_threshold(config_path: str) -> float:
    config = yaml.safe_load(Path(config_path).read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if component["name"] == "FallbackClassifier":
            return float(component["threshold"])
    return 0.0


def worst_confusions(predictions: Sequence[Prediction], most: int = 15):
    pairs = defaultdict(list)
    for p in predictions:
        if not p.answer_right:
            pairs[(p.gold, "+".join(p.answers))].append(p.example.text)
    return sorted(pairs.items(), key=lambda item: -len(item[1]))[:most]


# ---------------------------------------------------------- cross-validation


def cross_validation(config_path: str, folds: int = 5) -> Dict[str, float]:
    from rasa.nlu.test import cross_validate
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(project_path("data/nlu")))
    started = time.monotonic()
    intents, _, responses = asyncio.run(
        cross_validate(data, folds, config_path, output=None, disable_plotting=True, report_as_dict=True)
    )
    result = {
        "accuracy": float(np.mean(intents.test["Accuracy"])),
        "accuracy_std": float(np.std(intents.test["Accuracy"])),
        "macro_f1": float(intents.evaluation["report"]["macro avg"]["f1-score"]),
        "minutes": (time.monotonic() - started) / 60,
    }
    if responses and responses.test.get("Accuracy"):
        result["answer_accuracy"] = float(np.mean(responses.test["Accuracy"]))
    return result


def cross_validation_tfidf(training, folds: int = 5) -> Dict[str, float]:
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    texts, labels = [t for _, t in training], [label for label, _ in training]
    intents = [label.split("/")[0] for label in labels]
    started = time.monotonic()
    splitter = StratifiedKFold(folds, shuffle=True, random_state=42)
    # The folds are independent: one per core, the same predictions sooner.
    predicted = cross_val_predict(tfidf_model(), texts, labels, cv=splitter, n_jobs=os.cpu_count())
    predicted_intents = [label.split("/")[0] for label in predicted]
    per_fold = [
        np.mean([intents[i] == predicted_intents[i] for i in test]) for _, test in splitter.split(texts, labels)
    ]
    return {
        "accuracy": float(np.mean(per_fold)),
        "accuracy_std": float(np.std(per_fold)),
        "macro_f1": float(f1_score(intents, predicted_intents, average="macro")),
        "answer_accuracy": float(np.mean([a == b for a, b in zip(labels, predicted)])),
        "minutes": (time.monotonic() - started) / 60,
    }


# ------------------------------------------------------------ conversations

SIMPLE_EXPECTATIONS = {
    "greet": {"utter_greet"},
    "thank": {"utter_thank"},
    "goodbye": {"utter_goodbye"},
    "request_human": {"utter_handover"},
    "bot_challenge": {"utter_iamabot"},
    "out_of_scope": {"utter_out_of_scope"},
    # A yes or no answers the bot's last question: whether an answer helped
    # (a vote), or whether the app works after the usual fixes.
    "yes": {"action_record_feedback", "utter_glad_it_works"},
    "no": {"action_record_feedback", "utter_hotline"},
}


def turn_is_good(expect: str, answers: List[str], actions: List[str]) -> bool:
    """Did the bot's turn give what the citizen needed?"""
    if expect == "go_on":
        return "action_continue_topic" in actions and bool(answers)
    if expect in SIMPLE_EXPECTATIONS:
        return bool(SIMPLE_EXPECTATIONS[expect] & set(actions))
    if "+" in expect:  # two questions in one message: both answered, in the order asked
        wanted = expect.split("+")
        return [a for a in answers if a in wanted] == wanted
    return expect in answers


def replay_conversations(model_path: str, action_url: str, conversations: List[List[Turn]]) -> List[Dict[str, Any]]:
    """Each conversation through the whole bot (our processor, rules,
    custom actions): one row per turn."""
    from rasa.utils.endpoints import EndpointConfig

    from bot import rasa_runtime

    rasa_runtime.apply()
    agent = load_agent(model_path, action_endpoint=EndpointConfig(url=action_url))
    rows = []

    async def run():
        for conversation in conversations:
            sender = f"eval-{uuid.uuid4()}"
            for index, turn in enumerate(conversation):
                before = await agent.tracker_store.retrieve_full_tracker(sender)
                seen = len(before.events) if before else 0
                await agent.handle_text(turn.user, sender_id=sender)
                tracker = await agent.tracker_store.retrieve_full_tracker(sender)
                answers, actions = _turn(list(tracker.events)[seen:])
                rows.append(
                    {
                        "first": index == 0,
                        "expect": turn.expect,
                        "text": turn.user,
                        "good": turn_is_good(turn.expect, answers, actions),
                        "answers": answers,
                        "actions": actions,
                    }
                )

    asyncio.run(run())
    return rows


def _turn(events: List[Any]) -> Tuple[List[str], List[str]]:
    """Knowledge answers and actions among the events of one message (all
    questions of a split message together: each is a turn of its own)."""
    from rasa.shared.core.events import ActionExecuted, BotUttered

    from bot.knowledge import answer_of

    answers, actions = [], []
    for event in events:
        if isinstance(event, BotUttered):
            key = answer_of((event.metadata or {}).get("utter_action", ""))
            if key:
                answers.append(key)
        elif isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            actions.append(event.action_name)
    return answers, actions


def conversation_scores(rows: List[Dict[str, Any]]) -> Dict[str, float]:
    if not rows:
        return {}
    follow = [r["good"] for r in rows if not r["first"]]
    return {
        "turns": len(rows),
        "good": float(np.mean([r["good"] for r in rows])),
        "first": float(np.mean([r["good"] for r in rows if r["first"]])),
        "follow_ups": float(np.mean(follow)) if follow else float("nan"),
        "n_follow_ups": len(follow),
    }


def action_server(port: int) -> subprocess.Popen:
    import urllib.request

    rasa = Path(sys.executable).with_name("rasa")
    process = subprocess.Popen(
        [str(rasa), "run", "actions", "--actions", "actions", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=PROJECT_ROOT,
    )
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return process
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("action server did not start")
            time.sleep(0.3)


def dialogue_success(model_path: str, out: Path) -> str:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.rasa_runtime",
            "test",
            "core",
            "--model",
            model_path,
            "--stories",
            str(project_path("tests/test_stories.yml")),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )
    found = re.search(r"CONVERSATION level:\s+.*?Correct:\s+(\d+) / (\d+)", result.stdout + result.stderr, re.S)
    if not found:
        return "n/a (rasa test failed)"
    right, total = int(found.group(1)), int(found.group(2))
    return f"{right}/{total} ({right / total:.0%})"


# ------------------------------------------------------------------ charts


def plot_confusion(predictions: Sequence[Prediction], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    single = [p for p in predictions if p.slice != MULTI]
    golds = [p.example.intents[0] for p in single]
    predicted = [p.intents[0] for p in single]
    labels = sorted(set(golds) | set(predicted))
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    for g, q in zip(golds, predicted):
        matrix[index[g], index[q]] += 1
    fig, ax = plt.subplots(figsize=(11, 10))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    for (i, j), value in np.ndenumerate(matrix):
        if value:
            ax.text(
                j,
                i,
                value,
                ha="center",
                va="center",
                fontsize=7,
                color="white" if value > matrix.max() / 2 else "black",
            )
    ax.set_xlabel("predicted topic")
    ax.set_ylabel("true topic")
    ax.set_title("Dev set: topic confusion matrix, our pipeline")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_thresholds(curves, threshold: float, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for name, curve in curves.items():
        xs = [c["threshold"] for c in curve]
        ax.plot(xs, [c["oos_caught"] for c in curve], label=f"{LABELS[name]}: out-of-scope caught")
        ax.plot(
            xs,
            [c["inscope_fallback"] for c in curve],
            linestyle="--",
            label=f"{LABELS[name]}: in-scope sent to fallback",
        )
    ax.axvline(threshold, color="black", linestyle=":", label=f"configured {threshold}")
    ax.set_xlabel("FallbackClassifier threshold")
    ax.set_ylabel("share of dev messages")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ------------------------------------------------------------------ report


def pct(value: float) -> str:
    return "n/a" if value != value else f"{value:.1%}"


def slice_table(title: str, tables: Dict[str, Dict[str, Dict[str, float]]], names: Dict[str, str]) -> List[str]:
    pipelines = list(tables)
    lines = [
        f"### {title}",
        "",
        "| slice | messages | "
        + " | ".join(f"{LABELS[n]}: topic | {LABELS[n]}: answer" for n in pipelines)
        + " | ours: in-scope to fallback |",
        "|---|---:|" + "---:|---:|" * len(pipelines) + "---:|",
    ]
    for key in [*names, "all"]:
        if key not in tables["ours"]:
            continue
        row = tables["ours"][key]
        cells = " | ".join(f"{pct(tables[n][key]['intent'])} | {pct(tables[n][key]['answer'])}" for n in pipelines)
        label = names.get(key, "**all single questions**")
        lines.append(f"| {label} | {row['n']} | {cells} | {pct(row['fallback'])} |")
    return lines + [""]


def write_report(out: Path, result: Dict[str, Any], seconds: float) -> None:
    lines = [
        "# NLU evaluation",
        "",
        f"Generated by `make eval` on {time.strftime('%Y-%m-%d %H:%M')} in {seconds / 60:.1f} min on this "
        "2-core machine. Training data: `data/nlu/`. Pipelines: ours = `config.yml`; stock Rasa = "
        "`benchmarks/configs/stock.yml` (Rasa's default pipeline: WhitespaceTokenizer, CountVectors word + "
        "char_wb, DIET with 2 transformer layers, ResponseSelector); TF-IDF + LR = word 1-2 and char_wb 2-5 "
        "TF-IDF with logistic regression on the answer keys. All three are trained on the same data. "
        "`nlu_fallback` counts as `out_of_scope`. **topic** = the intent (one of the 22 contract names); "
        "**answer** = the exact answer (the retrieval key, e.g. `ask_install/uninstall`; the intent for "
        "plain intents). Ours reads messages as the server does (two questions in one message are split, "
        "`bot/conversation/`); stock Rasa and TF-IDF read each message alone.",
        "",
        "How the sets were used: decisions (pipeline, threshold, data) were made on the **dev set** and on "
        "**cross-validation**; the **real-style held-out set** was written by someone who saw neither the "
        "training data nor the dev set, and is reported here without tuning on it.",
        "",
    ]
    measured = set(next(iter(result["sets"].values()))["tables"])
    if "stock" not in measured:
        lines += [
            "**Stock Rasa was not measured in this run**: its model (`make stock-model`, `"
            + str(Path(PIPELINES["stock"][0]).relative_to(PROJECT_ROOT))
            + "`) was not trained; `make eval` trains it first (hours on this machine).",
            "",
        ]
    for set_name, title in (
        ("dev", "Dev set (`tests/nlu_dev/`)"),
        ("heldout_real", "Real-style held-out set (`tests/nlu_heldout_real/`)"),
    ):
        if set_name not in result["sets"]:
            continue
        data = result["sets"][set_name]
        lines += [f"## {title}", ""]
        lines += slice_table("By slice", data["tables"], FAMILY_SLICES)
        if data.get("multi"):
            lines += [
                "### Two questions in one message",
                "",
                "| pipeline | messages | both answers, in the order asked | share of questions answered |",
                "|---|---:|---:|---:|",
            ]
            for name, m in data["multi"].items():
                if m:
                    lines.append(f"| {LABELS[name]} | {m['n']} | {pct(m['both_in_order'])} | {pct(m['parts'])} |")
            lines.append("")
        if data.get("conversations"):
            c = data["conversations"]
            lines += [
                "### Conversations with follow-ups (ours, the whole bot)",
                "",
                f"{c['turns']} turns: **{pct(c['good'])}** good answers; first questions {pct(c['first'])}, "
                f"follow-ups **{pct(c['follow_ups'])}** ({c['n_follow_ups']} turns). A turn is good when "
                'the bot gave the expected answer family (or went on with the topic for "vậy thì sao", '
                "recorded a bare yes/no as feedback, thanked, said goodbye, handed over).",
                "",
            ]
            misses = [r for r in data["conversation_rows"] if not r["good"]][:15]
            if misses:
                lines += ["| follow-up? | message | expected | got |", "|---|---|---|---|"]
                for r in misses:
                    got = ", ".join(r["answers"]) or ", ".join(
                        a for a in r["actions"] if a.startswith(("utter", "action"))
                    )
                    lines.append(f"| {'' if r['first'] else 'yes'} | {r['text']} | {r['expect']} | {got} |")
                lines.append("")
    dev = result["sets"].get("dev")
    if dev:
        families = dev["families"]
        lines += [
            "## Dev set by answer family",
            "",
            "| family | messages | ours | stock Rasa | TF-IDF + LR |",
            "|---|---:|---:|---:|---:|",
        ]
        for family, (n, ours) in families["ours"].items():
            lines.append(
                f"| `{family}` | {n} | {pct(ours)} | {pct(families.get('stock', {}).get(family, (0, float('nan')))[1])} | "
                f"{pct(families['tfidf'].get(family, (0, float('nan')))[1])} |"
            )
        lines += [
            "",
            "Worst confusions on the dev set (ours, exact answer):",
            "",
            "| expected → given | count | examples |",
            "|---|---:|---|",
        ]
        for (gold, given), texts in dev["confusions"]:
            shown = "; ".join(f"“{t[:90]}”" for t in texts[:2])
            lines.append(f"| `{gold}` → `{given}` | {len(texts)} | {shown} |")
        lines += ["", "![topic confusion matrix](eval_confusion.png)", ""]
    if result["cv"]:
        kept = result.get("cv_kept")
        lines += ["## 5-fold cross-validation on the training data", ""]
        if kept:
            lines += [
                f"Not run in this run (`--skip-cv`): the results of the run of {kept['date']} (at {kept['commit']}),"
                " kept in `benchmarks/eval_cv.json`. Nothing they depend on has changed since (training data,"
                " configs, NLU components, packages: `benchmarks/cv_record.py`).",
                "",
            ]
        lines += [
            "| pipeline | topic accuracy (mean ± sd) | topic macro-F1 | answer accuracy | time |",
            "|---|---:|---:|---:|---:|",
        ]
        for name, cv in result["cv"].items():
            lines.append(
                f"| {LABELS[name]} | {pct(cv['accuracy'])} ± {cv['accuracy_std'] * 100:.1f} | "
                f"{cv['macro_f1']:.3f} | {pct(cv.get('answer_accuracy', float('nan')))} | "
                f"{cv['minutes']:.1f} min |"
            )
        lines.append("")
    else:
        lines += [
            "## 5-fold cross-validation on the training data",
            "",
            "Not run in this run (`--skip-cv`, about an hour on this machine), and the training data, configs"
            " or NLU components have changed since the last run that did: see the last full `make eval` in this"
            " file's history.",
            "",
        ]
    threshold, curves = result["threshold"], result["curves"]
    at = next(c for c in curves["ours"] if abs(c["threshold"] - threshold) < 1e-9)
    lines += [
        "## Fallback threshold (dev set)",
        "",
        f"At the configured FallbackClassifier threshold ({threshold}), our pipeline sends "
        f"{pct(at['inscope_fallback'])} of the dev set's in-scope questions to fallback and catches "
        f"{pct(at['oos_caught'])} of its out-of-scope messages. Rule: the highest threshold that sends at most "
        f"{pct(MAX_INSCOPE_FALLBACK)} of in-scope questions to fallback; on this run that is "
        f"**{recommended_threshold(curves['ours'])}**.",
        "",
        "![threshold curve](eval_thresholds.png)",
        "",
        "| threshold | "
        + " | ".join(f"{LABELS[n]}: OOS caught | {LABELS[n]}: in-scope to fallback" for n in curves)
        + " |",
        "|---:|" + "---:|---:|" * len(curves),
    ]
    for i, t in enumerate(c["threshold"] for c in curves["ours"]):
        if 0.05 <= t <= 0.8:
            cells = " | ".join(
                f"{pct(curves[n][i]['oos_caught'])} | {pct(curves[n][i]['inscope_fallback'])}" for n in curves
            )
            lines.append(f"| {t:.2f} | {cells} |")
    lines += [""]
    first = result["sets"].get("heldout")
    if first:
        lines += ["## First held-out set (`tests/nlu_heldout/`, topic only)", ""]
        pipelines = list(first["tables"])
        lines += [
            "| slice | messages | " + " | ".join(f"{LABELS[n]}: topic" for n in pipelines) + " |",
            "|---|---:|" + "---:|" * len(pipelines),
        ]
        for key in [*SLICE_NAMES, "all"]:
            if key in first["tables"]["ours"]:
                cells = " | ".join(pct(first["tables"][n][key]["intent"]) for n in pipelines)
                lines.append(f"| {SLICE_NAMES.get(key, '**all**')} | {first['tables']['ours'][key]['n']} | {cells} |")
        lines.append("")
    lines += [
        "## Dialogue test stories",
        "",
        "`rasa test core` on `tests/test_stories.yml` (through `bot.rasa_runtime`): conversations fully correct.",
        "",
        "| pipeline | conversations fully correct |",
        "|---|---:|",
    ]
    for name, value in result["dialogue"].items():
        lines.append(f"| {LABELS[name]} | {value} |")
    (out / "eval.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


# -------------------------------------------------------------------- main


def evaluate_set(parsers, tfidf, examples: List[Example], names) -> Dict[str, Any]:
    predictions = {name: predict_rasa(parser, examples) for name, parser in parsers.items()}
    predictions["tfidf"] = predict_tfidf(tfidf, examples)
    return {
        "predictions": predictions,
        "tables": {name: by_slice(p, names) for name, p in predictions.items()},
        "families": {name: by_family(p) for name, p in predictions.items()},
        "multi": {name: multi_scores(p) for name, p in predictions.items()},
        "confusions": worst_confusions(predictions["ours"]),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-cv", action="store_true", help="no cross-validation")
    parser.add_argument("--stock-cv", action="store_true", help="also cross-validate stock Rasa (slow)")
    parser.add_argument("--out", default="benchmarks", help="where eval.md and the charts go")
    args = parser.parse_args(argv)
    logging.getLogger("rasa").setLevel(logging.WARNING)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    pipelines = trained_pipelines()
    agents = {name: load_agent(model) for name, (model, _) in pipelines.items()}
    parsers = {name: rasa_parser(agent, in_conversation=(name == "ours")) for name, agent in agents.items()}
    training = load_training_examples()
    tfidf = fit_tfidf(training)
    result: Dict[str, Any] = {"sets": {}}
    for set_name, folder in (("dev", DEV_DIR), ("heldout_real", HELDOUT_REAL_DIR)):
        if available(folder):
            result["sets"][set_name] = evaluate_set(parsers, tfidf, load_examples(folder), FAMILY_SLICES)
    first = [Example(name, gold, text) for name, rows in load_slices().items() for gold, text in rows]
    result["sets"]["heldout"] = evaluate_set(parsers, tfidf, first, SLICE_NAMES)

    decision = result["sets"].get("dev") or result["sets"]["heldout"]
    result["threshold"] = configured_threshold(str(project_path("config.yml")))
    points = sorted({*THRESHOLDS, result["threshold"]})
    result["curves"] = {name: threshold_curve(decision["predictions"][name], points) for name in pipelines}
    plot_confusion(decision["predictions"]["ours"], out / "eval_confusion.png")
    plot_thresholds(result["curves"], result["threshold"], out / "eval_thresholds.png")

    from bot.launcher import free_port

    port = free_port()
    server = action_server(port)
    try:
        for set_name, folder in (("dev", DEV_DIR), ("heldout_real", HELDOUT_REAL_DIR)):
            conversations = load_conversations(folder)
            if set_name in result["sets"] and conversations:
                rows = replay_conversations(PIPELINES["ours"][0], f"http://127.0.0.1:{port}/webhook", conversations)
                result["sets"][set_name]["conversation_rows"] = rows
                result["sets"][set_name]["conversations"] = conversation_scores(rows)
    finally:
        server.terminate()
        server.wait(timeout=15)

    result["cv"], result["cv_kept"] = {}, None
    inputs = cv_record.fingerprint(
        extra="".join(map(inspect.getsource, (cross_validation, cross_validation_tfidf, tfidf_model)))
    )
    if not args.skip_cv:
        result["cv"]["ours"] = cross_validation(PIPELINES["ours"][1])
        if args.stock_cv and "stock" in pipelines:
            result["cv"]["stock"] = cross_validation(PIPELINES["stock"][1])
        result["cv"]["tfidf"] = cross_validation_tfidf(training)
        cv_record.save(result["cv"], inputs)
    else:
        result["cv_kept"] = cv_record.kept(inputs)
        result["cv"] = (result["cv_kept"] or {}).get("results") or {}
    result["dialogue"] = {
        name: dialogue_success(model, Path("results") / f"eval_stories_{name}")
        for name, (model, _) in pipelines.items()
    }
    write_report(out, result, time.monotonic() - started)
    print(f"Wrote {out / 'eval.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
