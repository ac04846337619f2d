"""Text shaped for a platform's limits, the same way on every channel."""

from typing import List


def split_text(text: str, limit: int) -> List[str]:
    """Pieces of at most `limit` characters, cut at a paragraph, line,
    sentence or word boundary where there is one."""
    pieces, rest = [], text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind(sep) for sep in ("\n\n", "\n", ". ", " "))
        cut = cut + 1 if cut > limit // 2 else limit
        pieces.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    return pieces + ([rest] if rest else [])
