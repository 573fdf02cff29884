"""Helpers of the table tests: compile LaTeX tables with XeLaTeX + xeCJK, and the catalogue
entries the table exports use.

``compile_tables(paths, tmp_path)`` wraps any ``.tex`` tables (e.g. every table of a report) in one
XeLaTeX document with xeCJK and the Noto Serif CJK SC font that mplfonts ships, compiles it with
``xelatex -halt-on-error -interaction=nonstopmode`` and returns the PDF path and the log.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The labels the exports read (dgkit/report/labels.yaml, key ``export``). Until the catalogue has
# them, ``export_labels`` adds them for the test; once it has them, the catalogue's own text is used.
EXPORT_LABELS = {
    "export.bool_true": {"zh": "是", "en": "yes"},
    "export.bool_false": {"zh": "否", "en": "no"},
    "export.table_caption": {"zh": "表 {n}  {caption}", "en": "Table {n}. {caption}"},
    "export.references": {"zh": "参考文献", "en": "References"},
    "export.contents": {"zh": "目录", "en": "Contents"},
    "export.sheet": {"zh": "工作表", "en": "Sheet"},
    "export.caption": {"zh": "表题", "en": "Caption"},
    "export.source": {"zh": "资料来源", "en": "Source"},
    "export.rows": {"zh": "行数", "en": "Rows"},
    "export.file": {"zh": "文件", "en": "File"},
    "export.note": {"zh": "说明", "en": "Note"},
    "export.renamed": {"zh": "工作表名 {base} 已被 {other} 使用, 本表的工作表名为 {sheet}",
                       "en": "sheet name {base} is already used by {other}; this table's sheet is {sheet}"},
}


@pytest.fixture
def export_labels():
    """The catalogue with the export labels (added for the test when it lacks them)."""
    from dgkit.report.labels import catalogue

    cat = catalogue()
    added = [k for k in EXPORT_LABELS if k not in cat]
    for k in added:
        cat[k] = EXPORT_LABELS[k]
    yield cat
    for k in added:
        cat.pop(k, None)


def ensure_xelatex() -> str:
    """The xelatex executable; runs .ci/ensure-texlive first, skips the test only when it could not
    install xelatex (not root, no apt-get, no network)."""
    exe = shutil.which("xelatex")
    if exe is None:
        subprocess.run([str(ROOT / ".ci" / "ensure-texlive")], check=False, capture_output=True, timeout=900)
        exe = shutil.which("xelatex")
    if exe is None:
        pytest.skip("xelatex is missing and .ci/ensure-texlive could not install it (needs root and apt-get: "
                    "texlive-xetex texlive-lang-chinese)")
    return exe


def cjk_serif_font() -> Path:
    """Noto Serif CJK SC as shipped by mplfonts (beside the Sans font the figures use)."""
    from dgkit.plotting.style import cjk_font_path

    p = cjk_font_path().with_name("NotoSerifCJKsc-Regular.otf")
    if not p.exists():
        pytest.skip(f"the CJK serif font is not in the mplfonts package: {p}")
    return p


def document(paths: Iterable[Path], font: Path) -> str:
    """One XeLaTeX document that ``\\input``s every table, in the given order."""
    inputs = "\n".join(f"\\input{{{Path(p).resolve().as_posix()}}}\n\\clearpage" for p in paths)
    return (
        "\\documentclass[a4paper]{article}\n"
        "\\usepackage[margin=2cm]{geometry}\n"
        "\\usepackage{booktabs}\n\\usepackage{longtable}\n"
        "\\usepackage{xeCJK}\n"
        f"\\setCJKmainfont[Path={font.parent.as_posix()}/]{{{font.name}}}\n"
        "\\begin{document}\n" + inputs + "\n\\end{document}\n"
    )


def compile_tables(paths: Iterable[Path], tmp_path: Path) -> tuple[Path, str]:
    """Compile the ``.tex`` tables ``paths`` in one document in ``tmp_path``; fail with the end of
    the log if xelatex does not finish with exit 0 and a PDF. Returns the PDF and the log."""
    exe = ensure_xelatex()
    paths = list(paths)
    assert paths, "no .tex tables to compile"
    tex = tmp_path / "tables_doc.tex"
    tex.write_text(document(paths, cjk_serif_font()), encoding="utf-8")
    log = ""
    for _ in range(2):  # twice, as LaTeX needs for longtable's column widths
        proc = subprocess.run([exe, "-halt-on-error", "-interaction=nonstopmode", tex.name], cwd=tmp_path,
                              capture_output=True, text=True, errors="replace", timeout=600)
        log = proc.stdout
        assert proc.returncode == 0, f"xelatex failed (exit {proc.returncode}):\n{log[-3000:]}"
    pdf = tmp_path / "tables_doc.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000
    return pdf, log


def pdf_text(pdf: Path) -> str | None:
    """The PDF's text by pdftotext (poppler-utils), or None when pdftotext is absent."""
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    return subprocess.run([exe, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
