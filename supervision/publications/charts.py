"""Charts as small, deterministic SVG (the same bytes in the page and in the PDF).

Two kinds: horizontal bars with 95% interval whiskers (one bar per operator), and lines over
quarters. Text uses "Noto Sans CJK SC" so Chinese names render in the browser and in
WeasyPrint alike: a font-family attribute on the root, which every text inherits (never a
<style> element: the pages show the SVG inline, and the Content-Security-Policy refuses
inline styles). Missing values (suppressed cells, no subscriber count) get no bar and say
why; a chart is always accompanied by its table on the page.
"""
from html import escape

FONT = "Noto Sans CJK SC, Noto Sans CJK, Noto Sans, sans-serif"
PALETTE = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d68910", "#16a085", "#7f8c8d", "#b03a2e")
WIDTH, LABEL_W, ROW_H, TOP = 720, 250, 28, 40


def _fmt(value: float) -> str:
    return f"{value:,.1f}"


def fit(label: str, max_px: float) -> str:
    """Shorten a label to about `max_px` at 12px (CJK characters are twice as wide as Latin ones);
    the full text is in the table beside the chart."""
    width, out = 0.0, ""
    for char in label:
        width += 12 if ord(char) > 0x2E80 else 6.8
        if width > max_px:
            return out.rstrip() + "…"
        out += char
    return out


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** len(str(int(value))) / 10
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
            f'font-family="{escape(FONT)}" font-size="12">\n<title>{escape(title)}</title>\n'
            + "\n".join(body) + "\n</svg>\n")


def bars_with_intervals(bars: list[dict], title: str, unit: str, missing_text: str) -> str:
    """bars: [{"label", "value", "low", "high"}] (value None: no bar, `missing_text` instead)."""
    top_value = max([b["high"] or b["value"] or 0 for b in bars] + [0])
    scale_max = _nice_max(top_value * 1.05)
    plot_w = WIDTH - LABEL_W - 70
    height = TOP + ROW_H * max(len(bars), 1) + 40
    x = lambda v: LABEL_W + v / scale_max * plot_w  # noqa: E731
    body = [f'<text x="0" y="18" font-size="14" font-weight="bold">{escape(title)}</text>']
    for tick in range(5):
        value = scale_max * tick / 4
        body.append(f'<line x1="{x(value):.1f}" y1="{TOP - 6}" x2="{x(value):.1f}" y2="{height - 34}" '
                    'stroke="#ddd"/>')
        body.append(f'<text x="{x(value):.1f}" y="{height - 20}" text-anchor="middle" fill="#555">{_fmt(value)}</text>')
    body.append(f'<text x="{WIDTH - 4}" y="{height - 4}" text-anchor="end" fill="#555">{escape(unit)}</text>')
    for i, bar in enumerate(bars):
        y = TOP + i * ROW_H
        body.append(f'<text x="{LABEL_W - 8}" y="{y + 17}" text-anchor="end">{escape(fit(bar["label"], LABEL_W - 14))}</text>')
        if bar["value"] is None:
            body.append(f'<text x="{LABEL_W + 4}" y="{y + 17}" fill="#777" font-style="italic">'
                        f'{escape(missing_text)}</text>')
            continue
        body.append(f'<rect x="{LABEL_W}" y="{y + 5}" width="{max(x(bar["value"]) - LABEL_W, 0.5):.1f}" '
                    f'height="{ROW_H - 10}" fill="{PALETTE[0]}" opacity="0.8"/>')
        if bar.get("low") is not None and bar.get("high") is not None:
            lo, hi, mid = x(bar["low"]), x(bar["high"]), y + ROW_H / 2
            body.append(f'<line x1="{lo:.1f}" y1="{mid:.1f}" x2="{hi:.1f}" y2="{mid:.1f}" stroke="#222" '
                        'stroke-width="1.5"/>')
            for end in (lo, hi):
                body.append(f'<line x1="{end:.1f}" y1="{y + 7}" x2="{end:.1f}" y2="{y + ROW_H - 7}" '
                            'stroke="#222" stroke-width="1.5"/>')
        right = x(max(bar["value"], bar.get("high") or 0))
        body.append(f'<text x="{right + 6:.1f}" y="{y + 17}" fill="#222">{_fmt(bar["value"])}</text>')
    return _svg(WIDTH, height, title, body)


def lines_over_quarters(periods: list[str], series: list[dict], title: str, unit: str) -> str:
    """series: [{"label", "values": {period: value or None}}]; gaps where a value is missing."""
    height, left, right, top, bottom = 300, 60, 200, 36, 40
    values = [v for s in series for v in s["values"].values() if v is not None]
    scale_max = _nice_max(max(values + [0]) * 1.05)
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    step = plot_w / max(len(periods) - 1, 1)
    x = lambda i: left + (i * step if len(periods) > 1 else plot_w / 2)  # noqa: E731
    y = lambda v: top + plot_h - v / scale_max * plot_h  # noqa: E731
    body = [f'<text x="0" y="18" font-size="14" font-weight="bold">{escape(title)}</text>']
    for tick in range(5):
        value = scale_max * tick / 4
        body.append(f'<line x1="{left}" y1="{y(value):.1f}" x2="{left + plot_w}" y2="{y(value):.1f}" stroke="#ddd"/>')
        body.append(f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="#555">{_fmt(value)}</text>')
    for i, period in enumerate(periods):
        body.append(f'<text x="{x(i):.1f}" y="{height - 18}" text-anchor="middle" fill="#555">{escape(period)}</text>')
    body.append(f'<text x="{left}" y="{height - 2}" fill="#555">{escape(unit)}</text>')
    for n, line in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        points = [(x(i), y(line["values"][p])) for i, p in enumerate(periods) if line["values"].get(p) is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for px, py in points:
            body.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"/>')
        ly = top + 14 + n * 18
        body.append(f'<rect x="{WIDTH - right + 14}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>')
        body.append(f'<text x="{WIDTH - right + 30}" y="{ly}">{escape(fit(line["label"], right - 36))}</text>')
    return _svg(WIDTH, height, title, body)
