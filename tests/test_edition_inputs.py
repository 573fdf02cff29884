"""Issue 17: what an edition hands to the chapters (cohort, periods, benchmarks) and the analyses'
answers on inputs they cannot define — each checked by hand or against the function it wraps."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dgkit
from dgkit import stats, tiers
from dgkit.report.edition import match_units, open_edition
from dgkit.stats import Missing

ROOT = Path(__file__).resolve().parents[1]
EGDI_FIXTURE = ROOT / "tests" / "data" / "editions" / "un_egdi_2014_2018.yaml"


def _params(tmp_path, text, name="p.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_benchmarks_never_use_a_period_after_the_focus_year(tmp_path):
    ed = open_edition(_params(tmp_path, f"edition: e\ndataset: {EGDI_FIXTURE}\nindex: {{measure: egdi}}\nyear: 2014\nbenchmark: {{datasets: [un_egdi]}}\n"))
    b = ed.benchmarks()
    other = b["联合国 EGDI"]  # the dataset's short title in the edition's language (zh)
    full = dgkit.open_dataset("un_egdi").panel("egdi")
    assert np.allclose(other.to_numpy(), full.loc[other.index, 2014].to_numpy())  # the 2014 survey, not 2024
    assert not np.allclose(other.to_numpy(), full.loc[other.index, 2024].to_numpy())
    assert other.attrs["source"].startswith("United Nations")


def test_the_cohort_is_what_is_built(tmp_path):
    cohort = ["北京", "上海", "广东", "浙江", "江苏", "山东", "四川", "湖北", "河南", "福建"]
    ed = open_edition(_params(tmp_path, "edition: d\ndataset: demo_panel\nindex: {framework: ccid_2020}\nyear: 2020\ncompare: [2020]\n"
                                        f"cohort: [{', '.join(cohort)}]\n"))
    b = ed.build()
    ids, unknown = match_units(dgkit.open_dataset("demo_panel"), cohort)
    assert not unknown and sorted(b.units) == sorted(ids)
    ds = dgkit.open_dataset("demo_panel")
    import dataclasses

    sub = dataclasses.replace(ds, values=ds.values[ds.values.index.get_level_values("unit_id").isin(ids)], units=ds.units.loc[ids])
    alone = dgkit.build(sub, "ccid_2020", periods=[2020])
    pd.testing.assert_series_equal(b.index, alone.index)  # normalisation means are the cohort's, not all 31 provinces'
    assert set(ed.scores().index) == set(ids)


def test_printed_ranks_are_not_compared_within_a_smaller_cohort(tmp_path):
    base = "edition: t\ndataset: tsinghua_2020_provinces\nindex: {measure: score}\n"
    assert isinstance(open_edition(_params(tmp_path, base, "a.yaml")).printed_ranks(), pd.Series)
    small = open_edition(_params(tmp_path, base + "cohort: [北京, 上海, 广东]\n", "b.yaml"))
    r = small.printed_ranks()
    assert isinstance(r, Missing) and "31" in r.reason and "3" in r.reason


def test_undefined_results_are_stated_not_nan():
    neg = pd.Series([-3.0, -1.0, 1.0, 2.0, 4.0], index=list("abcde"))
    groups = pd.Series(list("xxyyy"), index=list("abcde"))
    th = stats.dispersion.theil_decomposition(neg, groups)
    assert isinstance(th, Missing) and th.key == "theil_nonpositive" and th.fields == {"n": 2}
    d = stats.dispersion.describe(neg)
    assert np.isnan(d.facts["cv"]) and np.isnan(d.facts["gini"]) and d.facts["sd"] == pytest.approx(neg.std(ddof=0))
    assert isinstance(stats.dispersion.describe(neg.iloc[:1]), Missing)
    w = pd.DataFrame({2019: [1.0, 2.0, 3.0, -1.0], 2021: [2.0, 2.0, 4.0, 1.0]}, index=list("abcd"))
    beta = stats.dispersion.beta_convergence_panel(w)
    assert isinstance(beta, Missing) and beta.key == "beta_nonpositive" and beta.fields == {"n": 3}
    same = pd.DataFrame({2019: [5.0] * 6, 2021: [5.0, 6, 7, 8, 9, 10]}, index=list("abcdef"))
    assert stats.dispersion.beta_convergence_panel(same).key == "constant"
    # σ-convergence on the units present in every period only (a balanced panel)
    unbalanced = pd.DataFrame({2019: [1.0, 2.0, 3.0, 10.0], 2021: [1.5, 2.5, 3.5, np.nan]}, index=list("abcd"))
    sc = stats.dispersion.sigma_convergence(unbalanced)
    bal = unbalanced.dropna()
    assert sc.facts["n"] == 3 and sc.facts["cv_first"] == pytest.approx(bal[2019].std(ddof=0) / bal[2019].mean())
    flat = stats.dispersion.sigma_convergence(pd.DataFrame({1: [1.0, 2.0], 2: [1.0, 2.0]}))
    assert flat.facts["cv_verdict"] == "@no_change"


def test_theil_by_each_partition_equals_the_decomposition_and_ignores_units_without_a_group():
    s = pd.Series([1.0, 2.0, 3.0, 4.0, 6.0, 8.0], index=list("abcdef"))
    g1 = pd.Series(["x", "x", "y", "y", "z", ""], index=s.index)  # f has no group: not a group of its own
    r = stats.regions.theil_by(s, {"g1": g1})
    one = stats.dispersion.theil_decomposition(s.iloc[:5], g1.iloc[:5])
    assert r.table.loc[0, "groups"] == 3 and r.table.loc[0, "n"] == 5
    assert r.table.loc[0, "between"] == pytest.approx(one.facts["between"]) and r.table.loc[0, "within"] == pytest.approx(one.facts["within"])
    # by hand: between = Σ s_g ln(μ_g/μ)
    x = s.iloc[:5]
    mu = x.mean()
    by_hand = sum(x[m].sum() / x.sum() * np.log(x[m].mean() / mu) for m in (g1.iloc[:5] == k for k in "xyz"))
    assert one.facts["between"] == pytest.approx(by_hand)


def test_regional_summary_shares_of_a_partition_add_to_100_and_counts_are_by_hand():
    s = pd.Series([10.0, 20.0, 30.0, 40.0], index=list("abcd"))
    r = stats.regions.summarise(s, {"belt": pd.Series(["E", "E", "W", "W"], index=s.index)})
    t = r.table.set_index("group")
    assert t["share_pct"].sum() == pytest.approx(100) and t.loc["W", "share_pct"] == pytest.approx(70)
    assert t.loc["W", "n_at_or_above_national_mean"] == 2 and t.loc["E", "n_at_or_above_national_mean"] == 0
    assert r.facts["lead"] == "W" and r.facts["lead_share"] == pytest.approx(70)


def test_published_tiers_are_reconciled_unit_by_unit():
    s = pd.Series([72.0, 66.0, 61.0, 55.0, 40.0], index=list("abcde"))
    c = tiers.classify(s, [{"name": "fx", "scheme": "fixed", "thresholds": [70, 65, 60, 50]}])
    pub = pd.Series(["引领型", "优质型", "发展型", "发展型", "追赶型"], index=list("abcde"))  # c printed one tier lower
    r = tiers.reconcile_published(c, {"fx": pub}, s)
    assert list(r.table["unit_id"]) == ["c"] and r.table.loc[0, "computed"] == "特色型" and r.table.loc[0, "published"] == "发展型"
    assert r.facts["detail"] == "fx 1/5"


def test_kappa_of_is_weighted_kappa_by_hand():
    a = pd.Series(["A", "A", "B", "C"], index=list("wxyz"))
    b = pd.Series(["A", "B", "B", "C"], index=list("wxyz"))
    k = stats.concordance.kappa_of((a, b, ["A", "B", "C"]))
    # linear weights |i−j|/2; observed disagreement 1/4 × 1/2; expected from the margins
    pa, pb = np.array([2, 1, 1]) / 4, np.array([1, 2, 1]) / 4
    W = np.abs(np.subtract.outer(range(3), range(3))) / 2
    expected = (W * np.outer(pa, pb)).sum()
    assert k.facts["kappa"] == pytest.approx(1 - (0.25 * 0.5) / expected)


def test_match_units_reads_names_in_any_spelling_and_lists_the_unknown():
    ds = dgkit.open_dataset("tsinghua_2020_provinces")
    ids, unknown = match_units(ds, ["北京", "Shanghai", "广东省", "440000", "Guangdon"])
    assert ids == ["110000", "310000", "440000", "440000"] and unknown == ["Guangdon"]
