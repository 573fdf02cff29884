"""Every printed figure the bundled data can recompute, recomputed: the claims register.

The five seed reports print numbers (scores, ranks, means, shares, counts, correlations, tallies,
band memberships, orderings). Each one the bundled data can recompute is a row of a claims file,
``data/published/claims/<seed>.csv``::

    claim_id     unique slug, e.g. tsinghua_2020.rank_hainan
    dataset      the bundled dataset(s) the claim is about (space-separated), for an edition's filter
    statement    what the report says, quoted short (the report's language)
    printed      the printed value as printed ("62.4", "4", "上海、浙江")
    kind         number | text | set     (set: members separated by "、", order ignored)
    check        the name of a recomputation registered with :func:`check`
    args         keyword arguments of that recomputation as JSON ({} when none)
    status       match | inconsistent    (what the recomputation shows, declared and tested)
    explanation  for inconsistent: what the report contradicts (itself or its own table) and what
                 the kit keeps, in English; every one has an entry in data/README.md
    source       report and section or table (as it is, for provenance)
    statement_en the statement in English (no CJK character: names by data/reference)
    explanation_zh  the explanation in Chinese (empty where explanation is)
    locator      the place in the report (chapter, section, table), in Chinese, without the report's name
    locator_en   the same in English

The statement is all Chinese (the report's words as quoted, and our remarks in Chinese); the
``_en``/``_zh`` columns make every text of the register available in each edition's language.

A number agrees when it is within half a unit of the printed value's last digit
(``|recomputed − printed| ≤ 0.5·10^−d``, d = printed decimals): the report rounded it. Text agrees
when equal after trimming; a set when it has the same members.

The recomputations live beside this module, one file per seed, and read only bundled data
(:mod:`dgkit.data`, :func:`dgkit.datasets.open_dataset`). :func:`verify` runs them and returns a
:class:`~dgkit.stats.result.StatResult`: the table of claims (printed, recomputed, agrees) and, as
facts, every inconsistency as "printed X, recomputed Y". The tests check that every claim agrees
exactly as its status declares, so a change of data or code that moves any printed figure fails.

``verify(lang=...)`` gives the register in one language (``"zh"`` or ``"en"``): the statement,
explanation and locator columns of that language, and for ``en`` the printed and recomputed values
translated item by item (:func:`in_english`: provinces and cities by data/reference, tiers by
:func:`dgkit.tiers.label`, CCID pillars by the framework's ``name_en``, regions and belts by the
``groups`` of dgkit/report/labels.yaml, a few ministries and bodies by ``TERMS``); a name with no
translation raises. Translation changes no number and no agreement: the recomputation and
:func:`agrees` run on the values as printed.
"""

from __future__ import annotations

import functools
import importlib
import json
import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

#: seed key → (claims file stem, report's short name). The recomputations are in dgkit/fidelity/<key>.py.
SEEDS: dict[str, str] = {
    "ccid_2020": "CCID 2020",
    "tsinghua_2020": "Tsinghua CDG 2020",
    "cstc_2019": "CSTC 2019",
    "guomai_2023": "国脉 2023",
    "caict_2021": "CAICT 2021",
    "cpsc_2019": "中央党校 2019",
}

CHECKS: dict[str, Callable[..., Any]] = {}
_MEMOS: list[Any] = []

COLUMNS = ["claim_id", "dataset", "statement", "printed", "kind", "check", "args", "status", "explanation", "source",
           "statement_en", "explanation_zh", "locator", "locator_en"]
LANGS = ("zh", "en")
#: columns of the verified register (for each language, statement/explanation/locator in that language)
VERIFIED = ["claim_id", "seed", "statement", "printed", "recomputed", "agrees", "status", "explanation", "locator", "source"]
_TEXT = {"zh": {"statement": "statement", "explanation": "explanation_zh", "locator": "locator"},
         "en": {"statement": "statement_en", "explanation": "explanation", "locator": "locator_en"}}

#: printed names that are neither places, tiers, pillars nor regions (ministries, bodies, districts), zh → en
TERMS: dict[str, str] = {
    "无": "none", "大部分": "most",
    "司法部": "Ministry of Justice", "财政部": "Ministry of Finance", "商务部": "Ministry of Commerce",
    "发展改革委": "National Development and Reform Commission", "工业和信息化部": "Ministry of Industry and Information Technology",
    "科技部": "Ministry of Science and Technology", "人力资源和社会保障部": "Ministry of Human Resources and Social Security",
    "海关总署": "General Administration of Customs", "税务总局": "State Taxation Administration", "公安部": "Ministry of Public Security",
    "民政部": "Ministry of Civil Affairs", "卫生健康委": "National Health Commission", "应急管理部": "Ministry of Emergency Management",
    "知识产权局": "National Intellectual Property Administration", "交通运输部": "Ministry of Transport", "水利部": "Ministry of Water Resources",
    "市场监管总局": "State Administration for Market Regulation", "气象局": "China Meteorological Administration",
    "药监局": "National Medical Products Administration",
    "青岛崂山区": "Laoshan District (Qingdao)", "深圳罗湖区": "Luohu District (Shenzhen)", "深圳南山区": "Nanshan District (Shenzhen)",
    "深圳坪山区": "Pingshan District (Shenzhen)", "深圳盐田区": "Yantian District (Shenzhen)", "扬州仪征市": "Yizheng (Yangzhou)",
    "武汉江岸区": "Jiang'an District (Wuhan)", "武汉武昌区": "Wuchang District (Wuhan)", "佛山禅城区": "Chancheng District (Foshan)",
    "成都都江堰市": "Dujiangyan (Chengdu)",
    "数字政府改革建设工作领导小组": "Leading Group for Digital Government Reform and Construction",
    "数字政府省级专家委员会": "Provincial Digital Government Expert Committee",
    "省数据资源管理中心": "Provincial Data Resources Management Centre", "省数据管理中心": "Provincial Data Management Centre",
}


def check(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Register a recomputation under its function name (unique across seeds)."""
    name = fn.__name__
    if name in CHECKS and CHECKS[name] is not fn:
        raise ValueError(f"claims check {name!r} is registered twice")
    CHECKS[name] = fn
    return fn


def cached(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Memoise a helper that several recomputations share (a table, a framework) for the length of
    one :func:`verify` or :func:`recompute` call; what it returns is read, never modified."""
    memo = functools.lru_cache(maxsize=None)(fn)
    _MEMOS.append(memo)
    return memo


def _forget() -> None:
    for m in _MEMOS:
        m.cache_clear()


def _load_checks() -> None:
    for seed in SEEDS:
        try:
            importlib.import_module(f"dgkit.fidelity.{seed}")
        except ModuleNotFoundError as exc:  # a seed without recomputations yet
            if exc.name != f"dgkit.fidelity.{seed}":
                raise


def _claims(seed: str) -> pd.DataFrame:
    """A claims file (its full pandera schema, ``schemas.CLAIMS``, is checked by the tests)."""
    from dgkit import data
    from dgkit.errors import DataValidationError

    df = data.load(f"claims_{seed}")
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise DataValidationError(f"claims file lacks column(s) {missing}", file=str(data.path(f"claims_{seed}")), column=missing[0])
    return df.assign(seed=seed)


def claims(seeds: Iterable[str] | None = None) -> pd.DataFrame:
    """The claims register (a fresh copy), of ``seeds`` (default: all)."""
    keys = list(SEEDS) if seeds is None else list(seeds)
    unknown = [s for s in keys if s not in SEEDS]
    if unknown:
        raise KeyError(f"unknown seed(s) {unknown}; known: {list(SEEDS)}")
    frames = [_claims(s) for s in keys]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*COLUMNS, "seed"])


def _decimals(printed: str) -> int:
    try:
        exp = Decimal(printed.strip().rstrip("%")).as_tuple().exponent
    except InvalidOperation:
        return 0
    return max(0, -int(exp)) if isinstance(exp, int) else 0


def _number(printed: str) -> float:
    return float(printed.strip().rstrip("%").replace(",", ""))


def _members(v: Any) -> list[str]:
    if isinstance(v, str):
        return [m.strip() for m in v.replace(",", "、").split("、") if m.strip()]
    return [str(m).strip() for m in v]


def agrees(printed: str, recomputed: Any, kind: str) -> bool:
    """Does ``recomputed`` reproduce ``printed``? (the rule is in the module docstring)"""
    if kind == "number":
        try:
            x = float(recomputed)
        except (TypeError, ValueError):
            return False
        if not math.isfinite(x):
            return False
        return abs(x - _number(printed)) <= 0.5 * 10 ** -_decimals(printed) + 1e-9
    if kind == "set":
        return sorted(_members(printed)) == sorted(_members(recomputed))
    return str(recomputed).strip() == printed.strip()


def shown(printed: str, recomputed: Any, kind: str) -> str:
    """``recomputed`` written the way ``printed`` is (its decimals; members in 、 lists)."""
    if kind == "number":
        try:
            x = float(recomputed)
        except (TypeError, ValueError):
            return str(recomputed)
        d = _decimals(printed)
        return f"{x:.{d}f}" + ("%" if printed.strip().endswith("%") else "")
    if kind == "set":
        return "、".join(_members(recomputed))
    return str(recomputed)


def recompute(row: pd.Series | dict[str, Any]) -> Any:
    """Run one claim's recomputation (on the bundled data as they are now)."""
    _forget()
    return _recompute(row)


def _recompute(row: pd.Series | dict[str, Any]) -> Any:
    _load_checks()
    name = row["check"]
    if name not in CHECKS:
        import difflib

        close = difflib.get_close_matches(name, list(CHECKS), n=1)
        raise KeyError(f"claim {row['claim_id']}: no recomputation {name!r}" + (f"; closest: {close[0]!r}" if close else ""))
    args = json.loads(row["args"] or "{}")
    return CHECKS[name](**args)


@functools.cache
def _names() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """zh → en: (provinces, cities, everything else: pillars, regions, TERMS); tiers are
    :func:`dgkit.tiers.label`'s."""
    from dgkit import data
    from dgkit.framework import load_framework
    from dgkit.report.labels import catalogue

    prov: dict[str, str] = {}
    for r in data.provinces().itertuples():
        prov[r.name_short] = prov[r.name_full] = r.name_en
    city: dict[str, str] = {}
    for r in data.load("prefectures").itertuples():
        city.setdefault(r.name_full, r.name_en)
        city.setdefault(r.name_short, r.name_en)
    for r in data.cities().itertuples():  # the curated names win (泰州/台州, 吉林 city)
        city[r.city] = city[r.name_full] = r.name_en
    other: dict[str, str] = {}
    for r in load_framework("ccid_2020").pillars.itertuples():
        other[r.name] = other[r.name.removesuffix("指数")] = r.name_en
    for key, v in catalogue().items():
        if key.startswith("groups."):
            other[key.removeprefix("groups.")] = v["en"]
            other[v["zh"]] = v["en"]
    other.update(TERMS)
    return prov, city, other


_COMPARED = re.compile(r"^(.*?)\s*(≥|≤|<|>|=)\s*(-?\d+(?:\.\d+)?%?)$")


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def _item_en(item: str, cities_first: bool) -> str:
    item = item.strip()
    if not has_cjk(item):
        return item
    prov, city, other = _names()
    order = (city, prov, other) if cities_first else (prov, city, other)
    for table in order:
        if item in table:
            return table[item]
    from dgkit.tiers import label

    tier = label(item, "en")
    if isinstance(tier, str) and tier != item and not has_cjk(tier):
        return tier
    m = _COMPARED.match(item)  # "卓越≥95"
    if m and m.group(1):
        return f"{_item_en(m.group(1), cities_first)} {m.group(2)}{m.group(3)}"
    raise KeyError(f"no English name for {item!r} (add it to dgkit/data/reference or fidelity.TERMS)")


def in_english(value: Any) -> str:
    """A printed or recomputed value in English, item by item (see the module docstring): members
    separated by "、" joined with ", ", clauses separated by "; " kept. Raises KeyError for a
    Chinese item without a translation. A list of cities is read as cities (吉林 the city)."""
    text = str(value)
    prov, city, _ = _names()
    out = []
    for clause in text.split("; "):
        items = [m.strip() for m in clause.split("、")]
        cities_first = any(m in city and m not in prov for m in items)
        out.append(", ".join(_item_en(m, cities_first) for m in items))
    return "; ".join(out)


def _in(lang: str, value: Any) -> str:
    return in_english(value) if lang == "en" else str(value)


def verify(seeds: Iterable[str] | None = None, datasets: Iterable[str] | None = None, lang: str = "zh") -> Any:
    """Recompute every claim of ``seeds`` (default all), or only those about ``datasets``, in ``lang``.

    Returns a StatResult: ``table`` (claim_id, seed, statement, printed, recomputed, agrees, status,
    explanation, locator, source; statement, explanation and locator in ``lang``, printed and
    recomputed translated for ``en``, source as it is), facts ``n``, ``n_agree``,
    ``n_inconsistent``, ``n_unexpected`` (claims whose agreement differs from their declared
    status: a defect), ``n_seeds`` and ``inconsistencies`` (the list "claim: printed X, recomputed
    Y", in ``lang``); extra ``items`` (one per inconsistency, in ``lang``) and ``unexpected``."""
    from dgkit.stats.result import Missing, StatResult

    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected zh or en")
    df = claims(seeds)
    if datasets is not None:
        want = set(datasets)
        df = df[df["dataset"].str.split().map(lambda ds: bool(want.intersection(ds)))]
    if df.empty:
        return Missing("no printed figures of the bundled reports concern this edition's data", "no_claims")
    rec, ok = [], []
    _forget()
    for _, r in df.iterrows():
        v = _recompute(r)
        rec.append(shown(r["printed"], v, r["kind"]))
        ok.append(agrees(r["printed"], v, r["kind"]))
    cols = _TEXT[lang]
    t = pd.DataFrame({
        "claim_id": df["claim_id"], "seed": df["seed"], "statement": df[cols["statement"]],
        "printed": [_in(lang, x) for x in df["printed"]], "recomputed": [_in(lang, x) for x in rec], "agrees": ok,
        "status": df["status"], "explanation": df[cols["explanation"]], "locator": df[cols["locator"]], "source": df["source"],
    })[VERIFIED].reset_index(drop=True)
    bad = t[~t["agrees"]]
    unexpected = t[t["agrees"] != (t["status"] == "match")]
    if lang == "zh":
        items = [f"{r.statement}: 印刷 {r.printed}, 复算 {r.recomputed}" for r in bad.itertuples()]
        sentence = (f"{len(t)} 个印刷数字由打包数据复算: {int(t['agrees'].sum())} 个一致, {len(bad)} 个不一致"
                    + ("：" + "；".join(items) if items else "") + "。")
    else:
        items = [f"{r.statement}: printed {r.printed}, recomputed {r.recomputed}" for r in bad.itertuples()]
        sentence = (f"{len(t)} printed figures recomputed from the bundled data: {int(t['agrees'].sum())} agree, "
                    f"{len(bad)} do not" + (": " + "; ".join(items) if items else "") + ".")
    facts = {"n": len(t), "n_agree": int(t["agrees"].sum()), "n_inconsistent": len(bad),
             "n_unexpected": len(unexpected), "n_seeds": int(t["seed"].nunique()), "inconsistencies": items}
    extra_items = [{"key": r.claim_id.replace(".", "_"), "statement": r.statement, "printed": r.printed, "recomputed": r.recomputed,
                    "explanation": r.explanation or "—", "source": r.source} for r in bad.itertuples()]
    return StatResult(t, sentence, facts, {"unexpected": unexpected, "items": extra_items})
