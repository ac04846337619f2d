"""Vietnamese text helpers with no dependencies, shared by the NLU
components and the action server (which must not load the NLU)."""

import functools
import unicodedata


# Citizens' words repeat: each is folded once per process.
@functools.lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    """Strip Vietnamese diacritics ("điện thoại" -> "dien thoai").

    A quarter of citizens type without accents; folded forms let both
    spellings share features and lexicon entries.
    """
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))
