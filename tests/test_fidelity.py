"""Issue 14: every printed figure the bundled data can recompute is recomputed (dgkit.fidelity).

Each claim's recomputation must agree with the print exactly when the register says ``match`` and
disagree when it says ``inconsistent``; each inconsistency is explained in data/README.md."""

import re
from pathlib import Path

import pytest

from dgkit import fidelity

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = fidelity.claims()


def test_the_register_is_not_empty_and_every_seed_has_claims():
    assert len(CLAIMS) > 0
    assert set(CLAIMS["seed"]) == set(fidelity.SEEDS), set(fidelity.SEEDS) - set(CLAIMS["seed"])


@pytest.mark.parametrize("claim_id", list(CLAIMS["claim_id"]))
def test_claim_agrees_exactly_as_declared(claim_id):
    row = CLAIMS.set_index("claim_id").loc[claim_id].to_dict() | {"claim_id": claim_id}
    value = fidelity.recompute(row)
    ok = fidelity.agrees(row["printed"], value, row["kind"])
    shown = fidelity.shown(row["printed"], value, row["kind"])
    if row["status"] == "match":
        assert ok, f"{claim_id}: printed {row['printed']}, recomputed {shown}"
    else:
        assert not ok, f"{claim_id} is declared inconsistent but recomputes to the print ({shown})"


def test_every_inconsistency_has_an_entry_in_the_data_readme():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    missing = [c for c in CLAIMS.loc[CLAIMS["status"] == "inconsistent", "claim_id"] if c not in readme]
    assert not missing, missing


def test_every_claim_names_a_bundled_dataset_or_table():
    from dgkit import data
    from dgkit.datasets import catalogue

    known = set(catalogue()["name"]) | set(data.CATALOGUE)
    for r in CLAIMS.itertuples():
        assert set(r.dataset.split()) <= known, (r.claim_id, r.dataset)


def test_agreement_rule_is_half_a_unit_of_the_last_printed_digit():
    assert fidelity.agrees("62.4", 62.449, "number") and not fidelity.agrees("62.4", 62.451, "number")
    assert fidelity.agrees("0.58", 0.575, "number") and not fidelity.agrees("0.58", 0.5749, "number")
    assert fidelity.agrees("26.5%", 26.46, "number") and not fidelity.agrees("4", 4.6, "number")
    assert fidelity.agrees("上海、浙江", ["浙江", "上海"], "set") and not fidelity.agrees("上海", "上海、浙江", "set")
    assert not fidelity.agrees("1", float("nan"), "number")
    assert fidelity.shown("0.580", 0.57961, "number") == "0.580"


def test_verify_reports_an_inconsistency_as_printed_and_recomputed():
    res = fidelity.verify(["tsinghua_2020"], lang="en")
    t = res.table
    assert res.facts["n"] == len(t) and res.facts["n_unexpected"] == 0
    assert res.facts["n_inconsistent"] == int((~t["agrees"]).sum())
    for item, r in zip(res.facts["inconsistencies"], t[~t["agrees"]].itertuples(), strict=True):
        assert f"printed {r.printed}, recomputed {r.recomputed}" in item
    zh = fidelity.verify(["tsinghua_2020"], lang="zh")
    for item, r in zip(zh.facts["inconsistencies"], zh.table[~zh.table["agrees"]].itertuples(), strict=True):
        assert f"印刷 {r.printed}, 复算 {r.recomputed}" in item


# ------------------------------------------------------------------ one language per edition
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
FULLWIDTH = re.compile(r"[\u3000-\u303f\uff00-\uffef]")  # 、。“”（）： in an English text are Chinese too
# Latin words a Chinese text of the register may keep: names of reports, indices, statistics; file and table
# names (with _ . /) are identifiers and not counted
ALLOWED = {"gdp", "sd", "spearman", "kendall", "pearson", "ccid", "cstc", "caict", "tsinghua", "cdg", "top", "part", "app", "egdi",
           "cpsc", "un"}
IDENT = re.compile(r"[\w.-]*[_./][\w./-]*")


def english_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z][A-Za-z'’]+", IDENT.sub(" ", text)) if w.lower() not in ALLOWED]


def test_every_claim_has_an_english_statement_and_a_chinese_one():
    for r in CLAIMS.itertuples():
        assert r.statement_en and not CJK.search(r.statement_en) and not FULLWIDTH.search(r.statement_en), (r.claim_id, r.statement_en)
        assert CJK.search(r.statement) and not english_words(r.statement), (r.claim_id, english_words(r.statement))
        assert bool(r.explanation) == bool(r.explanation_zh), r.claim_id
        assert not CJK.search(r.explanation), (r.claim_id, r.explanation)
        assert not english_words(r.explanation_zh), (r.claim_id, english_words(r.explanation_zh))
        assert r.locator and r.locator_en and not CJK.search(r.locator_en), r.claim_id
        assert r.locator in r.source or CJK.search(r.locator), r.claim_id


def test_every_printed_name_has_an_english_translation():
    for r in CLAIMS.itertuples():  # the recomputed values are checked by verify(lang="en") below
        assert not CJK.search(fidelity.in_english(r.printed)), r.claim_id
    with pytest.raises(KeyError, match="no English name"):
        fidelity.in_english("上海、无名城")


@pytest.fixture(scope="module")
def both():
    return {lang: fidelity.verify(lang=lang) for lang in ("zh", "en")}


def test_verify_in_english_has_no_chinese_but_in_the_source(both):
    res = both["en"]
    t = res.table
    assert list(t.columns) == fidelity.VERIFIED
    for c in t.columns.drop("source"):
        bad = [v for v in t[c].astype(str) if CJK.search(v)]
        assert not bad, (c, bad[:3])
    assert not CJK.search(res.sentence) and not any(CJK.search(i) for i in res.facts["inconsistencies"])
    for it in res.extra["items"]:
        assert not any(CJK.search(str(v)) for k, v in it.items() if k != "source"), it["key"]


def test_verify_in_chinese_has_no_english_words(both):
    t = both["zh"].table
    for c in ("statement", "explanation", "printed", "recomputed"):
        bad = {v: english_words(v) for v in t[c].astype(str) if english_words(v)}
        assert not bad, (c, list(bad.items())[:3])
    assert not english_words(both["zh"].sentence.replace("\n", " "))


def test_translation_changes_no_agreement(both):
    zh, en = both["zh"].table, both["en"].table
    assert list(zh["claim_id"]) == list(en["claim_id"])
    assert list(zh["agrees"]) == list(en["agrees"]) and list(zh["status"]) == list(en["status"])
    assert {k: v for k, v in both["zh"].facts.items() if k != "inconsistencies"} == \
        {k: v for k, v in both["en"].facts.items() if k != "inconsistencies"}
    numeric = ~zh["printed"].str.contains(r"[^\d.%\-]")
    assert list(zh.loc[numeric, "printed"]) == list(en.loc[numeric, "printed"])
    assert list(zh.loc[numeric, "recomputed"]) == list(en.loc[numeric, "recomputed"])


def test_verify_rejects_an_unknown_language():
    with pytest.raises(ValueError):
        fidelity.verify(["guomai_2023"], lang="fr")
