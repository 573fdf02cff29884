"""Issue 16, the configuration a researcher writes: YAML itself, frameworks and params (Y01–Y60).

YAML cases hold for every YAML the kit reads (params, dataset and framework YAMLs, the report's
labels): they all go through :func:`dgkit.params.safe_load_yaml`. Repairs (a byte-order mark, a
UTF-16 or GBK file, a name YAML would turn into a number or true/false, a weight written as a
percentage, a direction written 正向) return their logged note instead of raising.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dgkit import errors as E

ROOT = Path(__file__).resolve().parents[1]
BASE = "edition: x\ndataset: tsinghua_2020_provinces\nindex: {measure: score}\n"
FW_HEAD = "name: my_framework\nindex: {code: DGI, name: 数字政府指数}\n"
PILLARS_PQ = "pillars:\n  - {code: P, name: 服务, weight: 0.6}\n  - {code: Q, name: 数据, weight: 0.4}\n"
IND_AB = "indicators:\n  - {code: a, name: 办件量, parent: P}\n  - {code: b, name: 开放数据集, parent: Q}\n"


def _write(tmp: Path, content: str | bytes, name: str) -> Path:
    p = tmp / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


def _params(content: str | bytes, name: str = "edition.yaml"):
    """Load a params file; a repair case returns the notes (and checks what was read)."""
    def run(tmp: Path) -> str:
        from dgkit.params import load_params

        p = load_params(_write(tmp, content, name))
        return "; ".join(p.notes)
    return run


def _framework(text: str | bytes, name: str = "my_framework.yaml", show: str = "notes"):
    def run(tmp: Path) -> str:
        from dgkit.framework import load_framework

        fw = load_framework(_write(tmp, text, name))
        return "; ".join(fw.notes) if show == "notes" else fw.summary()
    return run


def _dataset(yaml_text: str, csv_text: str):
    def run(tmp: Path) -> str:
        from dgkit import datasets

        _write(tmp, csv_text, "mydata.csv")
        datasets._CACHE.clear()
        ds = datasets.open_dataset(_write(tmp, yaml_text, "dataset.yaml"))
        return f"measures {ds.measures}; " + "; ".join(a for a in ds.assumptions if "kept as the text" in a)
    return run


def _laughs(levels: int = 9) -> str:
    lines = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "edition: x\n" + "\n".join(lines) + "\n"


def _gbk(tmp: Path) -> str:
    from dgkit.params import load_params

    p = load_params(_write(tmp, (BASE + "title: 数字政府评估 2024\n").encode("gbk"), "edition.yaml"))
    assert p.raw["title"] == "数字政府评估 2024", p.raw["title"]
    return "; ".join(p.notes)


def _norway(tmp: Path) -> str:
    from dgkit.datasets import open_dataset
    from dgkit.params import load_params
    from dgkit.report.edition import match_units

    path = _write(tmp, "edition: x\ndataset: un_egdi\nindex: {measure: egdi}\nyear: 2020\ncohort: [DE, FR, NO]\n", "edition.yaml")
    p = load_params(path)
    assert p.raw["cohort"] == ["DE", "FR", "NO"]
    ids, unknown = match_units(open_dataset("un_egdi"), p.raw["cohort"])
    assert "NOR" in ids and not unknown, "NO is Norway"
    return "; ".join(p.notes)


def _edition_2020_10(tmp: Path) -> str:
    from dgkit.params import load_params

    p = load_params(_write(tmp, BASE.replace("edition: x", "edition: 2020.10"), "edition.yaml"))
    return f"report folder {p.folder!r}; " + "; ".join(p.notes)


def _big_yaml(tmp: Path) -> None:
    from dgkit.params import load_params

    load_params(_write(tmp, BASE + "# " + "x" * 3_000_000 + "\n", "edition.yaml"))


def _xlsx_framework(tmp: Path) -> None:
    import openpyxl

    from dgkit.framework import load_framework

    openpyxl.Workbook().save(tmp / "my_framework.yaml")
    load_framework(tmp / "my_framework.yaml")


def _out(value: Any):
    def run(tmp: Path) -> None:
        from dgkit.params import load_params

        (tmp / "notes.txt").write_text("a file", encoding="utf-8")
        load_params(_write(tmp, BASE + f"out: {value}\n", "edition.yaml"))
    return run


_TIER = BASE + "tiers:\n  - {name: a, scheme: %s}\n"

CASES: list[tuple[str, str, str, Any, Any, list[str]]] = [
    # ------------------------------------------------------------------ YAML itself (every YAML the kit reads)
    ("Y01", "yaml", "a 'billion laughs' alias bomb (nine levels of nine aliases, under 600 bytes)", _params(_laughs()), E.ParamsError,
     ["edition.yaml", "row 7", "more than 200,000 values once the YAML aliases are expanded", "MAX_YAML_NODES"]),
    ("Y02", "yaml", "300 aliases of one anchor", _params(BASE + "x: &v 1\ngroupings: [" + ", ".join(["*v"] * 300) + "]\n"), E.ParamsError,
     ["edition.yaml", "row 5", "more than 200 YAML aliases", "write the values out"]),
    ("Y03", "yaml", "an alias inside the node it names (a recursive list)", _params(BASE + "groupings: &g [a, *g]\n"), E.ParamsError,
     ["edition.yaml", "row 4", "alias *g inside the node it names"]),
    ("Y04", "yaml", "a list nested 60 levels deep", _params(BASE + "groupings: " + "[" * 60 + "a" + "]" * 60 + "\n"), E.ParamsError,
     ["edition.yaml", "row 4", "nested more than 50 levels deep", "MAX_YAML_DEPTH"]),
    ("Y05", "yaml", "a 3 MB YAML (refused before it is read)", _big_yaml, E.ParamsError,
     ["edition.yaml", "YAML file too large", "at most 2,097,152 bytes", "3,000,0"]),
    ("Y06", "yaml", "a key given twice at the top level (YAML keeps the last one)", _params(BASE + "year: 2020\nyear: 2019\n"), E.ParamsError,
     ["edition.yaml", "row 5", "key 'year' given twice (first at row 4)"]),
    ("Y07", "yaml", "a key given twice inside a nested mapping", _params(BASE + "dispersion: {ddof: 0, threshold: 5, ddof: 1}\n"), E.ParamsError,
     ["edition.yaml", "row 4", "column 'ddof'", "key 'ddof' given twice"]),
    ("Y08", "yaml", "a key given twice inside a list item", _params(BASE + "tiers:\n  - name: a\n    scheme: fixed\n    scheme: percentile\n"),
     E.ParamsError, ["edition.yaml", "row 7", "key 'scheme' given twice (first at row 6)"]),
    ("Y09", "yaml", "a key given twice in a dataset YAML",
     _dataset("name: t\nfile: mydata.csv\nunits: {level: province, column: province}\nperiod: year\nmeasures: [a]\nmeasures: [b]\n",
              "province,year,a,b\n广东,2020,1,2\n"), E.DatasetError, ["dataset.yaml", "row 6", "key 'measures' given twice"]),
    ("Y10", "yaml", "a UTF-8 file with a byte-order mark (Windows Notepad)", _params(b"\xef\xbb\xbf" + BASE.encode()), None,
     ["edition.yaml", "read as UTF-8 with a byte-order mark"]),
    ("Y11", "yaml", "a params file saved in GBK (Chinese Windows)", _gbk, None,
     ["edition.yaml", "not UTF-8", "read as GB18030/GBK", "save it as UTF-8"]),
    ("Y12", "yaml", "a params file saved as UTF-16 (Notepad's 'Unicode')", _params(BASE.encode("utf-16")), None,
     ["edition.yaml", "read as UTF-16", "save it as UTF-8"]),
    ("Y13", "yaml", "a params file in Windows-1252 (curly quotes)", _params((BASE + "title: “Digital” government\n").encode("cp1252")),
     E.ParamsError, ["edition.yaml", "row 4", "not UTF-8 text", "Windows-1252", "save it as UTF-8"]),
    ("Y14", "yaml", "an Excel workbook saved under a .yaml name", _xlsx_framework, E.ParamsError,
     ["my_framework.yaml", "a ZIP file (an Excel workbook?), not YAML text"]),
    ("Y15", "yaml", "an empty params file (only comments)", _params("# my edition\n"), E.ParamsError,
     ["edition.yaml", "a params file with no keys", "edition:, dataset:, index:"]),
    ("Y16", "yaml", "a params file that is a list", _params("- edition: x\n- dataset: un_egdi\n"), E.ParamsError,
     ["edition.yaml", "must be a mapping of keys", "a list of 2 item(s)"]),
    ("Y17", "yaml", "a framework YAML that is one line of text", _framework("ccid_2020\n"), E.ParamsError,
     ["my_framework.yaml", "a framework YAML must be a mapping of keys", "pillars:, indicators:"]),
    ("Y18", "yaml", "tabs used for indentation", _params(BASE + "dispersion:\n\tddof: 0\n"), E.ParamsError,
     ["edition.yaml", "row 5", "a tab used for indentation", "spaces"]),
    ("Y19", "yaml", "two YAML documents in one file (a stray ---)", _params(BASE + "---\nyear: 2020\n"), E.ParamsError,
     ["edition.yaml", "row 4", "more than one YAML document"]),
    ("Y20", "yaml", "a direction written as a bare '-'", _framework(FW_HEAD + PILLARS_PQ + IND_AB + "  - code: c\n    name: c\n    parent: P\n    direction: -\n"),
     E.ParamsError, ["my_framework.yaml", "row 12", "a lone '-' after a key starts a list", 'quote it: "-"']),
    ("Y21", "yaml", "an indicator code 1.10 (YAML reads the number 1.1)",
     _framework(FW_HEAD + "pillars:\n  - {code: '1', name: 服务}\nindicators:\n  - {code: 1.10, name: 办件量, parent: 1}\n  - {code: 1.2, name: 好评率, parent: 1}\n"),
     None, ["my_framework.yaml", "row 6", "code: 1.10 kept as the text '1.10'", "plain YAML reads it as 1.1", 'quote it to say so: "1.10"']),
    ("Y22", "yaml", "country code NO in a cohort (YAML reads false: the 'Norway problem')", _norway, None,
     ["edition.yaml", "row 5", "cohort: NO kept as the text 'NO'", "reads it as False"]),
    ("Y23", "yaml", "a code with leading zeros, 0012 (YAML reads the octal number 10)",
     _framework(FW_HEAD + "pillars:\n  - {code: P, name: 服务}\nindicators:\n  - {code: 0012, name: 办件量, parent: P}\n"), None,
     ["my_framework.yaml", "row 6", "code: 0012 kept as the text '0012'", "reads it as 10"]),
    ("Y24", "yaml", "measure names 1.10 and 2.10 in a dataset YAML",
     _dataset("name: t\nfile: mydata.csv\nunits: {level: province, column: province}\nperiod: year\nmeasures: [1.10, 2.10]\nsynthetic: false\n",
              "province,year,1.10,2.10\n广东,2020,1,2\n浙江,2020,3,4\n"), None,
     ["measures ['1.10', '2.10']", "dataset.yaml, row 5", "measures: 1.10 kept as the text '1.10'"]),
    ("Y25", "yaml", "an edition named 2020.10 without quotes", _edition_2020_10, None,
     ["report folder '2020.10'", "row 1", "edition: 2020.10 kept as the text", "reads it as 2020.1"]),
    # ------------------------------------------------------------------ frameworks
    ("Y26", "framework", "weights written as percentages (60%, 40%)",
     _framework(FW_HEAD + PILLARS_PQ.replace("0.6", "60%").replace("0.4", "40%") + IND_AB), None,
     ["weight of pillar P given as a percentage: 60% read as 0.6", "40% read as 0.4"]),
    ("Y27", "framework", 'weights written as fractions ("1/4", "3/4")',
     _framework(FW_HEAD + PILLARS_PQ.replace("0.6", '"1/4"').replace("0.4", '"3/4"') + IND_AB, show="summary"), None,
     ["P (0.250)", "Q (0.750)"]),
    ("Y28", "framework", "a weight written as text (high)", _framework(FW_HEAD + PILLARS_PQ.replace("0.6", "high") + IND_AB), E.FrameworkError,
     ["my_framework.yaml", "column 'weight'", "weight of pillar P is not a number", '"1/3"', "60%", "got 'high'"]),
    ("Y29", "framework", "a weight of 0 (the indicator does not count)",
     _framework(FW_HEAD + PILLARS_PQ + IND_AB.replace("parent: Q}", "parent: Q, weight: 0}") + "  - {code: c, name: c, parent: Q, weight: 1}\n"),
     None, ["weight 0 for indicator b", "does not count in its group"]),
    ("Y30", "framework", "a negative weight", _framework(FW_HEAD + PILLARS_PQ.replace("0.6", "1.2").replace("0.4", "-0.2") + IND_AB),
     E.FrameworkError, ["my_framework.yaml", "negative weight of pillar Q", "got -0.2"]),
    ("Y31", "framework", "weights written .nan", _framework(FW_HEAD + PILLARS_PQ.replace("0.6", ".nan").replace("0.4", ".nan") + IND_AB),
     E.FrameworkError, ["my_framework.yaml", "weight of pillar P is nan", "null (not published)"]),
    ("Y32", "framework", "a weight written yes", _framework(FW_HEAD + PILLARS_PQ.replace("0.6", "yes").replace("0.4", "no") + IND_AB),
     E.FrameworkError, ["my_framework.yaml", "weight of pillar P is true/false", "got True"]),
    ("Y33", "framework", "a pillar no indicator names as parent",
     _framework(FW_HEAD + PILLARS_PQ.replace("0.6", "0.5").replace("0.4", "0.3") + "  - {code: R, name: 安全, weight: 0.2}\n" + IND_AB),
     E.FrameworkError, ["my_framework.yaml", "pillar R has no indicators", "indicators with parent: R"]),
    ("Y34", "framework", "an indicator whose parent is an indicator",
     _framework(FW_HEAD + PILLARS_PQ + IND_AB + "  - {code: b1, name: 下载量, parent: b}\n"), E.FrameworkError,
     ["my_framework.yaml", "column 'parent'", "indicator b1 has the indicator 'b' as its parent", "list it under pillars"]),
    ("Y35", "framework", "a framework with only the index", _framework(FW_HEAD), E.FrameworkError,
     ["my_framework.yaml", "framework 'my_framework' has no indicators and no pillars"]),
    ("Y36", "framework", "directions written +, negative, 正向, 负向",
     _framework(FW_HEAD + PILLARS_PQ + "indicators:\n  - {code: a, name: a, parent: P, direction: +}\n  - {code: b, name: b, parent: Q, direction: negative}\n"
                "  - {code: c, name: c, parent: P, direction: 正向}\n  - {code: d, name: d, parent: Q, direction: 负向}\n"), None,
     ["direction of a: '+' read as +1", "'negative' read as -1", "'正向' read as +1", "'负向' read as -1"]),
    ("Y37", "framework", "a direction written true", _framework(FW_HEAD + PILLARS_PQ + IND_AB.replace("parent: P}", "parent: P, direction: true}")),
     E.FrameworkError, ["my_framework.yaml", "column 'direction'", "indicator a has direction True", "正向 / 负向"]),
    ("Y38", "framework", "pillars written as a mapping of weights", _framework(FW_HEAD + "pillars: {P: 0.6, Q: 0.4}\n" + IND_AB), E.FrameworkError,
     ["my_framework.yaml", "column 'pillars'", "'pillars' must be a list of entries", "- {code: …"]),
    ("Y39", "framework", "pillars written as a list of bare codes", _framework(FW_HEAD + "pillars: [P, Q]\n" + IND_AB), E.FrameworkError,
     ["my_framework.yaml", "column 'pillars[0]'", "pillars[0] must be a mapping", "got 'P'"]),
    ("Y40", "framework", "an indicator without a parent", _framework(FW_HEAD + PILLARS_PQ + IND_AB + "  - {code: c, name: 满意度}\n"), E.FrameworkError,
     ["my_framework.yaml", "indicator c has no 'parent'", "a pillar code (P, Q)"]),
    ("Y41", "framework", "an entry without a code", _framework(FW_HEAD + PILLARS_PQ + "  - {name: 安全}\n" + IND_AB), E.FrameworkError,
     ["my_framework.yaml", "column 'code'", "the code of pillar entry 3 is missing"]),
    # ------------------------------------------------------------------ params: the edition name and the output folder
    ("Y42", "params", "an edition that is an absolute path (with --force it deleted that folder)", _params(BASE.replace("edition: x", "edition: /abs/folder")),
     E.ParamsError, ["edition.yaml", "column 'edition'", "the edition is a path, not a name", "closest valid: abs-folder"]),
    ("Y43", "params", "an edition ../data (it replaced the kit's data/)", _params(BASE.replace("edition: x", "edition: ../data")), E.ParamsError,
     ["edition.yaml", "column 'edition'", "the edition is a path", "closest valid: data"]),
    ("Y44", "params", "an edition with spaces", _params(BASE.replace("edition: x", "edition: my edition 2024")), E.ParamsError,
     ["column 'edition'", "contains spaces", "closest valid: my-edition-2024"]),
    ("Y45", "params", "an edition named CON (a Windows device)", _params(BASE.replace("edition: x", "edition: CON")), E.ParamsError,
     ["column 'edition'", "reserved device name on Windows", "closest valid: CON-edition"]),
    ("Y46", "params", "an edition ending in .failed", _params(BASE.replace("edition: x", "edition: 2020.failed")), E.ParamsError,
     ["column 'edition'", "ends in '.failed'", "closest valid: 2020"]),
    ("Y47", "params", "an output folder that is the project folder", _out(ROOT), E.ParamsError,
     ["edition.yaml", "column 'out'", "output folder is the project folder itself", "a folder of your own, such as"]),
    ("Y48", "params", "an output folder that is an existing file", _out("notes.txt"), E.ParamsError,
     ["edition.yaml", "column 'out'", "output folder is an existing file", "got 'notes.txt'"]),
    ("Y49", "params", "an output folder that contains the project (/)", _out("/"), E.ParamsError,
     ["column 'out'", "a folder that contains the project", "reports"]),
    # ------------------------------------------------------------------ params: tiers and options
    ("Y50", "params", "fixed tier thresholds in ascending order", _params(_TIER % "fixed, thresholds: [50, 60, 70, 80]"), E.ParamsError,
     ["column 'tiers[0].thresholds'", "descending order", "closest valid: [80, 70, 60, 50]"]),
    ("Y51", "params", "a fixed tier threshold given twice", _params(_TIER % "fixed, thresholds: [70, 70, 60, 50]"), E.ParamsError,
     ["column 'tiers[0].thresholds'", "threshold 70 given twice", "closest valid: [70, 60, 50]"]),
    ("Y52", "params", "percentile cuts written as percentages", _params(_TIER % "percentile, cuts: [10, 25, 45, 65]"), E.ParamsError,
     ["column 'tiers[0].cuts'", "not percentages", "closest valid: [0.1, 0.25, 0.45, 0.65]"]),
    ("Y53", "params", "labels given to a scheme that names its own tiers", _params(_TIER % "five_equal, labels: [A, B, C, D, E]"), E.ParamsError,
     ["column 'tiers[0].labels'", "'labels' is not used by scheme 'five_equal'", "第一梯队"]),
    ("Y54", "params", "two tier schemes with the same name", _params(BASE + "tiers:\n  - {name: a, scheme: five_equal}\n  - {name: a, scheme: natural_breaks}\n"),
     E.ParamsError, ["column 'tiers[1].name'", "tier scheme name 'a' used twice"]),
    ("Y55", "params", "ddof 2", _params(BASE + "dispersion: {ddof: 2}\n"), E.ParamsError,
     ["column 'dispersion.ddof'", "out of range", "0 … 1", "got 2", "closest valid: 1"]),
    ("Y56", "params", "a covariate year the data do not have", _params(BASE + "covariates: {gdp: {year: 2099}}\n"), E.ParamsError,
     ["column 'covariates.gdp.year'", "covariate 'gdp' has no year 2099", "closest valid: 2024"]),
    ("Y57", "params", "a misspelt key inside a variant's normalisation ({methd: minmax})",
     _params("edition: x\ndataset: demo_panel\nyear: 2020\nindex:\n  framework: ccid_2020\n  variant: {options: {normalisation: {methd: minmax}}}\n"),
     E.ParamsError, ["column 'index.variant.options.normalisation.methd'", "closest valid: method"]),
    ("Y58", "params", "numeric options out of range (all listed at once)",
     _params(BASE + "seed: -1\njobs: 0\nrobustness: {mc_draws: 100000000, sobol_n: 1}\nprogress: {top: 0}\n"), E.ParamsProblems,
     ["5 problems", "column 'seed'", "0 … 4294967295", "column 'jobs'", "1 … 64", "robustness.mc_draws", "closest valid: 100000",
      "robustness.sobol_n", "progress.top"]),
    ("Y59", "params", "true and .nan where numbers are expected", _params(BASE + "jobs: true\ndispersion: {threshold: .nan}\n"), E.ParamsProblems,
     ["column 'jobs'", "wrong type for 'jobs'", "got True", "column 'dispersion.threshold'", "must be a finite number"]),
    ("Y60", "params", "a chapter listed twice", _params(BASE + "chapters: [2, 3, 02_ranking]\n"), E.ParamsError,
     ["column 'chapters'", "chapter 02_ranking listed twice"]),
]
