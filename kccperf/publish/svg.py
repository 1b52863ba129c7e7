"""Small-multiple panels drawn as SVG: a title, a framed plot with its ticks and labels, data, and a legend.

A report page holds up to 60 trend panels. Drawn with matplotlib each cost about 55 ms (an axes and its ticks, text
laid out and rasterised, a PNG quantised and compressed), most of a report's time. Written as SVG the same panel costs
well under a millisecond, stays sharp when zoomed or printed, and its words are text. matplotlib still chooses the
tick values (:class:`matplotlib.ticker.MaxNLocator`), as it did.

Everything is measured in points (1/72 inch), the unit of the chart standards; the image is ``width * dpi / 72`` CSS
pixels wide. The text's extent is estimated from the advance widths of DejaVu Sans, wider than Arial's, so text laid
out by the estimate fits with the narrower fonts a browser uses; a browser test measures the real extents.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from matplotlib.ticker import MaxNLocator

FONT = "Arial, Helvetica, 'Liberation Sans', sans-serif"
INK = "#0b0c0c"
# matplotlib's dash patterns for a line 1 point wide: "--" and ":".
DASHED, DOTTED = "3.7 1.6", "1 1.65"
_ASCENT, _DESCENT = 0.93, 0.24  # of the font size, above and below the baseline (DejaVu Sans; Arial's are smaller)

# The text around a plot, in points: 7 pt text, 6.5 pt legend, ticks 3.5 pt long with a 3.5 pt pad.
TEXT_PT, LEGEND_PT = 7.0, 6.5
_EDGE = 3.0  # between any text and the edge of the image
_TITLE_LINE = 9.1  # each line of a 7 pt title
_TITLE_PAD = 6.0
_TICK = 3.5
_TICKS = 7.0  # tick and pad
_TEXT = 8.5  # one line of 7 pt text, with its descent
_LABEL_PAD = 4.0  # between the tick labels and the axis label
_LEGEND_EDGE = 3.25  # the legend's lowest row from the foot of the image
_LEGEND_ROW = 10.9  # each row of the legend
_GAP = 4.0  # between the legend and the x tick labels
_HANDLE, _HANDLE_PAD = 2.2, 0.8  # legend handle length and its gap to the text, in font sizes


def text_width(text: str, size: float = TEXT_PT) -> float:
    """The width of a line of text in points, from DejaVu Sans' advances rounded up (no renderer needed).

    Examples
    --------
    >>> round(text_width("Oct-24"), 2)
    26.88
    """
    return size * sum(0.34 if c in ".,:;' " else 0.84 if c in "−%" else 0.64 for c in text)


@dataclass(frozen=True)
class Box:
    """A rectangle in points, ``y`` downwards as in SVG."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, tolerance: float = 0.5) -> bool:
        """Whether the two boxes share more than ``tolerance`` points each way."""
        dx = min(self.x1, other.x1) - max(self.x0, other.x0)
        dy = min(self.y1, other.y1) - max(self.y0, other.y0)
        return dx > tolerance and dy > tolerance

    def inside(self, other: Box, tolerance: float = 0.5) -> bool:
        """Whether this box lies within ``other`` (give or take ``tolerance`` points)."""
        return (
            self.x0 >= other.x0 - tolerance
            and self.y0 >= other.y0 - tolerance
            and self.x1 <= other.x1 + tolerance
            and self.y1 <= other.y1 + tolerance
        )


@dataclass(frozen=True)
class Label:
    """A piece of text drawn, its role (``title``, ``tick``, ``axis``, ``legend``) and its estimated extent."""

    text: str
    size: float
    role: str
    box: Box


@dataclass(frozen=True)
class Key:
    """A legend entry: a ``line`` (with ``dash``, and a dot in the middle with ``dot``), a ``band``, a ``dot`` or a
    ``diamond``."""

    label: str
    kind: str
    color: str
    dash: str = ""
    dot: bool = False
    edge: str = ""
    opacity: float = 1.0


def _n(v: float) -> str:
    """A coordinate, to a hundredth of a point."""
    return f"{v:.2f}".rstrip("0").rstrip(".")


@dataclass
class Drawing:
    """An SVG being written: shapes and text in points, each text's estimated extent kept in ``labels``."""

    width: float
    height: float
    dpi: float = 110
    parts: list[str] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)

    def line(self, x0: float, y0: float, x1: float, y1: float, *, color: str = INK, width: float = 1.0, dash: str = "") -> None:
        style = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<line x1="{_n(x0)}" y1="{_n(y0)}" x2="{_n(x1)}" y2="{_n(y1)}" stroke="{color}" stroke-width="{_n(width)}"{style}/>'
        )

    def polyline(self, xs: Sequence[float], ys: Sequence[float], *, color: str, width: float, dash: str = "") -> None:
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in zip(xs, ys))
        style = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="{_n(width)}" '
            f'stroke-linejoin="round"{style}/>'
        )

    def dots(self, xs: Sequence[float], ys: Sequence[float], *, r: float, color: str, edge: str = "", shape: str = "dot") -> None:
        """Markers at the points: circles of radius ``r``, or diamonds ``r`` from the centre to each corner."""
        stroke = f' stroke="{edge}" stroke-width="0.75"' if edge else ""
        for x, y in zip(xs, ys):
            if shape == "diamond":
                corners = f"{_n(x)},{_n(y - r)} {_n(x + r)},{_n(y)} {_n(x)},{_n(y + r)} {_n(x - r)},{_n(y)}"
                self.parts.append(f'<polygon points="{corners}" fill="{color}"{stroke}/>')
            else:
                self.parts.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{color}"{stroke}/>')

    def rect(self, x: float, y: float, w: float, h: float, *, fill: str = "none", opacity: float = 1.0, stroke: str = "") -> None:
        extra = (f' fill-opacity="{opacity}"' if opacity < 1 else "") + (
            f' stroke="{stroke}" stroke-width="0.8"' if stroke else ""
        )
        self.parts.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="{fill}"{extra}/>')

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float,
        role: str,
        anchor: str = "start",
        angle: float = 0.0,
        bold: bool = False,
        color: str = "",
    ) -> None:
        """``text`` with its baseline at ``y``; ``anchor`` is where ``x`` falls (start, middle, end). ``angle`` turns
        it anticlockwise about that point, in degrees (90: reading upwards)."""
        width = text_width(text, size)
        start = -{"start": 0.0, "middle": width / 2, "end": width}[anchor]
        corners = [
            (start, -_ASCENT * size),
            (start + width, -_ASCENT * size),
            (start, _DESCENT * size),
            (start + width, _DESCENT * size),
        ]
        c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        # Anticlockwise on the page is clockwise in SVG's downward y.
        turned = [(x + dx * c + dy * s, y - dx * s + dy * c) for dx, dy in corners]
        xs, ys = [u for u, _ in turned], [v for _, v in turned]
        self.labels.append(Label(text, size, role, Box(min(xs), min(ys), max(xs), max(ys))))
        how = f' text-anchor="{anchor}"' if anchor != "start" else ""
        how += f' transform="rotate({_n(-angle)} {_n(x)} {_n(y)})"' if angle else ""
        how += ' font-weight="bold"' if bold else ""
        how += f' fill="{color}"' if color else ""
        self.parts.append(f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}"{how}>{html.escape(text, quote=False)}</text>')

    def svg(self) -> bytes:
        """The drawing as a standalone SVG document (UTF-8)."""
        w, h = self.width * self.dpi / 72, self.height * self.dpi / 72
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{round(w)}" height="{round(h)}" '
            f'viewBox="0 0 {_n(self.width)} {_n(self.height)}" font-family="{FONT}" fill="{INK}">'
            f'<rect width="100%" height="100%" fill="#ffffff"/>'
        )
        return (head + "".join(self.parts) + "</svg>").encode("utf-8")


def nice_ticks(lo: float, hi: float, length: float) -> list[float]:
    """Tick values between ``lo`` and ``hi`` on an axis ``length`` points long: matplotlib's choice for a y axis of
    7 pt labels (one tick per two label heights at most, on steps of 1, 2, 2.5 or 5 times a power of ten).

    Examples
    --------
    >>> nice_ticks(23.1, 33.9, 120)
    [24.0, 26.0, 28.0, 30.0, 32.0]
    """
    bins = max(1, math.floor(length / (TEXT_PT * 2)))
    ticks = MaxNLocator(nbins=bins, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
    slack = 1e-9 * max(hi - lo, 1.0)
    return [float(t) for t in ticks if lo - slack <= t <= hi + slack]


def tick_labels(values: Sequence[float]) -> list[str]:
    """The values with the fewest decimals that show each exactly, thousands separated, with a true minus sign.

    Examples
    --------
    >>> tick_labels([17.5, 20.0, 22.5]), tick_labels([-1000.0, 0.0, 12500.0])
    (['17.5', '20.0', '22.5'], ['−1,000', '0', '12,500'])
    """
    decimals = next((d for d in range(7) if all(abs(v * 10**d - round(v * 10**d)) < 1e-6 for v in values)), 6)
    return [f"{v + 0.0:,.{decimals}f}".replace("-", "−") for v in values]


def padded(values: Sequence[float], margin: float = 0.05) -> tuple[float, float]:
    """The span of ``values`` widened by ``margin`` of itself each way (matplotlib's default), or around a single value."""
    lo, hi = min(values), max(values)
    if hi - lo <= 1e-12 * max(abs(lo), abs(hi), 1.0):
        pad = 0.05 * abs(lo) if lo else 1.0
        return lo - pad, hi + pad
    return lo - margin * (hi - lo), hi + margin * (hi - lo)


@dataclass
class Plot:
    """A framed plotting area inside a :class:`Drawing`, with data coordinates mapped to points."""

    drawing: Drawing
    area: Box
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    def x(self, v: float) -> float:
        return self.area.x0 + (v - self.xlim[0]) / (self.xlim[1] - self.xlim[0]) * (self.area.x1 - self.area.x0)

    def y(self, v: float) -> float:
        return self.area.y1 - (v - self.ylim[0]) / (self.ylim[1] - self.ylim[0]) * (self.area.y1 - self.area.y0)

    def hline(self, v: float, *, color: str = INK, width: float = 1.0, dash: str = "") -> None:
        """A line across the whole plot at ``v``."""
        self.drawing.line(self.area.x0, self.y(v), self.area.x1, self.y(v), color=color, width=width, dash=dash)

    def band(self, low: float, high: float, *, color: str, opacity: float) -> None:
        """A shaded band across the whole plot from ``low`` to ``high``."""
        top, bottom = self.y(high), self.y(low)
        self.drawing.rect(self.area.x0, top, self.area.x1 - self.area.x0, bottom - top, fill=color, opacity=opacity)

    def svg(self) -> bytes:
        """The finished image: the frame is drawn last, over the data, as matplotlib draws its spines."""
        a, d = self.area, replace(self.drawing, parts=list(self.drawing.parts))
        d.rect(a.x0, a.y0, a.x1 - a.x0, a.y1 - a.y0, stroke=INK)
        return d.svg()


def plot(
    width: float,
    height: float,
    *,
    title: str,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    keys: Sequence[Key],
    y_label: str,
    x_ticks: Sequence[tuple[float, str]] | None = None,
    x_label: str = "",
    legend_columns: int = 4,
    dpi: float = 110,
) -> Plot:
    """A panel ``width`` by ``height`` points: the title (already wrapped) at the top left, the plot framed with its
    ticks and axis labels, and the legend centred at the foot, its ``keys`` filled down ``legend_columns`` columns.

    The margins come from the text they hold, so nothing is clipped and nothing overlaps: the title's lines above,
    the legend's rows, the x tick labels (and ``x_label``) below, the widest y tick label (the ticks depend on the
    plot's height, known first) on the left. ``x_ticks`` are ``(value, label)`` pairs, or ``None`` for ticks chosen
    as for the y axis. Data are drawn on the returned :class:`Plot`.
    """
    d = Drawing(width, height, dpi)
    lines = title.split("\n")
    rows = math.ceil(len(keys) / legend_columns)
    top = _EDGE + len(lines) * _TITLE_LINE + _TITLE_PAD
    bottom = height - (_LEGEND_EDGE + rows * _LEGEND_ROW + _GAP + _TICKS + _TEXT + (_LABEL_PAD + _TEXT if x_label else 0.0))
    y_values = nice_ticks(*ylim, bottom - top)
    y_text = tick_labels(y_values)
    widest = max((text_width(t) for t in y_text), default=0.0)
    left = _EDGE + _TEXT + _LABEL_PAD + widest + _TICKS
    if x_ticks is None:
        # The x ticks depend on the plot's width: guess it with the last label half outside, then check.
        guess = nice_ticks(*xlim, (width - left - _EDGE - 20) * 2 / 3)
        x_ticks = list(zip(guess, tick_labels(guess)))
    p = Plot(d, Box(left, top, width - _EDGE, bottom), xlim, ylim)
    # A label centred on a tick near the right end would run off the image: narrow the plot until none does.
    for _ in range(2):
        over = max((p.x(v) + text_width(t) / 2 - (width - _EDGE) for v, t in x_ticks), default=0.0)
        p.area = Box(left, top, p.area.x1 - max(over, 0.0), bottom)
    right = p.area.x1
    for i, line in enumerate(lines):
        d.text(_EDGE, _EDGE + _ASCENT * TEXT_PT + i * _TITLE_LINE, line, size=TEXT_PT, role="title")
    for v, t in zip(y_values, y_text):
        d.line(left - _TICK, p.y(v), left, p.y(v), width=0.8)
        d.text(left - _TICKS, p.y(v) + (_ASCENT - _DESCENT) / 2 * TEXT_PT, t, size=TEXT_PT, role="tick", anchor="end")
    for v, t in x_ticks:
        d.line(p.x(v), bottom, p.x(v), bottom + _TICK, width=0.8)
        d.text(p.x(v), bottom + _TICKS + _ASCENT * TEXT_PT, t, size=TEXT_PT, role="tick", anchor="middle")
    if y_label:
        d.text(
            left - _TICKS - widest - _LABEL_PAD - _DESCENT * TEXT_PT,
            (top + bottom) / 2,
            y_label,
            size=TEXT_PT,
            role="axis",
            anchor="middle",
            angle=90,
        )
    if x_label:
        below = bottom + _TICKS + _TEXT + _LABEL_PAD + _ASCENT * TEXT_PT
        d.text((left + right) / 2, below, x_label, size=TEXT_PT, role="axis", anchor="middle")
    _legend(d, keys, rows, legend_columns)
    return p


def _legend(d: Drawing, keys: Sequence[Key], rows: int, columns: int) -> None:
    """The legend, centred at the foot of the drawing: each entry a handle and its label, filled down the columns."""
    size, handle, pad = LEGEND_PT, _HANDLE * LEGEND_PT, _HANDLE_PAD * LEGEND_PT
    cols = [keys[c * rows : (c + 1) * rows] for c in range(columns) if keys[c * rows : (c + 1) * rows]]
    widths = [max(handle + pad + text_width(k.label, size) for k in col) for col in cols]
    spacing = 1.5 * size
    x = (d.width - sum(widths) - spacing * (len(cols) - 1)) / 2
    for col, w in zip(cols, widths):
        for r, k in enumerate(col):
            row_foot = d.height - _LEGEND_EDGE - (rows - 1 - r) * _LEGEND_ROW
            baseline = row_foot - (_LEGEND_ROW - (_ASCENT + _DESCENT) * size) / 2 - _DESCENT * size
            _handle(d, k, x, x + handle, baseline - 0.33 * size)
            d.text(x + handle + pad, baseline, k.label, size=size, role="legend")
        x += w + spacing


def _handle(d: Drawing, k: Key, x0: float, x1: float, y: float) -> None:
    """A legend entry's sample of what it names, between ``x0`` and ``x1`` at height ``y``."""
    mid = (x0 + x1) / 2
    if k.kind == "band":
        d.rect(x0, y - 0.35 * LEGEND_PT, x1 - x0, 0.7 * LEGEND_PT, fill=k.color, opacity=k.opacity)
    elif k.kind == "line":
        d.line(x0, y, x1, y, color=k.color, width=1.5 if k.dot else 1.0, dash=k.dash)
        if k.dot:
            d.dots([mid], [y], r=1.5, color=k.color)
    else:
        d.dots([mid], [y], r=3.9 if k.kind == "diamond" else 1.9, color=k.color, edge=k.edge, shape=k.kind)
