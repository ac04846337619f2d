"""Text shaped for a platform's limits, the same way on every channel."""

import re
from typing import Iterable, List


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


def with_call_links(text: str, numbers: Iterable[str]) -> str:
    """Each of `numbers` (the hotlines) as a tap-to-call Markdown link, for
    channels that render Markdown (the web chat)."""
    for number in sorted({n for n in numbers if n}, key=len, reverse=True):
        digits = re.sub(r"[^\d+]", "", number)
        text = re.sub(rf"(?<![\w\[]){re.escape(number)}(?![\w\]])", f"[{number}](tel:{digits})", text)
    return text


_STEP = re.compile(r"^\s*\d{1,2}[.)]\s")


def with_markdown_lists(text: str) -> str:
    """Numbered steps ("1. ...") on their own lines set apart by blank
    lines, so a Markdown renderer that needs them (the web chat's) shows a
    real numbered list instead of one paragraph."""
    lines = text.split("\n")
    shaped: List[str] = []
    for index, line in enumerate(lines):
        step = bool(_STEP.match(line))
        previous = lines[index - 1] if index else ""
        if index and line.strip() and previous.strip() and step != bool(_STEP.match(previous)):
            shaped.append("")
        shaped.append(line)
    return "\n".join(shaped)
