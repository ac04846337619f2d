"""The pipelines eval and bench compare: trained model and config of each."""

from pathlib import Path
from typing import Dict, Tuple

from bot.paths import project_path

PIPELINES = {
    "ours": (str(project_path("models/bluezone.tar.gz")), str(project_path("config.yml"))),
    "stock": (str(project_path("benchmarks/models/stock.tar.gz")), str(project_path("benchmarks/configs/stock.yml"))),
}
LABELS = {"ours": "our pipeline", "stock": "stock Rasa", "tfidf": "TF-IDF + LR"}


def trained_pipelines() -> Dict[str, Tuple[str, str]]:
    """Ours, and the others whose model is on disk: stock Rasa takes hours
    to train here, and a report without it still says what ours does."""
    return {name: paths for name, paths in PIPELINES.items() if name == "ours" or Path(paths[0]).exists()}
