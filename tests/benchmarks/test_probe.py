from benchmarks.eval import Prediction
from benchmarks.probe import counts, line, read_probe


def test_a_probe_file_gives_one_question_per_line_with_two_questions_marked(tmp_path):
    probe = tmp_path / "probe.tsv"
    probe.write_text(
        "Cài ở đâu vậy?\task_install/download_link\thttps://example.org/a\n"
        "\n"
        "# a note\task_install/overview\n"
        "only a question\n"
        "Cài ở đâu, có tốn pin không?\task_install/download_link+ask_battery_data/battery_drain\n",
        encoding="utf-8",
    )
    examples = read_probe(probe)
    assert [(e.slice, e.gold) for e in examples] == [
        ("plain", "ask_install/download_link"),
        ("multi", "ask_install/download_link+ask_battery_data/battery_drain"),
    ]


def test_counts_keep_topic_answer_fallback_and_two_questions_apart(tmp_path):
    probe = tmp_path / "probe.tsv"
    probe.write_text(
        "a\task_install/uninstall\nb\task_install/uninstall\nc\task_privacy/location\nd\ta/x+b/y\n", encoding="utf-8"
    )
    a, b, c, d = read_probe(probe)
    predictions = [
        Prediction(a, ["ask_install"], ["ask_install/uninstall"], "ask_install", 0.9, False),
        Prediction(b, ["ask_install"], ["ask_install/overview"], "ask_install", 0.9, False),
        Prediction(c, ["out_of_scope"], ["out_of_scope"], "ask_privacy", 0.1, True),
        Prediction(d, ["a", "b"], ["a/x", "b/y"], "a", 0.9, False),
    ]
    result = counts(predictions)
    assert result == {"singles": 3, "topic": 2, "answer": 1, "fallback": 1, "multi": 1, "multi_both": 1}
    assert line("ours", result).startswith("ours: topic 2/3 (66.7%), answer 1/3 (33.3%), to fallback 1")
