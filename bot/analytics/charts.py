"""Charts for the report as inline SVG (matplotlib, installed with Rasa):
the report is one self-contained file, with nothing fetched from a CDN."""

import io
from typing import List, Sequence

import matplotlib

matplotlib.use("Agg")  # no display on servers
import matplotlib.pyplot as plt  # noqa: E402

BLUE, ORANGE, RED = "#1565c0", "#ef6c00", "#c62828"


def _svg(figure: "plt.Figure") -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]  # drop the XML prolog and doctype: it sits inside HTML


def _days_axis(axes: "plt.Axes", labels: Sequence[str]) -> None:
    step = max(1, len(labels) // 12)
    axes.set_xticks(range(0, len(labels), step))
    axes.set_xticklabels(labels[::step], rotation=45, ha="right")
    axes.spines[["top", "right"]].set_visible(False)


def volume_chart(labels: List[str], conversations: List[int], messages: List[int]) -> str:
    figure, axes = plt.subplots(figsize=(8, 3))
    x = range(len(labels))
    axes.bar([i - 0.2 for i in x], conversations, width=0.4, color=BLUE, label="Cuộc trò chuyện")
    axes.bar([i + 0.2 for i in x], messages, width=0.4, color=ORANGE, label="Tin nhắn")
    axes.legend(frameon=False)
    _days_axis(axes, labels)
    return _svg(figure)


def rate_chart(labels: List[str], fallback: List[float], out_of_scope: List[float]) -> str:
    figure, axes = plt.subplots(figsize=(8, 3))
    axes.plot(labels, [100 * r for r in fallback], marker="o", color=RED, label="Không hiểu (%)")
    axes.plot(labels, [100 * r for r in out_of_scope], marker="s", color=BLUE, label="Ngoài phạm vi (%)")
    axes.set_ylim(bottom=0)
    axes.legend(frameon=False)
    _days_axis(axes, labels)
    return _svg(figure)
