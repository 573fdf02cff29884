"""The bibliography: CSL-JSON validity, GB/T 7714-2015 and APA 7 strings written by hand from the
standards, citations by key from every bundled dataset, free-text sources resolved to keys, BibTeX
and CITATION.cff."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
import yaml

import dgkit
from dgkit.paths import data_dir, project_root
from dgkit.report.bibliography import (
    CJK,
    BibliographyError,
    Citation,
    load_bibliography,
    main,
    to_bibtex,
    translate_locator,
)

SEEDS = project_root().parent / "shared" / "seeds"
SEED_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


@pytest.fixture(scope="module")
def bib():
    return load_bibliography()


@pytest.fixture(scope="module")
def raw() -> list[dict]:
    return json.loads((data_dir() / "bibliography.json").read_text(encoding="utf-8"))


def _yamls() -> list[tuple[Path, dict]]:
    return [(p, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in sorted((data_dir() / "datasets").glob("*.yaml"))]


def _bundled_cites() -> list[tuple[str, list[str], str | None]]:
    """(where, keys, locator) of every dataset and reference table, read straight from the YAML files."""
    out = []
    for p, d in _yamls():
        keys = d.get("cite")
        out.append((p.name, [keys] if isinstance(keys, str) else list(keys or []), d.get("locator")))
        for nm, t in (d.get("reference_tables") or {}).items():
            if isinstance(t, dict) and ("cite" in t or "locator" in t):
                k = t.get("cite")
                out.append((f"{p.name}:{nm}", [k] if isinstance(k, str) else list(k or []), t.get("locator")))
    return out


# ------------------------------------------------------------------ the CSL-JSON itself
def test_csl_json_has_the_required_fields(raw):
    ids = [e["id"] for e in raw]
    assert len(ids) == len(set(ids))
    for e in raw:
        for f in ("id", "type", "title", "author", "language"):
            assert e.get(f), (e["id"], f)
        assert e["type"] == "software" or e["issued"]["date-parts"][0][0] > 1900, e["id"]
        assert e["language"] in ("zh-CN", "en")
        if e["type"] == "article-journal":
            assert e["container-title"] and e["volume"] and e["page"], e["id"]
        if e["language"] == "zh-CN":  # an English rendering and a sort key for every Chinese entry
            assert e["custom"]["en"]["title"] and e["custom"]["en"]["author"] and e["custom"]["pinyin"], e["id"]
            assert not CJK.search(json.dumps(e["custom"]["en"], ensure_ascii=False)), e["id"]
        if "DOI" in e:
            assert re.fullmatch(r"10\.\d{4,9}/\S+", e["DOI"]), e["id"]
        if "URL" in e:
            assert e["URL"].startswith(("https://", "http://")), e["id"]


def test_every_seed_has_exactly_one_entry(raw):
    by_seed = {e["custom"]["seed_file"]: e["id"] for e in raw if "seed_file" in e.get("custom", {})}
    assert by_seed == {"000_040576678a80d79e.txt": "ccid2020", "001_704c0132a6179eba.txt": "tsinghua2020",
                       "002_9ee7ba6547a00820.txt": "cstc2019", "003_bcc288fad2ab52c2.txt": "guomai2023",
                       "004_6d9e4c2470173797.txt": "caict2021"}
    if SEEDS.is_dir():  # the seeds themselves: one entry per file, and the title is the one printed in it
        assert set(by_seed) == {p.name for p in SEEDS.glob("*.txt")}
        titles = {e["id"]: e["title"] for e in raw}
        for name, key in by_seed.items():
            head = re.sub(r"[\s#*]+", "", (SEEDS / name).read_text(encoding="utf-8")[:3000])  # markdown marks dropped
            assert re.sub(r"\s+", "", titles[key]) in head, key


# ------------------------------------------------------------------ GB/T 7714-2015, 著者-出版年制 (hand-written)
@pytest.mark.parametrize(("key", "expected"), [
    ("ccid2020", "赛迪顾问股份有限公司, 2020. 2020中国数字政府建设白皮书[R]. 北京: 赛迪顾问股份有限公司."),
    ("dagum1997", "DAGUM C, 1997. A new approach to the decomposition of the Gini income inequality ratio[J]. "
                  "Empirical Economics, 22(4): 515-531. DOI:10.1007/BF01205777."),
    ("saltelli2010", "SALTELLI A, ANNONI P, AZZINI I, et al., 2010. Variance based sensitivity analysis of model output. "
                     "Design and estimator for the total sensitivity index[J]. Computer Physics Communications, 181(2): 259-270. "
                     "DOI:10.1016/j.cpc.2009.09.018."),
    ("hwang1981", "HWANG C L, YOON K, 1981. Multiple attribute decision making: Methods and applications[M]. Berlin: Springer-Verlag."),
    ("undesa_egovkb", "United Nations Department of Economic and Social Affairs, 2024. UN E-Government Knowledgebase: "
                      "E-Government Development Index and its components, 2003–2024[DS/OL]. New York: United Nations. "
                      "https://publicadministration.un.org/egovkb/en-us."),
    ("pysal_esda", "REY S J, WOLF L J, [出版年不详]. esda: Exploratory spatial data analysis: version 2.9.0[CP/OL]. https://pysal.org/esda/."),
    ("gbt2260", "中华人民共和国国家质量监督检验检疫总局, 中国国家标准化管理委员会, 2007. 中华人民共和国行政区划代码: "
                "GB/T 2260-2007[S]. 北京: 中国标准出版社."),
    ("cpsc2020", "中央党校(国家行政学院)电子政务研究中心, 2020. 省级政府和重点城市网上政务服务能力调查评估报告(2020)[R]. 北京: [出版者不详]."),
])
def test_gbt7714_reference(bib, key, expected):
    assert bib.reference(key, "zh") == expected


# ------------------------------------------------------------------ APA 7 (hand-written)
@pytest.mark.parametrize(("key", "expected"), [
    ("tsinghua2020", "Center on Data and Governance, Tsinghua University. (2020). 2020 digital government development index report [in Chinese]."),
    ("caict2021", "Institute of Policy and Economics, China Academy of Information and Communications Technology. (2021). "
                  "Research report on governance modernisation in the digital era: The practice and innovation of digital "
                  "government (2021) [in Chinese]. China Academy of Information and Communications Technology."),
    ("dagum1997", "Dagum, C. (1997). A new approach to the decomposition of the Gini income inequality ratio. "
                  "Empirical Economics, 22(4), 515–531. https://doi.org/10.1007/BF01205777"),
    ("hwang1981", "Hwang, C.-L., & Yoon, K. (1981). Multiple attribute decision making: Methods and applications. Springer-Verlag."),
    ("undesa_egovkb", "United Nations Department of Economic and Social Affairs. (2024). UN E-Government Knowledgebase: "
                      "E-Government Development Index and its components, 2003–2024 [Data set]. United Nations. "
                      "https://publicadministration.un.org/egovkb/en-us"),
    ("pysal_esda", "Rey, S. J., & Wolf, L. J. (n.d.). esda: Exploratory spatial data analysis (Version 2.9.0) [Computer software]. https://pysal.org/esda/"),
    ("guomai2023", "Guomai Research Institute. (2023, December 4). Release of the fifth (2023) digital government construction "
                   "trend index assessment report and the featured-case awards [in Chinese]. Guomai Internet."),
])
def test_apa_reference(bib, key, expected):
    assert bib.reference(key, "en") == expected


def test_in_text_citations(bib):
    assert bib.cite("tsinghua2020", "zh", "表3-1") == "(清华大学数据治理研究中心, 2020: 表3-1)"
    assert bib.cite("tsinghua2020", "en", "表3-1") == "(Center on Data and Governance, Tsinghua University, 2020, Table 3-1)"
    assert bib.cite("hwang1981", "en", "第5页") == "(Hwang & Yoon, 1981, p. 5)"
    assert bib.cite("hwang1981", "zh") == "(Hwang et al., 1981)"  # GB/T 7714 §10.2: the first author and et al.
    assert bib.cite("saltelli2010", "en") == "(Saltelli et al., 2010)"
    assert bib.cite("nbs_scitech_yearbook", "zh") == "(国家统计局 等, 2014-2024)"
    assert bib.cite("nbs_scitech_yearbook", "en") == "(National Bureau of Statistics of China & Ministry of Science and Technology, 2014–2024)"
    assert bib.cite_all([Citation("dagum1997"), "anselin1995"], "en") == "(Dagum, 1997; Anselin, 1995)"


def test_reference_list_order_and_dedup(bib):
    zh = bib.reference_list(["dagum1997", "ccid2020", "anselin1995", "tsinghua2020", "dagum1997"], "zh")
    # Chinese first by pinyin (qinghua < saidi), then Western A–Z
    assert [r.split(",")[0] for r in zh] == ["清华大学数据治理研究中心", "赛迪顾问股份有限公司", "ANSELIN L", "DAGUM C"]
    en = bib.reference_list(["rey2007", "dagum1997", "ccid2020", "rey2001", "tsinghua2020", "pysal_esda"], "en")
    assert [r.split(" (")[0] for r in en] == [
        "CCID Consulting Company Limited.", "Center on Data and Governance, Tsinghua University.", "Dagum, C.",
        "Rey, S. J.", "Rey, S. J., & Anselin, L.", "Rey, S. J., & Wolf, L. J."]  # one author before the same author with others
    with pytest.raises(BibliographyError, match="dagum1997"):
        bib.reference_list(["dagun1997"], "en")


def test_english_outputs_hold_no_chinese(bib):
    for k in bib.keys:
        for text in (bib.reference(k, "en"), bib.cite(k, "en")):
            assert not CJK.search(text), (k, text)


# ------------------------------------------------------------------ locators
@pytest.mark.parametrize(("zh", "en"), [
    ("表3-1", "Table 3-1"), ("图2", "Figure 2"), ("第3章", "Chapter 3"), ("第2–4章", "Chapters 2–4"), ("附录", "Appendix"),
    ("第12页", "p. 12"), ("第3节", "Section 3"), ("三(二) 表3-1", "Section 3.2, Table 3-1"),
    ("三(四)1(2)", "Section 3.4.1.2"), ("四(一)3 表4-1; 四(二) 表4-2", "Section 4.1.3, Table 4-1; Section 4.2, Table 4-2"),
    ("PART 2", "Part 2"), ("表4-1、表4-2", "Table 4-1, Table 4-2"),
])
def test_translate_locator(zh, en):
    assert translate_locator(zh, "en") == en
    assert translate_locator(zh, "zh") == zh


def test_untranslatable_locator_is_an_error_unless_lenient(bib):
    with pytest.raises(BibliographyError, match="省级数字政府发展梯度分布"):
        bib.cite("tsinghua2020", "en", "表3-1 省级数字政府发展梯度分布")
    assert bib.cite("tsinghua2020", "en", "表3-1 省级数字政府发展梯度分布", strict=False).endswith(", 2020, Table 3-1)")


def test_every_bundled_locator_translates(bib):
    locs = [(w, loc) for w, _, loc in _bundled_cites() if loc]
    assert len(locs) >= 8
    for where, loc in locs:
        en = translate_locator(loc, "en")
        assert en and not CJK.search(en), (where, loc, en)


# ------------------------------------------------------------------ datasets cite by key
def test_every_bundled_dataset_cites_existing_keys(bib):
    cites = _bundled_cites()
    assert {w for w, keys, _ in cites if not keys} == set(), "every bundled dataset cites its source by key"
    for where, keys, _ in cites:
        for k in keys:
            assert k in bib, (where, k)


def test_dataset_exposes_cite_and_locator():
    d = yaml.safe_load((data_dir() / "datasets" / "ccid_2020_top5.yaml").read_text(encoding="utf-8"))
    ds = dgkit.open_dataset("ccid_2020_top5")
    assert ds.cite == [d["cite"]] and ds.locator == d["locator"]
    for nm, t in d["reference_tables"].items():
        assert ds.reference_cites[nm] == {"cite": [t["cite"]], "locator": t["locator"]}
        assert ds.reference_tables[nm].attrs["cite"] == [t["cite"]]


def _spec_problems(tmp_path: Path, extra: str) -> list[str]:
    from dgkit.datasets import read_spec

    csv_path = data_dir() / "published" / "tsinghua_2020_provinces.csv"
    y = tmp_path / "mine.yaml"
    y.write_text(f"name: mine\nfile: {csv_path}\nunits: {{level: province, column: province}}\nperiod: 2020\n"
                 f"synthetic: false\n{extra}", encoding="utf-8")
    problems: list = []
    read_spec(y, problems)
    return [str(p) for p in problems]


def test_unknown_cite_in_a_dataset_yaml_names_the_file_and_the_closest_key(tmp_path):
    probs = _spec_problems(tmp_path, "cite: tsinghua2021\nreference_tables:\n  t: {file: x.csv, cite: [dagum1979]}\n")
    assert any("mine.yaml" in p and "'tsinghua2021'" in p and "closest valid: tsinghua2020" in p for p in probs), probs
    assert any("reference_tables.t.cite" in p and "closest valid: dagum1997" in p for p in probs), probs
    assert any("unknown key 'reference_tables.t.sorce'" in p for p in _spec_problems(
        tmp_path, "reference_tables:\n  t: {file: x.csv, sorce: a}\n"))


def test_dataset_yaml_may_bring_its_own_bibliography(tmp_path):
    (tmp_path / "refs.json").write_text(json.dumps([{
        "id": "wb2022", "type": "dataset", "language": "en", "author": [{"literal": "World Bank"}],
        "title": "GovTech Maturity Index", "issued": {"date-parts": [[2022]]}}]), encoding="utf-8")
    assert _spec_problems(tmp_path, "bibliography: refs.json\ncite: [wb2022, tsinghua2020]\n") == []
    probs = _spec_problems(tmp_path, "cite: wb2022\n")
    assert any("'wb2022'" in p for p in probs)


# ------------------------------------------------------------------ free text → keys
def _sources() -> list[str]:
    out = []
    for p in sorted((data_dir() / "published").glob("*.csv")) + sorted((data_dir() / "reference").glob("*.csv")):
        with open(p, encoding="utf-8") as fh:
            out += [r["source"] for r in csv.DictReader(fh) if r.get("source")]
    return out


def test_resolve_real_sources(bib):
    def first_source(name: str) -> str:
        with open(data_dir() / name, encoding="utf-8") as fh:
            return next(csv.DictReader(fh))["source"]

    assert bib.resolve(first_source("published/tsinghua_2020_provinces.csv")) == [
        Citation("tsinghua2020", "三(二) 表3-1 省级数字政府发展梯度分布")]
    assert bib.resolve(first_source("published/ccid_2020_top5.csv")) == [
        Citation("ccid2020", "第3章 省(区、市)总指数及排名 (total, rank); 第4章 Top5 发展经验 (pillar scores)")]
    assert [c.key for c in bib.resolve(first_source("reference/cities.csv"))] == ["tsinghua2020", "cstc2019", "gbt2260"]
    assert bib.resolve(first_source("published/caict_2021_plans.csv")) == [Citation("caict2021", "三(二)1 表4")]
    assert bib.resolve(first_source("published/dgov_cpsc_online_service_capability_2019.csv")) == []  # a URL: no entry
    assert bib.resolve("") == [] and bib.resolve("no known source here") == []
    assert bib.resolve("000_040576678a80d79e.txt (CCID 2020) 附录 报告说明") == [Citation("ccid2020", "附录 报告说明")]


def test_every_seed_file_named_in_data_resolves(bib, raw):
    seeds = {e["custom"]["seed_file"]: e["id"] for e in raw if "seed_file" in e.get("custom", {})}
    named: dict[str, str] = {}
    for p in data_dir().rglob("*"):
        if p.is_file() and p.suffix in (".csv", ".yaml", ".md", ".json", ".txt"):
            for m in SEED_NAME.finditer(p.read_text(encoding="utf-8", errors="replace")):
                named.setdefault(m.group(0), str(p))
    assert len(named) == 5
    for name, where in named.items():
        assert [c.key for c in bib.resolve(name + " 表1")] == [seeds[name]], where
    texts = [s for s in _sources() if SEED_NAME.search(s)]
    assert len(texts) > 500
    for s in texts:
        got = {c.key for c in bib.resolve(s)}
        assert {seeds[m] for m in SEED_NAME.findall(s)} <= got, s


# ------------------------------------------------------------------ errors
def test_unknown_key_names_the_closest(bib):
    with pytest.raises(BibliographyError, match=r"unknown bibliography key 'dagum1979'.*closest valid: dagum1997"):
        bib.cite("dagum1979", "zh")


def test_duplicate_key_across_files_names_both(tmp_path):
    f = tmp_path / "mine.json"
    f.write_text(json.dumps([{"id": "dagum1997", "type": "book", "language": "en", "author": [{"family": "X", "given": "Y"}],
                              "title": "T", "issued": {"date-parts": [[2000]]}}]), encoding="utf-8")
    with pytest.raises(BibliographyError, match=r"mine\.json.*'dagum1997'.*data/bibliography\.json"):
        load_bibliography([f])


def test_malformed_files_name_file_entry_and_field(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "a",', encoding="utf-8")
    with pytest.raises(BibliographyError, match=r"bad\.json.*not valid JSON \(line 1"):
        load_bibliography([bad])
    bad.write_text(json.dumps([{"id": "x1", "type": "book", "language": "en", "author": [{"literal": "A"}],
                                "issued": {"date-parts": [[2000]]}}]), encoding="utf-8")
    with pytest.raises(BibliographyError, match=r"bad\.json.*entry 0 \('x1'\): field 'title' is missing"):
        load_bibliography([bad])
    bad.write_text(json.dumps([{"id": "x2", "type": "repport", "language": "en", "author": [{"literal": "A"}], "title": "T",
                                "issued": {"date-parts": [[2000]]}}]), encoding="utf-8")
    with pytest.raises(BibliographyError, match=r"field 'type'.*closest valid: report"):
        load_bibliography([bad])
    bad.write_text(json.dumps([{"id": "x3", "type": "report", "language": "zh-CN", "author": [{"literal": "某机构"}],
                                "title": "题名", "issued": {"date-parts": [[2000]]}}]), encoding="utf-8")
    with pytest.raises(BibliographyError, match=r"entry 0 \('x3'\): field 'custom.en.title'"):
        load_bibliography([bad])


# ------------------------------------------------------------------ BibTeX and CITATION.cff
def test_committed_bib_is_generated(bib):
    assert (data_dir() / "bibliography.bib").read_text(encoding="utf-8") == to_bibtex(bib)
    assert main(["--check-bib"]) == 0


def test_bibtex_fields_and_escaping(bib):
    text = to_bibtex(bib)
    entry = lambda k: re.search(r"@\w+\{" + k + r",\n(.*?)\n\}", text, re.S).group(0)  # noqa: E731
    d = entry("diakoulaki1995")
    assert d.startswith("@article{diakoulaki1995,")
    assert "journaltitle = {Computers \\& Operations Research}" in d and "pages = {763--770}" in d
    c = entry("ccid2020")
    assert c.startswith("@report{ccid2020,") and "langid = {chinese}" in c
    assert "usera = {{2020 construction report of China digital government}}" in c and "institution = {赛迪顾问股份有限公司}" in c
    assert entry("undesa_egovkb").startswith("@dataset{") and entry("pysal_esda").startswith("@software{")
    assert entry("guomai2023").startswith("@online{") and entry("hwang1981").startswith("@book{")
    assert "author = {Becker, William and Caperna, Giulio and {Del Sorbo}, Maria" in entry("becker2022")
    assert text.count("{") == text.count("}") + text.count("\\{") - text.count("\\}")


def test_citation_cff():
    cff = yaml.safe_load((project_root() / "CITATION.cff").read_text(encoding="utf-8"))
    for k in ("cff-version", "message", "title", "abstract", "type", "authors", "version", "date-released", "license",
              "keywords", "references"):
        assert cff.get(k), k
    assert cff["cff-version"] == "1.2.0"
    assert str(cff["version"]) == dgkit.__version__
    assert len(cff["references"]) >= 9
    for r in cff["references"]:
        assert r["title"] and r["authors"] and isinstance(r["year"], int) and r["type"], r
    titles = " ".join(r["title"] for r in cff["references"])
    for t in ("2020中国数字政府建设白皮书", "2020数字政府发展指数报告", "2019数字政府服务能力评估结果", "数字政府建设风向指数",
              "数字时代治理现代化研究报告"):
        assert t in titles
