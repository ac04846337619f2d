from benchmarks import cv_record

RESULTS = {"ours": {"accuracy": 0.9, "accuracy_std": 0.01, "macro_f1": 0.88, "minutes": 30.0}}


def project(tmp_path):
    (tmp_path / "data" / "nlu").mkdir(parents=True)
    (tmp_path / "data" / "nlu" / "faq.yml").write_text("nlu: []\n", encoding="utf-8")
    (tmp_path / "config.yml").write_text("pipeline: []\n", encoding="utf-8")
    return tmp_path


def test_the_kept_results_are_reported_while_their_inputs_are_unchanged(tmp_path):
    root = project(tmp_path)
    record = tmp_path / "eval_cv.json"
    cv_record.save(RESULTS, cv_record.fingerprint(root, "code"), record, root)
    kept = cv_record.kept(cv_record.fingerprint(root, "code"), record)
    assert kept["results"] == RESULTS
    assert kept["date"]


def test_changed_training_data_config_or_code_makes_the_kept_results_stale(tmp_path):
    root = project(tmp_path)
    record = tmp_path / "eval_cv.json"
    cv_record.save(RESULTS, cv_record.fingerprint(root, "code"), record, root)
    assert cv_record.kept(cv_record.fingerprint(root, "other code"), record) is None
    (root / "config.yml").write_text("pipeline: [x]\n", encoding="utf-8")
    assert cv_record.kept(cv_record.fingerprint(root, "code"), record) is None


def test_a_new_training_file_changes_the_fingerprint(tmp_path):
    root = project(tmp_path)
    before = cv_record.fingerprint(root)
    (root / "data" / "nlu" / "more.yml").write_text("nlu: []\n", encoding="utf-8")
    assert cv_record.fingerprint(root) != before


def test_no_record_or_a_broken_one_is_nothing_kept(tmp_path):
    assert cv_record.kept("x", tmp_path / "missing.json") is None
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert cv_record.kept("x", broken) is None
