"""One language per edition: the notebooks' bilingual prose cut to the edition's language, and the
scanner that finds text of the other language in an output.

The chapter notebooks are written in both languages with one convention, checked by a test for
every markdown cell: a heading is ``中文 / English``; a paragraph (or list item) is Chinese when it
holds a CJK character and English when it holds Latin words and no CJK character; a paragraph of
neither (a formula, a table of symbols) belongs to both. :func:`markdown_in` keeps the edition's
part of each, so the report's notebooks and HTML pages are in one language.

:func:`foreign_words` is what the language test runs over every output of a report: in an English
edition every CJK character is foreign; in a Chinese edition every Latin word is foreign except the
symbols, names and abbreviations that Chinese papers write in Latin letters (``ALLOWED_LATIN``:
GDP, Spearman, Moran's I, TOPSIS, p, n …).
"""

from __future__ import annotations

import re
from pathlib import Path

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
_HEADING = re.compile(r"^(#{1,6}\s+)(.*)$")

# Latin words a Chinese text keeps (case-insensitive): eponyms and methods, statistics symbols and units,
# names of organisations, indices and software, and file suffixes. Everything else in a zh output is English.
ALLOWED_LATIN = frozenset(w.lower() for w in ["GDP", "EGDI", "OSI", "HCI", "TII", "EPI", "UN", "NBS", "CCID", "CSTC", "CAICT", "CDG", "CPSC", "OECD", "JRC", "PySAL", "SALib", "COINr", "esda", "giddy", "libpysal", "inequality", "mapclassify", "statsmodels", "scipy", "pandas", "dgkit", "Python", "Jupyter", "JupyterLab", "papermill", "LaTeX", "BibTeX", "CSL", "JSON", "CSV", "TSV", "XLSX", "xlsx", "csv", "tex", "docx", "svg", "png", "pdf", "html", "yaml", "md", "json", "ipynb", "Word", "Excel", "APA", "GB", "T", "ISO", "adcode", "Spearman", "Kendall", "Pearson", "Moran", "Geary", "Getis", "Ord", "LISA", "Dagum", "Gini", "Theil", "Atkinson", "Lorenz", "Sobol", "Saltelli", "Jansen", "Monte", "Carlo", "TOPSIS", "Fisher", "Jenks", "Jenk", "Cohen", "kappa", "Cronbach", "Silverman", "Scott", "Gaussian", "Markov", "OLS", "HAC", "HC", "SE", "CI", "PCA", "KDE", "MC", "Shapiro", "Wilk", "Barro", "Sala", "Martin", "Rey", "Anselin", "Hwang", "Yoon", "Dirichlet", "Shorrocks", "Quah", "Kernel", "Theil's", "Moran's", "Cohen's", "Cronbach's", "Kendall's", "Spearman's", "Pearson's", "Tsinghua", "Newey", "West", "Huber", "White", "Hausman", "Wald", "BH", "FDR", "CV", "SD", "IQR", "RMSE", "MAE", "max", "min", "log", "ln", "exp", "sqrt", "tau", "rho", "alpha", "beta", "sigma", "gamma", "delta", "lambda", "mu", "pi", "kappa", "chi", "HH", "LL", "HL", "LH", "id", "ID", "ddof", "N", "S_T", "S_1", "S1", "ST", "PART", "Top", "DOI", "SYNTHETIC", "et", "al"])


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text))


def _latin_words(text: str) -> list[str]:
    return _WORD.findall(text)


# code, formulas, link targets and identifiers (snake_case names, file paths, dotted keys) are in no language
_NEUTRAL = re.compile(r"`[^`]*`|\$\$.*?\$\$|\$[^$\n]*\$|\]\([^)]*\)|[A-Za-z0-9]+(?:[_/.][A-Za-z0-9]+)*_[A-Za-z0-9_./]+"
                      r"|[A-Za-z0-9_]+(?:/[A-Za-z0-9_.]+)+", re.S)


def paragraph_language(text: str) -> str | None:
    """``"zh"`` (any CJK character), ``"en"`` (Latin words, no CJK) or None (neither: formulas, symbols).
    Code spans, math and links' targets do not count."""
    bare = _NEUTRAL.sub(" ", text)
    if has_cjk(bare):
        return "zh"
    words = [w for w in _latin_words(bare) if len(w) > 1]
    return "en" if len(words) >= 2 else None


def _heading(line: str, lang: str) -> str:
    m = _HEADING.match(line)
    if not m:
        return line
    hashes, text = m.groups()
    parts = [p.strip() for p in re.split(r"\s+/\s+", text)]
    if len(parts) >= 2:
        zh = [p for p in parts if has_cjk(p)]
        en = [p for p in parts if not has_cjk(p)]
        if zh and en:
            return hashes + (" / ".join(zh) if lang == "zh" else " / ".join(en))
    return line


def markdown_in(text: str, lang: str) -> str:
    """A bilingual markdown cell cut to ``lang`` (see module docstring): headings ``中文 / English``
    keep their side, paragraphs of the other language are dropped, the rest is kept."""
    if lang not in ("zh", "en"):
        raise ValueError(f"unknown language {lang!r}; expected zh or en")
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = block.split("\n")
        if all(_HEADING.match(x) for x in lines if x.strip()):
            out.append("\n".join(_heading(x, lang) for x in lines))
            continue
        body = [x for x in lines if not _HEADING.match(x)]
        heads = [_heading(x, lang) for x in lines if _HEADING.match(x)]
        if lines and lines[0].lstrip().startswith(("- ", "* ", "1. ")):  # a list: item by item
            kept = [x for x in lines if paragraph_language(x) in (None, lang)]
            if kept:
                out.append("\n".join(kept))
            continue
        which = paragraph_language("\n".join(body))
        if which in (None, lang):
            out.append("\n".join(heads + body))
        elif heads:
            out.append("\n".join(heads))
    return "\n\n".join(b for b in out if b.strip())


def foreign_words(text: str, lang: str) -> list[str]:
    """Runs of the other language in ``text``: CJK runs for ``en``; Latin words outside
    :data:`ALLOWED_LATIN` (two letters or more) for ``zh``."""
    if lang == "en":
        return re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", text)
    text = _NEUTRAL.sub(" ", text)  # code, formulas and link targets are in no language
    out = []
    for w in _latin_words(text):
        base = w.rstrip("'’").lower()
        if len(base) < 2 or base in ALLOWED_LATIN or base.removesuffix("'s") in ALLOWED_LATIN:
            continue
        out.append(w)
    return out


# headers of identifier columns (codes, keys: in no language) in either language
_ID_HEADERS = frozenset({"unit_id", "unit", "code", "claim_id", "单位代码", "代码", "条目", "unit ID", "claim",
                         "工作表", "Sheet", "文件", "File", "章节", "Chapter"})
ID_KEYS = frozenset({"unit_id", "unit", "code", "claim_id", "neighbour_id", "adcode"})  # identifier columns, by key
_TEX_MARKUP = re.compile(r"\\(?:begin|end)\{(?:tabular|longtable)\}(?:\[[^]]*\])?(?:\{[^}]*\})?"
                         r"|\\(?:label|ref|begin|end|usepackage|setCJKmainfont)\{[^}]*\}|\\[A-Za-z]+\*?|%[^\n]*")
# in a Chinese edition the references keep each work's own language (GB/T 7714): a cited English author is no leak
_ZH_CITATIONS = re.compile(r"\((?:[^()]|\([^()]*\))*\d{4}[a-z]?(?:[:：][^()]*)?\)")


def _strip_colspec(text: str) -> str:
    """LaTeX without the column specifications of its tables (``{p{0.4\\linewidth}rrl}``: nested braces)."""
    out, i = [], 0
    for m in re.finditer(r"\\begin\{(?:tabular|longtable)\}", text):
        if m.start() < i:
            continue
        out.append(text[i:m.end()])
        j, depth = m.end(), 0
        while j < len(text):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
            if depth == 0:
                break
        i = j
    out.append(text[i:])
    return "".join(out)


def _tex_cells(text: str, meta: Path) -> str:
    """A LaTeX table without the cells of its identifier columns (named by its meta file)."""
    import json

    try:
        m = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return text
    cols = [c.get("key") for c in m.get("columns", [])]
    ids = {i for i, k in enumerate(cols) if k in ID_KEYS}
    if not ids:
        return text
    out = []
    for line in text.split("\n"):
        cells = line.split(" & ")
        if len(cells) == len(cols):
            line = " & ".join(c for i, c in enumerate(cells) if i not in ids)
        out.append(line)
    return "\n".join(out)


def text_of_output(path: str | Path, lang: str | None = None) -> str:
    """The words a reader sees in one output file: CSV cells (identifier columns left out), LaTeX
    without its markup, a facts file's sentences and sources, an SVG's text, Markdown without code
    spans, an HTML page without its markup, code and styles, a docx's paragraphs and cells."""
    import csv
    import io
    import json

    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".docx":
        from docx import Document

        d = Document(str(p))
        parts = []
        for x in d.paragraphs:
            if lang == "zh" and x.text.strip() in ("参考文献",):
                break  # the reference list keeps each work's language (GB/T 7714)
            if lang == "zh" and x.text.startswith("资料来源"):
                continue
            parts.append(x.text)
        for t in d.tables:
            rows = [[c.text for c in row.cells] for row in t.rows]
            ids = {i for i, h in enumerate(rows[0]) if h in _ID_HEADERS} if rows else set()
            parts += [v for row in rows for i, v in enumerate(row) if i not in ids]
        return "\n".join(parts)
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(str(p), read_only=True)
        parts = []
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            ids = set()
            for row in rows:  # the header row of a table names its identifier columns
                if row and any(isinstance(v, str) and v in _ID_HEADERS for v in row):
                    ids = {i for i, v in enumerate(row) if isinstance(v, str) and v in _ID_HEADERS}
                    break
            parts += [str(v) for row in rows for i, v in enumerate(row) if isinstance(v, str) and i not in ids]
        return "\n".join(parts)
    text = p.read_text(encoding="utf-8-sig", errors="replace")
    if suffix in (".csv", ".tsv"):
        rows = list(csv.reader(io.StringIO(text), delimiter="\t" if suffix == ".tsv" else ","))
        if not rows:
            return ""
        ids = {i for i, h in enumerate(rows[0]) if h in _ID_HEADERS}
        return "\n".join(v for row in rows for i, v in enumerate(row) if i not in ids)
    if suffix == ".tex":
        text = _TEX_MARKUP.sub(" ", _strip_colspec(_tex_cells(text, p.with_suffix(".meta.json")))).replace("\\_", "_")
    if suffix == ".json":
        data = json.loads(text)
        out: list[str] = []

        def walk(v: object) -> None:
            if isinstance(v, dict):
                for k, x in v.items():
                    if k == "source" and lang == "zh":
                        continue  # citations keep each work's language (GB/T 7714)
                    if k in ("sentence", "source", "reason", "section", "caption", "title"):
                        out.append(str(x))
                    else:
                        walk(x)
            elif isinstance(v, list):
                for x in v:
                    walk(x)

        walk(data)
        return "\n".join(out)
    if suffix == ".svg":
        import html as _html

        text = _html.unescape("\n".join(re.findall(r"<!-- (.*?) -->", text)))
    if suffix in (".html", ".htm"):
        # tables are scanned in their own files (CSV, LaTeX, Word, Excel), which know their identifier columns
        # the build's collapsed log (<details>) is the pipeline's diagnostic record, in English with the data's own names
        text = re.sub(r"<(script|style|pre|code|table|details)\b.*?</\1>", " ", text, flags=re.S | re.I)
        text = re.sub(r"<div class=\"[^\"]*(?:jp-InputArea|highlight)[^\"]*\".*?</div>", " ", text, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)
        import html as _html

        return _html.unescape(text)
    if suffix == ".md":
        text = re.sub(r"`[^`]*`|<!--.*?-->", " ", text)
        if lang == "zh":
            text = text.split("## 参考文献")[0]  # the reference list keeps each work's language (GB/T 7714)
    if lang == "zh":
        text = _ZH_CITATIONS.sub(" ", text)
    return text


def scan_outputs(folder: str | Path, lang: str) -> dict[str, list[str]]:
    """Every output file of a report folder with words of the other language in it (see
    :func:`foreign_words`): ``{relative path: [words]}``. Logs, manifests and notebooks' code are
    not outputs a reader cites; the notebooks' prose is (in their HTML pages)."""
    root = Path(folder)
    found: dict[str, list[str]] = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if not p.is_file() or rel.parts[0] in ("logs", "notebooks") or p.name in ("manifest.json",) or p.suffix == ".png":
            continue
        if p.suffix.lower() not in (".csv", ".tex", ".json", ".svg", ".md", ".html", ".docx", ".xlsx"):
            continue
        if rel.parts[0] == "html" and len(rel.parts) > 1 and rel.parts[1] == "code":
            continue  # the pages with code show the code (identifiers are English in both editions)
        if lang == "zh" and p.name in ("references.md", "references.bib"):
            continue  # a reference list keeps each work's own language (GB/T 7714)
        words = foreign_words(text_of_output(p, lang), lang)
        if words:
            found[str(rel)] = words
    return found
