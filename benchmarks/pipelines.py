"""The pipelines eval and bench compare: trained model and config of each."""
PIPELINES = {
    "ours": ("models/bluezone.tar.gz", "config.yml"),
    "stock": ("benchmarks/models/stock.tar.gz", "benchmarks/configs/stock.yml"),
}
LABELS = {"ours": "our pipeline", "stock": "stock Rasa", "tfidf": "TF-IDF + LR"}
