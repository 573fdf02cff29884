"""HTML of a report: each executed chapter by nbconvert (code hidden, and a version with code),
and an index page with the table of contents, each chapter's data and citation, and every skipped
chapter or section with its reason."""

from __future__ import annotations

import html
import json
import re
import threading
from pathlib import Path
from typing import Any

_lock = threading.Lock()  # nbconvert's exporters share Jinja state: convert one notebook at a time


def notebook_to_html(nb_path: str | Path, code: bool = False) -> str:
    """A self-contained HTML page of an executed notebook (nbconvert, ``lab`` template); with
    ``code=False`` the code cells and prompts are hidden, their outputs kept."""
    with _lock:
        body, _ = _exporter(code).from_filename(str(nb_path))
    # nbconvert writes non-ASCII text of headings as numeric entities (&#20027;…); as characters the
    # page is smaller and searchable (ASCII entities such as &#60; are markup and stay)
    return _NUMERIC_ENTITY.sub(lambda m: chr(n) if 127 < (n := int(m.group(1))) < 0x110000 and not 0xD800 <= n <= 0xDFFF else m.group(0), body)


_NUMERIC_ENTITY = re.compile(r"&#(\d+);")


_exporters: dict[bool, object] = {}


def _exporter(code: bool):  # noqa: ANN202 - one exporter per variant: its Jinja templates load once per run
    if code not in _exporters:
        from nbconvert import HTMLExporter
        from nbconvert.exporters.html import WidgetsDataTypeFilter
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML

        class _Exporter(HTMLExporter):
            """nbconvert's HTMLExporter without its final BeautifulSoup pass, which re-parses every
            page (the lab theme's CSS and the embedded figures) to add ``alt`` and ``tabindex``
            attributes: half the conversion time of a report. The body of
            ``HTMLExporter.from_notebook_node`` (nbconvert 7.17) up to that pass."""

            def from_notebook_node(self, nb, resources=None, **kw):  # noqa: ANN001, ANN202
                langinfo = nb.metadata.get("language_info", {})
                lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
                self.register_filter("highlight_code", self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
                resources = self._init_resources(resources)
                self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                                                               resources=resources))
                return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

        ex = _Exporter(template_name="lab")
        ex.exclude_input = not code
        ex.exclude_input_prompt = not code
        ex.exclude_output_prompt = True
        _exporters[code] = ex
    return _exporters[code]


def chapter_title(nb: Path, lang: str) -> str:
    """A chapter's title in ``lang``: its first heading (``中文 / English``), cut to the language."""
    from dgkit.report.language import markdown_in

    return markdown_in("# " + _title(nb), lang).lstrip("# ").strip()


def _title(nb: Path) -> str:
    try:
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        first = next(c for c in cells if c["cell_type"] == "markdown")
        src = "".join(first["source"]) if isinstance(first["source"], list) else first["source"]
        return src.splitlines()[0].lstrip("# ").strip()
    except (OSError, StopIteration, KeyError, ValueError, IndexError):
        return nb.stem


CSS = """body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;line-height:1.55;color:#222}
table{border-collapse:collapse;font-size:14px}td,th{border:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f3f3f3}.skipped{color:#8a6d3b}.partial{color:#555}.ok{color:#2e7d32}small{color:#666}"""


def index_page(params: Any, chapters: list[str], status: dict[str, tuple[str, list[dict[str, str]]]],
               inputs: dict[str, Any], results: dict[str, dict[str, Any]], notebooks: Path | None = None) -> str:
    """The report's index.html (see module docstring)."""
    from dgkit.report.labels import Labels

    t = Labels(params.lang)
    title = str(params.text("title") or params.edition)
    rows = []
    for c in chapters:
        outcome, skips = status[c]
        failed = results.get(c, {}).get("status") not in (None, "ok")
        label = "✗" if failed else t({"ok": "report.status_ok", "partial": "report.status_partial", "skipped": "report.status_skipped"}[outcome])
        from dgkit import paths
        name = html.escape(chapter_title((notebooks or paths.notebooks_dir()) / f"{c}.ipynb", params.lang))
        by_reason: dict[str, list[str]] = {}
        for sk in skips:  # sections skipped for one reason are listed together
            by_reason.setdefault(sk["reason"], []).append(sk["section"])
        reasons = "".join(f"<li><small>{html.escape(', '.join(secs))}: {html.escape(r)}</small></li>" for r, secs in by_reason.items())
        rows.append(f"<tr><td><a href='html/{c}.html'>{name}</a><br><small><a href='html/code/{c}.html'>{t('report.with_code')}</a> · "
                    f"<a href='notebooks/{c}.ipynb'>.ipynb</a></small></td><td class='{outcome}'>{html.escape(label)}</td>"
                    f"<td><ul>{reasons}</ul></td></tr>")
    from dgkit.report.edition import open_edition

    ed = open_edition(params.path, params.year_override)
    from dgkit.plotting.style import SYNTH_TAG

    synth = SYNTH_TAG[params.lang].strip()
    data = "".join(f"<li><b>{html.escape(d.get('title_en') if params.lang == 'en' and d.get('title_en') else d['title'])}</b>"
                   f"{' — ' + synth if d['synthetic'] else ''}<br><small>{html.escape(ed.cited(d.get('cite') or d['citation'] or ''))}</small></li>"
                   for d in inputs["datasets"].values())
    skipped = [(c, s) for c in chapters for s in status[c][1]]
    return (f"<!DOCTYPE html><html lang='{params.lang}'><head><meta charset='utf-8'><title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
            f"<h1>{html.escape(t('report.index_title', title=title))}</h1>"
            f"<h2>{t('report.data')}</h2><ul>{data}</ul>"
            f"<h2>{t('report.chapter')}</h2><table><tr><th>{t('report.chapter')}</th><th></th><th>{t('report.skipped_chapters')}</th></tr>{''.join(rows)}</table>"
            f"<p><small>{len(skipped)} · {t('report.skipped_chapters')}</small></p>"
            f"<p><small><code><a href='facts.md'>facts.md</a> · facts.json · <a href='references.md'>references.md</a> · references.bib · "
            f"<a href='tables/tables.docx'>tables.docx</a> · <a href='tables/tables.xlsx'>tables.xlsx</a> · tables/ · figures/ · manifest.json</code></small></p></body></html>")
