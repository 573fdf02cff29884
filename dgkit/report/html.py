"""A light HTML rendering of an executed notebook (no nbconvert import: ~2 s saved per report).

Markdown cells go through mistune (nbconvert's own Markdown engine); code cells are shown as
escaped code with their execution count; outputs keep images (PNG/SVG), HTML tables, text and
tracebacks. The page is self-contained, with a small stylesheet and UTF-8 for Chinese.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CSS = """body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.55;color:#222}
pre{background:#f6f8fa;padding:.6em .8em;overflow-x:auto;font-size:13px;border-radius:4px}
.in{border-left:3px solid #3b6ea5}.err{background:#fdecea;border-left:3px solid #c0392b}
.count{color:#888;font-size:12px;font-family:monospace}table{border-collapse:collapse;font-size:13px;margin:.5em 0}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f3f3f3}img{max-width:100%}
.out{margin:.3em 0 1.2em 0}"""


def _md(text: str) -> str:
    try:
        import mistune

        return mistune.html(text)
    except ImportError:  # pragma: no cover - mistune comes with nbconvert
        return "<p>" + html.escape(text).replace("\n\n", "</p><p>") + "</p>"


def _src(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _output(o: dict) -> str:
    t = o.get("output_type")
    if t == "stream":
        return f"<pre>{html.escape(_ANSI.sub('', ''.join(o.get('text', ''))))}</pre>"
    if t == "error":
        tb = _ANSI.sub("", "\n".join(o.get("traceback", [])))
        return f"<pre class='err'>{html.escape(tb)}</pre>"
    data = o.get("data", {})
    if "image/png" in data:
        return f"<img src='data:image/png;base64,{''.join(data['image/png']).strip()}'>"
    if "image/svg+xml" in data:
        return "".join(data["image/svg+xml"])
    if "text/html" in data:
        return "".join(data["text/html"])
    if "text/markdown" in data:
        return _md("".join(data["text/markdown"]))
    if "text/plain" in data:
        return f"<pre>{html.escape(''.join(data['text/plain']))}</pre>"
    return ""


def notebook_to_html(nb_path: str | Path) -> str:
    nb = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    title = Path(nb_path).stem
    parts = [f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>{html.escape(title)}</title><style>{CSS}</style></head><body>"]
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            parts.append(_md(_src(cell)))
        elif cell.get("cell_type") == "code":
            n = cell.get("execution_count")
            parts.append(f"<div class='count'>In [{n if n is not None else ' '}]:</div><pre class='in'><code>{html.escape(_src(cell))}</code></pre>")
            outs = "".join(_output(o) for o in cell.get("outputs", []))
            if outs:
                parts.append(f"<div class='out'>{outs}</div>")
    parts.append("</body></html>")
    return "\n".join(parts)
