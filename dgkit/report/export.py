"""A report's tables as one Excel workbook and one Word document, built from ``tables/`` alone.

The runner calls :func:`write_workbook` and :func:`write_docx` after every chapter has run; they
read only ``<tables_dir>/*.csv`` and ``*.meta.json`` (written by
:func:`dgkit.report.tablewriter.write_table`), in chapter order (the chapter prefix, then the
table's name). A CSV without a meta file (written before tablewriter existed) is read with its
``# source:`` rows and the column kinds inferred; the returned notes say so.

Both files are byte-identical between runs on the same tables: the zip entries get a fixed
timestamp and the document properties no creation or modification time.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import pandas as pd

from dgkit.errors import InputError
from dgkit.report.files import atomic_write_bytes
from dgkit.report.labels import Labels
from dgkit.report.latex import display_width
from dgkit.report.tableformat import (
    NUMERIC_KINDS,
    P_FLOOR,
    column_kinds,
    format_cell,
    is_missing,
    parse_csv_cell,
)
from dgkit.report.tablewriter import META_SUFFIX, bool_words, check_lang, column_decimals

SHEET_MAX = 31  # Excel's limit on a sheet name
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold: fixed, so the bytes repeat
_CORE_TIMES = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>|<dcterms:(created|modified)\b[^>]*/>")


@dataclass
class StoredTable:
    """One table read back from its CSV and meta file."""

    stem: str
    chapter: str
    caption: str
    source: str
    columns: list[dict[str, Any]]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)
    cite: list[str] = field(default_factory=list)
    csv_name: str = ""

    @property
    def name(self) -> str:
        """The table's name without the chapter prefix (``02_ranking__rank_check`` → ``rank_check``)."""
        return self.stem.split("__", 1)[1] if "__" in self.stem else self.stem

    @property
    def kinds(self) -> list[str]:
        return [c["kind"] for c in self.columns]

    @property
    def headers(self) -> list[str]:
        return [c["header"] for c in self.columns]


def _read_csv_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _legacy(path: Path) -> StoredTable:
    """A CSV without meta (the recorder's old format): ``# source:`` rows, kinds inferred by pandas."""
    raw = _read_csv_rows(path)
    sources = [r[0].removeprefix("# source:").strip() for r in raw if r and r[0].startswith("# source:")]
    body = "".join(line for line in path.read_text(encoding="utf-8-sig").splitlines(keepends=True) if not line.startswith("# source:"))
    df = pd.read_csv(io.StringIO(body), keep_default_na=True) if body.strip() else pd.DataFrame()
    kinds = column_kinds(df)
    cols = [{"key": str(c), "header": str(c), "kind": k, "decimals": column_decimals(k, 2)} for c, k in zip(df.columns, kinds, strict=True)]
    rows = [[None if is_missing(v) else (v.item() if hasattr(v, "item") else v) for v in r] for r in df.astype(object).itertuples(index=False)]
    stem = path.stem
    return StoredTable(stem, stem.split("__", 1)[0] if "__" in stem else "", stem, "; ".join(dict.fromkeys(sources)), cols, rows, csv_name=path.name)


def read_tables(tables_dir: Path) -> tuple[list[StoredTable], list[str]]:
    """Every table of ``tables_dir`` in chapter order, and notes on what was read without meta."""
    tables_dir = Path(tables_dir)
    out: list[StoredTable] = []
    notes: list[str] = []
    metas = {p.name[: -len(META_SUFFIX)]: p for p in tables_dir.glob(f"*{META_SUFFIX}")}
    for csv_path in sorted(tables_dir.glob("*.csv")):
        meta_path = metas.pop(csv_path.stem, None)
        if meta_path is None:
            out.append(_legacy(csv_path))
            notes.append(f"{csv_path.name}: no {csv_path.stem}{META_SUFFIX}; caption, headers and column kinds inferred from the CSV")
            continue
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        raw = _read_csv_rows(csv_path)
        cols = meta["columns"]
        if not raw or len(raw[0]) != len(cols):
            raise InputError("the CSV and its meta file disagree on the columns", file=csv_path, row=1,
                             expected=f"{len(cols)} columns ({', '.join(c['header'] for c in cols)})",
                             got=f"{len(raw[0]) if raw else 0} columns")
        rows = []
        for i, r in enumerate(raw[1:], start=2):
            if len(r) != len(cols):
                raise InputError("a row has the wrong number of cells", file=csv_path, row=i, expected=f"{len(cols)} cells", got=f"{len(r)} cells")
            rows.append([parse_csv_cell(c["kind"], s) for c, s in zip(cols, r, strict=True)])
        out.append(StoredTable(meta["stem"], meta.get("chapter", ""), meta.get("caption", ""), meta.get("source", ""), cols, rows,
                               list(meta.get("notes", [])), list(meta.get("cite", [])), csv_path.name))
    for stem, p in sorted(metas.items()):
        notes.append(f"{p.name}: no {stem}.csv beside it; left out")
    out.sort(key=lambda t: (t.chapter, t.stem))
    return out, notes


# ---------------------------------------------------------------------- sheet names
def _clean_sheet(name: str) -> str:
    name = SHEET_FORBIDDEN.sub("_", name).strip("'").strip()
    return name or "table"


def sheet_names(tables: Sequence[StoredTable], reserved: Sequence[str] = ()) -> tuple[list[str], list[dict[str, str] | None]]:
    """Excel sheet names ``<chapter number>_<name>`` (``02_rank_check``), at most 31 characters,
    without ``[ ] : * ? / \\``; and per table a note when the name had to be changed.

    Excel compares sheet names without case. A name already used (after shortening) gets ``~2``,
    ``~3`` … at its end, and the note says which table had it first: never a silent rename."""
    used = {r.lower(): "" for r in reserved}
    names: list[str] = []
    notes: list[dict[str, str] | None] = []
    for t in tables:
        num = re.match(r"\d+", t.chapter or "")
        prefix = num.group(0) if num else (t.chapter or "")
        base = _clean_sheet(f"{prefix}_{t.name}" if prefix else t.name)[:SHEET_MAX]
        name, i, note = base, 1, None
        while name.lower() in used:
            i += 1
            suffix = f"~{i}"
            name = base[: SHEET_MAX - len(suffix)] + suffix
        if i > 1:
            note = {"table": t.stem, "base": base, "other": used[base.lower()], "sheet": name}
        used[name.lower()] = t.stem
        names.append(name)
        notes.append(note)
    return names, notes


# ---------------------------------------------------------------------- workbook
def _number_format(kind: str, value: Any, decimals: int | None) -> str | None:
    """Excel number format of a cell: p-values below 0.001 in scientific notation (``0.00E+00``),
    else 3 decimals; counts ``0``; floats and percents with the table's decimals."""
    if kind == "p":
        return "0.00E+00" if value < P_FLOOR else "0.000"
    if kind == "int":
        return "0"
    if kind in ("float", "percent"):
        d = decimals if decimals is not None else 2
        return "0." + "0" * d if d > 0 else "0"
    return None


def _excel_value(kind: str, value: Any) -> Any:
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "−∞"  # Excel has no infinity
    return value


def deterministic_zip(data: bytes) -> bytes:
    """The same OOXML package with every entry dated :data:`ZIP_TIME` and no creation/modification
    time in ``docProps/core.xml`` (both are optional there), so equal content gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = _CORE_TIMES.sub(b"", blob)
            zi = zipfile.ZipInfo(info.filename, ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, blob)
    return buf.getvalue()


def write_workbook(tables_dir: Path, target: Path, lang: str) -> list[str]:
    """Write every table of ``tables_dir`` into one workbook at ``target``; return notes.

    The first sheet is the index (sheet name with a hyperlink to it, chapter, caption, source,
    rows, CSV file, a note when a sheet name had to be changed). Each table's sheet holds the
    caption (row 1), the header (row 3, bold and frozen), the rows and, below them, the source and
    notes. Numbers are stored as numbers with a number format per column kind (p-values are never
    stored as 0: an underflowed p-value is the text ``<1e-300``), text as text, never a formula.
    Column widths fit the content (East Asian wide characters count double, at most 60)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    check_lang(lang, str(target))
    tables, notes = read_tables(Path(tables_dir))
    if not tables:
        return [*notes, f"no tables in {tables_dir}: {Path(target).name} not written"]
    t = Labels(lang)
    words = bool_words(lang)
    index_name = t("export.contents")
    names, renames = sheet_names(tables, reserved=[index_name])
    notes += [f"{n['table']}: sheet name {n['base']!r} is already used by {n['other'] or 'the index sheet'}; this table's sheet is {n['sheet']!r}"
              for n in renames if n]
    wb = Workbook()
    wb.properties.creator = "dgkit"
    ix = wb.active
    ix.title = index_name
    bold = Font(bold=True)
    link_font = Font(color="0563C1", underline="single")
    head = [t("export.sheet"), t("report.chapter"), t("export.caption"), t("export.source"), t("export.rows"), t("export.file"), t("export.note")]
    for j, h in enumerate(head, start=1):
        _set_text(ix.cell(row=1, column=j), h)
        ix.cell(row=1, column=j).font = bold
    for i, (tab, sheet, note) in enumerate(zip(tables, names, renames, strict=True), start=2):
        said = t("export.renamed", base=note["base"], other=note["other"] or index_name, sheet=note["sheet"]) if note else ""
        for j, v in enumerate([sheet, tab.chapter, tab.caption, tab.source, len(tab.rows), tab.csv_name, said], start=1):
            if isinstance(v, str):
                if v:
                    _set_text(ix.cell(row=i, column=j), v)
            else:
                ix.cell(row=i, column=j, value=v)
        cell = ix.cell(row=i, column=1)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!A1", display=sheet)  # a link inside the workbook
        cell.font = link_font
    for col, w in zip("ABCDEFG", (32, 24, 50, 50, 8, 36, 40), strict=True):
        ix.column_dimensions[col].width = w
    ix.freeze_panes = "A2"
    for tab, sheet in zip(tables, names, strict=True):
        ws = wb.create_sheet(sheet)
        if tab.caption:
            _set_text(ws.cell(row=1, column=1), tab.caption)
            ws.cell(row=1, column=1).font = bold
        widths = [display_width(h) for h in tab.headers]
        for j, (h, kind) in enumerate(zip(tab.headers, tab.kinds, strict=True), start=1):
            c = ws.cell(row=3, column=j)
            _set_text(c, h)
            c.font = bold
            if kind in NUMERIC_KINDS:
                c.alignment = Alignment(horizontal="right")
        for i, row in enumerate(tab.rows, start=4):
            for j, (v, col) in enumerate(zip(row, tab.columns, strict=True), start=1):
                kind = col["kind"]
                if v is None:
                    continue
                c = ws.cell(row=i, column=j)
                v = _excel_value(kind, v)
                if isinstance(v, str):
                    _set_text(c, v)
                    if kind in NUMERIC_KINDS:
                        c.alignment = Alignment(horizontal="right")
                    shown = v
                else:
                    c.value = v
                    fmt = _number_format(kind, v, col.get("decimals")) if kind != "bool" else None
                    if fmt:
                        c.number_format = fmt
                    shown = format_cell(kind, v, col.get("decimals") or 0, words=words) if kind != "p" else _p_shown(v)
                widths[j - 1] = max(widths[j - 1], display_width(str(shown)))
        below = len(tab.rows) + 5
        if tab.source:
            _set_text(ws.cell(row=below, column=1), t("report.source_line", source=tab.source))
            below += 1
        for n in tab.notes:
            _set_text(ws.cell(row=below, column=1), n)
            below += 1
        for j, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = min(max(w + 2, 6), 60)
        ws.freeze_panes = "A4"
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(target, deterministic_zip(buf.getvalue()))
    return notes


def _p_shown(v: float) -> str:
    return f"{v:.2E}" if v < P_FLOOR else f"{v:.3f}"


def _set_text(cell: Any, value: str) -> None:
    """Store ``value`` as text, never as a formula (openpyxl makes any text starting with ``=`` a
    formula); text a spreadsheet would execute on editing also gets Excel's quote prefix."""
    cell.value = value
    cell.data_type = "s"
    if value.startswith(("=", "+", "-", "@")):
        cell.quotePrefix = True


# ---------------------------------------------------------------------- Word
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A4 = (11906, 16838)  # page size in twips (210 × 297 mm)
MARGIN = 1440  # 2.54 cm
TEXT_WIDTH = A4[0] - 2 * MARGIN
BODY_SIZE = 18  # half-points: 9 pt in tables
NARROW_SIZE = 15  # 7.5 pt for tables wider than the text
CELL_MARGIN = 57  # twips (0.1 cm) left and right of a cell
MAX_CELL_CHARS = 40  # a column is never wider than this many narrow characters; longer text wraps


def _set_style_fonts(style: Any, latin: str, cjk: str) -> None:
    """``w:rFonts`` of a style: ``latin`` for ASCII/hAnsi/cs, ``cjk`` for ``w:eastAsia`` (the
    attribute Word uses for Chinese characters); theme fonts removed so they do not override."""
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{a}"), None)
    for a, v in (("ascii", latin), ("hAnsi", latin), ("eastAsia", cjk), ("cs", latin)):
        fonts.set(qn(f"w:{a}"), v)


def _run(text: str, *, bold: bool = False, size: int = BODY_SIZE) -> str:
    b = "<w:b/>" if bold else ""
    return f'<w:r><w:rPr>{b}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr><w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r>'


def _cell(text: str, width: int, *, right: bool, bold: bool, size: int, border: str = "") -> str:
    jc = '<w:jc w:val="right"/>' if right else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{border}</w:tcPr>'
            f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>{jc}</w:pPr>{_run(text, bold=bold, size=size)}</w:p></w:tc>')


def table_xml(headers: Sequence[str], kinds: Sequence[str], cells: Sequence[Sequence[str]]) -> str:
    """A three-line table (booktabs style: rules above and below the table and under the header),
    header row bold and repeated on every page (``w:tblHeader``), numbers right-aligned. Column
    widths follow the widest cell (East Asian characters count double, capped at 40); a table wider
    than the text column is set in 7.5 pt and scaled to fit, else 9 pt."""
    n = len(headers)
    chars = [min(max([display_width(h)] + [display_width(r[j]) for r in cells]), MAX_CELL_CHARS) + 1 for j, h in enumerate(headers)]
    size = BODY_SIZE
    per_char = size * 10 * 0.55  # twips per narrow character (half the em, with some room)
    natural = [c * per_char + 2 * CELL_MARGIN for c in chars]
    if sum(natural) > TEXT_WIDTH:
        size = NARROW_SIZE
        natural = [c * size * 10 * 0.55 + 2 * CELL_MARGIN for c in chars]
    scale = min(1.0, TEXT_WIDTH / sum(natural)) if natural else 1.0
    widths = [int(w * scale) for w in natural]
    rule = '<w:{0} w:val="single" w:sz="{1}" w:space="0" w:color="000000"/>'
    head_border = "<w:tcBorders>" + rule.format("bottom", 6) + "</w:tcBorders>"
    right = [k in NUMERIC_KINDS for k in kinds]
    parts = [f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>'
             f'<w:tblBorders>{rule.format("top", 12)}{rule.format("bottom", 12)}</w:tblBorders>'
             f'<w:tblLayout w:type="autofit"/><w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/>'
             f'<w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>',
             "".join(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>",
             "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
             "".join(_cell(h, widths[j], right=right[j], bold=True, size=size, border=head_border) for j, h in enumerate(headers)),
             "</w:tr>"]
    for r in cells:
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        parts.append("".join(_cell(r[j], widths[j], right=right[j], bold=False, size=size) for j in range(n)))
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _shown(column: dict[str, Any], value: Any, words: dict[bool, str]) -> str:
    """A stored cell as a text output prints it (:func:`~dgkit.report.tableformat.format_cell`); the
    underflow bound of a p-value is ``<0.001`` like every p-value below 0.001."""
    kind = column["kind"]
    if isinstance(value, str) and kind in NUMERIC_KINDS:
        return f"<{P_FLOOR:g}" if kind == "p" else value
    return format_cell(kind, value, column.get("decimals") or 0, words=words)


def _seq_field(n: int) -> list[str]:
    """Runs of a complex ``SEQ Table`` field whose shown result is ``n`` (Word renumbers on F9;
    readers that ignore fields still see the number)."""
    ns = f'xmlns:w="{W_NS}"'
    return [f'<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r {ns}><w:instrText xml:space="preserve"> SEQ Table \\* ARABIC </w:instrText></w:r>',
            f'<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
            f'<w:r {ns}><w:t>{n}</w:t></w:r>',
            f'<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>']


def _caption_parts(lang: str, n: int, caption: str) -> tuple[str, str]:
    """The text before and after the table number (catalogue key ``export.table_caption``)."""
    mark = "\x00"
    text = Labels(lang)("export.table_caption", n=mark, caption=caption)
    before, _, after = text.partition(mark)
    return before, after


def write_docx(tables_dir: Path, target: Path, lang: str, title: str, references: Sequence[str] = (), *,
               cjk_font: str = "SimSun", latin_font: str = "Times New Roman", max_rows: int | None = 200) -> None:
    """Write every table of ``tables_dir`` into one Word document at ``target`` (a table longer than
    ``max_rows`` shows its first and last rows and says where the whole is: a Word table of
    17,100 rows is no table a paper prints, and takes seconds to write).

    Title, then per table in chapter order: the caption above (Word's ``Caption`` style, ``表 N``
    / ``Table N.`` with a ``SEQ Table`` field so Word renumbers), a three-line table
    (:func:`table_xml`), the source line and notes below; then the references (``参考文献`` /
    ``References``) as given. Fonts: ``latin_font`` for Latin text and ``cjk_font`` as
    ``w:eastAsia`` (宋体/SimSun is what Chinese journals ask for; Word has no fallback list, and
    LibreOffice substitutes an installed CJK serif such as Noto Serif CJK SC); document language
    zh-CN for East Asian text. Page A4, margins 2.54 cm."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor, Twips

    check_lang(lang, str(target))
    tables, _ = read_tables(Path(tables_dir))
    t = Labels(lang)
    words = bool_words(lang)
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Twips(A4[0]), Twips(A4[1])
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Twips(MARGIN)
    for name in ("Normal", "Title", "Heading 1", "Caption"):
        st = doc.styles[name]
        _set_style_fonts(st, latin_font, cjk_font)
        if name != "Normal":
            st.font.color.rgb = RGBColor(0, 0, 0)
    doc.styles["Normal"].font.size = Pt(10.5)  # 五号
    doc.styles["Caption"].font.size = Pt(10.5)
    doc.styles["Caption"].font.bold = True
    rpr_default = doc.styles.element.find(qn("w:docDefaults"))
    if rpr_default is not None:
        rpr = rpr_default.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is not None:  # the template's theme fonts would win over the styles' fonts
                fonts.attrib.clear()
                for a, v in (("ascii", latin_font), ("hAnsi", latin_font), ("eastAsia", cjk_font), ("cs", latin_font)):
                    fonts.set(qn(f"w:{a}"), v)
            lang_el = rpr.find(qn("w:lang"))
            if lang_el is None:
                lang_el = parse_xml(f'<w:lang xmlns:w="{W_NS}"/>')
                rpr.append(lang_el)
            lang_el.set(qn("w:val"), "en-US")
            lang_el.set(qn("w:eastAsia"), "zh-CN")
    props = doc.core_properties
    props.title, props.author, props.last_modified_by, props.revision, props.comments = title, "dgkit", "dgkit", 1, ""
    if title:
        doc.add_paragraph(title, style="Title")
    body = doc.element.body
    for n, tab in enumerate(tables, start=1):
        before, after = _caption_parts(lang, n, tab.caption)
        cap = doc.add_paragraph(style="Caption")
        cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cap.paragraph_format.keep_with_next = True
        cap.add_run(before)
        for xml in _seq_field(n):
            cap._p.append(parse_xml(xml))
        cap.add_run(after)
        rows = tab.rows
        notes = list(tab.notes)
        if max_rows and len(rows) > max_rows:  # a page-long table at most: the first and last rows, the whole in the CSV
            half = max_rows // 2
            rows = [*rows[:half], *rows[-half:]]
            notes.append(t("report.rows_shown", shown=max_rows, n=len(tab.rows), file=f"tables/{tab.stem}.csv"))
        cells = [[_shown(c, v, words) for v, c in zip(r, tab.columns, strict=True)] for r in rows]
        tbl = parse_xml(table_xml(tab.headers, tab.kinds, cells))
        sect = body.find(qn("w:sectPr"))
        if sect is not None:
            sect.addprevious(tbl)
        else:  # pragma: no cover - python-docx's template always has one
            body.append(tbl)
        for line in ([t("report.source_line", source=tab.source)] if tab.source else []) + notes:
            p = doc.add_paragraph()
            p.paragraph_format.space_after = Pt(6)
            p.add_run(line).font.size = Pt(9)
    if references:
        doc.add_heading(t("export.references"), level=1)
        for ref in references:
            p = doc.add_paragraph(str(ref))
            p.paragraph_format.left_indent = Pt(21)
            p.paragraph_format.first_line_indent = Pt(-21)
    buf = io.BytesIO()
    doc.save(buf)
    atomic_write_bytes(target, deterministic_zip(buf.getvalue()))
