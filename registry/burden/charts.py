"""Accessible SVG charts drawn on the server, and their data as CSV.

Each chart is an <svg role="img" aria-labelledby="…"> with <title> and <desc>, labelled axes, and a
<title> on every bar and point. Every piece of text is escaped with markupsafe; no style attributes
(the CSP forbids them): classes from app.css (.bar .line .axis .grid-line) and presentation attributes.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from registry.tabular import csv_bytes

FONT_PX = 14
POINT_FILL = "#1f3a5f"


@dataclass
class Chart:
    """A chart, the table behind it (also its CSV), and the file name of the CSV."""

    name: str
    title: str
    description: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    svgs: list[Markup] = field(default_factory=list)


def text_width(text: str) -> float:
    """A rough rendered width: CJK characters are square, Latin about half as wide."""
    return sum(FONT_PX if ord(ch) > 0x2E7F else FONT_PX * 0.55 for ch in text)


def nice_step(maximum: float, target: int = 5) -> float:
    if maximum <= 0:
        return 1
    raw = maximum / target
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            step = factor * power
            return step if step >= 1 or power < 1 else 1
    return 10 * power


def ticks(maximum: float) -> list[float]:
    step = nice_step(maximum)
    top = max(step, math.ceil(maximum / step) * step)
    count = round(top / step)
    return [round(i * step, 6) for i in range(count + 1)]


def fmt(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open_svg(chart_id: str, title: str, description: str, width: float, height: float) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{escape(chart_id)}-title '
        f'{escape(chart_id)}-desc" viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}" '
        f'height="{_num(height)}" id="{escape(chart_id)}" class="chart-svg" focusable="false">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[tuple[str, float]],
              value_axis: str, category_axis: str) -> Markup:
    """Horizontal bars, one per (label, value), with a labelled value axis and category axis."""
    label_width = max([text_width(label) for label, _ in bars] + [text_width(category_axis), 40])
    left = min(280.0, label_width + 16)
    plot = 420.0
    right = 56.0
    top, bar_h, gap = 30.0, 22.0, 10.0
    plot_h = max(len(bars), 1) * (bar_h + gap)
    height = top + plot_h + 56
    width = left + plot + right
    scale_ticks = ticks(max([v for _, v in bars] + [0]))
    top_value = scale_ticks[-1] or 1
    out = _open_svg(chart_id, title, description, width, height)
    out.append(f'<text x="{_num(left - 8)}" y="18" text-anchor="end" font-weight="600">{escape(category_axis)}</text>')
    for tick in scale_ticks:
        x = left + plot * tick / top_value
        out.append(f'<line class="grid-line" x1="{_num(x)}" y1="{_num(top)}" x2="{_num(x)}" '
                   f'y2="{_num(top + plot_h)}"/>')
        out.append(f'<text x="{_num(x)}" y="{_num(top + plot_h + 18)}" text-anchor="middle">{escape(fmt(tick))}</text>')
    for position, (label, value) in enumerate(bars):
        y = top + position * (bar_h + gap) + gap / 2
        w = plot * value / top_value
        out.append(f'<g class="bar-row"><rect class="bar" x="{_num(left)}" y="{_num(y)}" width="{_num(w)}" '
                   f'height="{_num(bar_h)}"><title>{escape(label)}: {escape(fmt(value))}</title></rect>')
        out.append(f'<text x="{_num(left - 8)}" y="{_num(y + bar_h * 0.72)}" text-anchor="end">{escape(label)}</text>')
        out.append(f'<text x="{_num(left + w + 6)}" y="{_num(y + bar_h * 0.72)}">{escape(fmt(value))}</text></g>')
    out.append(f'<line class="axis" x1="{_num(left)}" y1="{_num(top)}" x2="{_num(left)}" y2="{_num(top + plot_h)}"/>')
    out.append(f'<line class="axis" x1="{_num(left)}" y1="{_num(top + plot_h)}" x2="{_num(left + plot)}" '
               f'y2="{_num(top + plot_h)}"/>')
    out.append(f'<text x="{_num(left + plot / 2)}" y="{_num(height - 10)}" text-anchor="middle" '
               f'font-weight="600">{escape(value_axis)}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))  # noqa: S704  (every interpolated text went through escape())


def line_chart(chart_id: str, title: str, description: str, points: Sequence[tuple[float, float]],
               x_axis: str, y_axis: str) -> Markup:
    """One line through (x, y) points, with a dot (and a <title>) at each point."""
    left, right, top, bottom = 72.0, 24.0, 20.0, 56.0
    plot_w, plot_h = 560.0, 220.0
    width, height = left + plot_w + right, top + plot_h + bottom
    xs = [p[0] for p in points] or [0]
    low_x, high_x = min(xs), max(xs)
    y_ticks = ticks(max([p[1] for p in points] + [0]))
    top_y = y_ticks[-1] or 1

    def sx(x: float) -> float:
        return left + (plot_w / 2 if high_x == low_x else plot_w * (x - low_x) / (high_x - low_x))

    def sy(y: float) -> float:
        return top + plot_h - plot_h * y / top_y

    out = _open_svg(chart_id, title, description, width, height)
    for tick in y_ticks:
        out.append(f'<line class="grid-line" x1="{_num(left)}" y1="{_num(sy(tick))}" x2="{_num(left + plot_w)}" '
                   f'y2="{_num(sy(tick))}"/>')
        out.append(f'<text x="{_num(left - 8)}" y="{_num(sy(tick) + 5)}" text-anchor="end">{escape(fmt(tick))}</text>')
    x_marks = sorted(set(xs)) if len(set(xs)) <= 6 else [low_x + (high_x - low_x) * i / 5 for i in range(6)]
    for mark in x_marks:
        out.append(f'<text x="{_num(sx(mark))}" y="{_num(top + plot_h + 20)}" text-anchor="middle">'
                   f'{escape(fmt(round(mark)))}</text>')
    out.append(f'<line class="axis" x1="{_num(left)}" y1="{_num(top)}" x2="{_num(left)}" y2="{_num(top + plot_h)}"/>')
    out.append(f'<line class="axis" x1="{_num(left)}" y1="{_num(top + plot_h)}" x2="{_num(left + plot_w)}" '
               f'y2="{_num(top + plot_h)}"/>')
    if points:
        path = " ".join(f"{_num(sx(x))},{_num(sy(y))}" for x, y in points)
        out.append(f'<polyline class="line" points="{path}"/>')
    for x, y in points:
        out.append(f'<circle class="point" cx="{_num(sx(x))}" cy="{_num(sy(y))}" r="3.5" fill="{POINT_FILL}">'
                   f'<title>{escape(x_axis)} {escape(fmt(x))}: {escape(fmt(y))}</title></circle>')
    out.append(f'<text x="{_num(left + plot_w / 2)}" y="{_num(height - 10)}" text-anchor="middle" '
               f'font-weight="600">{escape(x_axis)}</text>')
    middle = top + plot_h / 2
    out.append(f'<text x="16" y="{_num(middle)}" transform="rotate(-90 16 {_num(middle)})" text-anchor="middle" '
               f'font-weight="600">{escape(y_axis)}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))  # noqa: S704  (every interpolated text went through escape())


def to_csv(columns: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    """UTF-8 with a BOM; numbers as the charts show them; formula-looking cells quoted off."""
    shown = [[fmt(c) if isinstance(c, int | float) and not isinstance(c, bool) else c for c in row] for row in rows]
    return csv_bytes(columns, shown)
