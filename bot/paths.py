"""Where the project's files are: every path the code names is read from the
project root, so the bot, its tools and its tests behave the same from any
current directory."""

from pathlib import Path
from typing import Union

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def project_path(path: Union[str, Path]) -> Path:
    """An absolute path as given; a relative one from the project root."""
    path = Path(path)
    return path if path.is_absolute() else PROJECT_ROOT / path
