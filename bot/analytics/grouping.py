"""Groups similar unanswered questions, so staff see the most asked new
question first and not fifty spellings of it.

Similarity is on letters (character n-grams of the accent-folded text),
which survives the typos, teencode and missing diacritics citizens type;
scikit-learn (installed with Rasa) does the TF-IDF and the clustering.
"""

from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Sequence

from bot.nlu.text import fold

# Clustering compares every pair: beyond this many distinct questions the
# rarest are left out of the grouping (the report says how many).
MAX_DISTINCT = 3000


@dataclass
class Group:
    # distinct texts with how often each was asked, most asked first
    texts: List[tuple]

    @property
    def count(self) -> int:
        return sum(n for _, n in self.texts)

    @property
    def representative(self) -> str:
        return self.texts[0][0]


def key(text: str) -> str:
    return " ".join(fold(text).lower().split())


def group_similar(texts: Sequence[str], similarity: float) -> List[Group]:
    """Groups of similar texts, largest first. Texts equal once folded and
    lower-cased count as one question."""
    spellings: Dict[str, Counter] = {}
    for text in texts:
        spellings.setdefault(key(text), Counter())[text] += 1
    distinct = sorted(spellings, key=lambda k: -sum(spellings[k].values()))[:MAX_DISTINCT]
    labels = _cluster(distinct, similarity)
    members: Dict[int, List[str]] = {}
    for folded, label in zip(distinct, labels):
        members.setdefault(label, []).append(folded)
    groups = []
    for folded_texts in members.values():
        counts = Counter()
        for folded in folded_texts:
            counts.update(spellings[folded])
        groups.append(Group(sorted(counts.items(), key=lambda item: (-item[1], len(item[0])))))
    return sorted(groups, key=lambda g: (-g.count, g.representative))


def _cluster(texts: List[str], similarity: float) -> List[int]:
    """A group label per text. A text with nothing to compare (empty, only
    emoji or punctuation once folded) is a group of its own: cosine
    similarity is not defined for it."""
    labels = list(range(len(texts)))
    if len(texts) < 2:
        return labels
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit_transform(texts)
    except ValueError:  # not one n-gram in any text
        return labels
    comparable = [row for row, n in enumerate(vectors.getnnz(axis=1)) if n > 0]
    if len(comparable) < 2:
        return labels
    # scikit-learn 1.1 (Rasa's pin) names the distance `affinity`.
    clustering = AgglomerativeClustering(
        n_clusters=None, distance_threshold=1.0 - similarity, affinity="cosine", linkage="average"
    )
    for row, label in zip(comparable, clustering.fit_predict(vectors[comparable].toarray())):
        labels[row] = len(texts) + int(label)
    return labels
